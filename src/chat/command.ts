// The command grammar shared by every platform. Adapters hand in the text a person typed
// (with or without the leading /credit); this decides what they asked for.

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'lang'; readonly value: string | undefined }
  | { readonly kind: 'lookup'; readonly query: string }
  | { readonly kind: 'unavailable'; readonly feature: Feature }
  | {
      readonly kind: 'invalid';
      readonly code: string;
      readonly params: Record<string, string | number>;
    };

/** Commands whose capabilities are not in this version; they answer "not available yet". */
export const PLANNED_FEATURES = [
  'log',
  'limit',
  'phase',
  'share',
  'approvals',
  'subscribe',
  'admin',
  'aging',
  'digest',
] as const;
export type Feature = (typeof PLANNED_FEATURES)[number];

export const MAX_INPUT_LENGTH = 2_000;

const SUBCOMMANDS: Record<string, 'help' | 'lang' | 'find' | Feature> = {
  help: 'help',
  '?': 'help',
  ヘルプ: 'help',
  使い方: 'help',
  帮助: 'help',
  幫助: 'help',
  lang: 'lang',
  language: 'lang',
  言語: 'lang',
  语言: 'lang',
  find: 'find',
  lookup: 'find',
  検索: 'find',
  查询: 'find',
  log: 'log',
  記録: 'log',
  记录: 'log',
  limit: 'limit',
  限度額: 'limit',
  额度: 'limit',
  phase: 'phase',
  フェーズ: 'phase',
  阶段: 'phase',
  share: 'share',
  共有: 'share',
  分享: 'share',
  approvals: 'approvals',
  承認: 'approvals',
  审批: 'approvals',
  subscribe: 'subscribe',
  unsubscribe: 'subscribe',
  admin: 'admin',
  aging: 'aging',
  エイジング: 'aging',
  账龄: 'aging',
  digest: 'digest',
};

const COMMAND_NAMES = new Set(['credit', '与信', '信用']);

/**
 * Strips what no person means to send: control and format characters (bidi overrides,
 * zero-width joiners, NUL), lone surrogates; folds every kind of space into one.
 */
export function cleanInput(text: string): string {
  return text
    .toWellFormed()
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\uFFFD]/gu, ' ')
    .replace(/[\s\u3000]+/gu, ' ')
    .trim();
}

export function parseCommand(raw: string): Command {
  const text = cleanInput(raw);
  if ([...text].length > MAX_INPUT_LENGTH) {
    return { kind: 'invalid', code: 'errors.input.too_long', params: { max: MAX_INPUT_LENGTH } };
  }
  let args = text;
  const slash = /^[/／](\S+)\s*(.*)$/u.exec(text);
  if (slash) {
    const name = (slash[1] ?? '').normalize('NFKC').toLowerCase().replace(/@\S*$/u, '');
    if (!COMMAND_NAMES.has(name)) {
      return { kind: 'invalid', code: 'errors.command.unknown', params: { command: `/${name}` } };
    }
    args = slash[2] ?? '';
  }
  if (args === '') return { kind: 'help' };
  const [first = '', ...rest] = args.split(' ');
  const sub = SUBCOMMANDS[first.normalize('NFKC').toLowerCase()];
  const remainder = rest.join(' ');
  switch (sub) {
    case undefined:
      return { kind: 'lookup', query: args };
    case 'help':
      return { kind: 'help' };
    case 'lang':
      return { kind: 'lang', value: remainder || undefined };
    case 'find':
      return remainder ? { kind: 'lookup', query: remainder } : { kind: 'help' };
    default:
      return { kind: 'unavailable', feature: sub };
  }
}
