import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveProviders } from '../engine/resolve-providers.js';
import { gatewayConfigJsonSchema } from './config-schema.js';
import { ConfigError, loadConfig, parseConfig, parseConfigText } from './load-config.js';

describe('configuration', () => {
  it('fills defaults from an empty file', () => {
    const config = parseConfig({}, {});
    expect(config.server.port).toBe(8080);
    expect(config.server.corsOrigins).toEqual([]);
    expect(config.auth.enabled).toBe(true);
    expect(config.routing.defaultStrategy).toBe('balanced');
  });

  it('interpolates ENV placeholders (with defaults) in values, never in structure', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'orch-config-'));
    const file = join(dir, 'gateway.yaml');
    await writeFile(
      file,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config syntax under test
      'server:\n  host: ${HOST:-0.0.0.0}\n  corsOrigins: ["${ORIGIN}"]\nauth:\n  adminKey: ${ADMIN}\n',
    );
    const config = await loadConfig(file, {
      ORIGIN: 'https://app.example',
      ADMIN: 'x\n  enabled: false-0123456789',
    });
    expect(config.server.host).toBe('0.0.0.0');
    expect(config.server.corsOrigins).toEqual(['https://app.example']);
    expect(config.auth.enabled).toBe(true);
    expect(config.auth.adminKey).toContain('enabled: false');
  });

  it('names the path and the problem of every mistake', () => {
    let error: unknown;
    try {
      parseConfigText(
        'server:\n  port: "eighty"\nproviders:\n  openai:\n    apiKey: sk-123\nmodels:\n  - provider: nope\n    modelId: x\n',
        {},
        'g.yaml',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['server.port', 'providers.openai', 'models[0].provider']),
    );
    expect(issues.find((i) => i.path === 'providers.openai')?.message).toMatch(
      /apiKey.*environment variables only/,
    );
    expect((error as Error).message).toContain('g.yaml');
  });

  it('server.idleMemoryRelease: on by default, and a bad setting is named by its path', () => {
    expect(parseConfig({}, {}).server.idleMemoryRelease).toEqual({
      enabled: true,
      idleMs: 5_000,
      minIntervalMs: 60_000,
      minReclaimableBytes: 8 * 1024 * 1024,
    });
    let error: unknown;
    try {
      parseConfig(
        { server: { idleMemoryRelease: { idleMs: 10, minIntervalMs: -1, every: 5 } } },
        {},
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        'server.idleMemoryRelease.idleMs',
        'server.idleMemoryRelease.minIntervalMs',
      ]),
    );
    expect((error as Error).message).toContain('every');
  });

  it('reports a missing variable and a duplicate model name', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config syntax under test
    expect(() => parseConfig({ auth: { adminKey: '${NOPE}' } }, {})).toThrow(
      /auth.adminKey: environment variable NOPE is not set/,
    );
    expect(() =>
      parseConfig(
        {
          models: [
            { provider: 'openai', modelId: 'a' },
            { name: 'a', provider: 'openai', modelId: 'b' },
          ],
        },
        {},
      ),
    ).toThrow(/models\[1\]\.name: "a" is defined twice/);
  });

  it('registers a provider only when its key is in the environment; local base URLs need an opt-in', () => {
    const config = parseConfig({ providers: { ollama: { host: 'http://127.0.0.1:11434' } } }, {});
    expect(() => resolveProviders(config, {})).toThrow(/allowLoopback/);
    const none = resolveProviders(parseConfig({}, {}), {});
    expect([...none.keys()]).toEqual([]);
    const some = resolveProviders(parseConfig({}, {}), {
      OPENAI_API_KEY: 'sk-a',
      GEMINI_API_KEY: 'g',
    });
    expect([...some.keys()].sort()).toEqual(['google', 'openai']);
    expect(() =>
      resolveProviders(parseConfig({}, {}), {
        OPENAI_API_KEY: 'sk',
        OPENAI_BASE_URL: 'http://localhost:9/v1',
      }),
    ).toThrow(/allowLoopback/);
  });

  it('exports a JSON Schema of the configuration', () => {
    const schema = gatewayConfigJsonSchema() as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'server',
        'auth',
        'providers',
        'models',
        'routing',
        'limits',
        'budgets',
        'cache',
        'storage',
      ]),
    );
  });
});
