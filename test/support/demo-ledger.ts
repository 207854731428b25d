import { sql } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import type { Locale } from '../../src/app/locales.ts';
import type { Bot, ChatRequest } from '../../src/chat/bot.ts';
import { createTestBot } from './bot.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

// The renderers' acceptance tests run the real core over the demo ledger and look at its
// largest customer: the card with the most to show, as every language words it.

export interface DemoLedger {
  readonly database: TestDatabase;
  readonly bot: Bot;
  /** The code of the customer with the most invoices, contacts and promises (C0031). */
  readonly largest: string;
}

/**
 * The demo ledger for one test file, opened before its tests and closed after them. Read its
 * fields inside tests and hooks: they are set once the file's first hook has run.
 */
export function useDemoLedger(): DemoLedger {
  let database: TestDatabase | undefined;
  let ledger: DemoLedger | undefined;
  beforeAll(async () => {
    database = await createTestDatabase({ base: 'demo' });
    const { rows } = await sql<{ code: string }>`
      select c.code
      from customers c
      order by
        (select count(*) from invoices i where i.customer_id = c.id)
        + (select count(*) from contacts k where k.customer_id = c.id)
        + (select count(*) from promises p where p.customer_id = c.id) desc,
        c.code
      limit 1`.execute(database.db);
    ledger = { database, bot: createTestBot(database.store), largest: rows[0]?.code ?? '' };
  });
  afterAll(async () => {
    await database?.close();
  });
  const opened = () => {
    if (!ledger) throw new Error('the demo ledger opens in beforeAll; read it inside a test');
    return ledger;
  };
  return {
    get database() {
      return opened().database;
    },
    get bot() {
      return opened().bot;
    },
    get largest() {
      return opened().largest;
    },
  };
}

/** `text` typed by an admin at the console who reads `locale`: any card, in the core's words. */
export const adminRequest = (text: string, locale: Locale): ChatRequest => ({
  identity: { platform: 'console', externalId: `tester-${locale}` },
  displayName: 'Tester',
  text,
  channelLocale: locale,
  defaultRole: 'admin',
});
