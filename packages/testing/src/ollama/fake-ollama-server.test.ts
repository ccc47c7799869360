import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeOllamaServer } from './fake-ollama-server.js';

let server: FakeOllamaServer;
beforeEach(async () => {
  server = new FakeOllamaServer({ models: ['llama3.2'] });
  await server.start();
});
afterEach(() => server.close());

const post = (path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const ndjson = async (response: Response) =>
  (await response.text())
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('FakeOllamaServer', () => {
  it('lists installed models as /api/tags does', async () => {
    const tags = (await (await fetch(`${server.url}/api/tags`)).json()) as {
      models: Record<string, unknown>[];
    };
    expect(tags.models).toHaveLength(1);
    expect(tags.models[0]).toMatchObject({
      name: 'llama3.2:latest',
      model: 'llama3.2:latest',
      size: expect.any(Number),
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      details: {
        format: 'gguf',
        family: 'llama',
        parameter_size: '3.2B',
        quantization_level: 'Q4_K_M',
      },
    });
    expect(await (await fetch(`${server.url}/api/version`)).json()).toEqual({
      version: expect.any(String),
    });
    expect(await (await fetch(server.url)).text()).toBe('Ollama is running');
  });

  it('streams chat as NDJSON ending with a done line carrying the counters', async () => {
    server.enqueue({ text: 'Hi there' });
    const response = await post('/api/chat', {
      model: 'llama3.2',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = await ndjson(response);
    expect(
      lines
        .slice(0, -1)
        .map((l) => (l.message as { content: string }).content)
        .join(''),
    ).toBe('Hi there');
    expect(lines[0]).toMatchObject({
      model: 'llama3.2',
      done: false,
      message: { role: 'assistant' },
    });
    expect(lines.at(-1)).toMatchObject({
      done: true,
      done_reason: 'stop',
      prompt_eval_count: expect.any(Number),
      eval_count: expect.any(Number),
      total_duration: expect.any(Number),
      load_duration: expect.any(Number),
      prompt_eval_duration: expect.any(Number),
      eval_duration: expect.any(Number),
    });
  });

  it('answers generate with response pieces and a context', async () => {
    const lines = await ndjson(await post('/api/generate', { model: 'llama3.2', prompt: 'hi' }));
    expect(typeof lines[0]!.response).toBe('string');
    expect(lines.at(-1)).toMatchObject({ done: true, context: expect.any(Array) });
    const plain = (await (
      await post('/api/generate', { model: 'llama3.2', prompt: 'hi', stream: false })
    ).json()) as Record<string, unknown>;
    expect(plain).toMatchObject({ done: true, response: expect.stringContaining('[simulated]') });
  });

  it("answers a missing model with Ollama's 404", async () => {
    const response = await post('/api/chat', {
      model: 'mistral',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: "model 'mistral' not found, try pulling it first",
    });
  });

  it('pulls with progress lines, then lists the model', async () => {
    const lines = await ndjson(await post('/api/pull', { model: 'mistral' }));
    expect(lines[0]).toEqual({ status: 'pulling manifest' });
    const layer = lines.filter((l) => typeof l.digest === 'string');
    expect(layer[0]).toMatchObject({
      status: expect.stringMatching(/^pulling [0-9a-f]{12}$/),
      total: expect.any(Number),
    });
    expect(layer[0]).not.toHaveProperty('completed');
    expect(lines.slice(-3)).toEqual([
      { status: 'verifying sha256 digest' },
      { status: 'writing manifest' },
      { status: 'success' },
    ]);
    expect(server.hasModel('mistral:latest')).toBe(true);
    const show = (await (await post('/api/show', { model: 'mistral' })).json()) as Record<
      string,
      unknown
    >;
    expect(show).toMatchObject({
      details: { family: 'llama' },
      capabilities: expect.arrayContaining(['tools']),
    });
  });

  it('fails a pull half-way with an {"error"} line and leaves the model out', async () => {
    server.enqueue({
      match: { path: '/api/pull' },
      streamErrorAfter: 2,
      errorMessage: 'max retries exceeded',
    });
    const lines = await ndjson(await post('/api/pull', { model: 'mistral' }));
    expect(lines).toHaveLength(3);
    expect(lines.at(-1)).toEqual({ error: 'max retries exceeded' });
    expect(server.hasModel('mistral')).toBe(false);
  });

  it('embeds, tracks loaded models, deletes', async () => {
    const embed = (await (
      await post('/api/embed', { model: 'llama3.2', input: ['a', 'b'] })
    ).json()) as {
      embeddings: number[][];
    };
    expect(embed.embeddings).toHaveLength(2);
    const norm = Math.hypot(...embed.embeddings[0]!);
    expect(norm).toBeCloseTo(1, 3);
    const ps = (await (await fetch(`${server.url}/api/ps`)).json()) as {
      models: { name: string }[];
    };
    expect(ps.models.map((m) => m.name)).toEqual(['llama3.2:latest']);
    const deleted = await fetch(`${server.url}/api/delete`, {
      method: 'DELETE',
      body: JSON.stringify({ model: 'llama3.2' }),
    });
    expect(deleted.status).toBe(200);
    expect(server.installedModels()).toEqual([]);
  });

  it('requires the bearer key when configured', async () => {
    const hosted = new FakeOllamaServer({ apiKey: 'secret' });
    await hosted.start();
    try {
      const denied = await fetch(`${hosted.url}/api/tags`);
      expect(denied.status).toBe(401);
      expect(await denied.json()).toEqual({ error: 'unauthorized' });
      const allowed = await fetch(`${hosted.url}/api/tags`, {
        headers: { authorization: 'Bearer secret' },
      });
      expect(allowed.status).toBe(200);
    } finally {
      await hosted.close();
    }
  });
});
