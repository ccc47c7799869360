import { execFile } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChatRequest, type ChatResponse, Model } from '@orchestrator/core';
import { createMemoryStore } from '@orchestrator/postgres';
import { createServer, type GatewayServer } from '@orchestrator/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The quick start's SDK samples, run for real: the official `openai` and
 * `@anthropic-ai/sdk` clients (the copies the server package tests with)
 * against a gateway on 127.0.0.1 whose one model echoes the prompt.
 */
const docs = fileURLToPath(new URL('..', import.meta.url));
const serverModules = join(docs, '..', '..', 'packages', 'server', 'node_modules');

class EchoModel extends Model {
  constructor() {
    super({
      name: 'echo',
      provider: 'docs-test',
      capabilities: { features: ['chat', 'text_generation', 'streaming'] },
    });
  }
  async generate(request: ChatRequest): Promise<ChatResponse> {
    const last = request.messages.at(-1);
    const text = typeof last?.content === 'string' ? last.content : '';
    return {
      model: this.name,
      provider: this.provider,
      content: `echo: ${text}`,
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 5, outputTokens: 5 },
      costUsd: 0,
      latencyMs: 1,
      warnings: [],
    };
  }
}

describe('the quick start SDK samples against a running gateway', () => {
  let gateway: GatewayServer;
  let base: string;
  let work: string;

  beforeAll(async () => {
    gateway = await createServer(
      { server: { port: 0, logLevel: 'silent' }, auth: { enabled: false } },
      { models: [new EchoModel()], store: createMemoryStore(), env: {} },
    );
    base = await gateway.listen({ port: 0, host: '127.0.0.1' });
    work = mkdtempSync(join(tmpdir(), 'docs-snippets-'));
    mkdirSync(join(work, 'node_modules', '@anthropic-ai'), { recursive: true });
    for (const name of ['openai', '@anthropic-ai/sdk']) {
      symlinkSync(realpathSync(join(serverModules, name)), join(work, 'node_modules', name), 'dir');
    }
    writeFileSync(join(work, 'package.json'), '{ "type": "module" }\n');
  });

  afterAll(async () => {
    await gateway?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  // Asynchronous: the gateway runs in this process, so a blocking spawn would starve it.
  function run(snippet: string): Promise<{ stdout: string; stderr: string; status: number }> {
    const source = readFileSync(join(docs, 'snippets', snippet), 'utf8').replaceAll(
      'http://127.0.0.1:8787',
      base,
    );
    const file = join(work, snippet);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, source);
    return new Promise((resolve) => {
      execFile(
        join(docs, 'node_modules', '.bin', 'tsx'),
        [file],
        {
          cwd: work,
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, ORCHESTRATOR_API_KEY: 'local' },
        },
        (error, stdout, stderr) => {
          const code = (error as { code?: unknown } | null)?.code;
          resolve({ stdout, stderr, status: error ? (typeof code === 'number' ? code : 1) : 0 });
        },
      );
    });
  }

  it('gateway-openai-sdk.ts: plain and streamed chat completions', async () => {
    const { stdout, stderr, status } = await run('gateway-openai-sdk.ts');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain('echo: Write a haiku about load balancers.');
    expect(stdout).toContain('echo: Count to five.');
    expect(stdout).toContain('prompt_tokens');
  });

  it('gateway-anthropic-sdk.ts: plain and streamed messages', async () => {
    const { stdout, stderr, status } = await run('gateway-anthropic-sdk.ts');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain('echo: Summarise the actor model in one paragraph.');
    expect(stdout).toContain('echo: Count to five.');
  });
});
