import { hashString, seededRandom } from '../seeded-random.js';
import { countTokens } from '../simulated-text.js';
import { asJson } from './openai-chat-answer.js';
import type { OpenAIErrorSpec } from './openai-error-body.js';

const DEFAULT_DIMENSIONS: Readonly<Record<string, number>> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

function baseId(model: string): string {
  return model.slice(model.lastIndexOf('/') + 1);
}

/**
 * A deterministic unit vector for a text: the same text and model always give
 * the same embedding, so similarity tests are reproducible. Components are
 * float32 values, so the float and base64 encodings carry identical numbers.
 */
export function embedText(text: string, model: string, dimensions: number): number[] {
  const random = seededRandom(hashString(`${model}\u0000${text}`));
  const raw = Array.from({ length: dimensions }, () => random() * 2 - 1);
  const norm = Math.sqrt(raw.reduce((s, v) => s + v * v, 0)) || 1;
  return raw.map((v) => Math.fround(v / norm));
}

/** Float32 little-endian bytes as base64, what `encoding_format: "base64"` returns. */
export function toBase64Float32(vector: readonly number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

/** The `/embeddings` response, or the 400 the API gives for a bad request. */
export function buildEmbeddingResponse(
  body: unknown,
  model: string,
):
  | { readonly status: 200; readonly body: unknown }
  | { readonly status: 400; readonly error: OpenAIErrorSpec } {
  const b = asJson(body);
  const input = b.input;
  const texts: string[] | undefined =
    typeof input === 'string'
      ? [input]
      : Array.isArray(input) && input.length > 0
        ? input.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)))
        : undefined;
  if (!texts || texts.some((t) => t === '')) {
    return {
      status: 400,
      error: {
        status: 400,
        param: 'input',
        message: "'$.input' is invalid. Please check the API reference.",
      },
    };
  }
  const dimensions = b.dimensions;
  if (dimensions !== undefined) {
    if (baseId(model) === 'text-embedding-ada-002') {
      return {
        status: 400,
        error: {
          status: 400,
          param: 'dimensions',
          message: 'This model does not support specifying dimensions.',
        },
      };
    }
    if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1) {
      return {
        status: 400,
        error: {
          status: 400,
          param: 'dimensions',
          message: `Invalid 'dimensions': must be a positive integer.`,
        },
      };
    }
  }
  const size =
    typeof dimensions === 'number' ? dimensions : (DEFAULT_DIMENSIONS[baseId(model)] ?? 768);
  const base64 = b.encoding_format === 'base64';
  const tokens = texts.reduce((n, t) => n + countTokens(t), 0);
  return {
    status: 200,
    body: {
      object: 'list',
      data: texts.map((text, index) => {
        const vector = embedText(text, model, size);
        return { object: 'embedding', index, embedding: base64 ? toBase64Float32(vector) : vector };
      }),
      model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    },
  };
}
