export interface ImageGenerationRequest {
  readonly prompt: string;
  readonly n?: number;
  /** For example `1024x1024`. */
  readonly size?: string;
  readonly quality?: string;
  readonly style?: string;
  readonly responseFormat?: 'url' | 'b64_json';
  readonly providerOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface GeneratedImage {
  readonly url?: string;
  readonly b64Json?: string;
  readonly revisedPrompt?: string;
}

export interface ImageGenerationResponse {
  readonly model: string;
  readonly provider: string;
  readonly images: readonly GeneratedImage[];
  readonly costUsd: number;
  readonly latencyMs: number;
}

export interface TranscriptionRequest {
  readonly audio: Uint8Array;
  /** File name sent to the provider; its extension tells the audio format. */
  readonly filename?: string;
  readonly mediaType?: string;
  /** ISO-639-1 language of the audio (transcription only). */
  readonly language?: string;
  readonly prompt?: string;
  readonly temperature?: number;
  readonly providerOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface TranscriptionResponse {
  readonly model: string;
  readonly provider: string;
  readonly text: string;
  readonly language?: string;
  readonly durationSeconds?: number;
  readonly costUsd: number;
  readonly latencyMs: number;
}
