import { defineConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';

// As in packages/postgres: with 'import' among the conditions vitest hands
// pg's require('pg-pool') the ESM build, which fails; '@orchestrator/source'
// still resolves workspace packages to their sources.
const conditions = ['@orchestrator/source', 'module', 'node', 'default'];

export default defineConfig({
  ...sharedConfig,
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@orchestrator/source'] } },
});
