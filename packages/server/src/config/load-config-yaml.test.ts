import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';

const cache = createRequire(import.meta.url).cache;
const isYaml = (file: string) => /[\\/]node_modules[\\/]yaml[\\/]dist[\\/]/.test(file);
const yamlLoaded = () => Object.keys(cache).some(isYaml);

describe('configuration: the YAML parser', () => {
  it('is loaded by the first YAML text, not by configuration objects or JSON', async () => {
    // This package's test files share a worker's module instances (isolate: false)
    // and its require cache: another file may have parsed YAML already, leaving
    // load-config's parser cached. Start from a fresh load-config and no yaml.
    for (const file of Object.keys(cache)) if (isYaml(file)) delete cache[file];
    vi.resetModules();
    const { parseConfig, parseConfigText } = await import('./load-config.js');
    parseConfig({ server: { port: 9000 } }, {});
    expect(parseConfigText('{"server":{"port":9001}}', {}, 'gateway.json').server.port).toBe(9001);
    expect(yamlLoaded()).toBe(false);
    expect(parseConfigText('server:\n  port: 9002\n', {}, 'gateway.yaml').server.port).toBe(9002);
    expect(yamlLoaded()).toBe(true);
  });
});
