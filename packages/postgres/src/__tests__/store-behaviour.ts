import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayStore, StoredApiKey, UsageRecord } from '../gateway-store.js';
import { StoreInputError } from '../validate-records.js';
import { describeBatchBehaviour } from './batch-behaviour.js';

/** One implementation under test, opened once per file (PGlite takes seconds to start). */
export interface StoreHarness {
  readonly store: GatewayStore;
  /** Makes the batch's running claims look `ms` older (a crashed worker's, as time passes). */
  ageClaims(batchId: string, ms: number): Promise<void>;
  /** Feedback rows stored for a request id. */
  feedbackCount(requestId: string): Promise<number>;
  close(): Promise<void>;
}

const uid = (): string => randomUUID().slice(0, 8);
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function usageRecord(overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    requestId: `req-${uid()}`,
    attempt: 1,
    user: 'alice',
    model: 'gpt-x',
    provider: 'openai',
    outcome: 'success',
    inputTokens: 12,
    outputTokens: 34,
    costUsd: 0.0000015,
    latencyMs: 123.5,
    cached: false,
    partial: false,
    possiblyBilled: false,
    errorCode: null,
    createdAt: new Date('2026-01-02T03:04:05.678Z'),
    ...overrides,
  };
}

function keyInput(
  user: string,
  secret = `sk-${uid()}${uid()}`,
): Omit<StoredApiKey, 'createdAt' | 'revokedAt' | 'lastUsedAt'> {
  return {
    id: `key-${uid()}`,
    prefix: secret.slice(0, 7),
    hash: sha256(secret),
    user,
    name: 'ci',
    allowedModels: ['gpt-x', 'claude-y'],
    budgetUsd: 12.3456789,
    budgetPeriod: 'monthly',
    rpm: 60,
    tpm: 100_000,
    admin: false,
  };
}

/** The behaviour every GatewayStore must show: memory, PGlite and PostgreSQL alike. */
export function describeStoreBehaviour(
  name: string,
  open: () => Promise<StoreHarness>,
  /** Time allowed to open the store (PGlite's first start runs initdb: seconds on a busy machine). */
  openTimeoutMs?: number,
): void {
  describe(`GatewayStore behaviour: ${name}`, () => {
    let h: StoreHarness;
    let store: GatewayStore;
    beforeAll(async () => {
      h = await open();
      store = h.store;
      await store.migrate(); // a second run is a no-op
    }, openTimeoutMs);
    afterAll(async () => {
      await h?.close();
    });

    it('models: upsert inserts then replaces by name, keeping createdAt; JSON settings round-trip', async () => {
      const name = `m-${uid()}`;
      const settings = { baseURL: 'http://x', pricing: { input: 0.5 }, caps: ['chat', 'vision'] };
      const first = await store.models.upsert({
        name,
        provider: 'openai',
        modelId: 'gpt-4o',
        settings,
        enabled: true,
      });
      expect(first.settings).toEqual(settings);
      const second = await store.models.upsert({
        name,
        provider: 'azure',
        modelId: 'gpt-4o-mini',
        settings: {},
        enabled: false,
      });
      expect(second).toMatchObject({ provider: 'azure', modelId: 'gpt-4o-mini', enabled: false });
      expect(second.createdAt.getTime()).toBe(first.createdAt.getTime());
      expect(await store.models.get(name)).toMatchObject({ provider: 'azure', settings: {} });
      expect((await store.models.list()).map((m) => m.name)).toContain(name);
      expect(await store.models.delete(name)).toBe(true);
      expect(await store.models.delete(name)).toBe(false);
      expect(await store.models.get(name)).toBeUndefined();
    });

    it('models: bad input is rejected with an error naming the field', async () => {
      await expect(
        store.models.upsert({ name: '', provider: 'x', modelId: 'y', settings: {}, enabled: true }),
      ).rejects.toThrow(/model\.name/);
    });

    it('models: a credential in settings is refused, naming where it is but not what it is', async () => {
      const attempt = store.models.upsert({
        name: `m-${uid()}`,
        provider: 'openai',
        modelId: 'gpt',
        settings: { baseURL: 'http://x', headers: { Authorization: 'Bearer sk-top-secret-123' } },
        enabled: true,
      });
      await expect(attempt).rejects.toThrow(
        /model\.settings\.headers\.Authorization looks like a secret/,
      );
      await attempt.catch((error: Error) => expect(error.message).not.toContain('sk-top-secret'));
      // Empty or null credentials are harmless and pass.
      await expect(
        store.models.upsert({
          name: `m-${uid()}`,
          provider: 'ollama',
          modelId: 'x',
          settings: { apiKey: null },
          enabled: true,
        }),
      ).resolves.toBeDefined();
    });

    it('keys: stored by hash, found by hash, listed by user, revoked once, touched', async () => {
      const user = `u-${uid()}`;
      const input = keyInput(user);
      const created = await store.keys.create(input);
      expect(created).toMatchObject({ ...input, revokedAt: null, lastUsedAt: null });
      expect(created.budgetUsd).toBe(12.3456789);
      const found = await store.keys.findByHash(input.hash);
      expect(found?.id).toBe(input.id);
      expect(found?.allowedModels).toEqual(['gpt-x', 'claude-y']);
      expect(await store.keys.findByHash(sha256('nope'))).toBeUndefined();
      const other = await store.keys.create({
        ...keyInput(user),
        allowedModels: null,
        budgetUsd: null,
      });
      expect(other.allowedModels).toBeNull();
      expect((await store.keys.list(user)).map((k) => k.id)).toEqual([input.id, other.id]);
      expect((await store.keys.list()).length).toBeGreaterThanOrEqual(2);
      const at = new Date('2026-03-04T05:06:07.000Z');
      await store.keys.touch(input.id, at);
      expect((await store.keys.findByHash(input.hash))?.lastUsedAt?.getTime()).toBe(at.getTime());
      expect(await store.keys.revoke(input.id)).toBe(true);
      expect(await store.keys.revoke(input.id)).toBe(false);
      expect(await store.keys.revoke('missing')).toBe(false);
      // A revoked key is still found, with revokedAt set: the caller must refuse it.
      expect((await store.keys.findByHash(input.hash))?.revokedAt).toBeInstanceOf(Date);
    });

    it('keys: a duplicate hash is refused without echoing the hash; a raw key is never accepted', async () => {
      const input = keyInput(`u-${uid()}`);
      await store.keys.create(input);
      const clash = store.keys.create({ ...input, id: `key-${uid()}` });
      await expect(clash).rejects.toBeInstanceOf(StoreInputError);
      await expect(clash).rejects.toThrow(/hash already exists/);
      await clash.catch((error: Error) => expect(error.message).not.toContain(input.hash));
      const raw = 'sk-live-this-is-a-raw-key';
      const wrong = store.keys.create({ ...keyInput('u'), hash: raw });
      await expect(wrong).rejects.toThrow(/SHA-256/);
      await wrong.catch((error: Error) => expect(error.message).not.toContain(raw));
    });

    it('usage: one row per (requestId, attempt) however often it is recorded; exact money', async () => {
      const user = `u-${uid()}`;
      const a1 = usageRecord({
        user,
        attempt: 1,
        outcome: 'rate_limited',
        errorCode: 'rate_limit',
      });
      const a2 = usageRecord({ user, requestId: a1.requestId, attempt: 2, possiblyBilled: true });
      store.usage.record(a1);
      store.usage.record(a2);
      store.usage.record({ ...a1, outcome: 'replayed' });
      await store.usage.flush();
      const rows = await store.usage.query({ user });
      expect(rows).toHaveLength(2);
      const byAttempt = rows.sort((x, y) => x.attempt - y.attempt);
      expect(byAttempt[0]).toEqual(a1);
      expect(byAttempt[1]).toEqual(a2);
      expect(store.usage.outboxStats().pending).toBe(0);
      expect(store.usage.outboxStats().dropped).toBe(0);
    });

    it('usage: query filters by user and time, newest first, with a limit', async () => {
      const user = `u-${uid()}`;
      for (let i = 0; i < 5; i++) {
        store.usage.record(
          usageRecord({ user, createdAt: new Date(Date.UTC(2026, 0, 1 + i)), costUsd: 0.25 * i }),
        );
      }
      store.usage.record(usageRecord({ user: `other-${uid()}` }));
      await store.usage.flush();
      const since = await store.usage.query({ user, since: new Date(Date.UTC(2026, 0, 3)) });
      expect(since.map((r) => r.createdAt.getUTCDate())).toEqual([5, 4, 3]);
      expect(
        (await store.usage.query({ user, limit: 2 })).map((r) => r.createdAt.getUTCDate()),
      ).toEqual([5, 4]);
      expect((await store.usage.query({ user })).map((r) => r.costUsd)).toEqual([
        1, 0.75, 0.5, 0.25, 0,
      ]);
    });

    it('usage: garbage is refused and counted, never thrown, and never blocks good records', async () => {
      const before = store.usage.outboxStats().dropped;
      expect(() => store.usage.record(null as unknown as UsageRecord)).not.toThrow();
      expect(() =>
        store.usage.record({ ...usageRecord(), attempt: -1 } as unknown as UsageRecord),
      ).not.toThrow();
      const user = `u-${uid()}`;
      const good = usageRecord({ user });
      // NUL is valid in a JS string but PostgreSQL text and jsonb refuse it: a "poison" record.
      const poison = usageRecord({ user, model: 'bad\u0000model' });
      const good2 = usageRecord({ user });
      store.usage.record(good);
      store.usage.record(poison);
      store.usage.record(good2);
      await store.usage.flush();
      const ids = (await store.usage.query({ user })).map((r) => r.requestId);
      expect(ids).toContain(good.requestId);
      expect(ids).toContain(good2.requestId);
      const stats = store.usage.outboxStats();
      expect(stats.pending).toBe(0);
      expect(stats.dropped - before).toBe(store.kind === 'memory' ? 2 : 3);
    });

    describeBatchBehaviour(() => ({ store, h }));

    it('feedback and preferences', async () => {
      const requestId = `req-${uid()}`;
      await store.feedback.record({
        requestId,
        user: 'alice',
        model: 'gpt-x',
        score: 0.8,
        comment: null,
      });
      await store.feedback.record({
        requestId,
        user: 'alice',
        model: 'gpt-x',
        score: 1,
        comment: 'great',
      });
      expect(await h.feedbackCount(requestId)).toBe(2);
      const user = `u-${uid()}`;
      expect(await store.preferences.get(user)).toBeUndefined();
      const set = await store.preferences.set(user, {
        strategy: 'balanced',
        weights: { cost: 0.2, quality: 0.8 },
      });
      expect(set).toMatchObject({
        user,
        strategy: 'balanced',
        weights: { cost: 0.2, quality: 0.8 },
      });
      await store.preferences.set(user, { strategy: null, weights: null });
      expect(await store.preferences.get(user)).toMatchObject({
        user,
        strategy: null,
        weights: null,
      });
    });
  });
}
