import { describe, expect, it } from 'vitest';
import type { CardTable } from '../../src/chat/card.ts';
import { tableBlocks, truncate } from '../../src/chat/card-text.ts';

describe(truncate.name, () => {
  it('keeps text that fits and marks a cut with an ellipsis', () => {
    expect(truncate('与信限度額', 5)).toBe('与信限度額');
    expect(truncate('与信限度額の見直し', 5)).toBe('与信限度…');
  });

  it('never cuts through a surrogate pair', () => {
    const cut = truncate('ab😀cd', 4);
    expect(cut).toBe('ab…');
    expect(cut.length).toBeLessThanOrEqual(4);
  });
});

describe(tableBlocks.name, () => {
  const table: CardTable = {
    columns: ['Bucket', 'Amount'],
    rows: Array.from({ length: 30 }, (_, i) => [`${i}–${i + 30} days`, `¥${i * 1000}`]),
    align: ['left', 'right'],
  };
  const format = {
    frame: (lines: readonly string[]) => `<pre>${lines.join('\n')}</pre>`,
    fit: (line: string, width: number) => truncate(line, width),
  };

  it('splits a long table into blocks within the limit, each under the column headings', () => {
    const blocks = tableBlocks(table, 200, format);
    expect(blocks.length).toBeGreaterThan(1);
    for (const block of blocks) {
      expect(block.length).toBeLessThanOrEqual(200);
      expect(block.startsWith('<pre>Bucket')).toBe(true);
    }
    const rows = blocks.flatMap((b) => b.slice(5, -6).split('\n').slice(2));
    expect(rows).toHaveLength(30);
  });

  it('keeps a table that fits in one block', () => {
    expect(tableBlocks(table, 4000, format)).toHaveLength(1);
  });
});
