/**
 * Real BPE encodings from `gpt-tokenizer`, loaded on demand. Each encoding
 * is megabytes of rank tables that take ~150 ms to parse, so importing
 * `@orchestrator/core` must not load them: they load when
 * `preloadTokenizers()` (or `countTokensAsync`) asks, and until then the
 * synchronous `countTokens` answers with the estimate.
 */
export type EncodingName = 'o200k_base' | 'cl100k_base';

/** The part of a gpt-tokenizer encoding module we use. */
interface EncodingModule {
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
}

const loaded = new Map<EncodingName, EncodingModule>();
const loading = new Map<EncodingName, Promise<EncodingModule>>();

/** The BPE encoding an OpenAI model id uses, or undefined when none of ours fits. */
export function encodingForModel(modelId: string): EncodingName | undefined {
  // Asked for every counted text: remember the answer per id (ids are few).
  const known = ENCODING_OF.get(modelId);
  if (known !== undefined) return known === NONE ? undefined : known;
  const name = matchEncoding(modelId);
  if (ENCODING_OF.size >= 1_024) ENCODING_OF.clear();
  ENCODING_OF.set(modelId, name ?? NONE);
  return name;
}

const NONE = '';
const ENCODING_OF = new Map<string, EncodingName | typeof NONE>();

function matchEncoding(modelId: string): EncodingName | undefined {
  // Provider prefixes ("openai/gpt-4o", "azure/gpt-4.1") and case do not change the model.
  const id = modelId.toLowerCase().slice(modelId.lastIndexOf('/') + 1);
  if (
    /^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|o1|o3|o4|codex-mini|omni-moderation)(\b|-|$)/.test(
      id,
    )
  ) {
    return 'o200k_base';
  }
  if (/^(gpt-4|gpt-3\.5|gpt-35|text-embedding-3|text-embedding-ada-002)(\b|-|$)/.test(id)) {
    return 'cl100k_base';
  }
  return undefined;
}

/** The loaded encoding, or undefined while it is not loaded. */
export function loadedEncoding(name: EncodingName): EncodingModule | undefined {
  return loaded.get(name);
}

export function isTokenizerLoaded(name: EncodingName): boolean {
  return loaded.has(name);
}

/** Loads one encoding (once; concurrent callers share the same load). */
export function loadEncoding(name: EncodingName): Promise<EncodingModule> {
  const ready = loaded.get(name);
  if (ready) return Promise.resolve(ready);
  let pending = loading.get(name);
  if (pending === undefined) {
    pending = importEncoding(name).then(
      (module) => {
        loaded.set(name, module);
        loading.delete(name);
        return module;
      },
      (error: unknown) => {
        loading.delete(name);
        throw error;
      },
    );
    loading.set(name, pending);
  }
  return pending;
}

/** Loads the given encodings (default both) so `countTokens` becomes exact for OpenAI models. */
export async function preloadTokenizers(
  names: readonly EncodingName[] = ['o200k_base', 'cl100k_base'],
): Promise<void> {
  await Promise.all(names.map(loadEncoding));
}

function importEncoding(name: EncodingName): Promise<EncodingModule> {
  // Literal specifiers so bundlers can see (and split) both modules.
  return name === 'o200k_base'
    ? import('gpt-tokenizer/encoding/o200k_base')
    : import('gpt-tokenizer/encoding/cl100k_base');
}
