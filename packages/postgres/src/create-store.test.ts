import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestSchema, DATABASE_URL } from './__tests__/pg-test-schema.js';
import { createStore, createStoreFromEnv } from './create-store.js';

describe('createStore options', () => {
  it('refuses contradictory or malformed options without echoing a URL', async () => {
    await expect(createStore({ url: 'postgres://x', dataDir: '/tmp/x' })).rejects.toThrow(
      /either url .* or dataDir/,
    );
    const secretUrl = 'mysql://admin:hunter2@db/prod';
    const bad = createStore({ url: secretUrl });
    await expect(bad).rejects.toThrow(/postgres:\/\//);
    await bad.catch((error: Error) => expect(error.message).not.toContain('hunter2'));
    await expect(
      createStore({ url: 'postgres://127.0.0.1/test', schema: 'Bad;Drop' }),
    ).rejects.toThrow(/schema/);
    await expect(createStore({ schema: 'x' })).rejects.toThrow(/PostgreSQL \(url\) only/);
  });
});

describe('PGlite in a data directory', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('persists across restarts, and migrations are applied once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'orch-pglite-'));
    dirs.push(dir);
    // No DATABASE_URL in this env: PGlite in the given directory.
    const first = await createStoreFromEnv({ env: {}, dataDir: dir });
    expect(first.kind).toBe('pglite');
    await first.models.upsert({
      name: 'kept',
      provider: 'ollama',
      modelId: 'llama3',
      settings: {},
      enabled: true,
    });
    first.usage.record({
      requestId: 'persisted',
      attempt: 1,
      user: 'alice',
      model: 'kept',
      provider: 'ollama',
      outcome: 'success',
      inputTokens: 1,
      outputTokens: 1,
      costUsd: 0,
      latencyMs: 1,
      cached: false,
      partial: false,
      possiblyBilled: false,
      errorCode: null,
      createdAt: new Date(),
    });
    await first.close(); // close flushes the outbox

    const second = await createStoreFromEnv({ env: {}, dataDir: dir });
    try {
      expect((await second.models.get('kept'))?.modelId).toBe('llama3');
      expect((await second.usage.query({ user: 'alice' })).map((r) => r.requestId)).toEqual([
        'persisted',
      ]);
      await second.migrate();
    } finally {
      await second.close();
    }
  });
});

describe.skipIf(DATABASE_URL === undefined)('createStoreFromEnv with DATABASE_URL', () => {
  it('uses PostgreSQL and ignores dataDir', async () => {
    const t = await createTestSchema('env');
    try {
      const store = await createStoreFromEnv({
        env: { DATABASE_URL: t.url },
        dataDir: '/nonexistent/never-created',
        schema: t.schema,
      });
      expect(store.kind).toBe('postgres');
      await store.close();
      const { rows } = await t.pool.query('SELECT id FROM orchestrator_migrations');
      expect(rows).toEqual([{ id: 1 }]);
    } finally {
      await t.drop();
    }
  });
});
