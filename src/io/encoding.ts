import type { Encoding } from './columns.ts';

const HALF_WIDTH_KATAKANA = /[\uff61-\uff9f]/gu;
const KANA = /[\u3040-\u30ff]/gu;

function decodes(sample: Uint8Array, encoding: Encoding): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(sample, { stream: true });
  } catch {
    return undefined;
  }
}

/**
 * Japanese and Chinese exports still come in Shift_JIS (CP932) and GB18030 as often as in
 * UTF-8. A BOM or valid UTF-8 wins; otherwise Shift_JIS when the bytes read as Japanese (kana,
 * few stray half-width katakana — which is what GB18030 bytes become when misread), else
 * GB18030.
 */
export function detectEncoding(sample: Uint8Array): Encoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if (decodes(sample, 'utf-8') !== undefined) return 'utf-8';
  const sjis = decodes(sample, 'shift_jis');
  if (sjis !== undefined) {
    const halfWidth = sjis.match(HALF_WIDTH_KATAKANA)?.length ?? 0;
    const kana = sjis.match(KANA)?.length ?? 0;
    if (kana > 0 && halfWidth <= kana) return 'shift_jis';
    if (decodes(sample, 'gb18030') === undefined) return 'shift_jis';
  }
  return 'gb18030';
}

/** Comma, tab or semicolon: whichever the header line has most of. */
export function detectDelimiter(firstLine: string): ',' | '\t' | ';' {
  const counts = ([',', '\t', ';'] as const).map(
    (d) => [d, firstLine.split(d).length - 1] as const,
  );
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? ',';
}
