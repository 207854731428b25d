import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/app/ports.ts';
import { type Bot, type ChatRequest, localeFromTag } from '../../src/chat/bot.ts';
import { createTestBot } from '../support/bot.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let bot: Bot;
const logged: unknown[] = [];
const logger: Logger = { info: () => {}, warn: () => {}, error: (m, f) => logged.push({ m, f }) };

beforeAll(async () => {
  database = await createTestDatabase({ base: 'demo' });
  bot = createTestBot(database.store, logger);
});
afterAll(async () => {
  await database?.close();
});

const request = (text: string, user = 'tester', extra: Partial<ChatRequest> = {}): ChatRequest => ({
  identity: { platform: 'test', externalId: user },
  displayName: user,
  text,
  defaultRole: 'viewer',
  ...extra,
});

async function counts() {
  const one = async (
    table: 'customers' | 'invoices' | 'contacts' | 'promises' | 'approval_requests' | 'outbox',
  ) =>
    Number(
      (
        await database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    customers: await one('customers'),
    invoices: await one('invoices'),
    contacts: await one('contacts'),
    promises: await one('promises'),
    approvals: await one('approval_requests'),
    outbox: await one('outbox'),
  };
}

describe('the bot', () => {
  it('shows a customer card with limit, exposure, utilisation, aging, phase and owner', async () => {
    const card = await bot.handle(request('/credit アクメ'));
    expect(card.title).toBe('株式会社アクメ');
    expect(card.subtitle).toContain('C0001');
    expect(card.status?.colour).toMatch(/green|yellow|red/);
    const labels = card.fields?.map((f) => f.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        'Score / rating',
        'Credit limit',
        'Exposure',
        'Utilisation',
        'Credit phase',
        'Owner',
      ]),
    );
    expect(card.fields?.find((f) => f.label === 'Credit limit')?.value).toBe('¥30,000,000');
    expect(card.fields?.find((f) => f.label === 'Score / rating')?.value).toBe('72 / B');
    expect(card.sections?.[0]?.table?.columns).toEqual([
      'Currency',
      'Current',
      '1–30 days',
      '31–60 days',
      '61–90 days',
      '91+ days',
    ]);
    expect(card.actions?.map((a) => a.command)).toEqual([
      '/credit log C0001',
      '/credit limit C0001',
      '/credit phase C0001',
    ]);
  });

  it('answers in the channel language, and in the language a user pins', async () => {
    const ja = await bot.handle(request('/credit C0001', 'yamada', { channelLocale: 'ja' }));
    expect(ja.fields?.map((f) => f.label)).toContain('与信限度額');
    const switched = await bot.handle(
      request('/credit lang zh', 'yamada', { channelLocale: 'ja' }),
    );
    expect(switched.title).toBe('回复语言已切换为中文。');
    const zh = await bot.handle(request('/credit C0001', 'yamada', { channelLocale: 'ja' }));
    expect(zh.fields?.map((f) => f.label)).toContain('信用额度');
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('action', '=', 'user.set_locale')
      .execute();
    expect(audit).toEqual([
      { action: 'user.set_locale', before: { locale: null }, after: { locale: 'zh' } },
    ]);
  });

  it('answers in the channel’s configured language only when the person has none', async () => {
    await database.db
      .insertInto('channels')
      .values({ platform: 'test', external_id: 'C-ZH', name: 'credit-cn', locale: 'zh' })
      .execute();
    const inChannel = (user: string, extra: Partial<ChatRequest> = {}) =>
      request('/credit C0001', user, {
        channel: { platform: 'test', externalId: 'C-ZH' },
        ...extra,
      });
    expect((await bot.handle(inChannel('wang'))).locale).toBe('zh');
    expect((await bot.handle(inChannel('sato', { platformLocale: 'ja-JP' }))).locale).toBe('ja');
    await bot.handle(inChannel('wang', { text: '/credit lang en' }));
    expect((await bot.handle(inChannel('wang'))).locale).toBe('en');
    await database.db
      .updateTable('channels')
      .set({ locale: 'ja' })
      .where('external_id', '=', 'C-ZH')
      .execute();
    expect((await bot.handle(inChannel('li'))).locale).toBe('ja');
  });

  it('issues a card’s buttons to the person it answered, and to whoever renders it', async () => {
    const owner = async (token: string) =>
      (
        await database.db
          .selectFrom('action_tokens as a')
          .innerJoin('platform_identities as p', 'p.user_id', 'a.created_by_user_id')
          .select('p.external_id')
          .where('a.token', '=', token)
          .executeTakeFirstOrThrow()
      ).external_id;
    const asker = request('/credit C0001', 'kimura');
    const card = await bot.handle(asker);
    const [mine] = await bot.actionTokens(card, asker);
    expect(await owner(mine ?? '')).toBe('kimura');
    // The same card rendered for someone else (shared to a channel) carries their tokens.
    await bot.handle(request('/credit help', 'ogawa'));
    const [theirs] = await bot.actionTokens(card, request('', 'ogawa'));
    expect(await owner(theirs ?? '')).toBe('ogawa');
  });

  it('refuses a language it does not speak, in the user’s language', async () => {
    const card = await bot.handle(request('/credit lang fr', 'tanaka', { channelLocale: 'ja' }));
    expect(card.tone).toBe('error');
    expect(card.lines?.[0]).toBe('「fr」は対応していない言語です。ja, zh, en から選んでください。');
  });

  it('lists the commands for help', async () => {
    const card = await bot.handle(request('/credit help'));
    expect(card.title).toBe('creditops commands');
    expect(card.lines?.join('\n')).toContain('/credit lang ja|zh|en');
  });

  it('shows the portfolio aging in the channel’s language', async () => {
    const card = await bot.handle(
      request('/credit エイジング', 'u1', { channelLocale: 'ja', defaultRole: 'credit_manager' }),
    );
    expect(card.title).toMatch(/^売掛金エイジング（\d{4}\/\d{2}\/\d{2}時点）$/u);
    expect(card.sections?.[0]?.table?.columns).toContain('期日未到来');
  });

  it('gives a pick list for a shared name', async () => {
    const card = await bot.handle(request('/credit ミドリ'));
    expect(card.actions?.map((a) => a.command)).toEqual(
      expect.arrayContaining(['/credit C0009', '/credit C0010']),
    );
  });

  it('reads ja-JP, zh-Hans-CN and en-GB as our languages', () => {
    expect(localeFromTag('ja-JP')).toBe('ja');
    expect(localeFromTag('zh-Hans-CN')).toBe('zh');
    expect(localeFromTag('en_GB')).toBe('en');
    expect(localeFromTag('fr-FR')).toBeUndefined();
  });

  it('answers any input with usage, a result or a localized error, and writes nothing', async () => {
    const before = await counts();
    const hostile = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: 'grapheme', maxLength: 50 }).map((s) => `/credit ${s}`),
      fc.constantFrom(
        '',
        ' ',
        'x'.repeat(10_000),
        "/credit '; drop table customers; --",
        '/credit \u0000\u0007\u001b[31m',
        '/credit 👨‍👩‍👧‍👦🏳️‍🌈',
        '/credit \u202eأكمي\u202c',
        '/credit %_\\',
      ),
    );
    await fc.assert(
      fc.asyncProperty(hostile, async (text) => {
        const card = await bot.handle(request(text, 'fuzzer'));
        expect(card.title.length).toBeGreaterThan(0);
        expect(card.title).not.toMatch(/^[a-z_]+\.[a-z_.]+$/);
      }),
      { numRuns: 150 },
    );
    expect(await counts()).toEqual(before);
    expect(logged).toEqual([]);
  });
});
