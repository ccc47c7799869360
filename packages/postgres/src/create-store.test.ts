import { once } from 'node:events';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
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

describe('createStore against an unreachable PostgreSQL', () => {
  it("fails to open with the driver's reason and no credentials", async () => {
    // A port nothing listens on: bind one, then free it.
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as net.AddressInfo;
    server.close();
    await once(server, 'close');
    const attempt = createStore({
      url: `postgres://admin:hunter2@127.0.0.1:${port}/prod`,
      pool: { connectionTimeoutMillis: 1_000 },
    });
    await expect(attempt).rejects.toThrow(/ECONNREFUSED/);
    await attempt.catch((error: Error) => {
      expect(error.message).not.toContain('hunter2');
      expect(String(error.stack)).not.toContain('hunter2');
    });
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
