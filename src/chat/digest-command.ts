import { parseSubscriptionSettings } from './subscription-command.ts';

// The grammar of `/credit digest` (this channel's digest now), `/credit digest me [HH:MM]
// [time zone] [ja|zh|en]` (an owner's own digest, sent privately; `/credit digest me off`
// stops it) and `/credit aging [currency]` (the portfolio aging of today). The answers are
// in digest-flow.ts.

export type DigestCommand =
  | { readonly kind: 'digest' }
  | {
      readonly kind: 'digest_me';
      readonly time?: string;
      readonly timeZone?: string;
      readonly locale?: string;
    }
  | { readonly kind: 'digest_me_off' }
  | { readonly kind: 'aging'; readonly currency?: string };

interface Usage {
  readonly kind: 'invalid';
  readonly code: string;
  readonly params: Record<string, string | number>;
}

const ME = new Set(['me', 'my', 'mine', '自分', '私', '我', '我的']);
const OFF = new Set(['off', 'stop', '停止', '解除', 'オフ', '取消', '关闭']);
const usage: Usage = { kind: 'invalid', code: 'errors.digest.usage', params: {} };

export function parseDigest(tokens: readonly string[]): DigestCommand | Usage {
  const [first, ...rest] = tokens.map((token) => token.normalize('NFKC'));
  if (first === undefined) return { kind: 'digest' };
  if (!ME.has(first.toLowerCase())) return usage;
  if (rest.length === 1 && OFF.has((rest[0] ?? '').toLowerCase())) return { kind: 'digest_me_off' };
  const settings = parseSubscriptionSettings(rest);
  return settings ? { kind: 'digest_me', ...settings } : usage;
}

export function parseAging(tokens: readonly string[]): DigestCommand | Usage {
  if (tokens.length > 1) return { kind: 'invalid', code: 'errors.aging.usage', params: {} };
  const currency = tokens[0]?.normalize('NFKC').toUpperCase();
  return { kind: 'aging', ...(currency ? { currency } : {}) };
}
