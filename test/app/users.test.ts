import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, listUsers, resolveUser, setUserRole } from '../../src/app/users.ts';
import type { Bot } from '../../src/chat/bot.ts';
import { createI18n } from '../../src/chat/i18n.ts';
import { createStore } from '../../src/db/store.ts';
import type { Role } from '../../src/domain/credit.ts';
import { isDomainError } from '../../src/domain/errors.ts';
import { createTestBot } from '../support/bot.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// Registering people and their roles, as `creditops users …` and `/credit admin users …`
// do it, on a real engine; refusals are checked in the words the operator reads.

let database: TestDatabase;
let bot: Bot;
const en = createI18n().t('en');

beforeAll(async () => {
  database = await createTestDatabase();
  bot = createTestBot(database.store);
});
afterAll(async () => {
  await database?.close();
});

const slack = (id: string) => ({ platform: 'slack', externalId: id });

function auditOf(entityId: number) {
  return database.db
    .selectFrom('audit_log')
    .select(['actor', 'action', 'before', 'after'])
    .where('entity_type', '=', 'user')
    .where('entity_id', '=', String(entityId))
    .orderBy('id')
    .execute();
}

/** The refusal as the operator reads it, in English. */
async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (isDomainError(error)) return en(error.code, error.params);
    throw error;
  }
  throw new Error('expected a refusal');
}

const asChat = (text: string, id: string, defaultRole: Role = 'viewer') =>
  bot.handle({ identity: slack(id), displayName: id, text, defaultRole });

describe('adding users', () => {
  it('registers a Slack user with a role and a name, audited, and chat then knows them', async () => {
    const added = await addUser(database.store, 'cli:ops', {
      identity: 'slack:U100',
      role: 'credit_manager',
      name: 'Aiko Tanaka',
    });
    expect(added.outcome).toBe('created');
    expect(added.user).toMatchObject({ displayName: 'Aiko Tanaka', role: 'credit_manager' });
    expect(await auditOf(added.user.id)).toEqual([
      {
        actor: 'cli:ops',
        action: 'user.create',
        before: null,
        after: { displayName: 'Aiko Tanaka', role: 'credit_manager', identity: slack('U100') },
      },
    ]);
    const seen = await resolveUser(database.store, {
      identity: slack('U100'),
      displayName: 'aiko',
      defaultRole: 'viewer',
    });
    expect(seen).toMatchObject({ id: added.user.id, role: 'credit_manager' });
  });

  it('updates the role and name of a known identity, and records before and after', async () => {
    const first = await addUser(database.store, 'cli:ops', {
      identity: 'slack:U101',
      role: 'sales',
    });
    expect(first.user.displayName).toBe('U101');
    const updated = await addUser(database.store, 'user:7', {
      identity: 'SLACK:U101',
      role: 'Collector',
      name: 'Ken Mori',
    });
    expect(updated).toMatchObject({
      outcome: 'updated',
      user: { id: first.user.id, role: 'collector', displayName: 'Ken Mori' },
    });
    const again = await addUser(database.store, 'user:7', {
      identity: 'slack:U101',
      role: 'collector',
    });
    expect(again.outcome).toBe('unchanged');
    expect((await auditOf(first.user.id)).slice(1)).toEqual([
      {
        actor: 'user:7',
        action: 'user.update',
        before: { displayName: 'U101', role: 'sales' },
        after: { displayName: 'Ken Mori', role: 'collector' },
      },
    ]);
  });

  it('refuses a malformed identity and an unknown role, saying what is expected', async () => {
    const before = await listUsers(database.store);
    expect(
      await refusal(addUser(database.store, 'cli:ops', { identity: 'U123', role: 'sales' })),
    ).toBe(
      '“U123” is not a user identity. Write platform:id, the platform one of slack, line, telegram, console — e.g. slack:U0123ABCD.',
    );
    expect(
      await refusal(addUser(database.store, 'cli:ops', { identity: 'teams:U1', role: 'sales' })),
    ).toMatch(/^“teams:U1” is not a user identity/);
    expect(
      await refusal(addUser(database.store, 'cli:ops', { identity: 'slack:U9', role: 'boss' })),
    ).toBe(
      '“boss” is not a creditops role. Use one of: viewer, sales, collector, credit_manager, director, admin.',
    );
    expect(await listUsers(database.store)).toEqual(before);
  });
});

describe('first contact', () => {
  it('makes one user of a newcomer whose first messages arrive together', async () => {
    // Another request for the same person is creating them and has not committed yet: this
    // one sees nobody, makes its own user, and meets theirs at the identity's unique key.
    const identity = slack('U300');
    const race = await database.db.transaction().execute(async (trx) => {
      const other = await createStore(trx).users.create({
        identity,
        displayName: 'nora',
        role: 'viewer',
      });
      const mine = resolveUser(database.store, {
        identity,
        displayName: 'nora',
        defaultRole: 'viewer',
      }).then(
        (user) => ({ user }),
        (error: unknown) => ({ error }),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { other, mine };
    });
    expect(await race.mine).toEqual({ user: race.other });
    // What the losing request wrote, its user and their audit entry, was rolled back.
    const made = await database.db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('actor', '=', 'slack:U300')
      .execute();
    expect(made).toEqual([]);
    const users = await database.db
      .selectFrom('users')
      .select('id')
      .where('display_name', '=', 'nora')
      .execute();
    expect(users).toEqual([{ id: race.other.id }]);
  });
});

describe('roles', () => {
  it('changes a role by identity, audited; an unknown identity is refused', async () => {
    const { user } = await addUser(database.store, 'cli:ops', {
      identity: 'line:Uabc',
      role: 'viewer',
    });
    const changed = await setUserRole(database.store, 'cli:ops', {
      identity: 'line:Uabc',
      role: 'director',
    });
    expect(changed).toMatchObject({ outcome: 'updated', user: { role: 'director' } });
    expect((await auditOf(user.id)).at(-1)).toMatchObject({
      action: 'user.update',
      before: { role: 'viewer' },
      after: { role: 'director' },
    });
    expect(
      await refusal(
        setUserRole(database.store, 'cli:ops', { identity: 'line:Unone', role: 'sales' }),
      ),
    ).toBe('No creditops user has the identity line:Unone. Add them first with “users add”.');
  });

  it('never demotes the last admin, so somebody can always manage users', async () => {
    await addUser(database.store, 'cli:ops', { identity: 'slack:A1', role: 'admin', name: 'Ann' });
    await addUser(database.store, 'cli:ops', { identity: 'slack:A2', role: 'admin', name: 'Bob' });
    await setUserRole(database.store, 'cli:ops', { identity: 'slack:A1', role: 'sales' });
    const lastWords =
      'Bob is the only admin. Make someone else an admin first, so that somebody can still manage users.';
    expect(
      await refusal(
        setUserRole(database.store, 'cli:ops', { identity: 'slack:A2', role: 'viewer' }),
      ),
    ).toBe(lastWords);
    expect(
      await refusal(addUser(database.store, 'cli:ops', { identity: 'slack:A2', role: 'director' })),
    ).toBe(lastWords);
    const admins = (await listUsers(database.store)).filter((u) => u.role === 'admin');
    expect(admins.map((u) => u.displayName)).toEqual(['Bob']);
  });

  it('lists users with identities, role and language: most authority first, then by name', async () => {
    const users = await listUsers(database.store);
    const order: Role[] = ['admin', 'director', 'credit_manager', 'collector', 'sales', 'viewer'];
    const ranks = users.map((u) => order.indexOf(u.role));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(users.find((u) => u.displayName === 'Ann')).toMatchObject({
      role: 'sales',
      locale: null,
      identities: [slack('A1')],
    });
  });
});

describe('/credit admin users', () => {
  it('lists the users as a table for an admin', async () => {
    const card = await asChat('/credit admin users list', 'A2');
    expect(card.tone).not.toBe('error');
    expect(card.title).toBe('creditops users');
    const table = card.sections?.[0]?.table;
    expect(table?.columns).toEqual(['Identity', 'Name', 'Role', 'Language']);
    expect(table?.rows[0]).toEqual(['slack:A2', 'Bob', 'Admin', 'not set']);
    expect(table?.rows).toContainEqual(['slack:U100', 'Aiko Tanaka', 'Credit manager', 'not set']);
  });

  it('answers a malformed admin command with its usage', async () => {
    for (const text of [
      '/credit admin',
      '/credit admin users',
      '/credit admin users add slack:U1',
      '/credit admin users role slack:U1 sales extra',
    ]) {
      const card = await asChat(text, 'A2');
      expect(card.tone, text).toBe('error');
      expect(card.lines?.[0], text).toMatch(/^Usage: \/credit admin users list · /);
    }
  });

  it('adds a user and changes a role, audited as the admin, answered in the admin’s words', async () => {
    const added = await asChat('/credit admin users add telegram:4242 collector Mei Lin', 'A2');
    expect(added.lines).toEqual(['Added Mei Lin (telegram:4242) as Collector.']);
    const changed = await asChat('/credit admin users role telegram:4242 sales', 'A2');
    expect(changed.lines).toEqual(['Updated Mei Lin (telegram:4242): role Sales.']);
    const admin = (await listUsers(database.store)).find((u) => u.displayName === 'Bob');
    const mei = (await listUsers(database.store)).find((u) => u.displayName === 'Mei Lin');
    expect(mei?.role).toBe('sales');
    expect((await auditOf(mei?.id ?? 0)).map((a) => a.actor)).toEqual([
      `user:${admin?.id}`,
      `user:${admin?.id}`,
    ]);
    await bot.handle({
      identity: slack('A2'),
      displayName: 'Bob',
      text: '/credit lang ja',
      defaultRole: 'viewer',
    });
    const ja = await asChat('/credit admin users role telegram:4242 boss', 'A2');
    expect(ja.tone).toBe('error');
    expect(ja.lines?.[0]).toBe(
      '「boss」は creditops のロールではありません。次のいずれかを指定してください: viewer, sales, collector, credit_manager, director, admin',
    );
  });
});
