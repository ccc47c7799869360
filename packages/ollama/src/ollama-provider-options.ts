import { InvalidRequestError, type Warning } from '@orchestrator/core';

/** `providerOptions.ollama`, validated. */
export interface OllamaProviderOptions {
  /** How long the model stays loaded after the call: seconds, or a Go duration such as `"10m"`; negative keeps it loaded. */
  readonly keep_alive?: string | number;
  /** Thinking models: turn thinking on or off, or pick its effort (gpt-oss). */
  readonly think?: boolean | 'low' | 'medium' | 'high';
  /** Extra runtime options (`num_ctx`, `repeat_penalty`, `min_p`, `mirostat`…), passed through. */
  readonly options?: Readonly<Record<string, number | boolean | readonly string[]>>;
  /** Embeddings: truncate inputs that exceed the context (Ollama's default) or fail. */
  readonly truncate?: boolean;
}

const KNOWN_KEYS = new Set(['keep_alive', 'think', 'options', 'truncate']);

/** Ollama's runtime options and the type each takes. */
const OPTION_TYPES: Readonly<Record<string, 'number' | 'boolean' | 'strings'>> = {
  numa: 'boolean',
  num_ctx: 'number',
  num_batch: 'number',
  num_gpu: 'number',
  main_gpu: 'number',
  low_vram: 'boolean',
  f16_kv: 'boolean',
  logits_all: 'boolean',
  vocab_only: 'boolean',
  use_mmap: 'boolean',
  use_mlock: 'boolean',
  embedding_only: 'boolean',
  num_thread: 'number',
  num_keep: 'number',
  seed: 'number',
  num_predict: 'number',
  top_k: 'number',
  top_p: 'number',
  min_p: 'number',
  tfs_z: 'number',
  typical_p: 'number',
  repeat_last_n: 'number',
  temperature: 'number',
  repeat_penalty: 'number',
  presence_penalty: 'number',
  frequency_penalty: 'number',
  mirostat: 'number',
  mirostat_tau: 'number',
  mirostat_eta: 'number',
  penalize_newline: 'boolean',
  stop: 'strings',
};

/** A Go duration (`300ms`, `1.5h`, `2h45m`, `-1m`) or `0`, as Ollama parses `keep_alive`. */
const GO_DURATION = /^-?(?:(?:\d+(?:\.\d+)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$|^-?0$/;

function invalid(param: string, message: string): InvalidRequestError {
  return new InvalidRequestError(`ollama: providerOptions.ollama.${param} ${message}`, {
    provider: 'ollama',
    providerCode: 'invalid_provider_option',
  });
}

/**
 * Validates `providerOptions.ollama`. Wrong types throw an
 * `InvalidRequestError` naming the option; unknown keys become warnings and
 * are dropped, so a request meant for another provider still runs here.
 */
export function parseOllamaProviderOptions(
  raw: unknown,
  warnings: Warning[],
): OllamaProviderOptions {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidRequestError('ollama: providerOptions.ollama must be an object', {
      provider: 'ollama',
    });
  }
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!KNOWN_KEYS.has(key)) {
      warnings.push({
        type: 'unsupported-setting',
        setting: `providerOptions.ollama.${key}`,
        details: 'Not an Ollama option; ignored.',
      });
    }
  }
  const out: { -readonly [K in keyof OllamaProviderOptions]: OllamaProviderOptions[K] } = {};
  const keepAlive = input.keep_alive;
  if (keepAlive !== undefined) {
    if (typeof keepAlive === 'number' && Number.isFinite(keepAlive)) out.keep_alive = keepAlive;
    else if (typeof keepAlive === 'string' && GO_DURATION.test(keepAlive.trim()))
      out.keep_alive = keepAlive.trim();
    else
      throw invalid(
        'keep_alive',
        'must be a number of seconds or a duration such as "5m" or "1h30m"',
      );
  }
  const think = input.think;
  if (think !== undefined) {
    if (typeof think !== 'boolean' && think !== 'low' && think !== 'medium' && think !== 'high') {
      throw invalid('think', 'must be true, false, "low", "medium" or "high"');
    }
    out.think = think;
  }
  if (input.truncate !== undefined) {
    if (typeof input.truncate !== 'boolean') throw invalid('truncate', 'must be a boolean');
    out.truncate = input.truncate;
  }
  if (input.options !== undefined) out.options = parseRuntimeOptions(input.options, warnings);
  return out;
}

function parseRuntimeOptions(
  raw: unknown,
  warnings: Warning[],
): Record<string, number | boolean | string[]> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalid('options', 'must be an object');
  const out: Record<string, number | boolean | string[]> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const type = Object.hasOwn(OPTION_TYPES, key) ? OPTION_TYPES[key] : undefined;
    if (type === undefined) {
      warnings.push({
        type: 'unsupported-setting',
        setting: `providerOptions.ollama.options.${key}`,
        details: 'Not an Ollama runtime option; ignored.',
      });
      continue;
    }
    if (type === 'number' && (typeof value !== 'number' || !Number.isFinite(value)))
      throw invalid(`options.${key}`, 'must be a finite number');
    if (type === 'boolean' && typeof value !== 'boolean')
      throw invalid(`options.${key}`, 'must be a boolean');
    if (
      type === 'strings' &&
      !(Array.isArray(value) && value.every((s) => typeof s === 'string'))
    ) {
      throw invalid(`options.${key}`, 'must be an array of strings');
    }
    out[key] = type === 'strings' ? [...(value as string[])] : (value as number | boolean);
  }
  return out;
}
