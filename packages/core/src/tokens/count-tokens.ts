import { estimateTokens } from './estimate-tokens.js';
import {
  type EncodingName,
  encodingForModel,
  loadEncoding,
  loadedEncoding,
} from './tokenizer-registry.js';

/**
 * How much more (or less) text tokenizes to in a model family than our
 * estimate assumes, erring high where the family's tokenizer is less
 * efficient than OpenAI's: Anthropic's tokenizer produces noticeably more
 * tokens for the same text than cl100k; older Mistral/Mixtral (32k
 * SentencePiece vocabulary) and small-vocabulary models split more finely;
 * Gemini, Llama 3, Qwen and DeepSeek have 128k–256k vocabularies close to
 * o200k. Patterns are matched against the lower-cased id, first match wins.
 */
export const TOKEN_ESTIMATE_FACTORS: readonly {
  readonly pattern: RegExp;
  readonly factor: number;
}[] = [
  { pattern: /claude|anthropic/, factor: 1.25 },
  { pattern: /mistral|mixtral|codestral|ministral|pixtral/, factor: 1.2 },
  { pattern: /gemini|gemma/, factor: 1.05 },
  { pattern: /llama-?3|llama3|qwen|deepseek/, factor: 1.05 },
  { pattern: /llama|phi|falcon|vicuna|starcoder|codellama/, factor: 1.2 },
  { pattern: /gpt|^o\d|text-embedding/, factor: 1 },
];
/** Unknown families get the most cautious factor in common use. */
export const DEFAULT_TOKEN_ESTIMATE_FACTOR = 1.2;

export interface TokenCount {
  readonly tokens: number;
  /** True when a real tokenizer counted; false for an estimate. */
  readonly exact: boolean;
  /** The encoding used, when exact. */
  readonly encoding?: EncodingName;
}

/**
 * Longest text counted exactly. BPE encoding is synchronous and costs tens of
 * milliseconds per megabyte; beyond this size the (higher) estimate is used
 * so one huge prompt cannot stall the event loop. ~50k tokens.
 */
export const MAX_EXACT_COUNT_CHARS = 200_000;

/** Counts special-token text such as "<|endoftext|>" as plain text instead of throwing. */
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

export function estimateFactorFor(modelId: string): number {
  // Counting runs per text of every request against the same few model ids: remember
  // each id's factor rather than lower-casing it and trying the patterns every time.
  let factor = FACTORS.get(modelId);
  if (factor === undefined) {
    const id = modelId.toLowerCase();
    factor =
      TOKEN_ESTIMATE_FACTORS.find((f) => f.pattern.test(id))?.factor ??
      DEFAULT_TOKEN_ESTIMATE_FACTOR;
    if (FACTORS.size >= 1_024) FACTORS.clear();
    FACTORS.set(modelId, factor);
  }
  return factor;
}

const FACTORS = new Map<string, number>();

/** The estimate for a model family, without any tokenizer. */
export function estimateTokensFor(text: string, modelId: string): number {
  return Math.ceil(estimateTokens(text) * estimateFactorFor(modelId));
}

/**
 * Tokens of `text` for `modelId`: exact when the model uses an OpenAI
 * encoding that is loaded (see `preloadTokenizers`) and the text is at most
 * `MAX_EXACT_COUNT_CHARS` long, the family estimate otherwise. Synchronous
 * and never loads anything itself.
 */
export function countTokensDetailed(text: string, modelId: string): TokenCount {
  const name = encodingForModel(modelId);
  const encoding = name === undefined ? undefined : loadedEncoding(name);
  if (name !== undefined && encoding !== undefined && text.length <= MAX_EXACT_COUNT_CHARS) {
    return { tokens: encoding.countTokens(text, AS_PLAIN_TEXT), exact: true, encoding: name };
  }
  return { tokens: estimateTokensFor(text, modelId), exact: false };
}

export function countTokens(text: string, modelId: string): number {
  return countTokensDetailed(text, modelId).tokens;
}

/** Like `countTokens`, but loads the model's encoding first when it has one. */
export async function countTokensAsync(text: string, modelId: string): Promise<TokenCount> {
  const name = encodingForModel(modelId);
  if (name !== undefined) await loadEncoding(name);
  return countTokensDetailed(text, modelId);
}
