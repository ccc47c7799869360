import { createStore, type GatewayStore } from '@orchestrator/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, type Harness, startHarness } from '../__tests__/harness.js';
import { get, post } from '../__tests__/http.js';

// The gateway over the real SQL store (PGlite in memory: the same SQL and migrations as
// PostgreSQL, whose own behaviour packages/postgres tests against the real server).
describe('the gateway on the SQL store', () => {
  let h: Harness;
  let store: GatewayStore;
  beforeAll(async () => {
    store = await createStore({});
    h = await startHarness({}, { sqlStore: store });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await store?.close();
  });

  it('authenticates stored keys, records usage per attempt, runs a batch and manages models', async () => {
    const created = await post(h.url, '/api/admin/keys', ADMIN_KEY, { user: 'sql-user' });
    const { key } = created.json<{ key: string }>();
    const chat = await post(h.url, '/v1/chat/completions', key, {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hello sql' }],
    });
    expect(chat.status).toBe(200);
    await store.usage.flush();
    const rows = await store.usage.query({ user: 'sql-user' });
    expect(
      rows.some((r) => r.requestId === chat.headers['x-request-id'] && r.outcome === 'success'),
    ).toBe(true);

    const submit = await post(h.url, '/api/v1/orchestrator/batch/submit', key, {
      requests: [{ messages: [{ role: 'user', content: 'b1' }], model: 'gpt-4o-mini' }],
    });
    const { id } = submit.json<{ id: string }>();
    let status = '';
    for (const deadline = Date.now() + 15_000; Date.now() < deadline && status !== 'completed'; ) {
      status = (await get(h.url, `/api/v1/orchestrator/batch/${id}/status`, key)).json<{
        status: string;
      }>().status;
    }
    expect(status).toBe('completed');

    const model = await post(h.url, '/api/models', ADMIN_KEY, {
      name: 'sql-mini',
      provider: 'openai',
      modelId: 'gpt-4o-mini',
    });
    expect(model.status).toBe(201);
    expect((await store.models.get('sql-mini'))?.provider).toBe('openai');
  });
});
