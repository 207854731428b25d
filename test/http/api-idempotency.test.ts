import { describe, expect, it } from 'vitest';
import type { TestDatabase } from '../support/database.ts';
import { countRows, type Harness, OTHER_TOKEN, problemOf, withHarness } from './http-harness.ts';

// Idempotency-Key: one effect per key and API token, the answer replayed, across replicas
// because the key lives in the same Postgres transaction as the effect.

let database: TestDatabase;
let http: Harness;

withHarness('empty', (d, h) => {
  database = d;
  http = h;
});

describe('Idempotency-Key', () => {
  const batch = (code: string) => ({
    items: [{ code, legalName: `Idem ${code}`, country: 'CN', currency: 'CNY' }],
  });

  it('applies once and replays the stored answer for the same key', async () => {
    const before = await countRows(database, 'customers');
    const key = { 'Idempotency-Key': 'batch-2026-11-23-001' };
    const first = await http.post('/api/v1/customers', batch('I001'), key);
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const firstBody = await first.json();
    const second = await http.post('/api/v1/customers', batch('I001'), key);
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.json()).toEqual(firstBody);
    expect(firstBody).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    expect(await countRows(database, 'customers')).toBe(before + 1);
    const audits = await database.db
      .selectFrom('audit_log')
      .select('id')
      .where('entity_id', '=', 'batch-2026-11-23-001')
      .execute();
    expect(audits).toHaveLength(1);
  });

  it('refuses the same key with another body', async () => {
    const key = { 'Idempotency-Key': 'batch-2026-11-23-001' };
    const response = await http.post('/api/v1/customers', batch('I002'), key);
    expect(response.status).toBe(422);
    expect((await problemOf(response)).type).toBe(
      'https://creditops.dev/problems/idempotency-mismatch',
    );
    const stored = await database.db
      .selectFrom('customers')
      .select('code')
      .where('code', '=', 'I002')
      .execute();
    expect(stored).toEqual([]);
  });

  it('keeps the keys of each API token apart', async () => {
    const key = { 'Idempotency-Key': 'batch-2026-11-23-001' };
    const response = await http.post('/api/v1/customers', batch('I003'), {
      ...key,
      Authorization: `Bearer ${OTHER_TOKEN}`,
    });
    expect(response.headers.get('idempotent-replayed')).toBeNull();
    expect(await response.json()).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
  });

  it('does not remember a refused batch, so the corrected one can use the key', async () => {
    const key = { 'Idempotency-Key': 'fix-and-retry' };
    const bad = { items: [{ code: 'I004', legalName: 'Idem', country: 'CN', currency: 'CNX' }] };
    expect((await http.post('/api/v1/customers', bad, key)).status).toBe(422);
    const good = await http.post('/api/v1/customers', batch('I004'), key);
    expect(good.status).toBe(200);
    expect(good.headers.get('idempotent-replayed')).toBeNull();
  });

  it('answers 400 for a key longer than 255 characters', async () => {
    const key = { 'Idempotency-Key': 'k'.repeat(256) };
    const response = await http.post('/api/v1/customers', batch('I005'), key);
    expect(response.status).toBe(400);
    expect((await problemOf(response)).type).toBe(
      'https://creditops.dev/problems/bad-idempotency-key',
    );
  });

  it('applies two concurrent requests with the same key exactly once', async () => {
    const before = await countRows(database, 'customers');
    const items = ['P001', 'P002', 'P003'].map((code) => batch(code).items[0]);
    const key = { 'Idempotency-Key': 'parallel-1' };
    const responses = await Promise.all([
      http.post('/api/v1/customers', { items }, key),
      http.post('/api/v1/customers', { items }, key),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(bodies).toEqual([
      { inserted: 3, updated: 0, unchanged: 0 },
      { inserted: 3, updated: 0, unchanged: 0 },
    ]);
    const replayed = responses.map((r) => r.headers.get('idempotent-replayed'));
    expect(replayed.sort()).toEqual(['true', null].sort());
    expect(await countRows(database, 'customers')).toBe(before + 3);
  });
});
