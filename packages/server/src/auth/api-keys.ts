import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { GatewayStore, StoredApiKey } from '@orchestrator/postgres';

/** Prefix of every key the gateway issues, so scanners and people can recognise one. */
export const API_KEY_PREFIX = 'orch_';

/** SHA-256 of a key, hex: what the store keeps. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Compares two keys in constant time, by their hashes (equal length whatever the inputs). */
export function sameKey(a: string, b: string): boolean {
  return timingSafeEqual(
    createHash('sha256').update(a).digest(),
    createHash('sha256').update(b).digest(),
  );
}

export interface CreateApiKeyOptions {
  readonly user: string;
  readonly name?: string | null;
  readonly allowedModels?: readonly string[] | null;
  readonly budgetUsd?: number | null;
  readonly budgetPeriod?: StoredApiKey['budgetPeriod'];
  readonly rpm?: number | null;
  readonly tpm?: number | null;
  readonly admin?: boolean;
}

/** A new key: `key` is shown once and never stored; `record` is what the store keeps. */
export interface CreatedApiKey {
  readonly key: string;
  readonly record: StoredApiKey;
}

/**
 * Creates an API key: 256 random bits (`orch_` + base64url of 32 bytes),
 * stored as its SHA-256 hash with a short recognisable prefix. The CLI and
 * the admin endpoint both use this.
 */
export async function createApiKey(
  store: GatewayStore,
  options: CreateApiKeyOptions,
): Promise<CreatedApiKey> {
  if (typeof options.user !== 'string' || options.user.trim() === '')
    throw new TypeError('createApiKey: a user is required');
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record = await store.keys.create({
    id: randomUUID(),
    prefix: key.slice(0, API_KEY_PREFIX.length + 6),
    hash: hashApiKey(key),
    user: options.user,
    name: options.name ?? null,
    allowedModels: options.allowedModels ?? null,
    budgetUsd: options.budgetUsd ?? null,
    budgetPeriod: options.budgetUsd == null ? null : (options.budgetPeriod ?? 'monthly'),
    rpm: options.rpm ?? null,
    tpm: options.tpm ?? null,
    admin: options.admin ?? false,
  });
  return { key, record };
}

/** A key as listed by the admin API: everything but the hash. */
export function publicKeyView(k: StoredApiKey): Record<string, unknown> {
  return {
    id: k.id,
    prefix: k.prefix,
    user: k.user,
    name: k.name,
    allowedModels: k.allowedModels,
    budgetUsd: k.budgetUsd,
    budgetPeriod: k.budgetPeriod,
    rpm: k.rpm,
    tpm: k.tpm,
    admin: k.admin,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  };
}
