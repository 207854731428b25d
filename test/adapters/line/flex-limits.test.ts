import type { messagingApi } from '@line/bot-sdk';
import { describe, expect, it } from 'vitest';
import { flexViolations, jsonBytes, LINE_LIMITS } from '../../../src/adapters/line/line-limits.ts';
import { renderCard, renderUpdate } from '../../../src/adapters/line/line-render.ts';
import { LOCALES, type Locale } from '../../../src/app/locales.ts';
import type { Card } from '../../../src/chat/card.ts';
import { createI18n } from '../../../src/chat/i18n.ts';
import { adminRequest as request, useDemoLedger } from '../../support/demo-ledger.ts';
import { extremeCard } from '../../support/extreme-card.ts';

// The acceptance test of the Flex renderer: the largest customer of the demo ledger as the
// real core words it in each language, a pick list longer than a carousel holds, and a card
// far past every limit, all reach LINE in a shape it accepts.

const demo = useDemoLedger();
const i18n = createI18n();

type Json = Record<string, unknown>;

/** Every text component and button of a Flex container, in order. */
function walk(node: unknown, out: { texts: string[]; data: string[]; labels: string[] }) {
  if (!node || typeof node !== 'object') return out;
  const n = node as Json;
  if (n.type === 'text' && typeof n.text === 'string') out.texts.push(n.text);
  if (n.type === 'button') {
    const action = n.action as Json;
    out.data.push(String(action.data));
    out.labels.push(String(action.label));
  }
  for (const value of Object.values(n)) {
    if (Array.isArray(value)) for (const v of value) walk(v, out);
    else if (value && typeof value === 'object') walk(value, out);
  }
  return out;
}
const contents = (message: messagingApi.FlexMessage) =>
  walk(message.contents, { texts: [], data: [], labels: [] });

describe('the largest demo customer on LINE', () => {
  it('is C0031, the busiest ledger of the demo', () => {
    expect(demo.largest).toBe('C0031');
  });

  it.each(LOCALES)(
    'breaks no Flex limit in %s and keeps every figure and button',
    async (locale) => {
      const t = i18n.t(locale);
      const caller = request(`/credit ${demo.largest}`, locale);
      const card = await demo.bot.handle(caller);
      expect(card.tone).not.toBe('error');
      const tokens = await demo.bot.actionTokens(card, caller);
      const message = renderCard(card, { tokens, t, fullView: `/credit ${demo.largest}` });

      expect(flexViolations([message])).toEqual([]);
      expect(message.contents.type).toBe('bubble');
      expect(jsonBytes(message.contents)).toBeLessThanOrEqual(LINE_LIMITS.bubbleBytes);
      const { texts, data } = contents(message);
      expect(texts[0]).toBe(card.title);
      for (const label of [t('card.limit'), t('card.exposure')]) {
        const value = card.fields?.find((f) => f.label === label)?.value;
        expect(value).toMatch(/\d/);
        expect(texts).toContain(label);
        expect(texts).toContain(value);
      }
      // The whole card fits: nothing was cut.
      expect(texts).not.toContain(t('line.truncated', { command: `/credit ${demo.largest}` }));
      expect(data).toEqual(tokens);
      expect(message.altText.length).toBeLessThanOrEqual(LINE_LIMITS.altText);
      expect(message.altText).toContain(card.title);
    },
  );

  it.each(LOCALES)('shows its contact form as the typed grammar in %s', async (locale) => {
    const card = await demo.bot.handle(request(`/credit log ${demo.largest}`, locale));
    expect(card.form).toBeDefined();
    const message = renderCard(card, { tokens: [], t: i18n.t(locale) });
    expect(flexViolations([message])).toEqual([]);
    expect(contents(message).texts.join('\n')).toContain(`/credit`);
  });
});

describe('a pick list', () => {
  const many: Card = {
    title: '20 customers match “ミドリ”',
    lines: ['Pick one:'],
    actions: Array.from({ length: 20 }, (_, i) => ({
      label: `C${String(100 + i).padStart(4, '0')} 株式会社ミドリ商事ホールディングス第${i}営業本部`,
      command: `/credit C${100 + i}`,
    })),
  };
  const tokens = many.actions?.map((_, i) => `tok${String(i).padStart(13, '0')}`) ?? [];

  it('is a carousel of at most 12 bubbles, the rest named in the first', () => {
    const t = i18n.t('en');
    const message = renderCard(many, { tokens, t });
    expect(flexViolations([message])).toEqual([]);
    const carousel = message.contents as messagingApi.FlexCarousel;
    expect(carousel.type).toBe('carousel');
    expect(carousel.contents).toHaveLength(LINE_LIMITS.carouselBubbles);
    const { texts, data, labels } = contents(message);
    expect(data).toEqual(tokens.slice(0, 11));
    expect(labels.every((l) => l === t('line.pick_choose'))).toBe(true);
    expect(texts).toContain(t('line.pick_more', { count: 9 }));
    // Each choice shows its whole label, not the 20 characters a button holds.
    expect(texts).toContain(many.actions?.[0]?.label);
  });

  it('from the demo ledger (ミドリ) offers both customers', async () => {
    const caller = request('/credit ミドリ', 'ja');
    const card = await demo.bot.handle(caller);
    const tokens2 = await demo.bot.actionTokens(card, caller);
    const message = renderCard(card, { tokens: tokens2, t: i18n.t('ja') });
    expect(flexViolations([message])).toEqual([]);
    expect((message.contents as messagingApi.FlexCarousel).contents).toHaveLength(3);
    expect(contents(message).data).toEqual(tokens2);
  });
});

/** Far past every limit: a 400-character title, 37 long fields, 30 big tables, 200 lines. */
const extreme = (locale: Locale) =>
  extremeCard(locale, {
    colour: 'red',
    sectionLine: 300,
    line: 500,
    actions: 6,
    style: (i) => (i === 0 ? 'primary' : i === 1 ? 'danger' : undefined),
    // Five columns read as a block per row on a phone; an empty cell still needs a text.
    table: (say) => ({
      columns: ['#', say(12), say(12), say(12), say(12)],
      rows: Array.from({ length: 40 }, (_, r) => [`${r}`, say(20), `¥${r * 1234}`, '', `${r}%`]),
      align: ['right', 'left', 'right', 'right', 'right'],
    }),
  });

describe('a card far past every LINE limit', () => {
  const tokens = Array.from({ length: 6 }, (_, i) => `tok${String(i).padStart(13, '0')}`);

  it.each(LOCALES)('is shortened to one bubble, keeping title and buttons, in %s', (locale) => {
    const t = i18n.t(locale);
    const card = extreme(locale);
    const message = renderCard(card, { tokens, t, fullView: '/credit C0031' });

    expect(flexViolations([message])).toEqual([]);
    expect(jsonBytes(message.contents)).toBeLessThanOrEqual(LINE_LIMITS.bubbleBytes);
    const { texts, data, labels } = contents(message);
    expect(texts[0]?.startsWith('★')).toBe(true);
    expect(texts).toContain(t('line.truncated', { command: '/credit C0031' }));
    expect(data).toEqual(tokens);
    expect(labels.every((l) => [...l].length <= LINE_LIMITS.actionLabel)).toBe(true);
    expect([...message.altText].length).toBeLessThanOrEqual(LINE_LIMITS.altText);
  });

  it('as an update is a short follow-up with the status and the buttons', () => {
    const t = i18n.t('ja');
    const card = extreme('ja');
    const message = renderUpdate(card, { tokens, t });
    expect(flexViolations([message])).toEqual([]);
    const { texts, data } = contents(message);
    expect(texts).toContain(t('line.updated'));
    expect(texts.some((text) => text.includes(card.status?.label.slice(0, 20) ?? '?'))).toBe(true);
    expect(data).toEqual(tokens);
    expect(jsonBytes(message.contents)).toBeLessThan(10_000);
  });
});

describe(flexViolations.name, () => {
  it('names what LINE would refuse', () => {
    const bubble = (label: string) => ({
      type: 'bubble' as const,
      body: {
        type: 'box' as const,
        layout: 'vertical' as const,
        contents: [
          { type: 'text' as const, text: '' },
          {
            type: 'button' as const,
            action: { type: 'postback' as const, label, data: 'x'.repeat(301) },
          },
        ],
      },
    });
    const problems = flexViolations([
      {
        type: 'flex',
        altText: 'x'.repeat(401),
        contents: {
          type: 'carousel',
          contents: Array.from({ length: 13 }, () => bubble('L'.repeat(21))),
        },
      },
    ]);
    expect(problems).toContain('message 1 altText: 401 characters > 400');
    expect(problems).toContain('message 1 carousel: 13 bubbles > 12');
    expect(problems).toContain('message 1 bubble 1 body.0: empty text');
    expect(problems).toContain('message 1 bubble 1 body.1 button label: 21 characters > 20');
    expect(problems).toContain('message 1 bubble 1 body.1 button data: 301 characters > 300');
  });
});
