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

/** Answers kept per language; the memo starts afresh when full. */
const MEMO_LIMIT = 5_000;

/**
 * What a message is memoized under: its key and its options, when every option is a plain
 * value (a name, an amount, a count). Anything else is translated afresh.
 */
function memoKey(key: unknown, options: unknown, rest: readonly unknown[]): string | undefined {
  if (typeof key !== 'string' || rest.length > 0) return undefined;
  if (options === undefined) return key;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return undefined;
  for (const value of Object.values(options)) {
    const plain =
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value));
    if (!plain) return undefined;
  }
  return `${key}\u0000${JSON.stringify(options)}`;
}

/**
 * i18next resolves, interpolates and pluralizes on every call (tens of microseconds), and a
 * card asks for dozens of messages. The catalogues never change while the process runs, so
 * the same message with the same values is the same text: it is worked out once.
 */
function memoized(t: Translate): Translate {
  const memo = new Map<string, string>();
  const translate = t as unknown as (...args: unknown[]) => unknown;
  const fast = (key: unknown, options?: unknown, ...rest: unknown[]) => {
    const id = memoKey(key, options, rest);
    if (id === undefined) return translate(key, options, ...rest);
    const known = memo.get(id);
    if (known !== undefined) return known;
    const text = options === undefined ? translate(key) : translate(key, options);
    if (typeof text === 'string') {
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(id, text);
    }
    return text;
  };
  return fast as unknown as Translate;
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
        t = memoized(instance.getFixedT(locale));
        fixed.set(locale, t);
      }
      return t;
    },
  };
}
