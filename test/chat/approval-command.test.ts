import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_REASON_LENGTH, phaseFromWord } from '../../src/chat/approval-command.ts';
import { parseCommand } from '../../src/chat/command.ts';
import { PHASES } from '../../src/domain/credit.ts';

// The approval words: requests for a limit or a phase, decisions, withdrawals, the list.

describe('the limit request grammar', () => {
  it('takes the customer up to the first amount, so names with digits read whole', () => {
    expect(parseCommand('/credit limit 3M Japan 5,000,000 more volume')).toEqual({
      kind: 'limit_request',
      query: '3M Japan',
      amountText: '5,000,000',
      reason: 'more volume',
    });
    expect(parseCommand('/credit limit C0001 8M orders double from April')).toEqual({
      kind: 'limit_request',
      query: 'C0001',
      amountText: '8M',
      reason: 'orders double from April',
    });
  });

  it('reads the amounts people type in Japanese and Chinese, with the local words', () => {
    expect(parseCommand('/credit 限度額 アクメ 800万 4月から受注が倍増するため')).toEqual({
      kind: 'limit_request',
      query: 'アクメ',
      amountText: '800万',
      reason: '4月から受注が倍増するため',
    });
    expect(parseCommand('/credit 额度 艾克美 50万元 订单增加')).toMatchObject({
      kind: 'limit_request',
      query: '艾克美',
      amountText: '50万元',
    });
    for (const amount of ['¥1,200,000', '￥１２０万', '1億2000万円', 'US$35,000', '250k', '1.5M']) {
      expect(parseCommand(`/credit limit ACME ${amount} growth`), amount).toMatchObject({
        kind: 'limit_request',
        query: 'ACME',
        reason: 'growth',
      });
    }
  });

  it('answers with the form for a customer alone, and says what is missing otherwise', () => {
    expect(parseCommand('/credit limit 3M Japan')).toEqual({
      kind: 'limit_form',
      query: '3M Japan',
    });
    expect(parseCommand('/credit limit')).toMatchObject({
      kind: 'invalid',
      code: 'errors.approval.limit_usage',
    });
  });

  it('refuses a request without a reason, because the approver decides on it', () => {
    expect(parseCommand('/credit limit 3M Japan 5,000,000')).toEqual({
      kind: 'invalid',
      code: 'errors.approval.reason_required',
      params: {},
    });
  });

  it('takes a reason up to the limit and refuses a longer one', () => {
    const at = 'x'.repeat(MAX_REASON_LENGTH);
    expect(parseCommand(`/credit limit C0001 8M ${at}`)).toMatchObject({ reason: at });
    expect(parseCommand(`/credit limit C0001 8M ${at}y`)).toMatchObject({
      kind: 'invalid',
      code: 'errors.approval.reason_too_long',
      params: { max: MAX_REASON_LENGTH, length: MAX_REASON_LENGTH + 1 },
    });
  });
});

describe('the phase request grammar', () => {
  it('reads the phase in English, Japanese and Chinese and hands on its id', () => {
    expect(parseCommand('/credit phase Watch Co incident bankruptcy filed')).toEqual({
      kind: 'phase_request',
      query: 'Watch Co',
      phaseText: 'incident',
      reason: 'bankruptcy filed',
    });
    expect(parseCommand('/credit フェーズ アクメ 問題案件 延滞が60日を超えたため')).toEqual({
      kind: 'phase_request',
      query: 'アクメ',
      phaseText: 'watch',
      reason: '延滞が60日を超えたため',
    });
    expect(parseCommand('/credit 阶段 艾克美 关注 连续两次逾期')).toMatchObject({
      phaseText: 'watch',
    });
    expect(parseCommand('/credit 阶段 艾克美 正常 逾期已收回')).toMatchObject({
      phaseText: 'ongoing',
    });
  });

  it('accepts every phase name the cards show, in every language', () => {
    for (const locale of ['en', 'ja', 'zh']) {
      const names = JSON.parse(
        readFileSync(new URL(`../../locales/${locale}/common.json`, import.meta.url), 'utf8'),
      ).phase as Record<string, string>;
      for (const phase of PHASES) {
        const name = names[phase] ?? '';
        // "Incident (credit hold)" is typed as its first word.
        const typed = name.includes(' ') ? (name.split(' ')[0] ?? '') : name;
        expect(phaseFromWord(typed), `${locale} ${name}`).toBe(phase);
      }
    }
  });

  it('asks with the form for a customer alone and refuses a phase without a reason', () => {
    expect(parseCommand('/credit phase ACME Trading')).toEqual({
      kind: 'phase_form',
      query: 'ACME Trading',
    });
    expect(parseCommand('/credit phase ACME watch')).toMatchObject({
      kind: 'invalid',
      code: 'errors.approval.reason_required',
    });
    expect(parseCommand('/credit phase')).toMatchObject({
      kind: 'invalid',
      code: 'errors.approval.phase_usage',
    });
  });
});

describe('the decision grammar', () => {
  it('reads a request number as 12, #12 or in full-width digits', () => {
    for (const id of ['12', '#12', '＃１２', '１２', 'No.12']) {
      expect(parseCommand(`/credit approve ${id}`), id).toEqual({ kind: 'approve', id: 12 });
    }
    expect(parseCommand('/credit cancel #7')).toEqual({ kind: 'cancel_request', id: 7 });
  });

  it('leaves a rejection without a reason for the form to ask, and keeps one given', () => {
    expect(parseCommand('/credit reject #12')).toEqual({ kind: 'reject', id: 12 });
    expect(parseCommand('/credit reject 12 exposure already above the limit')).toEqual({
      kind: 'reject',
      id: 12,
      reason: 'exposure already above the limit',
    });
  });

  it('takes the Japanese and Chinese words for approve, reject, cancel and the list', () => {
    expect(parseCommand('/credit 承認 12')).toEqual({ kind: 'approve', id: 12 });
    expect(parseCommand('/credit 承认 #12')).toEqual({ kind: 'approve', id: 12 });
    expect(parseCommand('/credit 却下 12 与信枠が過大')).toEqual({
      kind: 'reject',
      id: 12,
      reason: '与信枠が過大',
    });
    expect(parseCommand('/credit 驳回 １２')).toEqual({ kind: 'reject', id: 12 });
    expect(parseCommand('/credit 取り消し 3')).toEqual({ kind: 'cancel_request', id: 3 });
    expect(parseCommand('/credit 撤回 3')).toEqual({ kind: 'cancel_request', id: 3 });
    for (const word of ['approvals', '承認待ち', '稟議', '待审批', '审批', '承認']) {
      expect(parseCommand(`/credit ${word}`), word).toEqual({ kind: 'approvals_list' });
    }
  });

  it('says what is wrong with a missing or unreadable number and with words after it', () => {
    expect(parseCommand('/credit reject')).toEqual({
      kind: 'invalid',
      code: 'errors.approval.no_id',
      params: { command: '/credit reject' },
    });
    expect(parseCommand('/credit approve ACME')).toMatchObject({
      kind: 'invalid',
      code: 'errors.approval.bad_id',
      params: { value: 'ACME' },
    });
    expect(parseCommand('/credit approve 12 looks fine')).toMatchObject({
      kind: 'invalid',
      code: 'errors.approval.id_only',
      params: { command: '/credit approve 12' },
    });
  });

  it('no longer calls limit, phase or approvals unavailable', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('limit', 'phase', 'approvals', '限度額', '审批'),
        fc.string(),
        (word, rest) => {
          expect(parseCommand(`/credit ${word} ${rest}`).kind).not.toBe('unavailable');
        },
      ),
    );
  });
});
