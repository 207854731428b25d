import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeName, searchKeys } from '../../src/domain/names.ts';

describe(normalizeName.name, () => {
  it('finds 株式会社アクメ however people type it', () => {
    const stored = normalizeName('株式会社アクメ');
    for (const typed of [
      'あくめ',
      'アクメ',
      'ｱｸﾒ',
      '(株)アクメ',
      '㈱アクメ',
      '（株）アクメ',
      'アクメ株式会社',
      ' アクメ ',
    ]) {
      expect(normalizeName(typed), typed).toBe(stored);
    }
  });

  it('folds full width, case and Latin legal forms', () => {
    expect(normalizeName('ＡＣＭＥ')).toBe('acme');
    expect(normalizeName('Acme Co., Ltd.')).toBe('acme');
    expect(normalizeName('ACME INC')).toBe('acme');
    expect(normalizeName('Northwind Traders Company Limited')).toBe('northwindtraders');
  });

  it('drops Chinese legal forms', () => {
    expect(normalizeName('深圳龙腾科技股份有限公司')).toBe('深圳龙腾科技');
    expect(normalizeName('上海华信贸易有限公司')).toBe('上海华信贸易');
  });

  it('keeps words that only look like legal forms when they are the name itself', () => {
    expect(normalizeName('Co-op Foods Inc.')).toBe('coopfoods');
    expect(normalizeName('Limited')).toBe('limited');
  });

  it('is idempotent and never leaves spaces or punctuation', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const once = normalizeName(text);
        expect(normalizeName(once)).toBe(once);
        expect(once).not.toMatch(/[\s\p{P}]/u);
      }),
    );
  });
});

describe(searchKeys.name, () => {
  it('adds the kana reading of a romaji query', () => {
    expect(searchKeys('akume')).toEqual(['akume', 'あくめ']);
    expect(searchKeys('Sakura')).toEqual(['sakura', 'さくら']);
  });

  it('does not invent kana for English words that are not romaji', () => {
    expect(searchKeys('acme')).toEqual(['acme']);
    expect(searchKeys('Northwind')).toEqual(['northwind']);
  });

  it('has nothing to search for in emoji or punctuation alone', () => {
    expect(searchKeys('😀')).toEqual([]);
    expect(searchKeys('?!…')).toEqual([]);
  });
});
