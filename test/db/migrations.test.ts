import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrator.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe(migrateToLatest.name, () => {
  it('has nothing left to apply on a migrated database', async () => {
    expect(await migrateToLatest(database.db)).toEqual({ applied: [] });
  });

  it('creates the whole domain schema', async () => {
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = 'public' and table_name not like 'kysely_%' order by table_name`.execute(
      database.db,
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual([
      'action_tokens',
      'alert_holds',
      'alerts',
      'approval_decisions',
      'approval_requests',
      'audit_log',
      'channels',
      'contacts',
      'credit_assessments',
      'credit_events',
      'credit_reports',
      'customer_names',
      'customers',
      'idempotency_keys',
      'inbound_events',
      'invoices',
      'job_runs',
      'orders',
      'outbox',
      'payment_allocations',
      'payments',
      'platform_identities',
      'portfolio_snapshots',
      'promises',
      'settings',
      'subscriptions',
      'users',
    ]);
  });

  it('returns the same JavaScript types on either engine', async () => {
    const { rows } = await sql<{ big: number; day: string; ids: number[]; at: Date }>`
      select 9007199254740991::int8 as big, '2026-02-28'::date as day,
             array[1, 2]::int8[] as ids, now() as at`.execute(database.db);
    expect(rows[0]).toMatchObject({ big: 9007199254740991, day: '2026-02-28', ids: [1, 2] });
    expect(rows[0]?.at).toBeInstanceOf(Date);
  });

  it('refuses to round an integer that JavaScript cannot hold exactly', async () => {
    await expect(sql`select 9007199254740993::int8 as big`.execute(database.db)).rejects.toThrow(
      /exceeds/,
    );
  });

  it('keeps money and amounts honest with constraints', async () => {
    const customer = await database.db
      .insertInto('customers')
      .values({ code: 'T1', legal_name: 'Test', country: 'JP', currency: 'JPY' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const invoice = {
      external_id: 'X1',
      customer_id: customer.id,
      number: 'INV-1',
      issued_on: '2026-01-01',
      due_on: '2026-01-31',
      currency: 'JPY',
      amount_minor: 100,
    };
    await expect(
      database.db
        .insertInto('invoices')
        .values({ ...invoice, open_amount_minor: 101 })
        .execute(),
    ).rejects.toThrow();
    await expect(
      database.db
        .insertInto('invoices')
        .values({ ...invoice, open_amount_minor: -1 })
        .execute(),
    ).rejects.toThrow();
    await expect(
      database.db
        .updateTable('customers')
        .set({ phase: 'bankrupt' })
        .where('id', '=', customer.id)
        .execute(),
    ).rejects.toThrow();
  });

  it('has trigram search available', async () => {
    const { rows } = await sql<{ s: number }>`select similarity('acme', 'acne') as s`.execute(
      database.db,
    );
    expect(rows[0]?.s).toBeGreaterThan(0);
  });
});
