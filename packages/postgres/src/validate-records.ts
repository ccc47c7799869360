import type { BatchRecord, StoredApiKey, StoredModel } from './gateway-store.js';

/** The store's own bad-input error: names the field and never echoes a secret. */
export class StoreInputError extends TypeError {
  override readonly name = 'StoreInputError';
}

export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new StoreInputError(`${field} must be a non-empty string`);
  }
  return value;
}

export function requireNonNegativeInt(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new StoreInputError(`${field} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

export function checkModel(model: Omit<StoredModel, 'createdAt' | 'updatedAt'>): void {
  requireText(model.name, 'model.name');
  requireText(model.provider, 'model.provider');
  requireText(model.modelId, 'model.modelId');
  if (typeof model.settings !== 'object' || model.settings === null) {
    throw new StoreInputError('model.settings must be an object');
  }
  const secret = findSecretKey(model.settings, 'model.settings', 0);
  if (secret !== undefined) {
    // Name where it is, never what it holds.
    throw new StoreInputError(
      `${secret} looks like a secret; model settings are stored in plain text, keep keys in the environment`,
    );
  }
}

// Field names (lowercased, without - and _) that hold credentials.
const SECRET_NAMES = new Set([
  'apikey',
  'xapikey',
  'apisecret',
  'secret',
  'clientsecret',
  'password',
  'token',
  'accesstoken',
  'authtoken',
  'authorization',
]);

function findSecretKey(value: unknown, path: string, depth: number): string | undefined {
  if (depth > 32 || typeof value !== 'object' || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const here = `${path}.${key}`;
    if (
      SECRET_NAMES.has(key.toLowerCase().replace(/[-_]/g, '')) &&
      inner !== null &&
      inner !== ''
    ) {
      return here;
    }
    const found = findSecretKey(inner, here, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function checkKey(key: Omit<StoredApiKey, 'createdAt' | 'revokedAt' | 'lastUsedAt'>): void {
  requireText(key.id, 'key.id');
  requireText(key.user, 'key.user');
  // Only a SHA-256 hex digest is accepted, so a raw key can never be stored by mistake.
  if (typeof key.hash !== 'string' || !/^[0-9a-f]{64}$/.test(key.hash)) {
    throw new StoreInputError('key.hash must be a lowercase hex SHA-256 digest (64 characters)');
  }
  if (typeof key.prefix !== 'string' || key.prefix.length > 16) {
    throw new StoreInputError('key.prefix must be a string of at most 16 characters');
  }
}

export function checkBatch(
  batch: Omit<BatchRecord, 'createdAt' | 'updatedAt' | 'succeeded' | 'failed' | 'status'>,
  requests: readonly unknown[],
): void {
  requireText(batch.id, 'batch.id');
  if (!Array.isArray(requests)) throw new StoreInputError('batch requests must be an array');
  if (batch.total !== requests.length) {
    throw new StoreInputError(
      `batch.total (${String(batch.total)}) must equal the number of requests (${requests.length})`,
    );
  }
}

export function checkOutcome(outcome: { status: unknown }): void {
  if (outcome?.status !== 'succeeded' && outcome?.status !== 'failed') {
    throw new StoreInputError(`outcome.status must be 'succeeded' or 'failed'`);
  }
}

export function checkIndices(indices: readonly number[]): void {
  if (!Array.isArray(indices)) throw new StoreInputError('indices must be an array');
  for (const index of indices) requireNonNegativeInt(index, 'index');
}

export function checkClaim(limit: number, staleAfterMs: number): void {
  requireNonNegativeInt(limit, 'limit');
  if (typeof staleAfterMs !== 'number' || !(staleAfterMs >= 0)) {
    throw new StoreInputError(`staleAfterMs must be a non-negative number, got ${staleAfterMs}`);
  }
}

/**
 * A usage record the store can write: identified, with a non-negative
 * integer attempt. Anything else would poison every batch it joins, so the
 * outbox refuses it at the door (counted as rejected) instead.
 */
export function isWritableUsage(record: unknown): boolean {
  if (typeof record !== 'object' || record === null) return false;
  const r = record as Record<string, unknown>;
  return (
    typeof r.requestId === 'string' &&
    r.requestId.length > 0 &&
    typeof r.attempt === 'number' &&
    Number.isInteger(r.attempt) &&
    r.attempt >= 0 &&
    r.attempt <= 2_147_483_647 &&
    typeof r.model === 'string' &&
    typeof r.provider === 'string' &&
    typeof r.outcome === 'string'
  );
}

/** The default and largest number of usage rows one query returns. */
export const DEFAULT_USAGE_LIMIT = 1000;
export const MAX_USAGE_LIMIT = 100_000;

export function usageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_USAGE_LIMIT;
  requireNonNegativeInt(limit, 'limit');
  return Math.min(limit, MAX_USAGE_LIMIT);
}
