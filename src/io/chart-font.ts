import { existsSync } from 'node:fs';

// Which font the charts draw with, apart from the drawing itself (aging-chart.ts), so the bot
// can decide at start-up whether charts are on without loading vega and resvg.

/** Noto Sans CJK Regular: Debian and Ubuntu (fonts-noto-cjk), then Arch and Fedora. */
export const CJK_FONT_PATHS: readonly string[] = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
];

export class ChartFontMissingError extends Error {
  readonly searched: readonly string[];

  constructor(searched: readonly string[]) {
    super(
      `No CJK font for charts: install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk); looked in ${searched.join(', ')}`,
    );
    this.name = 'ChartFontMissingError';
    this.searched = searched;
  }
}

/** The first CJK font file that exists; throws ChartFontMissingError naming the package. */
export function findCjkFont(candidates: readonly string[] = CJK_FONT_PATHS): string {
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new ChartFontMissingError(candidates);
  return found;
}
