import type { StatusColour } from '../domain/credit.ts';
import type { CardTable } from './card.ts';
import { renderTable } from './text-table.ts';

// Pieces every adapter that writes a card as text needs alike (Slack mrkdwn, Telegram HTML,
// LINE, the console); adapters may not import each other, so they live here. Escaping and
// markup stay with each platform's renderer.

/** The mark a card's status colour shows as, before its label. */
export const STATUS_DOT: Record<StatusColour, string> = { green: '🟢', yellow: '🟡', red: '🔴' };

export const ELLIPSIS = '…';

/**
 * At most `max` UTF-16 units (what Slack and Telegram count), never through a surrogate
 * pair, marked with an ellipsis when cut.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end) + ELLIPSIS;
}

export interface TableBlockFormat {
  /** The monospace block around the lines (a code fence, a <pre>); its own characters count. */
  readonly frame: (lines: readonly string[]) => string;
  /** One line made safe for the platform in at most `width` characters. */
  readonly fit: (line: string, width: number) => string;
}

/**
 * A table as monospace blocks of at most `max` characters each, frame included; a long table
 * continues in the next block under its column headings again. A line is cut at a third of
 * the room, so the headings and at least one row always fit.
 */
export function tableBlocks(table: CardTable, max: number, format: TableBlockFormat): string[] {
  const room = max - format.frame([]).length;
  const width = Math.floor((room - 2) / 3);
  const [columns = '', rule = '', ...rows] = renderTable(table, '').map((line) =>
    format.fit(line, width),
  );
  const blocks: string[] = [];
  let body: string[] = [];
  let size = columns.length + 1 + rule.length;
  for (const row of rows) {
    if (body.length > 0 && size + 1 + row.length > room) {
      blocks.push(format.frame([columns, rule, ...body]));
      body = [];
      size = columns.length + 1 + rule.length;
    }
    body.push(row);
    size += 1 + row.length;
  }
  blocks.push(format.frame([columns, rule, ...body]));
  return blocks;
}
