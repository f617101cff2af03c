import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    // Property tests and examples are CPU-bound; two workers match the machine.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
