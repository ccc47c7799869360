type Vector = number[];

const isVector = (v: unknown): v is Vector =>
  Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number');
const isMatrix = (v: unknown): v is Vector[] =>
  Array.isArray(v) && v.length > 0 && v.every(isVector);

/** Mean pooling of token embeddings into one sentence vector. */
function meanPool(tokens: readonly Vector[]): Vector {
  const width = tokens[0]!.length;
  const out = new Array<number>(width).fill(0);
  for (const t of tokens) for (let i = 0; i < width; i++) out[i]! += t[i] ?? 0;
  return out.map((x) => x / tokens.length);
}

/** One vector per input from one input's feature-extraction output: pooled, or token embeddings to pool. */
function single(output: unknown): Vector | undefined {
  if (isVector(output)) return output;
  if (isMatrix(output)) return output.length === 1 ? output[0] : meanPool(output);
  return undefined;
}

/**
 * Normalizes what feature extraction returns (`number[]` for one text,
 * `number[][]` for several, one level deeper for models that return token
 * embeddings unpooled) to one vector per input, in order. Undefined when the
 * shape does not fit the inputs.
 */
export function toVectors(
  output: unknown,
  inputCount: number,
  batched: boolean,
): Vector[] | undefined {
  if (!batched) {
    const v = single(output);
    return v ? [v] : undefined;
  }
  if (inputCount === 1 && isVector(output)) return [output];
  if (!Array.isArray(output) || output.length !== inputCount) return undefined;
  const vectors: Vector[] = [];
  for (const item of output) {
    const v = single(item);
    if (!v) return undefined;
    vectors.push(v);
  }
  return vectors;
}
