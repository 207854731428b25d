import { readdirSync, readFileSync } from 'node:fs';
import i18next, { type TFunction } from 'i18next';
import { LOCALES, type Locale } from '../app/locales.ts';

const LOCALES_DIR = new URL('../../locales/', import.meta.url);

type Catalogue = Record<string, unknown>;

/** Every namespace file of every locale, read once at start-up. */
export function loadCatalogues(): Record<Locale, Record<string, Catalogue>> {
  const out = {} as Record<Locale, Record<string, Catalogue>>;
  for (const locale of LOCALES) {
    const dir = new URL(`${locale}/`, LOCALES_DIR);
    const namespaces: Record<string, Catalogue> = {};
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      namespaces[file.slice(0, -5)] = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    }
    out[locale] = namespaces;
  }
  return out;
}

export type Translate = TFunction;

export interface I18n {
  /** A translator fixed to one locale. */
  t(locale: Locale): Translate;
}

export function createI18n(): I18n {
  const catalogues = loadCatalogues();
  const instance = i18next.createInstance();
  void instance.init({
    resources: catalogues,
    ns: Object.keys(catalogues.en),
    defaultNS: 'common',
    fallbackNS: Object.keys(catalogues.en),
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: [...LOCALES],
    initAsync: false,
    returnNull: false,
    // Chat text is not HTML; each renderer escapes for its own platform.
    interpolation: { escapeValue: false },
  });
  const fixed = new Map<Locale, Translate>();
  return {
    t(locale) {
      let t = fixed.get(locale);
      if (!t) {
        t = instance.getFixedT(locale);
        fixed.set(locale, t);
      }
      return t;
    },
  };
}
