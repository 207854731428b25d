import type { Locale } from '../app/locales.ts';
import { type BotDeps, localeFromTag } from '../chat/bot.ts';
import type { Translate } from '../chat/i18n.ts';

/**
 * What the HTTP server needs: the chat core's dependencies plus the API keys. `main.ts` wires
 * it; tests hand in a real test database.
 */
export interface HttpDeps extends BotDeps {
  /** token → name; the name is the actor in audit entries and logs. */
  readonly apiTokens: ReadonlyMap<string, string>;
}

/** Per-request values, set by the first middleware (and `actor` by the bearer check). */
export interface HttpEnv {
  Variables: {
    requestId: string;
    locale: Locale;
    t: Translate;
    actor: string;
  };
}

/**
 * The reader's language from `Accept-Language` (RFC 9110 §12.5.4): the highest-weighted
 * tag we speak, ties in the order given; else the configured default.
 */
export function requestLocale(header: string | undefined, fallback: Locale): Locale {
  const ranked = (header ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/i.exec(p)?.[1]).find(Boolean);
      return { locale: localeFromTag(tag.trim()), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.locale !== undefined && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.locale ?? fallback;
}
