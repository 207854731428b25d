import type { InlineKeyboardMarkup } from 'grammy/types';

// Bot API limits. Sources: @grammyjs/types 5.0.0 (methods.d.ts, markup.d.ts, settings.d.ts),
// which copies core.telegram.org/bots/api; the keyboard counts are not published there and
// come from the clients' behaviour as reported by bot developers (marked ⚠).
export const TELEGRAM_LIMITS = {
  /** sendMessage / editMessageText: 1–4096 characters after entity parsing. */
  messageText: 4096,
  /** sendPhoto caption: 0–1024 characters after entity parsing. */
  captionText: 1024,
  /** InlineKeyboardButton.callback_data: 1–64 bytes (UTF-8). */
  callbackData: 64,
  /** ⚠ Clients show at most 8 buttons in a row … */
  rowButtons: 8,
  /** ⚠ … and 100 in a keyboard (400 BUTTON_DATA_INVALID / REPLY_MARKUP_TOO_LONG beyond). */
  keyboardButtons: 100,
  /**
   * No published limit on a button's text; clients cut long labels in the middle, so ours
   * are held to what a phone shows on one line.
   */
  buttonText: 64,
  /** answerCallbackQuery text: 0–200 characters. */
  callbackAnswer: 200,
  /** ForceReply.input_field_placeholder: 1–64 characters. */
  placeholder: 64,
  /** setMyCommands: at most 100 commands; a name is 1–32 of [a-z0-9_] … */
  commands: 100,
  commandName: 32,
  /** … and a description 1–256 characters. */
  commandDescription: 256,
  /**
   * Our own budget: a card longer than this many messages would bury the chat, so it is
   * shortened behind a pointer to the full view instead.
   */
  cardParts: 5,
} as const;

/** What one Telegram message of ours carries (sendMessage / editMessageText). */
export interface TelegramPart {
  readonly text: string;
  readonly reply_markup?: InlineKeyboardMarkup;
}

const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"' };
const TAGS = new Set(['b', 'i', 'u', 's', 'code', 'pre', 'a', 'blockquote', 'tg-spoiler']);

/** The text Telegram shows once the HTML is parsed; undefined when it would not parse. */
export function visibleText(html: string): string | undefined {
  const open: string[] = [];
  let out = '';
  const token =
    /<(\/?)([a-z-]+)(?:\s[^<>]*)?>|&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);|[<>&]|[^<>&]+/y;
  for (let m = token.exec(html); m !== null; m = token.exec(html)) {
    const [whole, closing, tag, entity] = m;
    if (tag !== undefined) {
      const name = tag.toLowerCase();
      if (!TAGS.has(name)) return undefined;
      if (closing) {
        if (open.pop() !== name) return undefined;
      } else open.push(name);
    } else if (entity !== undefined) {
      out += NAMED[entity] ?? String.fromCodePoint(Number(`0${entity.slice(1)}`));
    } else if (whole === '<' || whole === '>' || whole === '&') {
      return undefined;
    } else out += whole;
  }
  return open.length === 0 ? out : undefined;
}

/**
 * Every limit the messages of one card break, in words, such as "part 2: 4,210 characters >
 * 4096". Empty when Telegram would take them all.
 */
export function telegramViolations(parts: readonly TelegramPart[]): string[] {
  const problems: string[] = [];
  if (parts.length === 0) problems.push('no message at all');
  if (parts.length > TELEGRAM_LIMITS.cardParts) {
    problems.push(`${parts.length} messages > ${TELEGRAM_LIMITS.cardParts}`);
  }
  parts.forEach((part, i) => {
    const where = `part ${i + 1}`;
    // The markup is never shorter than what it shows, so it is what gets counted.
    if (part.text.length > TELEGRAM_LIMITS.messageText) {
      problems.push(`${where}: ${part.text.length} characters > ${TELEGRAM_LIMITS.messageText}`);
    }
    const shown = visibleText(part.text);
    if (shown === undefined) problems.push(`${where}: the HTML does not parse`);
    else if (shown.trim() === '') problems.push(`${where}: empty text`);
    if (part.reply_markup && i !== parts.length - 1) {
      problems.push(`${where}: a keyboard on a part other than the last`);
    }
    if (part.reply_markup) problems.push(...keyboardViolations(part.reply_markup, where));
  });
  return problems;
}

function keyboardViolations(markup: InlineKeyboardMarkup, where: string): string[] {
  const problems: string[] = [];
  const rows = markup.inline_keyboard;
  const count = rows.reduce((n, row) => n + row.length, 0);
  if (count > TELEGRAM_LIMITS.keyboardButtons) {
    problems.push(`${where}: ${count} buttons > ${TELEGRAM_LIMITS.keyboardButtons}`);
  }
  rows.forEach((row, r) => {
    if (row.length === 0) problems.push(`${where} row ${r + 1}: empty`);
    if (row.length > TELEGRAM_LIMITS.rowButtons) {
      problems.push(`${where} row ${r + 1}: ${row.length} buttons > ${TELEGRAM_LIMITS.rowButtons}`);
    }
    row.forEach((button, b) => {
      const at = `${where} button ${r + 1}.${b + 1}`;
      if (button.text.trim() === '' || button.text.length > TELEGRAM_LIMITS.buttonText) {
        problems.push(`${at}: text of ${button.text.length} characters`);
      }
      const data = 'callback_data' in button ? button.callback_data : undefined;
      const bytes = data === undefined ? 0 : Buffer.byteLength(data, 'utf8');
      if (bytes < 1 || bytes > TELEGRAM_LIMITS.callbackData) {
        problems.push(`${at}: callback_data of ${bytes} bytes (1–${TELEGRAM_LIMITS.callbackData})`);
      }
    });
  });
  return problems;
}
