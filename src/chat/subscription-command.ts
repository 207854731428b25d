import { SUBSCRIPTION_KINDS } from '../app/channel-ports.ts';
import { isLocale } from '../app/locales.ts';

// `/credit subscribe [<kind> [HH:MM] [time zone] [ja|zh|en]]` and `/credit unsubscribe [kind]`,
// for the channel the command is typed in. The grammar only sorts the words by their shape;
// the use case checks each value, so chat and the command line refuse alike.

export type SubscriptionCommand =
  | {
      readonly kind: 'subscribe';
      /** Absent: show what the channel receives, with the usage. */
      readonly subscription?: string;
      readonly time?: string;
      readonly timeZone?: string;
      readonly locale?: string;
    }
  | { readonly kind: 'unsubscribe'; readonly subscription?: string };

interface Usage {
  readonly kind: 'invalid';
  readonly code: string;
  readonly params: Record<string, string | number>;
}

const usage: Usage = {
  kind: 'invalid',
  code: 'errors.channels.subscribe_usage',
  params: { kinds: SUBSCRIPTION_KINDS.join(', ') },
};

const looksLikeTime = (token: string) => /^\d{1,2}:\d{2}$/u.test(token.normalize('NFKC'));

export interface SubscriptionSettings {
  readonly time?: string;
  readonly timeZone?: string;
  readonly locale?: string;
}

/** `[HH:MM] [time zone] [ja|zh|en]` in any order; undefined when a word is left over. */
export function parseSubscriptionSettings(
  tokens: readonly string[],
): SubscriptionSettings | undefined {
  let time: string | undefined;
  let timeZone: string | undefined;
  let locale: string | undefined;
  for (const token of tokens) {
    if (looksLikeTime(token) && time === undefined) time = token;
    else if (isLocale(token.toLowerCase()) && locale === undefined) locale = token;
    else if (timeZone === undefined) timeZone = token;
    else return undefined;
  }
  return {
    ...(time ? { time } : {}),
    ...(timeZone ? { timeZone } : {}),
    ...(locale ? { locale } : {}),
  };
}

export function parseSubscribe(tokens: readonly string[]): SubscriptionCommand | Usage {
  const [subscription, ...rest] = tokens;
  if (subscription === undefined) return { kind: 'subscribe' };
  const settings = parseSubscriptionSettings(rest);
  return settings ? { kind: 'subscribe', subscription, ...settings } : usage;
}

export function parseUnsubscribe(tokens: readonly string[]): SubscriptionCommand | Usage {
  if (tokens.length > 1) return usage;
  const [subscription] = tokens;
  return { kind: 'unsubscribe', ...(subscription ? { subscription } : {}) };
}
