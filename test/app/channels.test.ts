import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSubscription, listSubscriptions, removeSubscription } from '../../src/app/channels.ts';
import { addUser } from '../../src/app/users.ts';
import type { Bot } from '../../src/chat/bot.ts';
import { createI18n } from '../../src/chat/i18n.ts';
import { isDomainError } from '../../src/domain/errors.ts';
import { createTestBot } from '../support/bot.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// Which channels receive the digest, alerts and approvals, as `creditops channels …` and
// `/credit subscribe …` manage them, on a real engine.

let database: TestDatabase;
let bot: Bot;
const en = createI18n().t('en');
const defaults = { defaultTimeZone: 'UTC', defaultLocale: 'en' } as const;

beforeAll(async () => {
  database = await createTestDatabase();
  bot = createTestBot(database.store);
});
afterAll(async () => {
  await database?.close();
});

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (isDomainError(error)) return en(error.code, error.params);
    throw error;
  }
  throw new Error('expected a refusal');
}

const auditOf = (entityId: string) =>
  database.db
    .selectFrom('audit_log')
    .select(['actor', 'action', 'before', 'after'])
    .where('entity_type', '=', 'subscription')
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();

describe('managing subscriptions', () => {
  it('subscribes a channel with defaults, updates it, lists and removes it, all audited', async () => {
    const created = await addSubscription(database.store, 'cli:ops', {
      channel: 'slack:C100',
      kind: 'digest',
      timeZone: 'Asia/Tokyo',
      locale: 'ja',
      ...defaults,
    });
    expect(created.outcome).toBe('created');
    expect(created.subscription).toEqual({
      channel: { platform: 'slack', externalId: 'C100' },
      kind: 'digest',
      localTime: '09:00',
      timeZone: 'Asia/Tokyo',
      locale: 'ja',
      businessDaysOnly: true,
      batched: false,
      filters: {},
    });
    const updated = await addSubscription(database.store, 'cli:ops', {
      channel: 'slack:C100',
      kind: 'digest',
      localTime: '8:30',
      businessDaysOnly: false,
      filters: { segment: 'SME', currency: 'jpy' },
      ...defaults,
    });
    expect(updated.outcome).toBe('updated');
    // The channel keeps its time zone and language when they are not given again.
    expect(updated.subscription).toMatchObject({
      localTime: '08:30',
      timeZone: 'Asia/Tokyo',
      locale: 'ja',
      businessDaysOnly: false,
      filters: { segment: 'SME', currency: 'JPY' },
    });
    const again = await addSubscription(database.store, 'cli:ops', {
      channel: 'slack:C100',
      kind: 'digest',
      localTime: '08:30',
      businessDaysOnly: false,
      filters: { segment: 'SME', currency: 'JPY' },
      ...defaults,
    });
    expect(again.outcome).toBe('unchanged');
    await addSubscription(database.store, 'cli:ops', {
      channel: 'slack:C100',
      kind: 'alerts',
      batched: true,
      ...defaults,
    });
    const listed = await listSubscriptions(database.store);
    expect(listed.filter((s) => s.channel.externalId === 'C100').map((s) => s.kind)).toEqual([
      'alerts',
      'digest',
    ]);
    const audit = await auditOf('slack:C100/digest');
    expect(audit.map((a) => a.action)).toEqual(['subscription.create', 'subscription.update']);
    expect(audit[1]?.before).toMatchObject({ localTime: '09:00' });
    expect(audit[1]?.after).toMatchObject({ localTime: '08:30' });

    const removed = await removeSubscription(database.store, 'cli:ops', { channel: 'slack:C100' });
    expect(removed.map((s) => s.kind)).toEqual(['alerts', 'digest']);
    expect(
      (await listSubscriptions(database.store)).filter((s) => s.channel.externalId === 'C100'),
    ).toEqual([]);
    expect((await auditOf('slack:C100/alerts')).map((a) => a.action)).toEqual([
      'subscription.create',
      'subscription.remove',
    ]);
    expect(
      await refusal(removeSubscription(database.store, 'cli:ops', { channel: 'slack:C100' })),
    ).toBe('slack:C100 has no subscription to remove (digest, alerts, approvals).');
  });

  it('refuses bad input in words the operator can act on', async () => {
    const add = (input: Partial<Parameters<typeof addSubscription>[2]>) =>
      refusal(
        addSubscription(database.store, 'cli:ops', {
          channel: 'slack:C200',
          kind: 'digest',
          ...defaults,
          ...input,
        }),
      );
    expect(await add({ channel: 'C200' })).toBe(
      '“C200” is not a channel. Write it as platform:id, e.g. slack:C0123ABCD; platforms: slack, line, telegram, console.',
    );
    expect(await add({ kind: 'weekly' })).toBe(
      '“weekly” is not something a channel can subscribe to. Use one of: digest, alerts, approvals.',
    );
    expect(await add({ localTime: '25:00' })).toBe(
      '“25:00” is not a time of day. Write it as HH:MM, e.g. 09:00.',
    );
    expect(await add({ timeZone: 'Mars/Olympus' })).toBe(
      '“Mars/Olympus” is not a time zone. Use an IANA name such as Asia/Tokyo, Asia/Shanghai or UTC.',
    );
    expect(await add({ locale: 'fr' })).toBe(
      '“fr” is not a language creditops writes in. Use one of: ja, zh, en.',
    );
    expect(await add({ filters: { currency: 'YEN' } })).toBe(
      '“YEN” is not an ISO currency code. Use three letters, e.g. JPY, CNY, USD.',
    );
    expect(
      (await listSubscriptions(database.store)).filter((s) => s.channel.externalId === 'C200'),
    ).toEqual([]);
  });
});

describe('/credit subscribe', () => {
  const channel = { platform: 'slack', externalId: 'C300' };
  const ask = (id: string, text: string) =>
    bot.handle({
      identity: { platform: 'slack', externalId: id },
      displayName: id,
      text,
      channel,
      defaultRole: 'viewer',
    });

  it('subscribes the channel it is typed in when an admin asks', async () => {
    await addUser(database.store, 'cli:ops', { identity: 'slack:UADMIN', role: 'admin' });
    const card = await ask('UADMIN', '/credit subscribe digest 08:00 Asia/Shanghai zh');
    expect(card.tone).toBe('normal');
    expect(card.lines?.[0]).toBe(
      'slack:C300 is subscribed to the Daily digest at 08:00 (Asia/Shanghai).',
    );
    expect(card.lines?.[1]).toBe('Business days only · Immediate · Chinese · no filters');
    const [subscription] = (await listSubscriptions(database.store)).filter(
      (s) => s.channel.externalId === 'C300',
    );
    expect(subscription).toMatchObject({ kind: 'digest', localTime: '08:00', locale: 'zh' });
    // Nobody here pinned a language, so from now on the channel's (zh) is the one answered in.
    const gone = await ask('UADMIN', '/credit unsubscribe digest');
    expect(gone.lines).toEqual(['slack:C300 已停止接收每日摘要。']);
  });

  it('refuses a viewer and subscribes nothing', async () => {
    const card = await ask('UVIEW', '/credit subscribe digest');
    expect(card.tone).toBe('error');
    expect(card.lines).toEqual([
      '您的角色（查看者）无权执行 /credit subscribe。如有需要，请联系 creditops 管理员调整权限。',
    ]);
    expect(
      (await listSubscriptions(database.store)).filter((s) => s.channel.externalId === 'C300'),
    ).toEqual([]);
  });
});
