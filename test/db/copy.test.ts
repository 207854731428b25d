import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRows, csvText, csvValue } from '../../src/db/copy.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await sql`create table copy_probe (label text, amount int8, note text)`.execute(database.db);
});
afterAll(async () => {
  await database?.close();
});

const statement = 'COPY copy_probe (label, amount, note) FROM STDIN WITH (FORMAT csv)';
const line = (label: string, amount: number, note: string | null) =>
  `${csvText(label)},${csvValue(amount)},${csvText(note)}\n`;

async function labels() {
  const { rows } = await sql<{
    label: string;
    note: string | null;
  }>`select label, note from copy_probe order by label`.execute(database.db);
  return rows;
}

describe(copyRows.name, () => {
  it('keeps commas, quotes, newlines, empty strings and nulls exactly', async () => {
    await copyRows(
      database.db,
      statement,
      line('a, "quoted"', 1, 'two\nlines') + line('b', 2, '') + line('c', 3, null),
    );
    expect(await labels()).toEqual([
      { label: 'a, "quoted"', note: 'two\nlines' },
      { label: 'b', note: '' },
      { label: 'c', note: null },
    ]);
    await sql`truncate copy_probe`.execute(database.db);
  });

  it('is part of the transaction it runs in: a rollback takes the copied rows back', async () => {
    await expect(
      database.db.transaction().execute(async (trx) => {
        await copyRows(trx, statement, line('rolled back', 1, null));
        const inside = await sql<{
          n: number;
        }>`select count(*)::int as n from copy_probe`.execute(trx);
        expect(inside.rows[0]?.n).toBe(1);
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    expect(await labels()).toEqual([]);
    await database.db
      .transaction()
      .execute((trx) => copyRows(trx, statement, line('kept', 1, null)));
    expect(await labels()).toEqual([{ label: 'kept', note: null }]);
  });

  it('fails the statement, not the process, on bad data', async () => {
    await expect(copyRows(database.db, statement, '"x",not-a-number,\n')).rejects.toThrow();
    await sql`select 1`.execute(database.db);
  });
});
