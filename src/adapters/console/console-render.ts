import stringWidth from 'string-width';
import type { Card } from '../../chat/card.ts';
import { STATUS_DOT as DOT } from '../../chat/card-text.ts';
import { pad, renderTable } from '../../chat/text-table.ts';

// The CLI reports import the table renderer through this adapter's index.
export { renderTable };

/** A Card as plain text for a terminal or a pipe. */
export function renderCard(card: Card): string {
  const out: string[] = [];
  const mark = card.status ? `${DOT[card.status.colour]} ` : card.tone === 'error' ? '⚠ ' : '';
  out.push(`${mark}${card.title}`);
  if (card.subtitle) out.push(`   ${card.subtitle}`);
  if (card.status) out.push(`   ${card.status.label}`);
  if (card.fields && card.fields.length > 0) {
    out.push('');
    const width = Math.max(...card.fields.map((f) => stringWidth(f.label)));
    for (const f of card.fields) out.push(`  ${pad(f.label, width, 'left')}  ${f.value}`);
  }
  for (const section of card.sections ?? []) {
    out.push('', `  ${section.heading}`);
    if (section.table) out.push(...renderTable(section.table, '  '));
    for (const line of section.lines ?? []) out.push(`  ${line}`);
  }
  if (card.lines && card.lines.length > 0) {
    out.push(...card.lines.map((l) => (l === '' ? '' : `  ${l}`)));
  }
  if (card.actions && card.actions.length > 0) {
    out.push('');
    for (const a of card.actions) out.push(`  → ${a.label}: ${a.command}`);
  }
  if (card.footer) out.push('', `  ${card.footer}`);
  return `${out.join('\n')}\n`;
}
