import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createMemoryStore } from '@orchestrator/postgres';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse } from '../cli/read-sse.js';
import { banner, curlSnippet, openaiSnippet } from './banner.js';
import type { DashboardSnapshot } from './dashboard-snapshot.js';
import { type DemoGateway, startDemoGateway } from './start-demo-gateway.js';

const APP = fileURLToPath(new URL('../..', import.meta.url));
// Asynchronous on purpose: the gateway under test runs in this process and must keep answering.
const run = promisify(execFile);

describe('demo gateway', () => {
  let gateway: DemoGateway;
  let key: string;
  const auth = () => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    gateway = await startDemoGateway({
      port: 0,
      store: createMemoryStore(),
      timeScale: 0,
      reliable: true,
      log: () => {},
      env: {},
    });
    key = gateway.adminKey!;
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('generates an admin key of 192 random bits, shown in the banner only', () => {
    expect(key).toMatch(/^orch_admin_[A-Za-z0-9_-]{32}$/);
    const text = banner(gateway);
    expect(text).toContain(`${gateway.url}/dashboard#key=${key}`);
    expect(text).toContain(`${gateway.url}/v1`);
    expect(text).toContain('Simulated');
  });

  it('answers the printed openai SDK snippet, run as a module with the real SDK', async () => {
    const dir = `${APP}test-results`;
    await mkdir(dir, { recursive: true });
    await writeFile(`${dir}/openai-snippet.mjs`, openaiSnippet(gateway.url, key));
    const { stdout, stderr } = await run(process.execPath, [`${dir}/openai-snippet.mjs`], {
      timeout: 30_000,
    });
    expect(stderr).toBe('');
    expect(stdout).toContain('[simulated]');
  });

  it('answers the printed curl', async () => {
    const { stdout } = await run('sh', ['-c', `${curlSnippet(gateway.url, key)} --silent`], {
      timeout: 30_000,
    });
    const body = JSON.parse(stdout) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toContain('[simulated]');
  });

  it('serves the OpenAI-compatible API to the official SDK with model "auto"', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key });
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain('claude-sonnet-4');
    const answer = await client.chat.completions.create({
      model: 'auto',
      messages: [{ role: 'user', content: 'What is the capital of Australia?' }],
    });
    expect(answer.choices[0]?.message.content).toContain('[simulated]');
  });

  it('guards the demo API with the admin key', async () => {
    expect((await fetch(`${gateway.url}/demo/api/snapshot`)).status).toBe(401);
    const wrong = await fetch(`${gateway.url}/demo/api/snapshot`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
    const ok = await fetch(`${gateway.url}/demo/api/snapshot`, { headers: auth() });
    expect(ok.status).toBe(200);
    const snapshot = (await ok.json()) as DashboardSnapshot;
    expect(snapshot.simulated).toBe(true);
    expect(snapshot.models).toHaveLength(gateway.fleet.models.length);
    expect(snapshot.models.every((m) => m.simulated)).toBe(true);
    expect(JSON.stringify(snapshot)).not.toContain(key);
  });

  it('injects and clears faults, validating provider and fault', async () => {
    const post = (provider: string, fault: unknown) =>
      fetch(`${gateway.url}/demo/api/faults/${provider}`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ fault }),
      });
    expect((await post('nowhere', 'outage')).status).toBe(404);
    expect((await post('openai', 'meltdown')).status).toBe(400);
    expect((await post('openai', 'outage')).status).toBe(200);
    expect(gateway.fleet.providers().find((p) => p.provider === 'openai')?.fault).toBe('outage');
    // With OpenAI down, a pinned request fails over to another model: the answer still comes.
    const res = await fetch(`${gateway.url}/api/v1/orchestrator/chat/execute`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({
        messages: [{ role: 'user', content: 'Explain a closure' }],
        strategy: 'quality_optimal',
        cache: false,
      }),
    });
    expect(res.status).toBe(200);
    const del = await fetch(`${gateway.url}/demo/api/faults/openai`, {
      method: 'DELETE',
      headers: auth(),
    });
    expect(del.status).toBe(200);
    expect(gateway.fleet.providers().find((p) => p.provider === 'openai')?.fault).toBeUndefined();
  });

  it('relays the engine events as a server-sent feed', async () => {
    const controller = new AbortController();
    const res = await fetch(`${gateway.url}/demo/api/feed`, {
      headers: auth(),
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const types: string[] = [];
    const reading = (async () => {
      for await (const event of readSse(res.body!)) {
        types.push((JSON.parse(event.data) as { type: string }).type);
        if (types.includes('complete')) break;
      }
    })();
    await fetch(`${gateway.url}/api/v1/orchestrator/chat/execute`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({
        messages: [{ role: 'user', content: 'Write a haiku about queues' }],
        cache: false,
      }),
    });
    await reading;
    controller.abort();
    expect(types).toContain('decision');
    expect(types).toContain('complete');
  });

  it('redirects / to the dashboard and keeps static paths inside the bundle', async () => {
    const root = await fetch(`${gateway.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/dashboard');
    const traversal = await fetch(`${gateway.url}/dashboard/..%2f..%2fpackage.json`);
    expect(traversal.status).toBe(404);
    // The gateway's own routes are untouched behind the demo's.
    expect((await fetch(`${gateway.url}/api/v1/orchestrator/health`)).status).toBe(200);
  });
});

describe('demo gateway without auth', () => {
  it('serves everyone as "local" and says so in the banner', async () => {
    const gateway = await startDemoGateway({
      port: 0,
      auth: false,
      store: createMemoryStore(),
      timeScale: 0,
      reliable: true,
      log: () => {},
      env: {},
      providers: ['openai'],
    });
    try {
      expect(gateway.adminKey).toBeUndefined();
      expect(banner(gateway)).toContain('AUTH IS OFF');
      const res = await fetch(`${gateway.url}/demo/api/snapshot`);
      expect(res.status).toBe(200);
      const snapshot = (await res.json()) as DashboardSnapshot;
      expect(snapshot.users.map((u) => u.user)).toEqual(['local']);
    } finally {
      await gateway.close();
    }
  });
});
