import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import stringWidth from 'string-width';
import type { Card, CardChart, CardSection, CardTable } from '../../chat/card.ts';
import { STATUS_DOT as DOT, ELLIPSIS, tableBlocks, truncate } from '../../chat/card-text.ts';
import type { Translate } from '../../chat/i18n.ts';
import { TELEGRAM_LIMITS as L, type TelegramPart } from './telegram-limits.ts';

// Card → Telegram HTML messages with an inline keyboard. Every text of the core is escaped
// here, a card is cut into messages only between whole lines (a table continues in a new
// <pre> under its headings), so no tag or entity is ever split, and the keyboard rides on the
// last message. A card past the part budget loses content from the end behind a pointer.

/** Stands for the command in the pointer's wording while the rest is escaped. */
const SLOT = '\u{E000}';
/** Display columns a row of buttons may take before the next button starts a new row. */
const ROW_WIDTH = 34;
const ROW_MOST = 3;

/** The four characters Telegram's HTML mode needs escaped; nothing else is touched. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Plain text escaped and wrapped, cut before escaping so no entity is ever split. */
function fitted(plain: string, max: number, wrap: (html: string) => string = (h) => h): string {
  let room = Math.min(plain.length, max);
  for (;;) {
    const html = wrap(escapeHtml(truncate(plain, room)));
    if (html.length <= max) return html;
    if (room <= 1) return wrap(ELLIPSIS);
    // Escaping lengthened it: cut the plain text in proportion and try again.
    room = Math.max(1, Math.min(room - 1, Math.floor((room * max) / html.length)));
  }
}

const bold = (html: string) => `<b>${html}</b>`;
const italic = (html: string) => `<i>${html}</i>`;
const pre = (lines: readonly string[]) => `<pre>${lines.join('\n')}</pre>`;

/** A table as <pre> blocks of at most `max` characters (see tableBlocks). */
function tableUnits(table: CardTable, max: number): string[] {
  return tableBlocks(table, max, { frame: pre, fit: fitted });
}

/** A section's units: the heading rides with what it heads, so it never ends a message. */
function sectionUnits(section: CardSection, max: number): string[] {
  const heading = fitted(section.heading, Math.floor(max / 4), bold);
  // Whatever comes first joins the heading, so everything leaves it room.
  const room = max - heading.length - 1;
  const content = [
    ...(section.table ? tableUnits(section.table, room) : []),
    ...(section.lines ?? []).map((line) => fitted(line, room)),
  ];
  const [first, ...rest] = content;
  return ['', first === undefined ? heading : `${heading}\n${first}`, ...rest];
}

/**
 * The card as units (whole lines or <pre> blocks, '' for a gap), each at most `max`. Only as
 * far as `reach` characters: what starts beyond could never be shown, and laying out big
 * tables for nothing is slow (display widths). `complete` says whether all of it was.
 */
function bodyUnits(card: Card, max: number, reach: number): { units: string[]; complete: boolean } {
  const mark = card.tone === 'error' ? '⚠️ ' : '';
  const units = [fitted(`${mark}${card.title}`, max, bold)];
  if (card.status) {
    units.push(`${DOT[card.status.colour]} ${fitted(card.status.label, max - 4, bold)}`);
  }
  if (card.subtitle) units.push(fitted(card.subtitle, max, italic));
  const fields = card.fields ?? [];
  if (fields.length > 0) units.push('');
  for (const field of fields) {
    const label = fitted(field.label, Math.floor(max / 4), bold);
    units.push(`${label}: ${fitted(field.value, max - label.length - 2)}`);
  }
  const lines = card.lines ?? [];
  const later: (() => string[])[] = [
    ...(card.sections ?? []).map((section) => () => sectionUnits(section, max)),
    ...(lines.length > 0 ? [() => ['']] : []),
    ...lines.map((line) => () => [line === '' ? '' : fitted(line, max)]),
  ];
  let total = size(units);
  for (const next of later) {
    if (total > reach) return { units, complete: false };
    const more = next();
    units.push(...more);
    total += size(more) + 1;
  }
  return { units, complete: true };
}

/** Joins units into messages of at most `max`; gaps never start or end a message. */
function pack(units: readonly string[], budgets: (index: number) => number): string[][] {
  const parts: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const unit of units) {
    if (unit === '' && current.length === 0) continue;
    const grown = current.length === 0 ? unit.length : size + 1 + unit.length;
    if (current.length > 0 && grown > budgets(parts.length)) {
      parts.push(current);
      if (unit === '') {
        current = [];
        size = 0;
        continue;
      }
      current = [unit];
      size = unit.length;
    } else {
      current.push(unit);
      size = grown;
    }
  }
  if (current.length > 0) parts.push(current);
  return parts.map(trimGaps).filter((part) => part.length > 0);
}

function trimGaps(units: string[]): string[] {
  let start = 0;
  let end = units.length;
  while (start < end && units[start] === '') start += 1;
  while (end > start && units[end - 1] === '') end -= 1;
  return units.slice(start, end);
}

export interface TelegramRenderOptions {
  /** tokens[i] is the opaque token of card.actions[i], sent back as the callback data. */
  readonly tokens: readonly string[];
  readonly t: Translate;
  /** The command that shows the whole card, named when the card has to be shortened. */
  readonly fullView?: string;
  /** At most this many messages (an edit has as many as were posted); default the budget. */
  readonly maxParts?: number;
}

/** The card's buttons in rows: short labels share a row, long ones stand alone. */
export function renderKeyboard(
  card: Card,
  tokens: readonly string[],
): InlineKeyboardMarkup | undefined {
  const rows: InlineKeyboardButton[][] = [];
  let width = 0;
  let count = 0;
  (card.actions ?? []).forEach((action, i) => {
    const data = tokens[i];
    if (data === undefined || count >= L.keyboardButtons) return; // no token, no way to run it
    if (Buffer.byteLength(data, 'utf8') > L.callbackData) {
      throw new Error(`action token ${i} is over ${L.callbackData} bytes`);
    }
    const text = truncate(action.label, L.buttonText);
    const w = stringWidth(text);
    const row = rows.at(-1);
    if (row && row.length < Math.min(ROW_MOST, L.rowButtons) && width + w <= ROW_WIDTH) {
      row.push({ text, callback_data: data });
      width += w;
    } else {
      rows.push([{ text, callback_data: data }]);
      width = w;
    }
    count += 1;
  });
  return rows.length > 0 ? { inline_keyboard: rows } : undefined;
}

function pointerUnit(options: TelegramRenderOptions): string {
  const { t, fullView } = options;
  const text = fullView
    ? escapeHtml(t('telegram.truncated', { command: SLOT })).replace(
        SLOT,
        `<code>${escapeHtml(fullView)}</code>`,
      )
    : escapeHtml(t('telegram.truncated_plain'));
  return italic(text);
}

/**
 * A card as one or more Telegram messages (HTML parse mode): pure, so the same card always
 * gives the same messages. Each is at most 4096 characters of markup, which is never less
 * than what Telegram counts after parsing.
 */
export function renderParts(card: Card, options: TelegramRenderOptions): TelegramPart[] {
  const maxParts = Math.max(1, Math.min(options.maxParts ?? L.cardParts, L.cardParts));
  const max = L.messageText;
  const footer = card.footer ? fitted(card.footer, Math.floor(max / 4), italic) : undefined;
  const tail = footer === undefined ? [] : ['', footer];
  const end = ['', pointerUnit(options), ...tail];
  // Every unit leaves room for the pointer and the footer, so the message a shortened card
  // ends with always has room for them whatever it holds.
  const reserve = size(end) + 1;
  const { units: body, complete } = bodyUnits(card, max - reserve, maxParts * max);
  let parts = pack([...body, ...tail], () => max);
  if (parts.length > maxParts || !complete) {
    parts = pack(body, (i) => (i >= maxParts - 1 ? max - reserve : max)).slice(0, maxParts);
    parts.at(-1)?.push(...end);
  }
  const keyboard = renderKeyboard(card, options.tokens);
  return parts.map((units, i) => ({
    text: units.join('\n'),
    ...(keyboard && i === parts.length - 1 ? { reply_markup: keyboard } : {}),
  }));
}

/** The characters of units joined by line breaks. */
const size = (units: readonly string[]) =>
  units.reduce((n, u) => n + u.length, 0) + Math.max(0, units.length - 1);

/** A chart's caption under its picture: the title, within a caption's room. */
export function renderCaption(chart: CardChart): string {
  return fitted(chart.title, L.captionText, bold);
}

/** A follow-up question: the field's label, addressed to the person by a mention. */
export function renderQuestion(input: {
  readonly label: string;
  readonly hint?: string;
  readonly userId: number;
  readonly name: string;
}): string {
  const who = `<a href="tg://user?id=${input.userId}">${fitted(input.name, 64)}</a>`;
  const hint = input.hint ? `\n${fitted(input.hint, 1000, italic)}` : '';
  return `${who} ${fitted(input.label, 1000, bold)}${hint}`;
}
