import { defineConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';

// As in packages/postgres: with 'import' among the conditions vitest hands
// pg's require('pg-pool') the ESM build, which fails; '@orchestrator/source'
// still resolves workspace packages to their sources.
const conditions = ['@orchestrator/source', 'module', 'node', 'default'];

export default defineConfig({
  ...sharedConfig,
  // Every file loads the same heavy graph (all adapters and three SDKs); sharing the
  // module cache per worker cuts the suite's import time. Each test builds its own
  // servers, stores and metrics registries, so no state crosses files.
  test: { ...sharedConfig.test, isolate: false },
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@orchestrator/source'] } },
});
