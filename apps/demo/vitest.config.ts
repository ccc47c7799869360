import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';

// The browser test starts a gateway and Chromium: it gets more time than unit tests.
export default mergeConfig(
  sharedConfig,
  defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } }),
);
