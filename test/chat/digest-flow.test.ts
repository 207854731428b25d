import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSubscription } from '../../src/app/channels.ts';
import { dueDigests } from '../../src/app/digest-delivery.ts';
import type { Bot, ChatRequest } from '../../src/chat/bot.ts';
import { createI18n } from '../../src/chat/i18n.ts';
import type { Role } from '../../src/domain/credit.ts';
import { createTestBot } from '../support/bot.ts';
import { TEST_TIMEZONE } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// `/credit digest`, `/credit digest me …` and `/credit aging` through the chat core on the
// demo ledger: what a sales rep and a credit manager see and what is stored.

let database: TestDatabase;
let bot: Bot;
const en = createI18n().t('en');
const ja = createI18n().t('ja');

/** The demo owner with the most customers, as a Slack user. */
let owner: { id: number; externalId: string; role: Role; customers: number };

beforeAll(async () => {
  database = await createTestDatabase({ base: 'demo' });
  bot = createTestBot(database.store);
  const { rows } = await sql<{ id: number; role: Role; n: number }>`
    select u.id, u.role, count(*)::int as n
      from customers c join users u on u.id = c.owner_user_id
     group by u.id order by n desc, u.id limit 1`.execute(database.db);
  const row = rows[0];
  if (!row) throw new Error('the demo ledger has no owners');
  // The demo owner signs in to Slack, reading English unless asked otherwise.
  await sql`insert into platform_identities (user_id, platform, external_id)
            values (${row.id}, 'slack', 'U-OWNER')`.execute(database.db);
  await sql`update users set locale = null where id = ${row.id}`.execute(database.db);
  owner = { id: row.id, externalId: 'U-OWNER', role: row.role, customers: row.n };
});
afterAll(async () => {
  await database?.close();
});

const ask = (externalId: string, text: string, extra: Partial<ChatRequest> = {}) =>
  bot.handle({
    identity: { platform: 'slack', externalId },
    displayName: externalId,
    text,
    defaultRole: 'viewer',
    ...extra,
  });

async function ownDigest(externalId: string) {
  return database.store.subscriptions.find({ platform: 'slack', externalId }, 'digest');
}

describe('/credit digest me', () => {
  it('sends an owner the digest of their own customers, privately, at the time they chose', async () => {
    const card = await ask(owner.externalId, '/credit digest me 08:30 Asia/Tokyo');
    expect(card.tone).not.toBe('error');
    expect(card.lines).toContain(
      en('digest.me.created', { time: '08:30', timeZone: 'Asia/Tokyo' }),
    );
    expect(card.lines).toContain(en('digest.me.owns', { count: owner.customers }));
    const saved = await ownDigest(owner.externalId);
    expect(saved).toMatchObject({
      localTime: '08:30',
      timeZone: 'Asia/Tokyo',
      filters: { owner: String(owner.id) },
      businessDaysOnly: true,
    });

    // The scheduler finds it like a channel's digest: at 08:30 Tokyo on a business day.
    const slots = await dueDigests(database.store, new Date('2026-11-24T23:31:00Z'));
    expect(slots.map((s) => s.key)).toContain(`slack:${owner.externalId}:2026-11-25`);
  });

  it('lists only the owner’s customers in their digest', async () => {
    const mine = await sql<{ code: string }>`
      select code from customers where owner_user_id = ${owner.id}`.execute(database.db);
    const codes = new Set(mine.rows.map((r) => r.code));
    // As the outbox renders the morning's post to the owner's DM.
    const rendered = await bot.outbox({
      id: 1,
      platform: 'slack',
      channel: owner.externalId,
      kind: 'post',
      payload: { type: 'digest', asOf: '2026-11-25', late: false },
      attempts: 1,
      updateRefs: [],
    });
    const card = rendered?.card;
    const name = await sql<{ display_name: string }>`
      select display_name from users where id = ${owner.id}`.execute(database.db);
    expect(card?.subtitle).toBe(
      en('digest.filters', { filters: name.rows[0]?.display_name ?? '' }),
    );
    const overdue = card?.sections?.find((s) => s.heading === en('digest.overdue.heading'));
    const listed = (overdue?.lines ?? [])
      .map((line) => /^([A-Z]\d{4})/u.exec(line)?.[1])
      .filter((code): code is string => code !== undefined);
    expect(listed.length).toBeGreaterThan(0);
    for (const code of listed) expect(codes.has(code), code).toBe(true);
  });

  it('changes the time when asked again, and stops when asked to', async () => {
    const again = await ask(owner.externalId, '/credit digest me 7:45 Asia/Tokyo');
    expect(again.lines?.[0]).toBe(
      en('digest.me.updated', { time: '07:45', timeZone: 'Asia/Tokyo' }),
    );
    const off = await ask(owner.externalId, '/credit digest me off');
    expect(off.lines).toEqual([en('digest.me.stopped')]);
    expect(await ownDigest(owner.externalId)).toBeUndefined();
    const twice = await ask(owner.externalId, '/credit digest me off');
    expect(twice.lines).toEqual([en('digest.me.none')]);
    const audit = await database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', 'like', `slack:${owner.externalId}/%`)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'subscription.create',
      'subscription.update',
      'subscription.remove',
    ]);
  });

  it('refuses a viewer and a time off the clock, in the asker’s language, saving nothing', async () => {
    const viewer = await ask('U-NEWREP', '/credit digest me');
    expect(viewer.tone).toBe('error');
    expect(await ownDigest('U-NEWREP')).toBeUndefined();
    const bad = await ask(owner.externalId, '/credit digest me 25:00', { platformLocale: 'ja' });
    expect(bad.tone).toBe('error');
    expect(bad.lines?.[0]).toBe(ja('errors.channels.bad_time', { value: '25:00' }));
    expect(await ownDigest(owner.externalId)).toBeUndefined();
  });
});

describe('/credit digest in a channel', () => {
  it('previews the channel’s digest with its filters and says when it is posted', async () => {
    await addSubscription(database.store, 'cli:test', {
      channel: 'slack:CJPY',
      kind: 'digest',
      localTime: '09:00',
      timeZone: 'Asia/Tokyo',
      locale: 'ja',
      filters: { currency: 'JPY' },
      defaultTimeZone: TEST_TIMEZONE,
      defaultLocale: 'en',
    });
    await sql`update users set role = 'credit_manager' where id = ${owner.id}`.execute(database.db);
    const card = await ask(owner.externalId, '/credit digest', {
      channel: { platform: 'slack', externalId: 'CJPY' },
    });
    expect(card.locale).toBe('ja');
    expect(card.subtitle).toBe(ja('digest.filters', { filters: 'JPY' }));
    expect(card.footer).toBe(
      ja('digest.preview.subscribed', { time: '09:00', timeZone: 'Asia/Tokyo' }),
    );
    const other = await ask(owner.externalId, '/credit digest', {
      channel: { platform: 'slack', externalId: 'CNONE' },
    });
    expect(other.footer).toBe(en('digest.preview.not_subscribed'));
  });
});

describe('/credit aging', () => {
  it('shows the portfolio aging per currency, or of the one asked for', async () => {
    const card = await ask(owner.externalId, '/credit aging');
    const table = card.sections?.[0]?.table;
    expect(table?.columns.at(-2)).toBe(en('aging.total'));
    expect(table?.rows.length).toBeGreaterThan(0);
    const jpy = await ask(owner.externalId, '/credit aging jpy');
    expect(jpy.sections?.[0]?.table?.rows.map((r) => r[0])).toEqual(['JPY']);
    const none = await ask(owner.externalId, '/credit aging XAU');
    expect(none.lines).toEqual([en('aging.nothing_open_in', { currency: 'XAU' })]);
  });
});
