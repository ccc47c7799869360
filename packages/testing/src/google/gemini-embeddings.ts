import { hashString, seededRandom } from '../seeded-random.js';

/** Vector size an embedding model returns when the request names none. */
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
