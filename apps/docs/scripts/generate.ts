import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateApi } from './generate-api.js';
import { generateBenchmarks } from './generate-benchmarks.js';
import { generateConfigReference } from './generate-config-reference.js';
import { generateErrorCodes } from './generate-error-codes.js';
import { generateEndpointsPage } from './generate-gateway-reference.js';
import { docsRoot } from './paths.js';

/**
 * Writes the generated pages before VitePress builds the site: the API
 * reference (TypeDoc), the configuration reference (the server's schema),
 * the error codes (scanned from the sources) and the benchmark figures
 * (benchmarks/latest.json). Each is gitignored and rebuilt every time.
 */
const started = performance.now();
const step = async <T>(label: string, fn: () => Promise<T>, show: (v: T) => string) => {
  const t = performance.now();
  const value = await fn();
  console.log(`docs: ${label}: ${show(value)} (${Math.round(performance.now() - t)} ms)`);
  return value;
};

await step('error codes', generateErrorCodes, (r) => {
  if (r.undocumented.length) {
    console.warn(
      `docs: warning: no description yet for ${r.undocumented.join(', ')} (scripts/error-code-notes.ts)`,
    );
  }
  return `${r.codes} codes`;
});
await step(
  'gateway endpoints',
  () => generateEndpointsPage(join(docsRoot, 'gateway', 'endpoints.md')),
  (n) => `${n} routes`,
);
await step('configuration reference', generateConfigReference, (from) => `from ${from}`);
await step('benchmarks', generateBenchmarks, (n) => `${n} tables`);
await step('API reference', generateApi, (p) => `${p.length} packages`);
console.log(`docs: generated in ${Math.round(performance.now() - started)} ms`);
