import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The site may be built in beforeAll (when `test` runs without turbo's build first).
    hookTimeout: 600_000,
    testTimeout: 120_000,
  },
});
