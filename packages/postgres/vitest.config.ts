import { defineConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';

// The shared ssr.resolve.conditions include 'import', which vitest also
// applies to require() inside node_modules: pg's `require('pg-pool')` then
// gets pg-pool's ESM build and fails ("Class extends value [object Module] is
// not a constructor"). Without 'import' there, '@orchestrator/source' still
// resolves workspace packages to their sources.
const conditions = ['@orchestrator/source', 'module', 'node', 'default'];

export default defineConfig({
  ...sharedConfig,
  ssr: { resolve: { conditions, externalConditions: ['@orchestrator/source'] } },
});
