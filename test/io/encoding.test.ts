import { describe, expect, it } from 'vitest';
import { detectDelimiter, detectEncoding } from '../../src/io/encoding.ts';

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

describe(detectEncoding.name, () => {
  it('reads UTF-8, with or without a BOM', () => {
    expect(detectEncoding(new TextEncoder().encode('得意先コード,得意先名'))).toBe('utf-8');
    expect(detectEncoding(Uint8Array.from([0xef, 0xbb, 0xbf, 0x41]))).toBe('utf-8');
  });

  it('recognises a Shift_JIS export by its kana', () => {
    // 得意先コード,得意先名,株式会社アクメ in CP932
    expect(
      detectEncoding(
        bytes('93be88d390e68352815b83682c93be88d390e696bc2c8a948eae89ef8ed08341834e8381'),
      ),
    ).toBe('shift_jis');
  });

  it('recognises a GB18030 export', () => {
    // 上海华信贸易有限公司,应收账款,客户编号 in GB18030
    expect(
      detectEncoding(
        bytes('c9cfbaa3bbaad0c5c3b3d2d7d3d0cfdeb9abcbbe2cd3a6cad5d5cbbfee2cbfcdbba7b1e0bac5'),
      ),
    ).toBe('gb18030');
  });
});

describe(detectDelimiter.name, () => {
  it('tells comma, tab and semicolon files apart by their header', () => {
    expect(detectDelimiter('a,b,c')).toBe(',');
    expect(detectDelimiter('得意先コード\t得意先名\t請求金額')).toBe('\t');
    expect(detectDelimiter('a;b;c')).toBe(';');
  });
});
