import { describe, expect, it } from 'vitest';
import {
  TELEGRAM_LIMITS,
  type TelegramPart,
  telegramViolations,
  visibleText,
} from '../../../src/adapters/telegram/telegram-limits.ts';
import { commandMenus } from '../../../src/adapters/telegram/telegram-parse.ts';
import { renderParts } from '../../../src/adapters/telegram/telegram-render.ts';
import { LOCALES, type Locale } from '../../../src/app/locales.ts';
import type { ChatRequest } from '../../../src/chat/bot.ts';
import type { Card } from '../../../src/chat/card.ts';
import { createI18n } from '../../../src/chat/i18n.ts';
import { useDemoLedger } from '../../support/demo-ledger.ts';
import { extremeCard } from '../../support/extreme-card.ts';

// The acceptance test of the Telegram renderer: the largest customer of the demo ledger, as
// the real core words it in each language, and a card far past every limit, both reach
// Telegram as messages it accepts — HTML that parses, at most 4,096 characters each, the
// keyboard on the last, every callback_data within 64 bytes.

const demo = useDemoLedger();
const i18n = createI18n();

const request = (text: string, locale: Locale): ChatRequest => ({
  identity: { platform: 'telegram', externalId: `9100${LOCALES.indexOf(locale)}` },
  displayName: 'Tester',
  text,
  platformLocale: locale,
  defaultRole: 'admin',
});

const shown = (parts: readonly TelegramPart[]) => parts.map((p) => visibleText(p.text)).join('\n');
const callbackData = (parts: readonly TelegramPart[]) =>
  parts.flatMap((p) =>
    (p.reply_markup?.inline_keyboard ?? [])
      .flat()
      .map((b) => ('callback_data' in b ? b.callback_data : '')),
  );

describe('the largest demo customer on Telegram', () => {
  it.each(LOCALES)('breaks no Telegram limit in %s', async (locale) => {
    const t = i18n.t(locale);
    const caller = request(`/credit ${demo.largest}`, locale);
    const card = await demo.bot.handle(caller);
    expect(card.tone).not.toBe('error');
    const tokens = await demo.bot.actionTokens(card, caller);
    const parts = renderParts(card, { tokens, t, fullView: `/credit ${demo.largest}` });

    expect(telegramViolations(parts)).toEqual([]);
    for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(4096);
    for (const data of callbackData(parts)) {
      expect(Buffer.byteLength(data, 'utf8')).toBeLessThanOrEqual(64);
    }
    expect(callbackData(parts)).toEqual(tokens);
    expect(parts.at(-1)?.reply_markup).toBeDefined();
    expect(parts[0]?.text.startsWith(`<b>${card.title}</b>`)).toBe(true);
    for (const label of [t('card.limit'), t('card.exposure')]) {
      const value = card.fields?.find((f) => f.label === label)?.value;
      expect(value).toMatch(/\d/);
      expect(shown(parts)).toContain(`${label}: ${value}`);
    }
  });
});

/** Far past every limit: long title, 37 long fields, 30 big tables, 200 lines, 140 actions. */
const extreme = (locale: Locale) =>
  extremeCard(locale, {
    colour: 'red',
    sectionLine: 5000,
    line: 5000,
    actions: 140,
    // Telegram's HTML mode escapes the double quote too.
    ...(locale === 'en' ? { sample: 'Receivable overdue, dispute & <escalation> "pending" ' } : {}),
  });

describe('a card far past every Telegram limit', () => {
  const tokens = Array.from(
    { length: 140 },
    (_, i) => `tok${String(i).padStart(3, '0')}_${'x'.repeat(40)}`,
  );

  it.each(LOCALES)(
    'is shortened to the part budget, keeping title and buttons, in %s',
    (locale) => {
      const t = i18n.t(locale);
      const card = extreme(locale);
      const parts = renderParts(card, { tokens, t, fullView: '/credit C0031' });

      expect(telegramViolations(parts)).toEqual([]);
      expect(parts).toHaveLength(TELEGRAM_LIMITS.cardParts);
      expect(visibleText(parts[0]?.text ?? '')?.startsWith(card.title.slice(0, 100))).toBe(true);
      expect(callbackData(parts)).toEqual(tokens.slice(0, 100));
      const pointer = t('telegram.truncated', { command: '/credit C0031' });
      expect(pointer).not.toBe('telegram.truncated');
      expect(shown(parts)).toContain(pointer);
      // The footer survives the cut, under the pointer, at the end of the last message.
      const last = visibleText(parts.at(-1)?.text ?? '') ?? '';
      const footer = card.footer?.slice(0, 50) ?? '';
      expect(last.indexOf(pointer)).toBeGreaterThan(0);
      expect(last.lastIndexOf(footer)).toBeGreaterThan(last.indexOf(pointer));
    },
  );

  it.each(LOCALES)('says it was shortened even with no command to point to, in %s', (locale) => {
    const t = i18n.t(locale);
    const parts = renderParts(extreme(locale), { tokens, t });
    expect(telegramViolations(parts)).toEqual([]);
    expect(shown(parts)).toContain(t('telegram.truncated_plain'));
  });

  it('fits an edit into the messages the card was posted in', () => {
    const t = i18n.t('en');
    const parts = renderParts(extreme('en'), { tokens, t, maxParts: 2 });
    expect(parts).toHaveLength(2);
    expect(telegramViolations(parts)).toEqual([]);
  });
});

describe('splitting a long card', () => {
  const t = i18n.t('en');
  const lines = Array.from(
    { length: 60 },
    (_, i) => `Line ${i}: <invoice> & "note" ${'x'.repeat(i % 40)}`,
  );
  const card: Card = {
    title: 'Acme & <Sons>',
    fields: [{ label: 'Limit', value: '¥30,000,000 < ¥35,000,000' }],
    sections: [
      {
        heading: 'Open invoices',
        table: {
          columns: ['Invoice', 'Due', 'Open'],
          rows: Array.from({ length: 200 }, (_, i) => [`INV-${i}`, '2026-12-01', `¥${i},000`]),
        },
      },
    ],
    lines,
    actions: [
      { label: 'Approve', command: '/credit approve 1' },
      { label: 'Reject', command: '/credit reject 1' },
    ],
    footer: 'As of 2026-11-23',
  };
  const parts = renderParts(card, { tokens: ['a'.repeat(16), 'b'.repeat(16)], t });

  it('cuts between whole lines, each message valid HTML of at most 4,096 characters', () => {
    expect(parts.length).toBeGreaterThan(1);
    expect(telegramViolations(parts)).toEqual([]);
    for (const part of parts) {
      expect(part.text.length).toBeLessThanOrEqual(4096);
      expect(part.text).not.toMatch(/^\n|\n$/);
    }
  });

  it('loses nothing and escapes every text', () => {
    const text = shown(parts);
    expect(text).toContain('Acme & <Sons>');
    expect(text).toContain('Limit: ¥30,000,000 < ¥35,000,000');
    for (const line of lines) expect(text).toContain(line);
    for (let i = 0; i < 200; i += 1) expect(text).toContain(`INV-${i} `);
    expect(text.trimEnd().endsWith('As of 2026-11-23')).toBe(true);
  });

  it('continues a table under its headings in a new <pre>', () => {
    const tables = parts.flatMap((p) => p.text.match(/<pre>[\s\S]*?<\/pre>/g) ?? []);
    expect(tables.length).toBeGreaterThan(1);
    for (const table of tables) expect(table).toMatch(/^<pre>Invoice +Due +Open\n─/);
  });

  it('puts the keyboard on the last message only, approve and reject side by side', () => {
    expect(parts.slice(0, -1).every((p) => p.reply_markup === undefined)).toBe(true);
    expect(parts.at(-1)?.reply_markup?.inline_keyboard).toEqual([
      [
        { text: 'Approve', callback_data: 'a'.repeat(16) },
        { text: 'Reject', callback_data: 'b'.repeat(16) },
      ],
    ]);
  });

  it('keeps a heading and a line longer than a message within the limit', () => {
    const long: Card = {
      title: 'Notes',
      sections: [{ heading: 'Collector’s note', lines: ['督促&<済>'.repeat(1000)] }],
    };
    const cut = renderParts(long, { tokens: [], t });
    expect(telegramViolations(cut)).toEqual([]);
    expect(visibleText(cut[0]?.text ?? '')).toContain('Collector’s note\n督促&<済>');
  });

  it('refuses a button whose data would be over 64 bytes', () => {
    const long = 'あ'.repeat(22); // 66 bytes in UTF-8
    expect(() => renderParts(card, { tokens: [long], t })).toThrow(/over 64 bytes/);
  });
});

describe(telegramViolations.name, () => {
  it('names each broken limit and where it is', () => {
    const row = (n: number, data = 'x') =>
      Array.from({ length: n }, () => ({ text: 'Go', callback_data: data }));
    expect(
      telegramViolations([
        { text: 'x'.repeat(4097), reply_markup: { inline_keyboard: [row(1)] } },
        { text: '<b>open' },
        {
          text: 'ok',
          reply_markup: { inline_keyboard: [row(9), row(1, 'あ'.repeat(22))] },
        },
      ]),
    ).toEqual([
      'part 1: 4097 characters > 4096',
      'part 1: a keyboard on a part other than the last',
      'part 2: the HTML does not parse',
      'part 3 row 1: 9 buttons > 8',
      'part 3 button 2.1: callback_data of 66 bytes (1–64)',
    ]);
  });
});

describe('the command menu', () => {
  it.each(LOCALES)(
    'has a name and a description Telegram takes for each command, in %s',
    (locale) => {
      const menus = commandMenus(i18n, locale);
      expect(menus.map((m) => m.language_code)).toEqual([undefined, 'en', 'ja', 'zh']);
      for (const menu of menus) {
        expect(menu.commands.length).toBeLessThanOrEqual(100);
        for (const { command, description } of menu.commands) {
          expect(command).toMatch(/^[a-z0-9_]{1,32}$/);
          expect(description.length).toBeGreaterThan(0);
          expect(description.length).toBeLessThanOrEqual(256);
          expect(description).not.toContain('telegram.commands');
        }
      }
      const ja = menus.find((m) => m.language_code === 'ja');
      expect(ja?.commands.find((c) => c.command === 'limit')?.description).toContain('与信限度額');
    },
  );
});
