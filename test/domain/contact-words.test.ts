import { describe, expect, it } from 'vitest';
import {
  CONTACT_METHOD_HINT,
  CONTACT_METHOD_WORDS,
  CONTACT_OUTCOME_HINT,
  CONTACT_OUTCOME_WORDS,
  contactMethod,
  contactOutcome,
} from '../../src/domain/contact-words.ts';
import { CONTACT_METHODS, CONTACT_OUTCOMES } from '../../src/domain/credit.ts';

describe(contactMethod.name, () => {
  it.each([
    ['call', ['call', 'Phone', 'TEL'], ['電話', '電話した', '架電'], ['电话', '打电话', '致电']],
    ['email', ['email', 'mail', 'E-Mail'], ['メール', 'メールした'], ['邮件', '电邮', '发邮件']],
    ['visit', ['visit'], ['訪問', '訪問した', '往訪'], ['拜访', '上门']],
    ['letter', ['letter'], ['書面', '郵送', '手紙', '督促状'], ['信函', '函件']],
    ['chat', ['chat', 'Slack', 'LINE', 'teams', 'WeChat'], ['チャット'], ['聊天', '微信']],
  ] as const)('reads %s in English, Japanese and Chinese', (method, en, ja, zh) => {
    for (const word of [...en, ...ja, ...zh]) expect(contactMethod(word), word).toBe(method);
  });

  it('folds full-width and half-width forms a Japanese IME produces', () => {
    expect(contactMethod('ＣＡＬＬ')).toBe('call');
    expect(contactMethod('ＴＥＬ')).toBe('call');
    expect(contactMethod('ﾒｰﾙ')).toBe('email');
    expect(contactMethod('ｅ－ｍａｉｌ')).toBe('email');
  });

  it('knows nothing of words that are not a contact method', () => {
    for (const word of ['fax', 'アクメ', '', 'reached', '約束']) {
      expect(contactMethod(word), word).toBeUndefined();
    }
  });
});

describe(contactOutcome.name, () => {
  it.each([
    ['reached', ['reached', 'Spoke'], ['話した', '通話', '接触'], ['联系上', '已联系']],
    [
      'no_answer',
      ['no-answer', 'NoAnswer', 'no_answer'],
      ['不在', '留守', '留守電', '応答なし'],
      ['未接', '无人接听', '未接通'],
    ],
    ['promise', ['promise', 'PTP'], ['約束', '入金約束', '支払約束'], ['承诺', '付款承诺']],
    ['dispute', ['dispute', 'disputed'], ['係争', 'クレーム', '異議'], ['争议', '异议', '纠纷']],
    ['refused', ['refused', 'refuse'], ['拒否', '支払拒否'], ['拒绝', '拒付']],
  ] as const)('reads %s in English, Japanese and Chinese', (outcome, en, ja, zh) => {
    for (const word of [...en, ...ja, ...zh]) expect(contactOutcome(word), word).toBe(outcome);
  });

  it('folds full-width input', () => {
    expect(contactOutcome('ＰＲＯＭＩＳＥ')).toBe('promise');
    expect(contactOutcome('ｎｏ－ａｎｓｗｅｒ')).toBe('no_answer');
    expect(contactOutcome('ｸﾚｰﾑ')).toBe('dispute');
  });

  it('knows nothing of method words or free text', () => {
    for (const word of ['call', '電話', 'paid', ''])
      expect(contactOutcome(word), word).toBeUndefined();
  });
});

describe('contact word lists', () => {
  it('give every method and outcome words in all three languages', () => {
    for (const m of CONTACT_METHODS) {
      for (const lang of ['en', 'ja', 'zh'] as const) {
        expect(CONTACT_METHOD_WORDS[m][lang].length, `${m} ${lang}`).toBeGreaterThan(0);
      }
    }
    for (const o of CONTACT_OUTCOMES) {
      for (const lang of ['en', 'ja', 'zh'] as const) {
        expect(CONTACT_OUTCOME_WORDS[o][lang].length, `${o} ${lang}`).toBeGreaterThan(0);
      }
    }
  });

  it('never lets a method word also read as an outcome', () => {
    const methodWords = CONTACT_METHODS.flatMap((m) =>
      Object.values(CONTACT_METHOD_WORDS[m]).flat(),
    );
    for (const word of methodWords) expect(contactOutcome(word), word).toBeUndefined();
  });

  it('shows the short form of each word in every language for help text', () => {
    expect(CONTACT_METHOD_HINT).toBe(
      'call/電話/电话 · email/メール/邮件 · visit/訪問/拜访 · letter/書面/信函 · chat/チャット/聊天',
    );
    expect(CONTACT_OUTCOME_HINT).toBe(
      'reached/話した/联系上 · no-answer/不在/未接 · promise/約束/承诺 · dispute/係争/争议 · refused/拒否/拒绝',
    );
  });
});
