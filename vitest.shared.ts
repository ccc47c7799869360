import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources in tests (the
// "@orchestrator/source" export condition), so a test never runs against a
// stale dist/ of a sibling package.
const conditions = ['@orchestrator/source', 'import', 'module', 'node', 'default'];
// Not 'import' on the server side: vitest applies these to require() inside
// node_modules too, and `require('pg-pool')` from pg would then get pg-pool's
// ESM build ("Class extends value [object Module] is not a constructor").
const ssrConditions = ['@orchestrator/source', 'module', 'node', 'default'];

export const sharedConfig = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions: ssrConditions, externalConditions: ['@orchestrator/source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    // In CI each package also writes a JSON report; scripts/test-summary.mjs sums them.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: './.test-results.json' },
    testTimeout: 60_000,
    hookTimeout: 20_000,
  },
});
