import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createMemoryStore } from '@orchestrator/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoGateway, startDemoGateway } from '../gateway/start-demo-gateway.js';
import { runCli } from './run-cli.js';

const BIN = fileURLToPath(new URL('../../bin/orchestrator.mjs', import.meta.url));
const exec = promisify(execFile);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in this process with captured output. */
async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, env, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}

/**
 * Runs the real `orchestrator` executable as a child process (asynchronously: the
 * gateway is in this process), from a folder outside the repository: the README
 * has it run from the root, where pnpm's node_modules holds none of its packages.
 */
async function spawnCli(args: string[], env: Record<string, string>): Promise<Run> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], {
      cwd: tmpdir(),
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    };
  }
}

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('orchestrator CLI', () => {
  let gateway: DemoGateway;
  let env: Record<string, string>;

  beforeAll(async () => {
    gateway = await startDemoGateway({
      port: 0,
      store: createMemoryStore(),
      timeScale: 0,
      reliable: true,
      log: () => {},
      env: {},
    });
    env = { ORCHESTRATOR_URL: gateway.url, ORCHESTRATOR_API_KEY: gateway.adminKey! };
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('streams a chat answer from the executable, with the decision and a summary on stderr', async () => {
    const r = await spawnCli(
      ['chat', 'Write a debounce function in TypeScript', '--strategy', 'cost_optimal'],
      env,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[simulated]');
    expect(r.stderr).toMatch(/→ \S+ · cost_optimal · code_generation/);
    expect(r.stderr).toMatch(/out tokens · \$/);
  });

  it('pins a model and a task', async () => {
    const r = await cli(
      ['chat', 'hello there', '--model', 'gemini-2.5-flash', '--task', 'general'],
      env,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(gemini-2.5-flash)');
    expect(r.stderr).toContain('gemini-2.5-flash');
  });

  it('prints a routing decision with its reasoning and fallbacks', async () => {
    const r = await cli(
      ['route', 'Explain the Raft consensus algorithm in depth', '--strategy', 'quality_optimal'],
      env,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^model {7}\S+/m);
    expect(r.stdout).toContain('strategy    quality_optimal');
    expect(r.stdout).toMatch(/reasoning {3}\S/);
    expect(r.stdout).toContain('fallbacks');
  });

  it('lists models with capabilities, prices and health', async () => {
    const r = await cli(['models'], env);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^model\s+provider\s+capabilities\s+context\s+in \$\/M\s+out \$\/M/);
    expect(lines).toHaveLength(gateway.fleet.models.length + 2);
    expect(r.stdout).toMatch(
      /claude-sonnet-4\s+anthropic\s+.*\$3\.00\s+\$15\.00.*healthy \(closed\)/,
    );
  });

  it('creates, lists and revokes keys; a revoked key is refused', async () => {
    const created = await cli(
      [
        'keys',
        'create',
        '--user',
        'dana',
        '--budget',
        '0.5',
        '--period',
        'daily',
        '--name',
        'cli-test',
      ],
      env,
    );
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^orch_[A-Za-z0-9_-]{43}$/);
    const listed = await cli(['keys', 'list', '--user', 'dana'], env);
    expect(listed.stdout).toMatch(/dana\s+cli-test\s+\$0\.5 daily/);
    expect(listed.stdout).not.toContain(key);
    const id = /^([0-9a-f-]{36})\s/m.exec(listed.stdout)?.[1];
    expect(id).toBeDefined();
    const asDana = await cli(['route', 'hi'], { ...env, ORCHESTRATOR_API_KEY: key });
    expect(asDana.code).toBe(0);
    expect((await cli(['keys', 'revoke', id!], env)).code).toBe(0);
    const refused = await cli(['route', 'hi'], { ...env, ORCHESTRATOR_API_KEY: key });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('rejected the key');
    expect(refused.stderr).not.toContain(key);
  });

  it('benches a workload with a progress bar and a summary table', async () => {
    const r = await cli(['bench', '--requests', '12', '--concurrency', '3'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('12/12');
    expect(r.stdout).toMatch(
      /^model\s+requests\s+share\s+cached\s+fallback\/retry\s+p50\s+p95\s+cost/,
    );
    expect(r.stdout).toMatch(/12 requests in [\d.]+ s/);
  });

  it('says clearly when the gateway is unreachable', async () => {
    const port = await closedPort();
    const r = await cli(['models'], { ORCHESTRATOR_URL: `http://127.0.0.1:${port}` });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `Cannot reach the gateway at http://127.0.0.1:${port} (ECONNREFUSED)`,
    );
    expect(r.stderr).toContain('orchestrator serve');
  });

  it('says clearly when the key is missing or wrong', async () => {
    const missing = await cli(['models'], { ORCHESTRATOR_URL: gateway.url });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('needs an API key');
    const wrong = await cli(['models', '--key', 'orch_wrong'], { ORCHESTRATOR_URL: gateway.url });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('rejected the key');
    expect(wrong.stderr).not.toContain('orch_wrong');
  });

  it('rejects bad arguments with a usage hint and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown command "frobnicate"/],
      [['chat'], /chat needs a prompt/],
      [['chat', 'hi', '--strategy', 'fastest'], /--strategy must be one of/],
      [['route', 'hi', '--task', 'poetry'], /--task must be one of/],
      [['chat', 'hi', '--colour'], /Unknown option '--colour'/],
      [['bench', '--requests', '0'], /--requests must be a whole number/],
      [['keys', 'create'], /keys create needs --user/],
      [['keys', 'create', '--user', 'x', '--budget', 'lots'], /--budget must be a number/],
      [['keys', 'revoke', 'not-an-id'], /is not a key id/],
      [['keys'], /keys needs create, list or revoke/],
      [['serve', '--port', '70000'], /--port must be a whole number from 0 to 65535/],
      [['models', '--url', 'ftp://x'], /--url must be http or https/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).toContain('orchestrator --help');
    }
  });

  it('prints usage for --help', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('orchestrator chat "prompt"');
  });
});

describe('orchestrator serve', () => {
  it('starts the demo gateway on PGlite, prints where to go, and stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'orchestrator-serve-'));
    try {
      const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], {
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) =>
        child.on('exit', (code) => resolve(code)),
      );
      await expect.poll(() => stderr, { timeout: 100_000, interval: 250 }).toContain('ready in');
      expect(stderr).toContain('first run: creating the embedded PostgreSQL database');
      const url = /Dashboard\s+(http:\/\/127\.0\.0\.1:\d+)\/dashboard#key=orch_admin_/.exec(
        stdout,
      )?.[1];
      expect(url).toBeDefined();
      expect(stdout).toContain(`${url}/v1`);
      expect(stdout).toContain('curl ');
      expect(stdout).toContain("import OpenAI from 'openai'");
      const health = await fetch(`${url}/api/v1/orchestrator/health`);
      expect(await health.json()).toMatchObject({ storage: 'pglite', models: 17 });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});
