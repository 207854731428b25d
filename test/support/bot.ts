import type { Logger, Store } from '../../src/app/ports.ts';
import { type Bot, type BotDeps, createBot } from '../../src/chat/bot.ts';
import { createI18n } from '../../src/chat/i18n.ts';
import { loadPolicy } from '../../src/policy-files.ts';
import { TEST_NOW, TEST_TIMEZONE } from './constants.ts';

export const quietLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * What every surface shares, as `main.ts` builds it — shipped policy, English by default,
 * the test clock and time zone — over a test database's store.
 */
export function createTestCore(store: Store, logger: Logger = quietLogger): BotDeps {
  return {
    store,
    clock: { now: () => TEST_NOW },
    i18n: createI18n(),
    logger,
    defaultLocale: 'en',
    timeZone: TEST_TIMEZONE,
    policy: loadPolicy(),
  };
}

/** The chat core over a test database's store. */
export function createTestBot(store: Store, logger: Logger = quietLogger): Bot {
  return createBot(createTestCore(store, logger));
}
