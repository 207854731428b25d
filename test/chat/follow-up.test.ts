import { describe, expect, it } from 'vitest';
import type { ChatCaller } from '../../src/chat/bot.ts';
import type { CardForm } from '../../src/chat/card.ts';
import {
  answerFollowUp,
  followUpSubmission,
  readAnswer,
  refusalLines,
  retryFollowUp,
  startFollowUp,
} from '../../src/chat/follow-up.ts';

// The question-by-question form of the platforms without forms (console, LINE, Telegram).

const caller: ChatCaller = {
  identity: { platform: 'line', externalId: 'U1' },
  displayName: 'Tanaka',
  defaultRole: 'credit_manager',
  eventId: 'first-event',
};

const form: CardForm = {
  id: 'phase',
  title: 'Change phase',
  submitLabel: 'Send',
  cancelLabel: 'Cancel',
  context: 'C0031',
  fields: [
    {
      id: 'phase',
      label: 'New phase',
      kind: 'select',
      options: [
        { value: 'watch', label: '要注意' },
        { value: 'incident', label: '事故' },
      ],
    },
    { id: 'note', label: 'Note', kind: 'text', optional: true },
    { id: 'reason', label: 'Reason', kind: 'text' },
  ],
};

describe(startFollowUp.name, () => {
  it('asks the required fields in the form’s order and nothing optional', () => {
    expect(startFollowUp(form, caller).fields.map((f) => f.id)).toEqual(['phase', 'reason']);
  });
});

describe(readAnswer.name, () => {
  const select = form.fields[0];
  if (!select) throw new Error('the form has no select');

  it('takes a choice by its label as typed on a Japanese keyboard (full-width, spaced)', () => {
    expect(readAnswer(select, '  要注意 ')).toBe('watch');
    expect(readAnswer(select, 'ＩＮＣＩＤＥＮＴ')).toBe('incident');
  });

  it('leaves an unknown choice for the core to refuse, and a blank answer empty', () => {
    expect(readAnswer(select, 'closed')).toBe('closed');
    expect(readAnswer(select, '   ')).toBeUndefined();
  });
});

describe(answerFollowUp.name, () => {
  it('records each answer and submits them with the new delivery’s id', () => {
    const asked = { ...startFollowUp(form, caller), expiresAt: 99 };
    const done = answerFollowUp(answerFollowUp(asked, '事故'), ' customer stopped paying ');
    expect(done.fields).toEqual([]);
    // What the adapter keeps beside the steps is carried along.
    expect(done.expiresAt).toBe(99);
    expect(followUpSubmission(done, 'last-event')).toMatchObject({
      identity: caller.identity,
      eventId: 'last-event',
      formId: 'phase',
      context: 'C0031',
      values: { phase: 'incident', reason: 'customer stopped paying' },
    });
  });
});

describe(retryFollowUp.name, () => {
  it('asks the refused fields once more, then lets the refusal stand', () => {
    const answered = answerFollowUp(answerFollowUp(startFollowUp(form, caller), 'watch'), 'x');
    const again = retryFollowUp(answered, { reason: 'Too short' });
    expect(again?.fields.map((f) => f.id)).toEqual(['reason']);
    expect(again?.values.phase).toBe('watch');
    expect(again && retryFollowUp(again, { reason: 'Too short' })).toBeUndefined();
  });
});

describe(refusalLines.name, () => {
  it('puts each error under its field’s label, and a stray error on its own', () => {
    expect(refusalLines(form, { reason: 'Too short', other: 'Try later' })).toEqual([
      '⚠ Reason: Too short',
      '⚠ Try later',
    ]);
  });
});
