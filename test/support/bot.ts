import type { Logger, Store } from '../../src/app/ports.ts';
import { type Bot, createBot } from '../../src/chat/bot.ts';
import { createI18n } from '../../src/chat/i18n.ts';
import { loadPolicy } from '../../src/policy-files.ts';
import { TEST_NOW, TEST_TIMEZONE } from './constants.ts';

export const quietLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * The chat core as `main.ts` builds it — shipped policy, English by default, the test clock
 * and time zone — over a test database's store.
 */
export function createTestBot(store: Store, logger: Logger = quietLogger): Bot {
  return createBot({
    store,
    clock: { now: () => TEST_NOW },
    i18n: createI18n(),
    logger,
    defaultLocale: 'en',
    timeZone: TEST_TIMEZONE,
    policy: loadPolicy(),
  });
}
