import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { ROOT } from '../../support/process.ts';

// Command text a person, a paste gone wrong or an attacker might send: pieces that break
// naive code (bidi controls, joiners, lone surrogates, control characters, SQL, markup of
// every platform, template syntax, numbers past every limit) mixed with random Unicode, and
// the same pieces repeated to 10,000 characters.

const PIECES = [
  // Right-to-left marks, overrides and isolates; joiners and invisible characters.
  '\u200F',
  '\u202E',
  '\u2066',
  '\u2069',
  '\u200D',
  '\u200C',
  '\u200B',
  '\uFEFF',
  '\u00AD',
  // Emoji sequences held together by joiners, flags, skin tones.
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  '🇯🇵',
  '👍🏽',
  // Control characters, a terminal escape, lone surrogates.
  '\u0000',
  '\u0007',
  '\b',
  '\t',
  '\n',
  '\r\n',
  '\u001B[31m',
  '\u007F',
  '\u0085',
  '\u2028',
  '\uD800',
  '\uDFFF',
  // SQL and LIKE patterns.
  "'; DROP TABLE contacts; --",
  '" OR 1=1 --',
  "' OR ''='",
  "'); select pg_sleep(10); --",
  '%',
  '_',
  '\\',
  '$1',
  '$$',
  // Markup of each platform and template syntax.
  '<b>',
  '</b>',
  '<a href="javascript:alert(1)">',
  '&amp;',
  '&#0;',
  '<!channel>',
  '<@U0CREDITMANAGER>',
  '*bold*',
  '`code`',
  '{{id}}',
  '$t(nope)',
  '%s%n',
  // Words, names and numbers the grammar reads.
  'C001',
  'アクメ',
  'Ａｃｍｅ',
  'ｱｸﾒ',
  '艾克美',
  '株式会社',
  '500万',
  '¥1,000,000',
  '-1',
  '1e309',
  'NaN',
  '99999999999999999999999',
  '2026-02-30',
  '#INV-1',
  'عربى',
  'עברית',
  'e\u0301',
  'İ',
  'ß',
];

const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PIECES) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
);

/** 10,000 UTF-16 units of one piece, cut wherever that falls (a pair split in two, too). */
const tenThousand = fc
  .constantFrom('a', 'あ', '💥', '\u200D', '\u202E', "' OR 1=1 --", 'アクメ ', '\u0000')
  .map((p) => p.repeat(Math.ceil(10_000 / p.length)).slice(0, 10_000));

/** Hostile command text: mostly short mixes, now and then 10,000 characters. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 9, arbitrary: fc.array(piece, { maxLength: 10 }).map((parts) => parts.join(' ')) },
  { weight: 1, arbitrary: tenThousand },
);

/**
 * What may come before it: every subcommand word (English and CJK), so the fuzz reaches every
 * branch of the grammar, not just the look-up. `lang` is left out: `lang ja` is a write a
 * viewer may make.
 */
export const SUBCOMMANDS = [
  '',
  'help',
  'find',
  'log',
  'log C001',
  '記録',
  'share',
  'limit',
  'limit C001',
  '与信枠',
  'phase',
  'phase C001',
  'approve',
  'reject',
  'cancel',
  'approvals',
  'aging',
  'digest',
  'digest me',
  'subscribe',
  'unsubscribe',
  'admin users',
  'admin users add',
  'admin users role',
] as const;

export const hostileCommand = fc
  .tuple(fc.constantFrom(...SUBCOMMANDS), hostileText)
  .map(([sub, text]) => (sub === '' ? text : `${sub} ${text}`));

/** Fixed seeds: a failure shows again on the next run, and fast-check's shrinking names it. */
export const FUZZ_SEED = 20_261_123;

function catalogue(locale: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${ROOT}locales/${locale}/common.json`, 'utf8')) as Record<
    string,
    unknown
  >;
}

/** The start of the "something went wrong, reference …" answer, in every language. */
const INTERNAL_ERROR = ['en', 'ja', 'zh'].map((locale) => {
  const errors = catalogue(locale).errors as Record<string, string>;
  return (errors.internal ?? '').split('{{')[0]?.slice(0, 24) ?? '';
});

/** A catalogue key shown instead of its text (errors.customer.not_found). */
const RAW_KEY =
  /\b(?:errors|help|card|problem|approval|contact|lang|digest|admin|roles)\.[a-z_]+(?:\.[a-z_]+)*\b/;

/** Why an answer is not "usage or a localized message": empty, internal, or a raw key. */
export function answerProblems(answer: string): string[] {
  const problems: string[] = [];
  if (answer.trim() === '') problems.push('empty answer');
  for (const marker of INTERNAL_ERROR) {
    if (marker && answer.includes(marker)) problems.push(`internal error: ${marker}`);
  }
  const key = RAW_KEY.exec(answer);
  if (key) problems.push(`untranslated key ${key[0]}`);
  return problems;
}
