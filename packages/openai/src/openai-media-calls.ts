import {
  calculateCost,
  type EmbeddingRequest,
  type EmbeddingResponse,
  type ImageGenerationRequest,
  type ImageGenerationResponse,
  InvalidResponseError,
  type ModelPricing,
  roundUsd,
  type TranscriptionRequest,
  type TranscriptionResponse,
} from '@orchestrator/core';
import type OpenAI from 'openai';
import { toFile } from 'openai';

/** The SDK's per-request options (signal, headers, retries). */
export type SdkRequestOptions = NonNullable<Parameters<OpenAI['embeddings']['create']>[1]>;

export interface MediaContext {
  readonly client: OpenAI;
  readonly modelId: string;
  readonly provider: string;
  readonly pricing: ModelPricing;
  readonly compatibility: 'strict' | 'compatible';
  readonly requestOptions: SdkRequestOptions;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(context: MediaContext, what: string): InvalidResponseError {
  return new InvalidResponseError(`${context.provider} (${context.modelId}): ${what}`, {
    provider: context.provider,
    model: context.modelId,
  });
}

/** Float32 little-endian base64, as OpenAI encodes embeddings. */
function decodeBase64Floats(text: string): number[] {
  const bytes = Buffer.from(text, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<number>(Math.floor(bytes.byteLength / 4));
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/**
 * Embeds text. The encoding is always asked for explicitly (base64 from
 * OpenAI, float from compatible servers) and decoded here, so a server that
 * ignores `encoding_format` and sends floats is still read correctly.
 */
export async function createEmbeddings(
  request: EmbeddingRequest,
  context: MediaContext,
): Promise<Omit<EmbeddingResponse, 'latencyMs'>> {
  const inputs = typeof request.input === 'string' ? [request.input] : [...request.input];
  const user = request.providerOptions?.openai?.user;
  const body = await context.client.embeddings.create(
    {
      model: context.modelId,
      input: typeof request.input === 'string' ? request.input : inputs,
      encoding_format: context.compatibility === 'strict' ? 'base64' : 'float',
      ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
      ...(typeof user === 'string' ? { user } : {}),
    },
    context.requestOptions,
  );
  const data: unknown = (body as unknown as Json).data;
  if (!Array.isArray(data) || data.length !== inputs.length)
    throw invalid(context, 'embeddings response does not match the inputs');
  const embeddings: number[][] = new Array(inputs.length);
  for (const [position, item] of data.entries()) {
    if (!isObject(item)) throw invalid(context, 'malformed embedding');
    const index = typeof item.index === 'number' ? item.index : position;
    const vector =
      typeof item.embedding === 'string'
        ? decodeBase64Floats(item.embedding)
        : Array.isArray(item.embedding) && item.embedding.every((v) => typeof v === 'number')
          ? (item.embedding as number[])
          : undefined;
    if (!vector || index < 0 || index >= inputs.length)
      throw invalid(context, 'malformed embedding');
    embeddings[index] = vector;
  }
  const usage = isObject((body as unknown as Json).usage)
    ? ((body as unknown as Json).usage as Json)
    : {};
  const inputTokens = typeof usage.prompt_tokens === 'number' ? usage.prompt_tokens : undefined;
  return {
    model: typeof body.model === 'string' ? body.model : context.modelId,
    provider: context.provider,
    embeddings,
    usage: inputTokens === undefined ? {} : { inputTokens },
    costUsd: calculateCost(context.pricing, { inputTokens: inputTokens ?? 0 }),
  };
}

/** Generates images; options a model does not take (`style` on gpt-image, say) are left out. */
export async function generateImages(
  request: ImageGenerationRequest,
  context: MediaContext,
): Promise<Omit<ImageGenerationResponse, 'latencyMs'>> {
  const gptImage = context.modelId.startsWith('gpt-image');
  const dalle3 = context.modelId === 'dall-e-3';
  const body = await context.client.images.generate(
    {
      model: context.modelId,
      prompt: request.prompt,
      ...(request.n === undefined ? {} : { n: request.n }),
      ...(request.size === undefined ? {} : { size: request.size as '1024x1024' }),
      ...(request.quality === undefined || context.modelId === 'dall-e-2'
        ? {}
        : { quality: request.quality as 'standard' }),
      ...(request.style === undefined || !dalle3 ? {} : { style: request.style as 'vivid' }),
      ...(request.responseFormat === undefined || gptImage
        ? {}
        : { response_format: request.responseFormat }),
    },
    context.requestOptions,
  );
  const data: unknown = (body as unknown as Json).data;
  if (!Array.isArray(data)) throw invalid(context, 'image response has no data');
  const images = data.map((item) => {
    if (!isObject(item)) throw invalid(context, 'malformed image');
    return {
      ...(typeof item.url === 'string' ? { url: item.url } : {}),
      ...(typeof item.b64_json === 'string' ? { b64Json: item.b64_json } : {}),
      ...(typeof item.revised_prompt === 'string' ? { revisedPrompt: item.revised_prompt } : {}),
    };
  });
  return {
    model: context.modelId,
    provider: context.provider,
    images,
    costUsd: roundUsd((context.pricing.perImage ?? 0) * images.length),
  };
}

/**
 * Transcribes or translates audio. Whisper answers in `verbose_json` (language
 * and duration come back); the gpt-4o transcribe models only speak `json`,
 * and report token usage instead.
 */
export async function transcribeAudio(
  request: TranscriptionRequest,
  task: 'transcribe' | 'translate',
  context: MediaContext,
): Promise<Omit<TranscriptionResponse, 'latencyMs'>> {
  const file = await toFile(request.audio, request.filename ?? 'audio.mp3', {
    ...(request.mediaType === undefined ? {} : { type: request.mediaType }),
  });
  const verbose = context.modelId.includes('whisper');
  const common = {
    file,
    model: context.modelId,
    ...(request.prompt === undefined ? {} : { prompt: request.prompt }),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
  };
  const body: unknown =
    task === 'transcribe'
      ? await context.client.audio.transcriptions.create(
          {
            ...common,
            response_format: verbose ? 'verbose_json' : 'json',
            ...(request.language === undefined ? {} : { language: request.language }),
          },
          context.requestOptions,
        )
      : await context.client.audio.translations.create(
          { ...common, response_format: verbose ? 'verbose_json' : 'json' },
          context.requestOptions,
        );
  if (!isObject(body) || typeof body.text !== 'string')
    throw invalid(context, 'transcription response has no text');
  const usage = isObject(body.usage) ? body.usage : {};
  const duration =
    typeof body.duration === 'number'
      ? body.duration
      : typeof usage.seconds === 'number'
        ? usage.seconds
        : undefined;
  let costUsd = 0;
  if (usage.type === 'tokens' && typeof usage.input_tokens === 'number') {
    costUsd = calculateCost(context.pricing, {
      inputTokens: usage.input_tokens,
      outputTokens: typeof usage.output_tokens === 'number' ? usage.output_tokens : 0,
    });
  } else if (duration !== undefined) {
    costUsd = roundUsd(((context.pricing.perAudioMinute ?? 0) * duration) / 60);
  }
  const language =
    typeof body.language === 'string'
      ? body.language
      : task === 'translate'
        ? 'english'
        : request.language;
  return {
    model: context.modelId,
    provider: context.provider,
    text: body.text,
    ...(language === undefined ? {} : { language }),
    ...(duration === undefined ? {} : { durationSeconds: duration }),
    costUsd,
  };
}
