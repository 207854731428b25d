import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanInput,
  MAX_INPUT_LENGTH,
  MAX_NOTE_LENGTH,
  parseCommand,
} from '../../src/chat/command.ts';

describe(parseCommand.name, () => {
  it('reads a look-up with or without the /credit prefix', () => {
    expect(parseCommand('/credit アクメ')).toEqual({ kind: 'lookup', query: 'アクメ' });
    expect(parseCommand('アクメ')).toEqual({ kind: 'lookup', query: 'アクメ' });
    expect(parseCommand('／ｃｒｅｄｉｔ　ACME')).toEqual({ kind: 'lookup', query: 'ACME' });
    expect(parseCommand('/credit@creditops_bot C0001')).toEqual({ kind: 'lookup', query: 'C0001' });
    expect(parseCommand('/credit find help desk inc')).toEqual({
      kind: 'lookup',
      query: 'help desk inc',
    });
  });

  it('answers help for /credit alone, help and its Japanese and Chinese words', () => {
    for (const text of [
      '/credit',
      '/credit help',
      '/credit ?',
      '/credit ヘルプ',
      '/credit 帮助',
      '',
    ]) {
      expect(parseCommand(text), text).toEqual({ kind: 'help' });
    }
  });

  it('reads the language command', () => {
    expect(parseCommand('/credit lang ja')).toEqual({ kind: 'lang', value: 'ja' });
    expect(parseCommand('/credit 言語')).toEqual({ kind: 'lang', value: undefined });
  });

  it('reads the digest and aging commands', () => {
    expect(parseCommand('/credit aging')).toEqual({ kind: 'aging' });
    expect(parseCommand('/credit 账龄 cny')).toEqual({ kind: 'aging', currency: 'CNY' });
    expect(parseCommand('/credit aging JPY USD')).toMatchObject({ code: 'errors.aging.usage' });
    expect(parseCommand('/credit digest')).toEqual({ kind: 'digest' });
    expect(parseCommand('/credit 日報 自分 8:30 Asia/Tokyo')).toEqual({
      kind: 'digest_me',
      time: '8:30',
      timeZone: 'Asia/Tokyo',
    });
    expect(parseCommand('/credit digest me zh')).toEqual({ kind: 'digest_me', locale: 'zh' });
    expect(parseCommand('/credit 日报 我 关闭')).toEqual({ kind: 'digest_me_off' });
    expect(parseCommand('/credit digest me off now')).toMatchObject({
      code: 'errors.digest.usage',
    });
    expect(parseCommand('/credit digest everyone')).toMatchObject({ code: 'errors.digest.usage' });
  });

  it('refuses other slash commands and over-long input', () => {
    expect(parseCommand('/foo bar')).toMatchObject({
      kind: 'invalid',
      code: 'errors.command.unknown',
    });
    expect(parseCommand(`/credit ${'x'.repeat(MAX_INPUT_LENGTH + 1)}`)).toMatchObject({
      kind: 'invalid',
      code: 'errors.input.too_long',
    });
  });

  it('never throws, whatever arrives', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect([
          'help',
          'lang',
          'lookup',
          'log',
          'log_form',
          'invalid',
          'limit_request',
          'limit_form',
          'phase_request',
          'phase_form',
          'approve',
          'reject',
          'cancel_request',
          'approvals_list',
        ]).toContain(parseCommand(text).kind);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the contact-log command', () => {
  it('records a call in English', () => {
    expect(parseCommand('/credit log C0001 call reached AP clerk confirmed the invoice')).toEqual({
      kind: 'log',
      query: 'C0001',
      method: 'call',
      outcome: 'reached',
      invoiceRefs: [],
      note: 'AP clerk confirmed the invoice',
    });
    expect(parseCommand('/credit log ACME email no-answer')).toEqual({
      kind: 'log',
      query: 'ACME',
      method: 'email',
      outcome: 'no_answer',
      invoiceRefs: [],
      note: '',
    });
  });

  it('records a payment promise with its date and amount as typed', () => {
    expect(parseCommand('/credit log ACME call promise 2026-12-05 ¥1,200,000 wire Friday')).toEqual(
      {
        kind: 'log',
        query: 'ACME',
        method: 'call',
        outcome: 'promise',
        promise: { dateText: '2026-12-05', amountText: '¥1,200,000' },
        invoiceRefs: [],
        note: 'wire Friday',
      },
    );
  });

  it('records a 入金約束 in Japanese', () => {
    expect(parseCommand('/credit 記録 アクメ 電話 約束 12/5 500万 来週振込予定')).toEqual({
      kind: 'log',
      query: 'アクメ',
      method: 'call',
      outcome: 'promise',
      promise: { dateText: '12/5', amountText: '500万' },
      invoiceRefs: [],
      note: '来週振込予定',
    });
  });

  it('records a 付款承诺 in Chinese', () => {
    expect(parseCommand('/credit 记录 艾克美 电话 承诺 12月5日 50万元 下周付款')).toEqual({
      kind: 'log',
      query: '艾克美',
      method: 'call',
      outcome: 'promise',
      promise: { dateText: '12月5日', amountText: '50万元' },
      invoiceRefs: [],
      note: '下周付款',
    });
  });

  it('takes every token before the method word as the customer', () => {
    expect(parseCommand('/credit 記録 株式会社 アクメ 訪問 不在 名刺を置いてきた')).toMatchObject({
      kind: 'log',
      query: '株式会社 アクメ',
      method: 'visit',
      outcome: 'no_answer',
      note: '名刺を置いてきた',
    });
    expect(parseCommand('/credit log Help Desk Inc ＴＥＬ ＲＥＡＣＨＥＤ')).toMatchObject({
      kind: 'log',
      query: 'Help Desk Inc',
      method: 'call',
      outcome: 'reached',
    });
  });

  it('does not mistake a method word in the customer name for the method', () => {
    expect(parseCommand('/credit log Royal Mail call refused will not pay')).toMatchObject({
      kind: 'log',
      query: 'Royal Mail',
      method: 'call',
      outcome: 'refused',
      note: 'will not pay',
    });
    expect(parseCommand('/credit log LINE ヤフー チャット 話した')).toMatchObject({
      kind: 'log',
      query: 'LINE ヤフー',
      method: 'chat',
      outcome: 'reached',
    });
  });

  it('takes the invoice numbers a dispute names, then the note', () => {
    expect(
      parseCommand(
        '/credit log ACME email dispute INV-1203 #請求A 2026-0042 short delivery on 3 pallets',
      ),
    ).toEqual({
      kind: 'log',
      query: 'ACME',
      method: 'email',
      outcome: 'dispute',
      invoiceRefs: ['INV-1203', '請求A', '2026-0042'],
      note: 'short delivery on 3 pallets',
    });
    expect(
      parseCommand('/credit 记录 艾克美 电话 争议 INV-1,INV-2、ＩＮＶ－３ 数量不符'),
    ).toMatchObject({
      invoiceRefs: ['INV-1', 'INV-2', 'INV-3'],
      note: '数量不符',
    });
    expect(parseCommand('/credit log ACME call dispute price too high')).toMatchObject({
      invoiceRefs: [],
      note: 'price too high',
    });
  });

  it('keeps invoice-like words in the note unless the outcome is a dispute', () => {
    expect(parseCommand('/credit log ACME call reached INV-1203 paid yesterday')).toMatchObject({
      outcome: 'reached',
      invoiceRefs: [],
      note: 'INV-1203 paid yesterday',
    });
  });

  it('asks for the entry form when only the customer is given', () => {
    expect(parseCommand('/credit log C0001')).toEqual({ kind: 'log_form', query: 'C0001' });
    expect(parseCommand('/credit 記録 株式会社 アクメ')).toEqual({
      kind: 'log_form',
      query: '株式会社 アクメ',
    });
  });

  it('says the customer is missing', () => {
    for (const text of [
      '/credit log',
      '/credit 记录',
      '/credit log call reached',
      '/credit log 電話',
    ]) {
      expect(parseCommand(text), text).toEqual({
        kind: 'invalid',
        code: 'errors.log.no_customer',
        params: {},
      });
    }
    expect(parseCommand('/credit log call ACME reached')).toMatchObject({
      code: 'errors.log.no_customer',
    });
  });

  it('says the contact method is missing, listing the words it accepts', () => {
    expect(parseCommand('/credit log ACME fax reached')).toEqual({
      kind: 'invalid',
      code: 'errors.log.no_method',
      params: {
        words:
          'call/電話/电话 · email/メール/邮件 · visit/訪問/拜访 · letter/書面/信函 · chat/チャット/聊天',
      },
    });
  });

  it('says the outcome is missing or unknown, naming the method given', () => {
    for (const text of ['/credit log ACME call', '/credit log ACME call paid in full']) {
      expect(parseCommand(text), text).toMatchObject({
        kind: 'invalid',
        code: 'errors.log.no_outcome',
        params: { method: 'call', words: expect.stringContaining('promise/約束/承诺') },
      });
    }
  });

  it('asks for both the date and the amount of a promise', () => {
    for (const text of ['/credit log ACME call promise', '/credit 記録 アクメ 電話 約束 12/5']) {
      expect(parseCommand(text), text).toEqual({
        kind: 'invalid',
        code: 'errors.log.promise_incomplete',
        params: {},
      });
    }
  });

  it('refuses a note over the limit but takes one at it', () => {
    const at = 'あ'.repeat(MAX_NOTE_LENGTH);
    expect(parseCommand(`/credit log ACME call reached ${at}`)).toMatchObject({
      kind: 'log',
      note: at,
    });
    expect(parseCommand(`/credit log ACME call reached ${at}い`)).toEqual({
      kind: 'invalid',
      code: 'errors.log.note_too_long',
      params: { max: MAX_NOTE_LENGTH, length: MAX_NOTE_LENGTH + 1 },
    });
  });
});

describe('the contact-log command, whatever follows it', () => {
  it('always names a customer and keeps promise data only for promises', () => {
    const words = fc.constantFrom(
      'ACME',
      'アクメ',
      '株式会社',
      'call',
      '電話',
      'mail',
      'promise',
      '約束',
      'dispute',
      '争议',
      'reached',
      '12/5',
      '500万',
      'INV-1',
      '#7',
      'note',
    );
    fc.assert(
      fc.property(fc.array(words, { maxLength: 8 }), (tokens) => {
        const command = parseCommand(`/credit log ${tokens.join(' ')}`);
        expect(['log', 'log_form', 'invalid']).toContain(command.kind);
        if (command.kind === 'log') {
          expect(command.query).not.toBe('');
          expect(command.promise !== undefined).toBe(command.outcome === 'promise');
          if (command.outcome !== 'dispute') expect(command.invoiceRefs).toEqual([]);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe(cleanInput.name, () => {
  it('removes control, bidi and zero-width characters and folds spaces', () => {
    expect(cleanInput('\u0000/credit\t\u202eアクメ\u200d\u3000 ')).toBe('/credit アクメ');
    expect(cleanInput('\ud800abc')).toBe('abc');
  });
});
