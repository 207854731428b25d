// The command grammar shared by every platform. Adapters hand in the text a person typed
// (with or without the leading /credit); this decides what they asked for.

import {
  CONTACT_METHOD_HINT,
  CONTACT_OUTCOME_HINT,
  contactMethod,
  contactOutcome,
  MAX_NOTE_LENGTH,
} from '../domain/contact-words.ts';
import type { ContactMethod, ContactOutcome } from '../domain/credit.ts';
import { cleanText } from '../domain/text.ts';
import { type AdminUsersCommand, parseAdmin } from './admin-command.ts';
import {
  APPROVAL_WORDS,
  type ApprovalCommand,
  type ApprovalSubcommand,
  parseApproval,
} from './approval-command.ts';
import { type DigestCommand, parseAging, parseDigest } from './digest-command.ts';
import {
  parseSubscribe,
  parseUnsubscribe,
  type SubscriptionCommand,
} from './subscription-command.ts';

export type { AdminUsersCommand, ApprovalCommand, SubscriptionCommand };

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'lang'; readonly value: string | undefined }
  | { readonly kind: 'lookup'; readonly query: string }
  | {
      readonly kind: 'log';
      /** The customer as typed, for the same look-up as `/credit <customer>`. */
      readonly query: string;
      readonly method: ContactMethod;
      readonly outcome: ContactOutcome;
      /** Only with outcome promise: raw text the use case reads against today and currency. */
      readonly promise?: PromiseText;
      /** Only with outcome dispute: the invoices disputed, without a leading '#'. */
      readonly invoiceRefs: readonly string[];
      readonly note: string;
    }
  | { readonly kind: 'log_form'; readonly query: string }
  | { readonly kind: 'share'; readonly query: string }
  | AdminUsersCommand
  | ApprovalCommand
  | SubscriptionCommand
  | DigestCommand
  | {
      readonly kind: 'invalid';
      readonly code: string;
      readonly params: Record<string, string | number>;
    };

/** A promise to pay as typed: `12/5 500万`, `2026-12-05 ¥1,200,000`, `12月5日 50万元`. */
export interface PromiseText {
  readonly dateText: string;
  readonly amountText: string;
}

export const MAX_INPUT_LENGTH = 2_000;
export { MAX_NOTE_LENGTH };

type Subcommand =
  | 'help'
  | 'lang'
  | 'find'
  | 'log'
  | 'share'
  | 'admin'
  | 'subscribe'
  | 'unsubscribe'
  | 'aging'
  | 'digest'
  | ApprovalSubcommand;

const SUBCOMMANDS: Record<string, Subcommand> = {
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
  share: 'share',
  共有: 'share',
  分享: 'share',
  subscribe: 'subscribe',
  unsubscribe: 'unsubscribe',
  admin: 'admin',
  aging: 'aging',
  エイジング: 'aging',
  账龄: 'aging',
  digest: 'digest',
  ダイジェスト: 'digest',
  日報: 'digest',
  日报: 'digest',
  ...APPROVAL_WORDS,
};

const COMMAND_NAMES = new Set(['credit', '与信', '信用']);

/** A command as the person meant it (see `cleanText`). */
export const cleanInput = cleanText;

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
    case 'log':
      return parseLog(rest.filter((token) => token !== ''));
    case 'share':
      return remainder ? { kind: 'share', query: remainder } : invalid('errors.share.no_customer');
    case 'admin':
      return parseAdmin(rest.filter((token) => token !== ''));
    case 'subscribe':
      return parseSubscribe(rest.filter((token) => token !== ''));
    case 'unsubscribe':
      return parseUnsubscribe(rest.filter((token) => token !== ''));
    case 'digest':
      return parseDigest(rest.filter((token) => token !== ''));
    case 'aging':
      return parseAging(rest.filter((token) => token !== ''));
    default:
      return parseApproval(
        sub,
        rest.filter((token) => token !== ''),
      );
  }
}

const ASCII_ONLY = /^[\x20-\x7e]*$/u;

/**
 * A chat message as a full command, or undefined when it is conversation. For platforms
 * where the bot reads every message of a group (LINE): `/credit …` as typed; the command's
 * own name without the slash (`与信 アクメ`, `credit acme` → `/credit …`); a Japanese or
 * Chinese subcommand word (`記録 アクメ 電話 つながった`), but only when what follows
 * parses, so a conversation that happens to begin with 取消 or 記録 is left alone. English
 * subcommand words (log, help) are everyday words, so they need the command's name first.
 */
export function commandInConversation(raw: string): string | undefined {
  const text = cleanInput(raw);
  const slash = /^[/／](\S+)/u.exec(text);
  if (slash) {
    const name = (slash[1] ?? '').normalize('NFKC').toLowerCase().replace(/@\S*$/u, '');
    return COMMAND_NAMES.has(name) ? text : undefined;
  }
  const [first = '', ...rest] = text.split(' ');
  const word = first.normalize('NFKC').toLowerCase();
  if (COMMAND_NAMES.has(word)) return `/credit ${rest.join(' ')}`.trimEnd();
  if (ASCII_ONLY.test(word) || SUBCOMMANDS[word] === undefined) return undefined;
  const command = `/credit ${text}`;
  return parseCommand(command).kind === 'invalid' ? undefined : command;
}

function invalid(code: string, params: Record<string, string | number> = {}): Command {
  return { kind: 'invalid', code, params };
}

const isMethod = (token: string | undefined) =>
  token !== undefined && contactMethod(token) !== undefined;
const isOutcome = (token: string | undefined) =>
  token !== undefined && contactOutcome(token) !== undefined;

/**
 * The index of the contact-method word, or the answer when there is none to use. The method
 * is the first method word directly followed by an outcome word, so a customer whose name
 * holds a method word (`Royal Mail call reached`, `LINE Corp chat reached`) still reads
 * right; failing that, the first method word after the first token (the outcome is then
 * missing). With no method word after the first token: a lone method word, or a method word
 * first with an outcome word later, means the customer was left out; an outcome word alone
 * means the method was; anything else is all customer, and asks for the entry form.
 */
function methodIndex(tokens: readonly string[]): number | Command {
  const paired = tokens.findIndex((token, i) => isMethod(token) && isOutcome(tokens[i + 1]));
  if (paired === 0) return invalid('errors.log.no_customer');
  if (paired > 0) return paired;
  const later = tokens.findIndex((token, i) => i > 0 && isMethod(token));
  if (later > 0) return later;
  const outcomeLater = tokens.some((token, i) => i > 0 && isOutcome(token));
  if (isMethod(tokens[0]) && (tokens.length === 1 || outcomeLater)) {
    return invalid('errors.log.no_customer');
  }
  if (outcomeLater) return invalid('errors.log.no_method', { words: CONTACT_METHOD_HINT });
  return { kind: 'log_form', query: tokens.join(' ') };
}

const INVOICE_REF = /^(?=[^0-9]*[0-9])[A-Za-z0-9_/.-]+$/u;

/**
 * The invoice numbers a token names, or undefined if it is note text. Invoice numbers from
 * ERPs and accounting systems are ASCII with at least one digit (INV-1203, 2026-0042);
 * a leading `#` marks anything as one (#請求A). Full-width forms fold (＃ＩＮＶ－１ →
 * INV-1), and `INV-1,INV-2` or `INV-1、INV-2` lists several.
 */
function invoiceRefs(token: string): string[] | undefined {
  const parts = token
    .normalize('NFKC')
    .split(/[,、]/u)
    .filter((part) => part !== '');
  if (parts.length === 0) return undefined;
  const refs: string[] = [];
  for (const part of parts) {
    if (part.startsWith('#') && part.length > 1) refs.push(part.slice(1));
    else if (INVOICE_REF.test(part)) refs.push(part);
    else return undefined;
  }
  return refs;
}

/**
 * `/credit log <customer…> <method> <outcome> [date amount] [invoice refs] [note…]`.
 * Promise data follows only the outcome promise and invoice refs only the outcome dispute;
 * everything else is the free-text note. The grammar checks that the promise date and
 * amount are there, not what they say: the use case reads them against today and the
 * customer's currency.
 */
function parseLog(tokens: readonly string[]): Command {
  if (tokens.length === 0) return invalid('errors.log.no_customer');
  const at = methodIndex(tokens);
  if (typeof at !== 'number') return at;
  const methodWord = tokens[at] ?? '';
  const method = contactMethod(methodWord);
  const outcome = contactOutcome(tokens[at + 1] ?? '');
  if (method === undefined) return invalid('errors.log.no_method', { words: CONTACT_METHOD_HINT });
  if (outcome === undefined) {
    return invalid('errors.log.no_outcome', { method: methodWord, words: CONTACT_OUTCOME_HINT });
  }
  const query = tokens.slice(0, at).join(' ');
  let rest = tokens.slice(at + 2);
  let promise: PromiseText | undefined;
  const refs: string[] = [];
  if (outcome === 'promise') {
    const [dateText, amountText] = rest;
    if (dateText === undefined || amountText === undefined) {
      return invalid('errors.log.promise_incomplete');
    }
    promise = { dateText, amountText };
    rest = rest.slice(2);
  } else if (outcome === 'dispute') {
    let taken = 0;
    for (const token of rest) {
      const found = invoiceRefs(token);
      if (found === undefined) break;
      for (const ref of found) if (!refs.includes(ref)) refs.push(ref);
      taken += 1;
    }
    rest = rest.slice(taken);
  }
  const note = rest.join(' ');
  const length = [...note].length;
  if (length > MAX_NOTE_LENGTH) {
    return invalid('errors.log.note_too_long', { max: MAX_NOTE_LENGTH, length });
  }
  return {
    kind: 'log',
    query,
    method,
    outcome,
    ...(promise ? { promise } : {}),
    invoiceRefs: refs,
    note,
  };
}
