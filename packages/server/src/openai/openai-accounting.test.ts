import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../__tests__/harness.js';

// A fresh gateway: these tests need closed circuit breakers.
let h: Harness;
let client: OpenAI;
beforeAll(async () => {
  h = await startHarness();
  client = new OpenAI({ apiKey: await h.key('alice'), baseURL: `${h.url}/v1`, maxRetries: 0 });
});
afterAll(() => h.close());

describe('accounting and limits through the openai SDK', () => {
  it('records one usage row per attempt under the gateway request id', async () => {
    h.openai.enqueue({ status: 500, errorMessage: 'boom' });
    const raw = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'retry me once' }] })
      .withResponse();
    const requestId = raw.response.headers.get('x-request-id');
    const rows = (await h.store.usage.query({ user: 'alice' })).filter(
      (r) => r.requestId === requestId,
    );
    expect(rows.map((r) => [r.attempt, r.outcome])).toEqual([
      [1, 'error'],
      [2, 'success'],
    ]);
  });

  it('picks the strategy from x-orchestrator-strategy and rejects an unknown one by name', async () => {
    const ok = await client.chat.completions.create(
      { model: 'auto', messages: [{ role: 'user', content: 'hello strategy' }] },
      { headers: { 'x-orchestrator-strategy': 'cost_optimal' } },
    );
    expect(ok.choices[0]?.message.content).toBeTruthy();
    const bad = await client.chat.completions
      .create(
        { model: 'auto', messages: [{ role: 'user', content: 'x' }] },
        { headers: { 'x-orchestrator-strategy': 'cheapest' } },
      )
      .catch((e: unknown) => e);
    expect((bad as InstanceType<typeof OpenAI.BadRequestError>).param).toBe(
      'x-orchestrator-strategy',
    );
  });

  it("answers 429 with Retry-After when the key's RPM is spent", async () => {
    const limited = new OpenAI({
      apiKey: await h.key('limited', { rpm: 1 }),
      baseURL: `${h.url}/v1`,
      maxRetries: 0,
    });
    await limited.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'first' }],
    });
    const second = await limited.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'second' }] })
      .catch((e: unknown) => e);
    expect(second).toBeInstanceOf(OpenAI.RateLimitError);
    const err = second as InstanceType<typeof OpenAI.RateLimitError>;
    expect(Number(err.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(err.code).toBe('rate_limit_exceeded');
  });
});
