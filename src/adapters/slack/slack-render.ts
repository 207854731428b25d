import type { types, ViewOutput } from '@slack/bolt';
import type { Card, CardForm, CardFormField, CardSection, CardTable } from '../../chat/card.ts';
import { STATUS_DOT as DOT, ELLIPSIS, tableBlocks, truncate } from '../../chat/card-text.ts';
import type { Translate } from '../../chat/i18n.ts';
import { SLACK_LIMITS as L } from './slack-limits.ts';

// Card → Block Kit. Every text is cut to its Block Kit limit here, and a card too big for one
// message loses content from the end (lines, then sections, then fields) behind a pointer to
// the full view, so Slack never refuses what the core says.

const FENCE = '```';

/** Slack's three control characters; everything else in mrkdwn reads as typed. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts escaped text without leaving half an entity (`&am…`) before the mark. */
function cutEscaped(escaped: string, max: number): string {
  return escaped.length <= max ? escaped : truncate(escaped, max).replace(/&[a-z]*…$/, ELLIPSIS);
}

const mrkdwn = (text: string, max: number) => cutEscaped(escapeMrkdwn(text), max);

function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

/** Joins units (lines, code blocks) into as few texts of ≤ max as their order allows. */
function pack(units: readonly string[], max: number = L.sectionText): string[] {
  const chunks: string[] = [];
  let current: string | undefined;
  for (const unit of units) {
    const piece = cutEscaped(unit, max);
    if (current !== undefined && current.length + 1 + piece.length <= max) {
      current += `\n${piece}`;
    } else {
      if (current !== undefined) chunks.push(current);
      current = piece;
    }
  }
  if (current !== undefined) chunks.push(current);
  return chunks.map((c) => c.replace(/^\n+|\n+$/g, '')).filter((c) => c.trim() !== '');
}

/** A table as code blocks of ≤ max characters each (see tableBlocks). */
function tableUnits(table: CardTable, max: number = L.sectionText): string[] {
  return tableBlocks(table, max, {
    frame: (lines) => `${FENCE}\n${lines.join('\n')}\n${FENCE}`,
    fit: mrkdwn,
  });
}

function sectionTexts(section: CardSection): string[] {
  // A heading is held to a header's length, and the table leaves it room, so the heading
  // always shares a section with the start of what it heads.
  const heading = `*${mrkdwn(section.heading, L.headerText)}*`;
  return pack([
    heading,
    ...(section.table ? tableUnits(section.table, L.sectionText - heading.length - 1) : []),
    ...(section.lines ?? []).map((line) => mrkdwn(line, L.sectionText)),
  ]);
}

const textSection = (text: string): types.SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text },
});
const contextBlock = (texts: readonly string[]): types.ContextBlock => ({
  type: 'context',
  elements: texts.map((text) => ({ type: 'mrkdwn', text })),
});

interface Budget {
  readonly blocks: number;
  readonly chars: number;
}

/** What a card turns into, as texts, before the budget decides what stays. */
interface Content {
  readonly head: types.KnownBlock[];
  readonly headChars: number;
  readonly fields: string[];
  readonly sections: string[];
  readonly lines: string[];
  footer: string | undefined;
  readonly buttons: types.Button[];
}

function buttons(card: Card, tokens: readonly string[]): types.Button[] {
  const out: types.Button[] = [];
  (card.actions ?? []).forEach((action, i) => {
    const value = tokens[i];
    if (value === undefined) return; // no token, no way to run it: leave the button out
    if (value.length > L.buttonValue) throw new Error(`action token ${i} is over 2000 characters`);
    out.push({
      type: 'button',
      text: plain(action.label, L.buttonText),
      value,
      action_id: `co_act_${i}`,
      ...(action.style ? { style: action.style } : {}),
    });
  });
  return out;
}

/**
 * The sections' texts, only as far as the budget could still reach: content goes from the end,
 * so what starts after the budget is spent would never be shown, and big tables are not laid
 * out for nothing (measuring display width is slow). `complete` says whether all were.
 */
function sectionsWithin(
  sections: readonly CardSection[],
  spent: Budget,
  budget: Budget,
): { texts: string[]; complete: boolean } {
  const texts: string[] = [];
  let { blocks, chars } = spent;
  for (const section of sections) {
    if (blocks > budget.blocks || chars > budget.chars) return { texts, complete: false };
    const more = sectionTexts(section);
    texts.push(...more);
    blocks += more.length;
    chars += sum(more);
  }
  return { texts, complete: true };
}

function content(card: Card, tokens: readonly string[], budget: Budget): Content {
  const head: types.KnownBlock[] = [];
  // An error has no status to show; the mark goes where the eye lands first.
  const title = plain(card.tone === 'error' ? `⚠️ ${card.title}` : card.title, L.headerText);
  if (title.text.trim() !== '') head.push({ type: 'header', text: title });
  const context = [
    ...(card.status
      ? [mrkdwn(`${DOT[card.status.colour]} *${card.status.label}*`, L.contextText)]
      : []),
    ...(card.subtitle ? [mrkdwn(card.subtitle, L.contextText)] : []),
  ];
  if (context.length > 0) head.push(contextBlock(context));
  const headChars = (head[0]?.type === 'header' ? title.text.length : 0) + sum(context);
  const fields = (card.fields ?? []).map((f) =>
    cutEscaped(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, L.sectionFieldText),
  );
  const sections = sectionsWithin(
    card.sections ?? [],
    {
      blocks: head.length + groups(fields.length, L.sectionFields),
      chars: headChars + sum(fields),
    },
    budget,
  );
  return {
    head,
    headChars,
    fields,
    sections: sections.texts,
    lines: sections.complete
      ? pack((card.lines ?? []).map((line) => mrkdwn(line, L.sectionText)))
      : [],
    footer: card.footer ? mrkdwn(card.footer, L.contextText) : undefined,
    buttons: buttons(card, tokens),
  };
}

const sum = (texts: readonly string[]) => texts.reduce((n, s) => n + s.length, 0);
const groups = (count: number, size: number) => Math.ceil(count / size);

function blockCount(c: Content, pointer: boolean): number {
  return (
    c.head.length +
    groups(c.fields.length, L.sectionFields) +
    c.sections.length +
    c.lines.length +
    (c.footer ? 1 : 0) +
    groups(c.buttons.length, L.actionsElements) +
    (pointer ? 1 : 0)
  );
}

function charCount(c: Content, pointer: string | undefined): number {
  return (
    c.headChars +
    sum(c.fields) +
    sum(c.sections) +
    sum(c.lines) +
    (c.footer?.length ?? 0) +
    c.buttons.reduce((n, b) => n + b.text.text.length, 0) +
    (pointer?.length ?? 0)
  );
}

/** Drops the least needed remaining piece; false when only what must stay is left. */
function dropOne(c: Content): boolean {
  if (c.lines.pop() !== undefined) return true;
  if (c.sections.pop() !== undefined) return true;
  if (c.fields.pop() !== undefined) return true;
  if (c.footer !== undefined) {
    c.footer = undefined;
    return true;
  }
  // The first row of buttons always stays: it is how the person acts on the card.
  if (c.buttons.length > L.actionsElements) return c.buttons.pop() !== undefined;
  return false;
}

/** Fits the content to the budget; says whether anything had to go. */
function fitToBudget(c: Content, budget: Budget, pointer: string): boolean {
  const fits = (p: string | undefined) =>
    blockCount(c, p !== undefined) <= budget.blocks && charCount(c, p) <= budget.chars;
  if (fits(undefined)) return false;
  while (!fits(pointer) && dropOne(c));
  return true;
}

function assemble(c: Content, pointer: string | undefined): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [...c.head];
  for (let i = 0; i < c.fields.length; i += L.sectionFields) {
    blocks.push({
      type: 'section',
      fields: c.fields.slice(i, i + L.sectionFields).map((text) => ({ type: 'mrkdwn', text })),
    });
  }
  blocks.push(...c.sections.map(textSection), ...c.lines.map(textSection));
  // The pointer sits where the content stops, above the buttons.
  if (pointer !== undefined) blocks.push(contextBlock([pointer]));
  for (let i = 0; i < c.buttons.length; i += L.actionsElements) {
    blocks.push({ type: 'actions', elements: c.buttons.slice(i, i + L.actionsElements) });
  }
  if (c.footer) blocks.push(contextBlock([c.footer]));
  return blocks;
}

export interface SlackRenderOptions {
  /** tokens[i] is the opaque token of card.actions[i], carried as the button's value. */
  readonly tokens: readonly string[];
  readonly t: Translate;
  /** The command that shows the whole card, named when a message has to be shortened. */
  readonly fullView?: string;
}

export interface SlackMessage {
  /** The notification text (and what clients without blocks show). */
  readonly text: string;
  readonly blocks: types.KnownBlock[];
}

function renderBlocks(card: Card, options: SlackRenderOptions, budget: Budget): types.KnownBlock[] {
  const c = content(card, options.tokens, budget);
  const pointer = mrkdwn(
    options.fullView
      ? options.t('slack.truncated', { command: `\`${options.fullView}\`` })
      : options.t('slack.truncated_plain'),
    L.contextText,
  );
  return assemble(c, fitToBudget(c, budget, pointer) ? pointer : undefined);
}

/** A card as one Slack message: pure, so the same card always gives the same blocks. */
export function renderMessage(card: Card, options: SlackRenderOptions): SlackMessage {
  const mark = card.tone === 'error' ? '⚠️ ' : card.status ? `${DOT[card.status.colour]} ` : '';
  const label = card.status ? ` — ${card.status.label}` : '';
  return {
    text: mrkdwn(`${mark}${card.title}${label}`, L.fallbackText),
    blocks: renderBlocks(card, options, { blocks: L.messageBlocks, chars: L.messageChars }),
  };
}

/**
 * The App Home tab: the same blocks with a view's 100-block room. Views have no documented
 * total, so the message's character budget holds here too.
 */
export function renderHome(
  card: Card,
  options: Pick<SlackRenderOptions, 'tokens' | 't'>,
): types.HomeView {
  return {
    type: 'home',
    blocks: renderBlocks(card, options, { blocks: L.viewBlocks, chars: L.messageChars }),
  };
}

function selectElement(field: CardFormField): types.StaticSelect {
  const options = (field.options ?? []).slice(0, L.selectOptions).map((o) => {
    // A value is an identifier the core reads back: cutting it would corrupt the answer.
    if (o.value.length > L.optionValue) throw new Error(`option value ${o.value} is too long`);
    return { text: plain(o.label, L.optionText), value: o.value };
  });
  const initial = options.find((o) => o.value === field.initial);
  return {
    type: 'static_select',
    action_id: field.id,
    options,
    ...(initial ? { initial_option: initial } : {}),
  };
}

function inputElement(field: CardFormField): types.InputBlockElement {
  const placeholder = field.placeholder
    ? { placeholder: plain(field.placeholder, L.placeholder) }
    : {};
  switch (field.kind) {
    case 'select':
      return { ...selectElement(field), ...placeholder };
    case 'date':
      return {
        type: 'datepicker',
        action_id: field.id,
        ...(field.initial && /^\d{4}-\d{2}-\d{2}$/.test(field.initial)
          ? { initial_date: field.initial }
          : {}),
        ...placeholder,
      };
    case 'amount':
    case 'text':
      return {
        type: 'plain_text_input',
        action_id: field.id,
        ...(field.multiline ? { multiline: true } : {}),
        ...(field.maxLength ? { max_length: Math.min(field.maxLength, L.inputMaxLength) } : {}),
        ...(field.initial ? { initial_value: field.initial } : {}),
        ...placeholder,
      };
  }
}

function inputBlock(field: CardFormField): types.InputBlock {
  return {
    type: 'input',
    block_id: field.id,
    label: plain(field.label, L.inputLabel),
    element: inputElement(field),
    ...(field.optional ? { optional: true } : {}),
    ...(field.hint ? { hint: plain(field.hint, L.inputHint) } : {}),
  };
}

/** A card's form as a modal; each input's block_id and action_id are the field's id. */
export function renderModal(
  form: CardForm,
  options: { readonly callbackId: string; readonly privateMetadata: string },
): types.ModalView {
  if (options.privateMetadata.length > L.privateMetadata) {
    throw new Error(`private_metadata of ${options.privateMetadata.length} characters > 3000`);
  }
  return {
    type: 'modal',
    callback_id: options.callbackId,
    private_metadata: options.privateMetadata,
    title: plain(form.title, L.modalTitle),
    submit: plain(form.submitLabel, L.modalSubmit),
    close: plain(form.cancelLabel, L.modalClose),
    blocks: form.fields.slice(0, L.viewBlocks).map(inputBlock),
  };
}

/** A submitted modal's values by field id: the chosen option, date or trimmed text. */
export function readModalValues(
  values: ViewOutput['state']['values'],
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const inputs of Object.values(values)) {
    for (const [id, input] of Object.entries(inputs)) {
      const raw = input.selected_option?.value ?? input.selected_date ?? input.value ?? '';
      const value = raw.trim();
      out[id] = value === '' ? undefined : value;
    }
  }
  return out;
}
