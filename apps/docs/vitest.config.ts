import { defineConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';

// As in packages/server: workspace packages resolve to their sources, and no
// 'import' condition (pg's require('pg-pool') would get the ESM build).
const conditions = ['@orchestrator/source', 'module', 'node', 'default'];

export default defineConfig({
  ...sharedConfig,
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@orchestrator/source'] } },
  test: {
    ...sharedConfig.test,
    include: ['test/**/*.test.ts'],
    // The site may be built in beforeAll (when `test` runs without turbo's build first).
    hookTimeout: 600_000,
    testTimeout: 120_000,
  },
});
