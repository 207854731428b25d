import {
  CONTACT_METHODS,
  CONTACT_OUTCOMES,
  type ContactMethod,
  type ContactOutcome,
} from './credit.ts';

/** Words for one canonical value, by the language a collector types them in. */
/** A contact note is a summary for the file, not a transcript. Counted in characters. */
export const MAX_NOTE_LENGTH = 1_000;

export interface ContactWords {
  readonly en: readonly string[];
  readonly ja: readonly string[];
  readonly zh: readonly string[];
}

/**
 * How collectors name the channel of a dunning contact (督促 / 催收). 電話した and
 * メールした are how a Japanese team writes its own log; 架電 is call-centre usage; a
 * 督促状 is a dunning letter, so it counts as a letter. LINE and WeChat (微信) are where
 * small customers in Japan and China actually answer.
 */
export const CONTACT_METHOD_WORDS: Readonly<Record<ContactMethod, ContactWords>> = {
  call: {
    en: ['call', 'phone', 'tel'],
    ja: ['電話', '電話した', 'TEL', '架電'],
    zh: ['电话', '打电话', '致电'],
  },
  email: {
    en: ['email', 'mail', 'e-mail'],
    ja: ['メール', 'メールした'],
    zh: ['邮件', '电邮', '发邮件'],
  },
  visit: { en: ['visit'], ja: ['訪問', '訪問した', '往訪'], zh: ['拜访', '上门'] },
  letter: { en: ['letter'], ja: ['書面', '郵送', '手紙', '督促状'], zh: ['信函', '函件'] },
  chat: {
    en: ['chat', 'slack', 'line', 'teams', 'wechat'],
    ja: ['チャット'],
    zh: ['聊天', '微信'],
  },
};

/**
 * How the contact went. A promise is a promise to pay (入金約束 / 付款承诺, "PTP" in
 * collection jargon); a dispute (係争・クレーム / 争议) stops dunning on the invoices
 * concerned until it is resolved; refused is a refusal to pay, not to talk.
 */
export const CONTACT_OUTCOME_WORDS: Readonly<Record<ContactOutcome, ContactWords>> = {
  reached: { en: ['reached', 'spoke'], ja: ['話した', '通話', '接触'], zh: ['联系上', '已联系'] },
  no_answer: {
    en: ['no-answer', 'noanswer', 'no_answer'],
    ja: ['不在', '留守', '留守電', '応答なし'],
    zh: ['未接', '无人接听', '未接通'],
  },
  promise: {
    en: ['promise', 'ptp'],
    ja: ['約束', '入金約束', '支払約束'],
    zh: ['承诺', '付款承诺'],
  },
  dispute: {
    en: ['dispute', 'disputed'],
    ja: ['係争', 'クレーム', '異議'],
    zh: ['争议', '异议', '纠纷'],
  },
  refused: { en: ['refused', 'refuse'], ja: ['拒否', '支払拒否'], zh: ['拒绝', '拒付'] },
};

/** The form words are compared in: full-width folded (ＣＡＬＬ → call), lower-cased. */
export function foldContactWord(word: string): string {
  return word.normalize('NFKC').toLowerCase();
}

function index<T extends string>(
  values: readonly T[],
  words: Readonly<Record<T, ContactWords>>,
): ReadonlyMap<string, T> {
  const map = new Map<string, T>();
  for (const value of values) {
    const { en, ja, zh } = words[value];
    for (const word of [...en, ...ja, ...zh]) map.set(foldContactWord(word), value);
  }
  return map;
}

const METHOD_INDEX = index(CONTACT_METHODS, CONTACT_METHOD_WORDS);
const OUTCOME_INDEX = index(CONTACT_OUTCOMES, CONTACT_OUTCOME_WORDS);

/** The contact method a word names in any of the three languages, or undefined. */
export function contactMethod(word: string): ContactMethod | undefined {
  return METHOD_INDEX.get(foldContactWord(word));
}

/** The contact outcome a word names in any of the three languages, or undefined. */
export function contactOutcome(word: string): ContactOutcome | undefined {
  return OUTCOME_INDEX.get(foldContactWord(word));
}

function shortForm<T extends string>(
  values: readonly T[],
  words: Readonly<Record<T, ContactWords>>,
): string {
  return values
    .map((value) => {
      const { en, ja, zh } = words[value];
      return [en[0], ja[0], zh[0]].filter((w) => w !== undefined).join('/');
    })
    .join(' · ');
}

/**
 * The first word of each value in each language, for help and error text:
 * "call/電話/电话 · email/メール/邮件 · …". Every language is shown because any is accepted,
 * whatever language the reply is in.
 */
export const CONTACT_METHOD_HINT: string = shortForm(CONTACT_METHODS, CONTACT_METHOD_WORDS);
export const CONTACT_OUTCOME_HINT: string = shortForm(CONTACT_OUTCOMES, CONTACT_OUTCOME_WORDS);
