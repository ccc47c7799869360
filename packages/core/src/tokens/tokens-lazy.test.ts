import { describe, expect, it } from 'vitest';
import { countTokens, countTokensAsync, countTokensDetailed } from './count-tokens.js';
import { isTokenizerLoaded, preloadTokenizers } from './tokenizer-registry.js';

// One file, in order: vitest gives each test file a fresh module graph, so
// the encodings start unloaded here whatever other files do.
describe('lazy tokenizer loading', () => {
  it('loads nothing on import and estimates until asked to load', () => {
    expect(isTokenizerLoaded('o200k_base')).toBe(false);
    expect(isTokenizerLoaded('cl100k_base')).toBe(false);
    const count = countTokensDetailed('tiktoken is great!', 'gpt-4o');
    expect(count.exact).toBe(false);
    expect(count.tokens).toBeGreaterThanOrEqual(6);
    expect(isTokenizerLoaded('o200k_base')).toBe(false);
  });

  it('countTokensAsync loads just the encoding it needs', async () => {
    expect(await countTokensAsync('tiktoken is great!', 'gpt-4-0613')).toEqual({
      tokens: 6,
      exact: true,
      encoding: 'cl100k_base',
    });
    expect(isTokenizerLoaded('cl100k_base')).toBe(true);
    expect(isTokenizerLoaded('o200k_base')).toBe(false);
  });

  it('is exact after preloadTokenizers, and shares one load between callers', async () => {
    await Promise.all([preloadTokenizers(), preloadTokenizers(['o200k_base'])]);
    expect(countTokensDetailed('Hello, world!', 'gpt-4o')).toEqual({
      tokens: 4,
      exact: true,
      encoding: 'o200k_base',
    });
    expect(countTokens('Hello, world!', 'claude-sonnet-4')).toBeGreaterThanOrEqual(4);
    expect(countTokensDetailed('Hello, world!', 'claude-sonnet-4').exact).toBe(false);
  });
});
