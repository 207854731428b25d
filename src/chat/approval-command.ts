import { PHASES, type Phase } from '../domain/credit.ts';

// `/credit limit …`, `/credit phase …`, `/credit approve|reject|cancel <request>` and
// `/credit approvals`. The grammar only splits the words: the use case reads the amount
// against the customer's currency, checks the phase move, the roles and the request.

export type ApprovalCommand =
  | {
      readonly kind: 'limit_request';
      /** The customer as typed, for the same look-up as `/credit <customer>`. */
      readonly query: string;
      /** The new limit as typed (`8,000,000`, `800万`, `8M`): read against the currency. */
      readonly amountText: string;
      readonly reason: string;
    }
  | { readonly kind: 'limit_form'; readonly query: string }
  | {
      readonly kind: 'phase_request';
      readonly query: string;
      /** The phase the typed word names, as its id (`watch`): the words are read here. */
      readonly phaseText: Phase;
      readonly reason: string;
    }
  | { readonly kind: 'phase_form'; readonly query: string }
  | { readonly kind: 'approve'; readonly id: number }
  /** Without a reason the answer is the reject form: a refusal is never left unexplained. */
  | { readonly kind: 'reject'; readonly id: number; readonly reason?: string }
  | { readonly kind: 'cancel_request'; readonly id: number }
  | { readonly kind: 'approvals_list' };

export interface ApprovalUsage {
  readonly kind: 'invalid';
  readonly code: string;
  readonly params: Record<string, string | number>;
}

/** A reason is what the approver decides on; long enough for that, short enough to read. */
export const MAX_REASON_LENGTH = 500;

export const APPROVAL_SUBCOMMANDS = [
  'limit',
  'phase',
  'approve',
  'reject',
  'cancel',
  'approvals',
] as const;
export type ApprovalSubcommand = (typeof APPROVAL_SUBCOMMANDS)[number];

/**
 * The words for each subcommand. 稟議 is the Japanese approval circular itself, so asking
 * for it lists what waits; 承認 alone (no number) does the same, as it did before approvals
 * could be decided in chat. 撤回 is how both languages withdraw a request of one's own.
 */
export const APPROVAL_WORDS: Readonly<Record<string, ApprovalSubcommand>> = {
  limit: 'limit',
  限度額: 'limit',
  与信限度額: 'limit',
  与信枠: 'limit',
  额度: 'limit',
  信用额度: 'limit',
  phase: 'phase',
  フェーズ: 'phase',
  与信フェーズ: 'phase',
  阶段: 'phase',
  授信阶段: 'phase',
  approve: 'approve',
  承認: 'approve',
  承认: 'approve',
  批准: 'approve',
  reject: 'reject',
  却下: 'reject',
  否決: 'reject',
  驳回: 'reject',
  cancel: 'cancel',
  withdraw: 'cancel',
  取消: 'cancel',
  取り消し: 'cancel',
  取消し: 'cancel',
  撤回: 'cancel',
  approvals: 'approvals',
  承認待ち: 'approvals',
  稟議: 'approvals',
  审批: 'approvals',
  待审批: 'approvals',
};

/**
 * What people type for each phase; the first word of each language is the one hints show.
 * Besides the short words, every locale's full phase name (locales/*\/common.json `phase.*`)
 * reads, with and without its parenthesised note, so a name copied off a card works.
 */
export const PHASE_WORDS: Readonly<Record<Phase, Readonly<Record<'en' | 'ja' | 'zh', string[]>>>> =
  {
    screening: {
      en: ['screening'],
      ja: ['与信判定', '審査', '与信審査'],
      zh: ['授信审查', '审查'],
    },
    ongoing: {
      en: ['ongoing', 'normal'],
      ja: ['途上与信', '通常', '正常'],
      zh: ['正常', '正常授信'],
    },
    watch: {
      en: ['watch', 'watchlist'],
      ja: ['問題案件', '問題案件管理', '要注意'],
      zh: ['关注', '重点关注'],
    },
    incident: {
      en: ['incident'],
      ja: ['事故', '事故管理', '事故管理（与信停止）', '与信停止'],
      zh: ['事故', '风险处置', '风险处置（信用冻结）', '信用冻结'],
    },
  };

const fold = (word: string) => word.normalize('NFKC').toLowerCase();

const PHASE_INDEX: ReadonlyMap<string, Phase> = new Map(
  PHASES.flatMap((phase) =>
    Object.values(PHASE_WORDS[phase]).flatMap((words) =>
      words.map((word) => [fold(word), phase] as const),
    ),
  ),
);

/** The phase a typed word names, in any of the three languages; full-width folds. */
export function phaseFromWord(word: string): Phase | undefined {
  return PHASE_INDEX.get(fold(word));
}

// A currency mark or code, a number with thousands commas or a decimal point, the unit
// words of `parseChatAmount` (1億2000万 is two groups), and a trailing currency word.
const MARK = String.raw`(?:us\$|cn¥|jp¥|hk\$|rmb|usd|jpy|cny|eur|¥|\$|€|£)`;
const UNIT = '(?:千万|百万|億|亿|萬|万|千|mn|m|k)';
const NUMBER = String.raw`\d[\d,.]*`;
const AMOUNT = new RegExp(
  `^${MARK}?${NUMBER}(?:${UNIT}(?:${NUMBER}${UNIT}?)*)?(?:円|元|ドル|人民币|${MARK})?$`,
  'u',
);

/** Whether a token reads as an amount; what amount is the use case's to say. */
export function isAmountToken(token: string): boolean {
  return AMOUNT.test(fold(token));
}

function usage(code: string, params: Record<string, string | number> = {}): ApprovalUsage {
  return { kind: 'invalid', code, params };
}

function reasonOf(tokens: readonly string[]): string | ApprovalUsage {
  const reason = tokens.join(' ');
  if (reason === '') return usage('errors.approval.reason_required');
  const length = [...reason].length;
  return length > MAX_REASON_LENGTH
    ? usage('errors.approval.reason_too_long', { max: MAX_REASON_LENGTH, length })
    : reason;
}

/**
 * `limit <customer…> <amount> <reason…>`: the amount is the first token after the first
 * that reads as one, so `3M Japan 5,000,000 more volume` is the customer 3M Japan. With no
 * amount after the customer, all of it is the customer and the answer is the form.
 */
function parseLimit(tokens: readonly string[]): ApprovalCommand | ApprovalUsage {
  if (tokens.length === 0) return usage('errors.approval.limit_usage');
  const at = tokens.findIndex((token, i) => i > 0 && isAmountToken(token));
  if (at < 0) return { kind: 'limit_form', query: tokens.join(' ') };
  const reason = reasonOf(tokens.slice(at + 1));
  if (typeof reason !== 'string') return reason;
  return {
    kind: 'limit_request',
    query: tokens.slice(0, at).join(' '),
    amountText: tokens[at] ?? '',
    reason,
  };
}

/** `phase <customer…> <phase> <reason…>`, read like the limit: the first phase word after the first token. */
function parsePhase(tokens: readonly string[]): ApprovalCommand | ApprovalUsage {
  if (tokens.length === 0) return usage('errors.approval.phase_usage');
  const at = tokens.findIndex((token, i) => i > 0 && phaseFromWord(token) !== undefined);
  const phase = phaseFromWord(tokens[at] ?? '');
  if (at < 0 || phase === undefined) return { kind: 'phase_form', query: tokens.join(' ') };
  const reason = reasonOf(tokens.slice(at + 1));
  if (typeof reason !== 'string') return reason;
  return { kind: 'phase_request', query: tokens.slice(0, at).join(' '), phaseText: phase, reason };
}

/** A request number as typed: `12`, `#12`, `＃１２`, `No.12`. */
function requestId(token: string): number | undefined {
  const digits = fold(token).replace(/^(?:#|no\.?|№)/u, '');
  if (!/^\d{1,9}$/u.test(digits)) return undefined;
  const id = Number(digits);
  return id > 0 ? id : undefined;
}

type Decision = 'approve' | 'reject' | 'cancel';

function parseDecision(sub: Decision, tokens: readonly string[]): ApprovalCommand | ApprovalUsage {
  const [first, ...rest] = tokens;
  const command = `/credit ${sub}`;
  if (first === undefined) return usage('errors.approval.no_id', { command });
  const id = requestId(first);
  if (id === undefined) return usage('errors.approval.bad_id', { value: first, command });
  if (sub === 'reject') {
    if (rest.length === 0) return { kind: 'reject', id };
    const reason = reasonOf(rest);
    return typeof reason === 'string' ? { kind: 'reject', id, reason } : reason;
  }
  // Words after the number would be dropped unread; better to say so than to lose them.
  if (rest.length > 0) return usage('errors.approval.id_only', { command: `${command} ${id}` });
  return sub === 'approve' ? { kind: 'approve', id } : { kind: 'cancel_request', id };
}

/** The words after an approval subcommand, without empty tokens. */
export function parseApproval(
  sub: ApprovalSubcommand,
  tokens: readonly string[],
): ApprovalCommand | ApprovalUsage {
  switch (sub) {
    case 'limit':
      return parseLimit(tokens);
    case 'phase':
      return parsePhase(tokens);
    case 'approvals':
      return { kind: 'approvals_list' };
    case 'approve':
      // `/credit 承認` alone asks what waits, as it always has.
      return tokens.length === 0 ? { kind: 'approvals_list' } : parseDecision(sub, tokens);
    default:
      return parseDecision(sub, tokens);
  }
}

export function isApprovalSubcommand(sub: string): sub is ApprovalSubcommand {
  return (APPROVAL_SUBCOMMANDS as readonly string[]).includes(sub);
}
