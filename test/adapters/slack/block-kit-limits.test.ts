import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { blockKitViolations } from '../../../src/adapters/slack/slack-limits.ts';
import { renderMessage, renderModal } from '../../../src/adapters/slack/slack-render.ts';
import { LOCALES, type Locale } from '../../../src/app/locales.ts';
import { createI18n } from '../../../src/chat/i18n.ts';
import { adminRequest as request, useDemoLedger } from '../../support/demo-ledger.ts';
import { extremeCard } from '../../support/extreme-card.ts';

// The acceptance test of the Slack renderer: the largest customer of the demo ledger, as the
// real core words it in each language, and a card far past every limit, both reach Slack
// in a shape it accepts.

const demo = useDemoLedger();
const i18n = createI18n();

const allTexts = (blocks: readonly types.KnownBlock[]): string[] =>
  blocks.flatMap((b) => {
    if (b.type === 'header') return [b.text.text];
    if (b.type === 'section') return [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text)];
    if (b.type === 'context') return b.elements.map((e) => ('text' in e ? e.text : ''));
    return [];
  });
const buttonValues = (blocks: readonly types.KnownBlock[]) =>
  blocks
    .filter((b): b is types.ActionsBlock => b.type === 'actions')
    .flatMap((b) => (b.elements as types.Button[]).map((e) => e.value));

describe('the largest demo customer on Slack', () => {
  it.each(LOCALES)('breaks no Block Kit limit in %s', async (locale) => {
    const t = i18n.t(locale);
    const caller = request(`/credit ${demo.largest} `, locale);
    const card = await demo.bot.handle(caller);
    expect(card.tone).not.toBe('error');
    const tokens = await demo.bot.actionTokens(card, caller);
    const { text, blocks } = renderMessage(card, {
      tokens,
      t,
      fullView: `/credit ${demo.largest}`,
    });

    expect(blockKitViolations('message', blocks)).toEqual([]);
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: card.title } });
    const shown = allTexts(blocks).join('\n');
    for (const label of [t('card.limit'), t('card.exposure')]) {
      const value = card.fields?.find((f) => f.label === label)?.value;
      expect(value).toMatch(/\d/);
      expect(shown).toContain(`*${label}*\n${value}`);
    }
    expect(buttonValues(blocks)).toEqual(tokens);
  });

  it.each(LOCALES)('opens the contact form as a modal Slack accepts in %s', async (locale) => {
    const card = await demo.bot.handle(request(`/credit log ${demo.largest}`, locale));
    expect(card.form).toBeDefined();
    if (!card.form) return;
    const view = renderModal(card.form, {
      callbackId: 'co_contact',
      privateMetadata: JSON.stringify({ context: card.form.context }),
    });
    expect(blockKitViolations('modal', view)).toEqual([]);
    expect(view.blocks.map((b) => b.block_id)).toEqual(card.form.fields.map((f) => f.id));
  });
});

/** Far past every limit: 400-character title, 37 long fields, 30 big tables, 200 lines, 40 actions. */
const extreme = (locale: Locale) =>
  extremeCard(locale, {
    colour: 'yellow',
    sectionLine: 300,
    line: 500,
    actions: 40,
    style: (i) => (i === 0 ? 'primary' : undefined),
  });

describe('a card far past every Slack limit', () => {
  const tokens = Array.from({ length: 40 }, (_, i) => `tok_${i}_${'x'.repeat(40)}`);

  it.each(LOCALES)('is shortened to fit, keeping header and buttons, in %s', (locale) => {
    const t = i18n.t(locale);
    const card = extreme(locale);
    const { text, blocks } = renderMessage(card, { tokens, t, fullView: '/credit C0001' });

    expect(blockKitViolations('message', blocks)).toEqual([]);
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(blocks[0]).toMatchObject({
      type: 'header',
      text: { text: `${card.title.slice(0, 149)}…` },
    });
    const values = buttonValues(blocks);
    expect(values.length).toBeGreaterThanOrEqual(25);
    expect(values).toEqual(tokens.slice(0, values.length));
    expect(values).toEqual(tokens);
    const pointer = t('slack.truncated', { command: '`/credit C0001`' });
    expect(pointer).not.toBe('slack.truncated');
    expect(allTexts(blocks)).toContain(pointer);
  });

  it.each(LOCALES)('says it was shortened even with no command to point to, in %s', (locale) => {
    const t = i18n.t(locale);
    const { blocks } = renderMessage(extreme(locale), { tokens, t });
    expect(blockKitViolations('message', blocks)).toEqual([]);
    expect(allTexts(blocks)).toContain(t('slack.truncated_plain'));
  });
});

describe(blockKitViolations.name, () => {
  const section = (fields: number): types.SectionBlock => ({
    type: 'section',
    fields: Array.from({ length: fields }, (_, i) => ({ type: 'mrkdwn', text: `f${i}` })),
  });
  const button = (id: string): types.Button => ({
    type: 'button',
    text: { type: 'plain_text', text: 'Go' },
    action_id: id,
    value: 'v',
  });

  it('names each broken limit and where it is', () => {
    expect(
      blockKitViolations('message', [
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
        section(3),
        section(11),
        { type: 'actions', elements: [button('a'), button('a')] },
        { type: 'section', text: { type: 'mrkdwn', text: ' ' } },
      ]),
    ).toEqual([
      'block 1 (header): 151 characters > 150',
      'block 3 (section): 11 fields > 10',
      'block 4 (actions) button 2: action_id a used twice',
      'block 5 (section): empty text',
    ]);
  });

  it('allows 100 blocks in a view and 50 in a message, and counts a message’s text', () => {
    const many = Array.from({ length: 60 }, () => section(1));
    expect(blockKitViolations('message', many)).toEqual(['60 blocks > 50 in a message']);
    expect(blockKitViolations('home', { type: 'home', blocks: many })).toEqual([]);
    const long = Array.from({ length: 5 }, () => ({
      type: 'section' as const,
      text: { type: 'mrkdwn' as const, text: 'x'.repeat(2500) },
    }));
    expect(blockKitViolations('message', long)).toEqual(['12500 characters of text > 12000']);
  });

  it('checks a modal’s title, inputs and options', () => {
    const view: types.ModalView = {
      type: 'modal',
      title: { type: 'plain_text', text: 't'.repeat(25) },
      blocks: [
        {
          type: 'input',
          label: { type: 'plain_text', text: 'Pick' },
          element: {
            type: 'static_select',
            action_id: 'pick',
            options: [{ text: { type: 'plain_text', text: 'o'.repeat(76) }, value: 'a' }],
            initial_option: { text: { type: 'plain_text', text: 'B' }, value: 'b' },
          },
        },
      ],
    };
    expect(blockKitViolations('modal', view)).toEqual([
      'modal title of 25 characters (1–24)',
      'a modal with inputs needs a submit label',
      'block 1 (input) static_select option 1: 76 characters > 75',
      'block 1 (input) static_select: initial_option b is not among the options',
    ]);
  });
});
