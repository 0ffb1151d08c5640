import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // The fault and process tests spend most of their time waiting on real timeouts, not on the CPU:
    // four files at a time keep the whole suite near a minute and a half on the 2-core machine.
    maxWorkers: 4,
  },
});
