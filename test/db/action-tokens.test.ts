import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueActionTokens, redeemActionToken } from '../../src/app/action-tokens.ts';
import { createStore } from '../../src/db/store.ts';
import { TEST_NOW } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const setting = async (db: TestDatabase['db']) =>
  (await sql<{ value: string }>`select current_setting('synchronous_commit') as value`.execute(db))
    .rows[0]?.value;

describe('action tokens', () => {
  it('stand for the commands they were issued for, each its own', async () => {
    const commands = ['/credit log C0001', '/credit limit C0001', '/credit phase C0001'];
    const tokens = await issueActionTokens(database.store, undefined, commands, TEST_NOW);
    expect(new Set(tokens).size).toBe(3);
    for (const [i, token] of tokens.entries()) {
      expect(await redeemActionToken(database.store, token, TEST_NOW)).toBe(commands[i]);
    }
    const later = new Date(TEST_NOW.getTime() + 31 * 86_400_000);
    await expect(redeemActionToken(database.store, tokens[0] ?? '', later)).rejects.toMatchObject({
      code: 'errors.action.expired',
    });
  });

  it('leave the durability of everything else as it was', async () => {
    await issueActionTokens(database.store, undefined, ['/credit help'], TEST_NOW);
    expect(await setting(database.db)).toBe('on');
    await database.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('audit_log')
        .values({ actor: 'test', action: 'test', entity_type: 'test', entity_id: '1' })
        .execute();
      const [token] = await issueActionTokens(
        createStore(trx),
        undefined,
        ['/credit help'],
        TEST_NOW,
      );
      expect(await setting(trx)).toBe('on');
      expect(token).toBeDefined();
    });
  });
});
