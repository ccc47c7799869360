import { timingSafeEqual } from 'node:crypto';
import type { StoredApiKey } from '@orchestrator/postgres';
import type { FastifyRequest } from 'fastify';
import type { GatewayContext, Identity } from '../gateway-context.js';
import { ApiError } from '../http/api-error.js';
import { hashApiKey, sameKey } from './api-keys.js';
import type { FailureLimiter } from './failure-limiter.js';

/** Routes anyone may call. */
const PUBLIC = new Set(['/metrics', '/openapi.json', '/docs', '/api/v1/orchestrator/health']);

/** Routes only the admin key (or a key with `admin`) may call. */
export function isAdminRoute(method: string, url: string | undefined): boolean {
  if (url === undefined) return false;
  if (url.startsWith('/api/admin/')) return true;
  if (url === '/api/models' && method === 'POST') return true;
  if (url === '/api/models/:name' && method !== 'GET') return true;
  return false;
}

/** The presented key: `Authorization: Bearer`, `x-api-key` (Anthropic SDK) or `api-key` (Azure style). */
export function presentedKey(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  for (const name of ['x-api-key', 'api-key'] as const) {
    const v = request.headers[name];
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return undefined;
}

const CACHE_MS = 5_000;

/** Authenticates requests by key; identity comes from the key and nothing else. */
export class Authenticator {
  readonly #ctx: GatewayContext;
  readonly #adminKey: string | undefined;
  readonly #failures: FailureLimiter;
  readonly #cache = new Map<string, { key: StoredApiKey | undefined; at: number }>();
  readonly #touched = new Map<string, number>();

  constructor(ctx: GatewayContext, adminKey: string | undefined, failures: FailureLimiter) {
    this.#ctx = ctx;
    this.#adminKey = adminKey;
    this.#failures = failures;
  }

  /** Forgets cached lookups (after a key was revoked). */
  forget(): void {
    this.#cache.clear();
  }

  /** Feeds a key's budget and limits to the engine's per-user tables. */
  apply(key: StoredApiKey): void {
    if (key.budgetUsd !== null)
      this.#ctx.userBudgets[key.user] = {
        limitUsd: key.budgetUsd,
        period: key.budgetPeriod ?? 'monthly',
      };
    if (key.rpm !== null || key.tpm !== null)
      this.#ctx.userLimits[key.user] = {
        ...(key.rpm === null ? {} : { rpm: key.rpm }),
        ...(key.tpm === null ? {} : { tpm: key.tpm }),
      };
  }

  async authenticate(request: FastifyRequest): Promise<Identity | undefined> {
    const route = request.routeOptions.url;
    if (route !== undefined && PUBLIC.has(route)) return undefined;
    if (this.#ctx.config.auth.enabled === false)
      return { user: 'local', key: undefined, admin: true };
    const address = request.ip;
    const wait = this.#failures.blocked(address);
    if (wait !== undefined)
      throw new ApiError(
        429,
        'too_many_failed_authentications',
        'Too many failed authentications; try again later.',
        {
          retryAfterSeconds: wait,
        },
      );
    const presented = presentedKey(request);
    if (presented === undefined) {
      this.#failures.fail(address);
      throw new ApiError(
        401,
        'missing_api_key',
        'Send an API key: Authorization: Bearer <key> or x-api-key.',
      );
    }
    if (this.#adminKey !== undefined && sameKey(presented, this.#adminKey))
      return { user: 'admin', key: undefined, admin: true };
    const hash = hashApiKey(presented);
    const key = await this.#lookup(hash);
    // The store finds by hash; the final comparison is constant-time on the hashes.
    const matches =
      key !== undefined &&
      key.hash.length === hash.length &&
      timingSafeEqual(Buffer.from(key.hash, 'hex'), Buffer.from(hash, 'hex'));
    if (key === undefined || !matches || key.revokedAt !== null) {
      this.#failures.fail(address);
      throw new ApiError(401, 'invalid_api_key', 'The API key is not valid.');
    }
    if (isAdminRoute(request.method, route) && !key.admin)
      throw new ApiError(403, 'admin_required', 'This route needs an admin key.');
    this.apply(key);
    // last-used is informational: written at most once a minute per key, not once per request.
    const now = Date.now();
    if (now - (this.#touched.get(key.id) ?? 0) >= 60_000) {
      if (this.#touched.size > 10_000) this.#touched.clear();
      this.#touched.set(key.id, now);
      void this.#ctx.store.keys.touch(key.id, new Date(now)).catch(() => {});
    }
    return { user: key.user, key, admin: key.admin };
  }

  async #lookup(hash: string): Promise<StoredApiKey | undefined> {
    const now = Date.now();
    const hit = this.#cache.get(hash);
    if (hit && now - hit.at < CACHE_MS) return hit.key;
    const key = await this.#ctx.store.keys.findByHash(hash);
    if (this.#cache.size > 10_000) this.#cache.clear();
    // Only found keys are cached: a flood of wrong keys must not fill memory.
    if (key) this.#cache.set(hash, { key, at: now });
    return key;
  }
}
