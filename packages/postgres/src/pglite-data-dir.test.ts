import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { usageRecord } from './__tests__/store-behaviour.js';
import { createStoreFromEnv } from './create-store.js';

describe('PGlite in a data directory (no DATABASE_URL)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('persists across a restart: models, and usage the outbox flushed on close; migrations run once', async () => {
    const root = await mkdtemp(join(tmpdir(), 'orch-pglite-'));
    dirs.push(root);
    // A nested directory that does not exist yet: created with its parents.
    const dataDir = join(root, 'nested', 'pglite');
    const first = await createStoreFromEnv({ env: {}, dataDir });
    expect(first.kind).toBe('pglite');
    await first.models.upsert({
      name: 'kept',
      provider: 'ollama',
      modelId: 'llama3',
      settings: { keepAlive: '5m' },
      enabled: true,
    });
    first.usage.record(usageRecord({ requestId: 'persisted', user: 'persistence-check' }));
    await first.close(); // close flushes the outbox
    expect(first.usage.outboxStats()).toMatchObject({ pending: 0, dropped: 0, written: 1 });
    // After close there is no writer: a late record is counted as dropped, never thrown.
    expect(() => first.usage.record(usageRecord({ requestId: 'too-late' }))).not.toThrow();
    expect(first.usage.outboxStats()).toMatchObject({ pending: 0, dropped: 1 });

    // Reopening an initialised directory is quick (no initdb).
    const second = await createStoreFromEnv({ env: {}, dataDir });
    try {
      expect(await second.models.get('kept')).toMatchObject({ settings: { keepAlive: '5m' } });
      const rows = await second.usage.query({ user: 'persistence-check' });
      expect(rows.map((r) => r.requestId)).toEqual(['persisted']);
      await second.migrate();
    } finally {
      await second.close();
    }
  }, 120_000);
});
