import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';

const cache = createRequire(import.meta.url).cache;
const promClientFiles = () =>
  Object.keys(cache).filter((file) => /[\\/]node_modules[\\/]prom-client[\\/]/.test(file));

describe('prom-client parts', () => {
  it("load prom-client's metric classes without its index (default metrics, OpenTelemetry, push gateway, cluster)", async () => {
    // Test files share a worker's require cache; start from a prom-client nobody loaded.
    for (const file of promClientFiles()) delete cache[file];
    for (const file of Object.keys(cache))
      if (/[\\/]node_modules[\\/]@opentelemetry[\\/]api[\\/]/.test(file)) delete cache[file];
    vi.resetModules();
    const { Counter, Registry } = await import('./prom-client-parts.js');

    const loaded = promClientFiles();
    expect(loaded.some((file) => /[\\/]lib[\\/]counter\.js$/.test(file))).toBe(true);
    expect(loaded.filter((file) => /[\\/]prom-client[\\/]index\.js$/.test(file))).toEqual([]);
    expect(loaded.filter((file) => /defaultMetrics|pushgateway|cluster/.test(file))).toEqual([]);
    expect(
      Object.keys(cache).filter((file) =>
        /[\\/]node_modules[\\/]@opentelemetry[\\/]api[\\/]/.test(file),
      ),
    ).toEqual([]);

    const registry = new Registry();
    const counter = new Counter({
      name: 'parts_test_total',
      help: 'A counter made from the parts.',
      labelNames: ['kind'],
      registers: [registry],
    });
    counter.inc({ kind: 'a' }, 2);
    expect(await registry.metrics()).toContain('parts_test_total{kind="a"} 2');
  });
});
