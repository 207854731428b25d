import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleAdapter } from '../../../src/adapters/console/index.ts';
import { requestLimitChange } from '../../../src/app/approvals.ts';
import { createBot } from '../../../src/chat/bot.ts';
import { createTestCore } from '../../support/bot.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

// Deciding in the console: the operator (an admin) rejects a request, and the reason is
// asked on the next line.

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ base: 'demo' });
});
afterAll(async () => {
  await database?.close();
});

async function run(lines: string): Promise<string> {
  const core = createTestCore(database.store);
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  const done = createConsoleAdapter({
    bot: createBot(core),
    input,
    output,
    userName: 'operator',
    locale: 'en',
  }).run();
  input.end(lines);
  await done;
  return text;
}

describe('approvals in the console', () => {
  it('asks for the reason of a rejection on the next line and records it', async () => {
    const core = createTestCore(database.store);
    const sales = await database.store.users.create({
      identity: { platform: 'slack', externalId: 'U-SALES' },
      displayName: 'Sales Rep',
      role: 'sales',
    });
    const asked = await requestLimitChange(core, sales, {
      query: 'C0001',
      amountText: '3,200万',
      reason: 'Seasonal orders',
    });
    if (asked.kind !== 'requested') throw new Error(asked.kind);
    const id = asked.view.id;

    const listed = await run('/credit approvals\n');
    expect(listed).toContain(`#${id}`);

    const text = await run(`/credit reject ${id}\nCollect the overdue invoices first\n`);
    expect(text).toContain('Reason for rejecting');
    expect(text).toContain('Rejected by operator');
    const row = await database.db
      .selectFrom('approval_requests')
      .select(['status', 'decision_reason'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      status: 'rejected',
      decision_reason: 'Collect the overdue invoices first',
    });
  });
});
