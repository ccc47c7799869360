import { hashString, seededRandom } from '../seeded-random.js';
import { type GoogleErrorBody, googleErrorBody } from './gemini-errors.js';
import type { GeminiContent } from './gemini-request.js';

/** Vector size an embedding model returns when the request names none (also its maximum). */
export function defaultEmbeddingDimensions(model: string): number {
  return model.startsWith('gemini-embedding') ? 3072 : 768;
}

/** A deterministic unit vector for a text: the same text and model give the same vector. */
export function embeddingVector(seedText: string, dimensions: number): number[] {
  const random = seededRandom(hashString(seedText));
  const values = Array.from({ length: dimensions }, () => random() * 2 - 1);
  const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0)) || 1;
  return values.map((v) => Math.round((v / norm) * 1e6) / 1e6);
}

type EmbedRequest = { content?: GeminiContent; outputDimensionality?: number; model?: string };

/**
 * The answer to `:embedContent` (`{content}` → `{embedding}`) or
 * `:batchEmbedContents` (`{requests}` → `{embeddings}`), with the API's checks.
 */
export function answerEmbedding(
  raw: unknown,
  model: string,
  batch: boolean,
): { status: number; body: GoogleErrorBody | Readonly<Record<string, unknown>> } {
  const invalid = (message: string) => ({ status: 400, body: googleErrorBody(400, { message }) });
  const body = (raw ?? {}) as { requests?: EmbedRequest[] } & EmbedRequest;
  const requests = batch ? (body.requests ?? []) : [body];
  if (requests.length === 0 || requests.some((r) => !r.content)) {
    return invalid('* content: content is not specified\n');
  }
  if (batch && requests.some((r) => r.model !== undefined && r.model !== `models/${model}`)) {
    return invalid('Model names should be the same in all requests and match the URL.');
  }
  const max = defaultEmbeddingDimensions(model);
  const bad = requests.find(
    (r) =>
      r.outputDimensionality !== undefined &&
      !(
        Number.isInteger(r.outputDimensionality) &&
        r.outputDimensionality >= 1 &&
        r.outputDimensionality <= max
      ),
  );
  if (bad) {
    return invalid(
      `* outputDimensionality: must be an integer between 1 and ${max}, got ${String(bad.outputDimensionality)}\n`,
    );
  }
  const vectors = requests.map((r) =>
    embeddingVector(
      `${model}\u0000${(r.content?.parts ?? []).map((p) => p.text ?? '').join('')}`,
      r.outputDimensionality ?? max,
    ),
  );
  return {
    status: 200,
    body: batch
      ? { embeddings: vectors.map((values) => ({ values })) }
      : { embedding: { values: vectors[0] } },
  };
}
