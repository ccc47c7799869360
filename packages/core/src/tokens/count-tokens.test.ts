import { countTokens as realCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as realO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_CORPUS } from './__fixtures__/token-corpus.js';
import {
  countTokens,
  countTokensDetailed,
  estimateFactorFor,
  estimateTokensFor,
  MAX_EXACT_COUNT_CHARS,
} from './count-tokens.js';
import { estimateTokens } from './estimate-tokens.js';
import { encodingForModel, preloadTokenizers } from './tokenizer-registry.js';

const plain = { disallowedSpecial: new Set<string>() };

beforeAll(async () => {
  await preloadTokenizers();
});

describe('encodingForModel', () => {
  it.each([
    ['gpt-4o', 'o200k_base'],
    ['gpt-4o-mini-2024-07-18', 'o200k_base'],
    ['chatgpt-4o-latest', 'o200k_base'],
    ['gpt-4.1-nano', 'o200k_base'],
    ['gpt-5', 'o200k_base'],
    ['gpt-5.1-codex', 'o200k_base'],
    ['o1-mini', 'o200k_base'],
    ['o3', 'o200k_base'],
    ['o4-mini', 'o200k_base'],
    ['openai/gpt-4o', 'o200k_base'],
    ['gpt-oss:20b', 'o200k_base'],
    ['gpt-4', 'cl100k_base'],
    ['gpt-4-turbo', 'cl100k_base'],
    ['gpt-4-0613', 'cl100k_base'],
    ['gpt-3.5-turbo', 'cl100k_base'],
    ['gpt-35-turbo', 'cl100k_base'],
    ['text-embedding-3-small', 'cl100k_base'],
    ['text-embedding-ada-002', 'cl100k_base'],
  ])('%s uses %s', (id, encoding) => {
    expect(encodingForModel(id)).toBe(encoding);
  });

  it.each([
    'claude-sonnet-4-20250514',
    'gemini-2.5-pro',
    'llama3.1:8b',
    'mistral-large',
    'o10x',
    'my-gpt-4o-clone',
  ])('%s has no real tokenizer here', (id) => {
    expect(encodingForModel(id)).toBeUndefined();
  });
});

describe('countTokens with a real encoding', () => {
  it('matches known counts', () => {
    // OpenAI's tiktoken cookbook: cl100k_base encodes this as [83, 1609, 5963, 374, 2294, 0].
    expect(countTokens('tiktoken is great!', 'gpt-4')).toBe(6);
    expect(countTokens('tiktoken is great!', 'gpt-4o')).toBe(6);
    expect(countTokens('hello world', 'gpt-3.5-turbo')).toBe(2);
    expect(countTokens('Hello, world!', 'gpt-4o')).toBe(4);
    expect(countTokens('', 'gpt-4o')).toBe(0);
  });

  it('equals the encoder on every corpus text, both encodings', () => {
    for (const text of TOKEN_CORPUS) {
      expect(countTokens(text, 'gpt-4o')).toBe(realO200k(text, plain));
      expect(countTokens(text, 'gpt-4')).toBe(realCl100k(text, plain));
    }
  });

  it('estimates (high) instead of encoding a text too long to count synchronously', () => {
    const huge = 'The quick brown fox jumps over the lazy dog. '.repeat(
      Math.ceil(MAX_EXACT_COUNT_CHARS / 45) + 1,
    );
    const count = countTokensDetailed(huge, 'gpt-4o');
    expect(count.exact).toBe(false);
    expect(count.tokens).toBeGreaterThanOrEqual(realO200k(huge, plain));
  });

  it('counts special-token text as plain text instead of throwing', () => {
    const count = countTokensDetailed('a <|endoftext|> b', 'gpt-4o');
    expect(count.exact).toBe(true);
    expect(count.tokens).toBeGreaterThan(3);
  });
});

describe('the estimate', () => {
  it('never falls below either real encoding on the corpus, and stays within 3x', () => {
    const ratios: number[] = [];
    for (const text of TOKEN_CORPUS) {
      const real = Math.max(realO200k(text, plain), realCl100k(text, plain));
      const estimate = estimateTokens(text);
      expect(estimate, text).toBeGreaterThanOrEqual(real);
      // The chars/4 floor is deliberate; degenerate runs ("....") only fall back to it.
      ratios.push(estimate / Math.max(real, Math.ceil((text.length / 4) * 1.1)));
    }
    ratios.sort((a, b) => a - b);
    expect(ratios[Math.floor(ratios.length / 2)]).toBeLessThan(1.8);
    expect(ratios.at(-1)).toBeLessThan(3);
  });

  it('applies a per-family factor, highest for tokenizers less efficient than OpenAI', () => {
    expect(estimateFactorFor('claude-3-5-haiku')).toBeGreaterThan(
      estimateFactorFor('gemini-2.0-flash'),
    );
    expect(estimateFactorFor('mistral-small')).toBeGreaterThan(1);
    expect(estimateFactorFor('something-unknown')).toBe(1.2);
    const text = TOKEN_CORPUS[1]!;
    expect(estimateTokensFor(text, 'claude-opus-4')).toBeGreaterThan(estimateTokens(text));
    expect(countTokensDetailed(text, 'claude-opus-4')).toEqual({
      tokens: estimateTokensFor(text, 'claude-opus-4'),
      exact: false,
    });
  });

  it('is zero for empty text', () => {
    expect(estimateTokens('')).toBe(0);
  });
});
