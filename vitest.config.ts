import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The reliability suite drives the real process for minutes: `npm run test:reliability`.
    exclude: [...configDefaults.exclude, 'test/reliability/**'],
    globalSetup: ['test/support/global-setup.ts'],
    // A fresh embedded database costs seconds (initdb); files clone one prepared base.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    allowOnly: false,
    reporters: ['default'],
  },
});
