import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources in tests (the
// "@orchestrator/source" export condition), so a test never runs against a
// stale dist/ of a sibling package.
const conditions = ['@orchestrator/source', 'import', 'module', 'node', 'default'];

export const sharedConfig = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@orchestrator/source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    // In CI each package also writes a JSON report; scripts/test-summary.mjs sums them.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: './.test-results.json' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
