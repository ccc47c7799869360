import type { MetadataValue } from './chat.js';

export interface EmbeddingRequest {
  readonly input: string | readonly string[];
  /** Output dimensions, for models that can shorten their vectors. */
  readonly dimensions?: number;
  readonly metadata?: Readonly<Record<string, MetadataValue>>;
  readonly providerOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface EmbeddingResponse {
  readonly model: string;
  readonly provider: string;
  /** One vector per input, in input order. */
  readonly embeddings: readonly (readonly number[])[];
  readonly usage: { readonly inputTokens?: number };
  readonly costUsd: number;
  readonly latencyMs: number;
}
