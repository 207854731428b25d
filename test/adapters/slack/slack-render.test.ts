import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { blockKitViolations } from '../../../src/adapters/slack/slack-limits.ts';
import {
  readModalValues,
  renderHome,
  renderMessage,
  renderModal,
} from '../../../src/adapters/slack/slack-render.ts';
import { type Card, type CardForm, messageCard } from '../../../src/chat/card.ts';
import { createI18n } from '../../../src/chat/i18n.ts';
import {
  datepickerValue,
  plainTextInputValue,
  staticSelectValue,
} from '../../support/slack-requests.ts';

const t = createI18n().t('en');

const customer: Card = {
  title: 'A&B <Corp>',
  subtitle: 'C0042 · エーアンドビー',
  status: { colour: 'red', label: 'Red: 45 days overdue' },
  fields: [
    { label: 'Score / rating', value: '58 / C' },
    { label: 'Credit limit', value: '¥30,000,000' },
    { label: 'Exposure', value: '¥27,450,000' },
    { label: 'Utilisation', value: '91.5%' },
    { label: 'Credit phase', value: 'Watch' },
    { label: 'Owner', value: 'Yamada' },
    { label: 'Max days overdue', value: '45 days' },
    { label: 'Next collection step', value: 'Collection call (45 days overdue)' },
    { label: 'Open orders', value: '¥1,200,000' },
    { label: 'Next review', value: '2027-01-15' },
    { label: 'Flags', value: 'Strategic, Credit hold' },
    { label: 'Parent', value: 'A&B <Holdings>' },
  ],
  sections: [
    {
      heading: 'Aging as of 2026-11-23',
      table: {
        columns: ['Currency', 'Current', '91+ days'],
        rows: [
          ['JPY', '¥1,200,000', '¥0'],
          ['USD', '$35.00', '$1,250.00'],
        ],
        align: ['left', 'right', 'right'],
      },
      lines: ['Disputed: ¥300,000 in 2 invoices'],
    },
  ],
  actions: [
    { label: 'Log contact', command: '/credit log C0042', style: 'primary' },
    { label: 'Request limit change', command: '/credit limit C0042' },
    { label: 'Propose phase', command: '/credit phase C0042', style: 'danger' },
  ],
  footer: 'Figures as of 2026-11-23',
};
const tokens = ['tok-log', 'tok-limit', 'tok-phase'];

const sections = (blocks: readonly types.KnownBlock[]) =>
  blocks.filter((b): b is types.SectionBlock => b.type === 'section');
const texts = (blocks: readonly types.KnownBlock[]) =>
  sections(blocks).flatMap((b) => [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text)]);
const contextTexts = (blocks: readonly types.KnownBlock[]) =>
  blocks
    .filter((b): b is types.ContextBlock => b.type === 'context')
    .flatMap((b) => b.elements.map((e) => ('text' in e ? e.text : '')));
const buttons = (blocks: readonly types.KnownBlock[]) =>
  blocks
    .filter((b): b is types.ActionsBlock => b.type === 'actions')
    .flatMap((b) => b.elements as types.Button[]);

describe(renderMessage.name, () => {
  const { text, blocks } = renderMessage(customer, { tokens, t });

  it('opens with the name as a header and the status dot with its reason', () => {
    expect(blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'A&B <Corp>', emoji: true },
    });
    expect(blocks[1]).toEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: '🔴 *Red: 45 days overdue*' },
        { type: 'mrkdwn', text: 'C0042 · エーアンドビー' },
      ],
    });
    expect(text).toBe('🔴 A&amp;B &lt;Corp&gt; — Red: 45 days overdue');
  });

  it('shows the fields as label and value, ten to a section', () => {
    const withFields = sections(blocks).filter((b) => b.fields);
    expect(withFields.map((b) => b.fields?.length)).toEqual([10, 2]);
    expect(withFields[0]?.fields?.[1]).toEqual({
      type: 'mrkdwn',
      text: '*Credit limit*\n¥30,000,000',
    });
    expect(withFields[1]?.fields?.[1]?.text).toBe('*Parent*\nA&amp;B &lt;Holdings&gt;');
  });

  it('shows the aging table as a monospace block with the amounts right-aligned', () => {
    expect(texts(blocks)).toContain(
      [
        '*Aging as of 2026-11-23*',
        '```',
        'Currency     Current   91+ days',
        '────────  ──────────  ─────────',
        'JPY       ¥1,200,000         ¥0',
        'USD           $35.00  $1,250.00',
        '```',
        'Disputed: ¥300,000 in 2 invoices',
      ].join('\n'),
    );
  });

  it('gives each button its token as value and an action id of its own', () => {
    expect(buttons(blocks)).toEqual([
      {
        type: 'button',
        text: { type: 'plain_text', text: 'Log contact', emoji: true },
        value: 'tok-log',
        action_id: 'co_act_0',
        style: 'primary',
      },
      {
        type: 'button',
        text: { type: 'plain_text', text: 'Request limit change', emoji: true },
        value: 'tok-limit',
        action_id: 'co_act_1',
      },
      {
        type: 'button',
        text: { type: 'plain_text', text: 'Propose phase', emoji: true },
        value: 'tok-phase',
        action_id: 'co_act_2',
        style: 'danger',
      },
    ]);
  });

  it('ends with the footer and breaks no Block Kit limit', () => {
    expect(blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Figures as of 2026-11-23' }],
    });
    expect(blockKitViolations('message', blocks)).toEqual([]);
  });

  it('escapes &, < and > wherever card text goes into mrkdwn', () => {
    const card: Card = {
      title: 'x',
      subtitle: '<@U123> & <!channel>',
      lines: ['Paid by A&B <Corp> > expected'],
      footer: '<https://evil.example|click>',
    };
    const out = renderMessage(card, { tokens: [], t });
    expect(texts(out.blocks)).toEqual(['Paid by A&amp;B &lt;Corp&gt; &gt; expected']);
    expect(contextTexts(out.blocks)).toEqual([
      '&lt;@U123&gt; &amp; &lt;!channel&gt;',
      '&lt;https://evil.example|click&gt;',
    ]);
  });

  it('marks an error with ⚠️', () => {
    const out = renderMessage(
      messageCard('Something went wrong', ['Reference a1b2c3d4'], 'error'),
      {
        tokens: [],
        t,
      },
    );
    expect(out.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: '⚠️ Something went wrong' },
    });
    expect(out.text).toBe('⚠️ Something went wrong');
  });

  it('packs whole lines into sections and cuts only a line longer than a section', () => {
    const lines = [...Array.from({ length: 9 }, (_, i) => `${i}`.repeat(700)), 'z'.repeat(5000)];
    const out = renderMessage({ title: 'Lines', lines }, { tokens: [], t });
    const packed = texts(out.blocks);
    expect(packed.map((s) => s.split('\n').length)).toEqual([4, 4, 1, 1]);
    expect(packed.slice(0, 3).join('\n')).toBe(lines.slice(0, 9).join('\n'));
    expect(packed[3]).toBe(`${'z'.repeat(2999)}…`);
    expect(blockKitViolations('message', out.blocks)).toEqual([]);
  });

  it('drops lines before sections and sections before fields, and says so', () => {
    const card: Card = {
      title: 'Long',
      fields: customer.fields,
      sections: [{ heading: 'Promises', lines: ['2026-12-06: ¥26,459,400'] }],
      lines: Array.from({ length: 60 }, (_, i) => `${i} ${'x'.repeat(2900)}`),
      actions: customer.actions,
    };
    const out = renderMessage(card, { tokens, t, fullView: '/credit C0042' });
    expect(blockKitViolations('message', out.blocks)).toEqual([]);
    const shown = texts(out.blocks);
    expect(shown).toContain('*Promises*\n2026-12-06: ¥26,459,400');
    expect(shown.filter((s) => s.includes('x'.repeat(2900)))).toEqual(
      (card.lines ?? []).slice(0, 3),
    );
    expect(contextTexts(out.blocks)).toContain(
      'Shortened for Slack — the full view: `/credit C0042`',
    );
    expect(buttons(out.blocks).map((b) => b.value)).toEqual(tokens);
    expect(sections(out.blocks).filter((b) => b.fields).length).toBe(2);
  });

  it('cuts a long title to the header limit and long button labels to 75', () => {
    const out = renderMessage(
      { title: 'T'.repeat(400), actions: [{ label: 'L'.repeat(120), command: '/credit help' }] },
      { tokens: ['tok'], t },
    );
    expect(out.blocks[0]).toMatchObject({ text: { text: `${'T'.repeat(149)}…` } });
    expect(buttons(out.blocks)[0]?.text.text).toBe(`${'L'.repeat(74)}…`);
  });
});

describe(renderHome.name, () => {
  it('renders the same blocks as a Home view', () => {
    const home = renderHome(customer, { tokens, t });
    expect(home.type).toBe('home');
    expect(home.blocks).toEqual(renderMessage(customer, { tokens, t }).blocks);
    expect(blockKitViolations('home', home)).toEqual([]);
  });
});

const form: CardForm = {
  id: 'contact',
  title: 'Log a contact with Sakura Trading',
  submitLabel: 'Save',
  cancelLabel: 'Cancel',
  context: 'C0042',
  fields: [
    {
      id: 'method',
      label: 'How',
      kind: 'select',
      options: [
        { value: 'call', label: 'Call' },
        { value: 'email', label: 'Email' },
      ],
      initial: 'call',
    },
    {
      id: 'outcome',
      label: 'Outcome',
      kind: 'select',
      options: [
        { value: 'reached', label: 'Reached' },
        { value: 'promised', label: 'Promised to pay' },
      ],
    },
    { id: 'promise_date', label: 'Promised for', kind: 'date', optional: true, hint: 'A day' },
    {
      id: 'promise_amount',
      label: 'Promised amount (JPY)',
      kind: 'amount',
      optional: true,
      placeholder: '1,200,000',
    },
    { id: 'invoices', label: 'Disputed invoices', kind: 'text', optional: true },
    {
      id: 'note',
      label: 'Note',
      kind: 'text',
      optional: true,
      multiline: true,
      maxLength: 5000,
    },
  ],
};

describe(renderModal.name, () => {
  const view = renderModal(form, {
    callbackId: 'co_contact',
    privateMetadata: '{"context":"C0042"}',
  });

  it('opens a modal with its title cut to 24 characters', () => {
    expect(view).toMatchObject({
      type: 'modal',
      callback_id: 'co_contact',
      private_metadata: '{"context":"C0042"}',
      title: { type: 'plain_text', text: 'Log a contact with Saku…' },
      submit: { type: 'plain_text', text: 'Save' },
      close: { type: 'plain_text', text: 'Cancel' },
    });
    expect(blockKitViolations('modal', view)).toEqual([]);
  });

  it('gives each field an input keyed by its id', () => {
    const [method, outcome, date, amount, invoices, note] = view.blocks as types.InputBlock[];
    expect(method).toMatchObject({
      type: 'input',
      block_id: 'method',
      label: { text: 'How' },
      element: {
        type: 'static_select',
        action_id: 'method',
        options: [
          { text: { type: 'plain_text', text: 'Call' }, value: 'call' },
          { text: { type: 'plain_text', text: 'Email' }, value: 'email' },
        ],
        initial_option: { text: { type: 'plain_text', text: 'Call' }, value: 'call' },
      },
    });
    expect(method?.optional).toBeUndefined();
    expect(outcome?.element).not.toHaveProperty('initial_option');
    expect(date).toMatchObject({
      block_id: 'promise_date',
      optional: true,
      hint: { type: 'plain_text', text: 'A day' },
      element: { type: 'datepicker', action_id: 'promise_date' },
    });
    expect(amount?.element).toEqual({
      type: 'plain_text_input',
      action_id: 'promise_amount',
      placeholder: { type: 'plain_text', text: '1,200,000', emoji: true },
    });
    expect(invoices).toMatchObject({ optional: true, element: { type: 'plain_text_input' } });
    expect(note?.element).toEqual({
      type: 'plain_text_input',
      action_id: 'note',
      multiline: true,
      max_length: 3000,
    });
  });

  it('starts a date field on its initial day', () => {
    const dated = renderModal(
      { ...form, fields: [{ id: 'd', label: 'Day', kind: 'date', initial: '2026-12-05' }] },
      { callbackId: 'c', privateMetadata: '' },
    );
    expect(dated.blocks[0]).toMatchObject({ element: { initial_date: '2026-12-05' } });
  });

  it('refuses private metadata Slack would not carry', () => {
    expect(() => renderModal(form, { callbackId: 'c', privateMetadata: 'x'.repeat(3001) })).toThrow(
      /private_metadata/,
    );
  });
});

describe(readModalValues.name, () => {
  it('reads back what was chosen and typed, by field id, empty inputs as nothing', () => {
    const view = renderModal(form, { callbackId: 'co_contact', privateMetadata: '' });
    const typed: Record<string, ReturnType<typeof staticSelectValue>> = {
      method: staticSelectValue('email', 'Email'),
      outcome: staticSelectValue('promised', 'Promised to pay'),
      promise_date: datepickerValue('2026-12-05'),
      promise_amount: plainTextInputValue(' 1,200,000 '),
      invoices: plainTextInputValue('   '),
      note: { type: 'plain_text_input', value: null },
    };
    // The state Slack sends keys each value by the block_id and action_id the modal gave it.
    const values = Object.fromEntries(
      (view.blocks as types.InputBlock[]).map((b) => [
        b.block_id,
        { [b.element.action_id ?? '']: typed[b.block_id ?? ''] },
      ]),
    );
    expect(readModalValues(values)).toEqual({
      method: 'email',
      outcome: 'promised',
      promise_date: '2026-12-05',
      promise_amount: '1,200,000',
      invoices: undefined,
      note: undefined,
    });
  });
});
