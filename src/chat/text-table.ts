import stringWidth from 'string-width';
import type { CardTable } from './card.ts';

// A table as monospace text lines, shared by every adapter that shows tables as text (the
// console, Slack's code blocks); adapters may not import each other, so it lives here.

export function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - stringWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

/** Columns sized by display width, so Japanese and Chinese labels line up in a terminal. */
export function renderTable(table: CardTable, indent = '  '): string[] {
  const widths = table.columns.map((col, i) =>
    Math.max(stringWidth(col), ...table.rows.map((row) => stringWidth(row[i] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    indent +
    cells
      .map((cell, i) => pad(cell, widths[i] ?? 0, table.align?.[i] ?? 'left'))
      .join('  ')
      .trimEnd();
  return [
    line(table.columns),
    indent + widths.map((w) => '─'.repeat(w)).join('  '),
    ...table.rows.map(line),
  ];
}
