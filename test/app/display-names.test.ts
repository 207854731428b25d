import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveUser } from '../../src/app/users.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// The name a platform reports for a first-time person is theirs to choose: it may hold what
// PostgreSQL refuses (NUL), what turns text around (bidi overrides), or nothing readable.
// Whatever it is, the person is registered and answered, under a name cards can show.

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const first = (externalId: string, displayName: string) =>
  resolveUser(database.store, {
    identity: { platform: 'line', externalId },
    displayName,
    defaultRole: 'viewer',
  });

describe('display names from a platform', () => {
  it('keeps a name without NUL, bidi overrides or zero-width joiners', async () => {
    const user = await first('Uname1', '\u0000田中\u202e 太郎\u200d\u0007');
    expect(user.displayName).toBe('田中 太郎');
  });

  it('cuts a long name to 128 characters', async () => {
    const user = await first('Uname2', '株'.repeat(500));
    expect([...user.displayName]).toHaveLength(128);
  });

  it("names a person by the platform's id when the name has nothing readable", async () => {
    const user = await first('Uname3', '\u200d\u200b\u0000 \u3000');
    expect(user.displayName).toBe('Uname3');
  });

  it('records the cleaned name in the audit entry of the first contact', async () => {
    const user = await first('Uname4', 'Ana\u0000 Silva');
    const entry = await database.db
      .selectFrom('audit_log')
      .select('after')
      .where('entity_type', '=', 'user')
      .where('entity_id', '=', String(user.id))
      .executeTakeFirstOrThrow();
    expect(entry.after).toMatchObject({ displayName: 'Ana Silva' });
  });
});
