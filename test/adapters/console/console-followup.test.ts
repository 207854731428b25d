import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createConsoleAdapter } from '../../../src/adapters/console/console-adapter.ts';
import { phaseRequestForm, rejectForm } from '../../../src/chat/approval-forms.ts';
import type { Bot, FormResult, FormSubmission } from '../../../src/chat/bot.ts';
import { type Card, messageCard } from '../../../src/chat/card.ts';
import { createI18n } from '../../../src/chat/i18n.ts';
import { TEST_TIMEZONE } from '../../support/constants.ts';

// A terminal has no forms: after a card whose form asks to follow up, the console asks
// each field on the following lines and submits them. The bot is the adapter's port, so
// the test plays it: it answers commands with cards and records what was submitted.

const i18n = createI18n();
const ctx = { t: i18n.t('en'), locale: 'en' as const, timeZone: TEST_TIMEZONE };

/** The phase form as a platform without forms would be asked to follow up on. */
function phaseFollowUp(): Card {
  const card = phaseRequestForm({ code: 'C0001', legalName: 'ACME', phase: 'ongoing' }, ctx);
  if (!card.form) throw new Error('the phase form has no form');
  return { ...card, form: { ...card.form, followUp: true } };
}

function recordingBot(answers: FormResult[]): { bot: Bot; submitted: FormSubmission[] } {
  const submitted: FormSubmission[] = [];
  const bot: Bot = {
    async handle(request) {
      if (request.text === '/credit reject 12') return rejectForm(12, ctx);
      if (request.text === '/credit phase C0001') return phaseFollowUp();
      return messageCard(`echo ${request.text}`);
    },
    async submit(submission) {
      submitted.push(submission);
      return answers.shift() ?? { kind: 'done', card: messageCard('done') };
    },
    async home() {
      return messageCard('home');
    },
    async outbox() {
      return undefined;
    },
    async actionTokens() {
      return [];
    },
    async settled() {
      return true;
    },
  };
  return { bot, submitted };
}

async function runConsole(bot: Bot, lines: readonly string[]): Promise<string> {
  let out = '';
  const output = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  await createConsoleAdapter({
    bot,
    input: Readable.from(lines.map((line) => `${line}\n`)),
    output,
    userName: 'operator',
    locale: 'en',
  }).run();
  return out;
}

describe('the console’s follow-up questions', () => {
  it('asks the reject reason on the next line and submits it as the same person', async () => {
    const { bot, submitted } = recordingBot([
      { kind: 'done', card: messageCard('Rejected: request #12') },
    ]);
    const out = await runConsole(bot, [
      '/credit reject 12',
      'exposure is already above the limit',
      'next command',
    ]);
    expect(submitted).toEqual([
      {
        identity: { platform: 'console', externalId: 'operator' },
        displayName: 'operator',
        channelLocale: 'en',
        defaultRole: 'admin',
        formId: 'reject',
        context: '12',
        values: { reason: 'exposure is already above the limit' },
      },
    ]);
    const card = out.indexOf('Reject request #12');
    const prompt = out.indexOf('Reason for rejecting: ');
    const done = out.indexOf('Rejected: request #12');
    const next = out.indexOf('echo next command');
    expect([card, prompt, done, next].every((i) => i >= 0)).toBe(true);
    expect(card < prompt && prompt < done && done < next).toBe(true);
  });

  it('prints what was wrong and asks the failed field once more', async () => {
    const { bot, submitted } = recordingBot([
      { kind: 'invalid', errors: { reason: 'A reason is required.' } },
      { kind: 'done', card: messageCard('Rejected: request #12') },
    ]);
    const out = await runConsole(bot, ['/credit reject 12', '   ', 'limit too high']);
    expect(out).toContain('⚠ Reason for rejecting: A reason is required.');
    expect(submitted.map((s) => s.values)).toEqual([
      { reason: undefined },
      { reason: 'limit too high' },
    ]);
    expect(out.match(/Reason for rejecting: /gu)).toHaveLength(3);
    expect(out).toContain('Rejected: request #12');
  });

  it('shows a second refusal and goes back to reading commands', async () => {
    const refusal: FormResult = { kind: 'invalid', errors: { reason: 'Too long.' } };
    const { bot, submitted } = recordingBot([refusal, refusal]);
    const out = await runConsole(bot, ['/credit reject 12', 'x', 'y', 'after']);
    expect(submitted).toHaveLength(2);
    expect(out.match(/⚠ Reason for rejecting: Too long\./gu)).toHaveLength(2);
    expect(out).toContain('echo after');
  });

  it('lists a select’s choices and takes the value or the label, in any case', async () => {
    const { bot, submitted } = recordingBot([]);
    const out = await runConsole(bot, [
      '/credit phase C0001',
      'INCIDENT (CREDIT HOLD)',
      'bankruptcy filed',
      '/credit phase C0001',
      'watch',
      'late twice',
    ]);
    expect(out).toContain('  - watch: Watch\n  - incident: Incident (credit hold)\nNew phase: ');
    expect(submitted.map((s) => [s.formId, s.context, s.values])).toEqual([
      ['phase', 'C0001', { phase: 'incident', reason: 'bankruptcy filed' }],
      ['phase', 'C0001', { phase: 'watch', reason: 'late twice' }],
    ]);
  });

  it('gives up without a word when the input ends mid-answer', async () => {
    const { bot, submitted } = recordingBot([]);
    const out = await runConsole(bot, ['/credit reject 12']);
    expect(submitted).toEqual([]);
    expect(out.trimEnd().endsWith('Reason for rejecting:')).toBe(true);
  });

  it('asks nothing after a card whose form is meant for platforms with forms', async () => {
    const { bot, submitted } = recordingBot([]);
    const form = rejectForm(12, ctx);
    const plain: Bot = {
      ...bot,
      async handle() {
        return form.form ? { ...form, form: { ...form.form, followUp: false } } : form;
      },
    };
    const out = await runConsole(plain, ['/credit reject 12', 'second line']);
    expect(submitted).toEqual([]);
    expect(out).not.toContain('Reason for rejecting: ');
  });
});
