import { defineConfig } from 'vitest/config';

// The reliability suite (docs/reliability.md): the real bot process over HTTP against the fake
// platforms, one file at a time. Each file starts its own bot on its own database, so a file
// takes tens of seconds; one worker keeps the machine free for what else runs on it.
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    // A database restart is the server's: an embedded database lives inside the bot's process.
    exclude: process.env.RELIABILITY_DATABASE_URL
      ? []
      : ['test/reliability/database-outage.test.ts'],
    globalSetup: ['test/reliability/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    allowOnly: false,
    reporters: ['default'],
  },
});
