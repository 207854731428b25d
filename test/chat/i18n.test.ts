import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/app/locales.ts';
import { createI18n, loadCatalogues } from '../../src/chat/i18n.ts';
import {
  CONTACT_METHODS,
  CONTACT_OUTCOMES,
  PHASES,
  STATUS_COLOURS,
} from '../../src/domain/credit.ts';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

const catalogues = loadCatalogues();
const keySets = Object.fromEntries(
  LOCALES.map((l) => [
    l,
    new Set(Object.entries(catalogues[l]).flatMap(([ns, c]) => keys(c).map((k) => `${ns}:${k}`))),
  ]),
);

describe('message catalogues', () => {
  it.each(LOCALES)('%s has exactly the keys English has', (locale) => {
    expect([...(keySets[locale] ?? [])].sort()).toEqual([...(keySets.en ?? [])].sort());
  });

  it('has no empty message', () => {
    for (const locale of LOCALES) {
      for (const [ns, c] of Object.entries(catalogues[locale])) {
        for (const key of keys(c)) {
          const value = key
            .split('.')
            .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], c);
          expect(
            typeof value === 'string' && value.trim().length > 0,
            `${locale} ${ns}:${key}`,
          ).toBe(true);
        }
      }
    }
  });

  it('has every key the source code asks for', () => {
    const files = readdirSync('src', { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join('src', f));
    const used = new Set<string>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt{1,2}\(\s*'([a-z_]+(?:\.[a-z_]+)+)'/g))
        used.add(m[1] ?? '');
      for (const m of text.matchAll(/'((?:errors|config)\.[a-z_]+(?:\.[a-z_]+)+)'/g))
        used.add(m[1] ?? '');
    }
    const en = keySets.en ?? new Set();
    const missing = [...used].filter((k) => !en.has(`common:${k}`) && !en.has(`common:${k}_other`));
    expect(missing).toEqual([]);
  });

  it('has the words for every phase, colour, contact method and outcome', () => {
    const t = createI18n().t;
    for (const locale of LOCALES) {
      const tl = t(locale);
      for (const p of PHASES) expect(tl(`phase.${p}`)).not.toBe(`phase.${p}`);
      for (const c of STATUS_COLOURS)
        expect(tl(`status.colour.${c}`)).not.toBe(`status.colour.${c}`);
      for (const m of CONTACT_METHODS) expect(tl(`contact.method.${m}`)).not.toContain('contact.');
      for (const o of CONTACT_OUTCOMES)
        expect(tl(`contact.outcome.${o}`)).not.toContain('contact.');
    }
  });

  it('answers in the language asked for, with plurals', () => {
    const { t } = createI18n();
    expect(t('ja')('card.limit')).toBe('与信限度額');
    expect(t('zh')('card.limit')).toBe('信用额度');
    expect(t('en')('card.days', { count: 1 })).toBe('1 day');
    expect(t('en')('card.days', { count: 45 })).toBe('45 days');
    expect(t('ja')('card.days', { count: 45 })).toBe('45日');
  });

  it('gives the same message asked again with other values its own text', () => {
    const { t } = createI18n();
    const en = t('en');
    for (let round = 0; round < 2; round++) {
      expect(en('card.days', { count: 1 })).toBe('1 day');
      expect(en('card.days', { count: 2 })).toBe('2 days');
      expect(en('card.days', { count: 2, extra: 'x' })).toBe('2 days');
      expect(t('ja')('card.days', { count: 2 })).toBe('2日');
      expect(en('card.limit')).toBe('Credit limit');
      expect(t('zh')('card.limit')).toBe('信用额度');
    }
    // Values that are not plain (a list) are translated afresh each time, never mixed up.
    expect(en('card.days', { count: 3, list: [1] })).toBe('3 days');
    expect(en('card.days', { count: 4, list: [1] })).toBe('4 days');
  });
});
