import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEST_NOW } from '../../support/constants.ts';
import { type SlackBot, startSlackBot } from '../../support/slack-bot.ts';
import {
  datepickerValue,
  nowSec,
  plainTextInputValue,
  type SlackInputValue,
  staticSelectValue,
  viewSubmissionBody,
} from '../../support/slack-requests.ts';

// Logging a collection contact from Slack: the modal, its per-field errors, and exactly
// one entry however often Slack delivers the same request.

let slack: SlackBot;

beforeAll(async () => {
  slack = await startSlackBot({ base: 'demo' });
  for (const [id, name] of [
    ['U-COLLECT', 'Sato Collector'],
    ['U-JA-COLLECT', '佐藤 回収'],
  ] as const) {
    await slack.database.store.users.create({
      identity: { platform: 'slack', externalId: id },
      displayName: name,
      role: 'collector',
    });
  }
  slack.fake.setUser('U-JA-COLLECT', { locale: 'ja-JP' });
});
afterAll(async () => {
  await slack?.close();
});
beforeEach(() => slack.fake.reset());

async function contactsOf(code: string) {
  return slack.database.db
    .selectFrom('contacts as c')
    .innerJoin('customers as k', 'k.id', 'c.customer_id')
    .leftJoin('users as u', 'u.id', 'c.actor_user_id')
    .select(['c.id', 'c.method', 'c.outcome', 'c.note', 'c.actor_label', 'u.display_name'])
    .where('k.code', '=', code)
    .orderBy('c.id')
    .execute();
}

async function promisesOf(code: string) {
  return slack.database.db
    .selectFrom('promises as p')
    .innerJoin('customers as k', 'k.id', 'p.customer_id')
    .select(['p.amount_minor', 'p.currency', 'p.promised_on'])
    .where('k.code', '=', code)
    .execute();
}

const TOMORROW = new Date(TEST_NOW.getTime() + 86_400_000).toISOString().slice(0, 10);
const field = (value: SlackInputValue) => value;

function formValues(values: Record<string, SlackInputValue | undefined>) {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([, v]) => v !== undefined)
      .map(([id, v]) => [id, { [id]: field(v as SlackInputValue) }]),
  );
}

async function openForm(userId: string, text: string) {
  await slack.slash(text, { userId, responseId: `form-${userId}` });
  const call = await slack.fake.waitForCall('views.open');
  const view = call.args.view as {
    callback_id: string;
    private_metadata: string;
    title: { text: string };
    blocks: { block_id: string; element: { type: string } }[];
  };
  return { call, view };
}

describe('the contact modal', () => {
  it('opens from /credit log <customer>, stores the contact and promise as the Slack user', async () => {
    const before = (await contactsOf('C0001')).length;
    const { call, view } = await openForm('U-COLLECT', 'log C0001');
    expect(call.args.trigger_id).toBeTruthy();
    expect(view.callback_id).toBe('co_form');
    expect(view.blocks.map((b) => b.block_id)).toEqual([
      'method',
      'outcome',
      'promise_date',
      'promise_amount',
      'invoices',
      'note',
    ]);
    expect(view.blocks.find((b) => b.block_id === 'promise_date')?.element.type).toBe('datepicker');

    const submit = await slack.post(
      viewSubmissionBody({
        userId: 'U-COLLECT',
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        viewId: 'V-OK-1',
        values: formValues({
          method: staticSelectValue('call'),
          outcome: staticSelectValue('promise'),
          promise_date: datepickerValue(TOMORROW),
          promise_amount: plainTextInputValue('500万'),
          note: plainTextInputValue('Wire on Friday'),
        }),
      }),
    );
    expect(submit.status).toBe(200);
    expect(await submit.text()).toBe('');
    const contacts = await contactsOf('C0001');
    expect(contacts.length).toBe(before + 1);
    expect(contacts.at(-1)).toMatchObject({
      method: 'call',
      outcome: 'promise',
      note: 'Wire on Friday',
      display_name: 'Sato Collector',
    });
    expect(await promisesOf('C0001')).toContainEqual(
      expect.objectContaining({ amount_minor: 5_000_000, currency: 'JPY', promised_on: TOMORROW }),
    );
    // The confirmation goes where the command was typed.
    const confirmation = await slack.fake.waitForResponse('form-U-COLLECT');
    expect(JSON.stringify(confirmation.body)).toContain('Contact logged');
  });

  it('shows what to correct next to each field, in the person’s language, and writes nothing', async () => {
    const before = (await contactsOf('C0001')).length;
    const { view } = await openForm('U-JA-COLLECT', 'log C0001');
    const submit = await slack.post(
      viewSubmissionBody({
        userId: 'U-JA-COLLECT',
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        viewId: 'V-BAD-1',
        values: formValues({
          method: staticSelectValue('call'),
          outcome: staticSelectValue('promise'),
          promise_amount: plainTextInputValue('たくさん'),
          invoices: plainTextInputValue('INV-1'),
        }),
      }),
    );
    expect(submit.status).toBe(200);
    const body = (await submit.json()) as {
      response_action: string;
      errors: Record<string, string>;
    };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors).sort()).toEqual(['invoices', 'promise_date']);
    expect(body.errors.promise_date).toContain('入金予定日');
    expect((await contactsOf('C0001')).length).toBe(before);

    const amount = await slack.post(
      viewSubmissionBody({
        userId: 'U-JA-COLLECT',
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        viewId: 'V-BAD-1',
        values: formValues({
          method: staticSelectValue('call'),
          outcome: staticSelectValue('promise'),
          promise_date: datepickerValue(TOMORROW),
          promise_amount: plainTextInputValue('たくさん'),
        }),
      }),
    );
    const second = (await amount.json()) as { errors: Record<string, string> };
    expect(Object.keys(second.errors)).toEqual(['promise_amount']);
    expect((await contactsOf('C0001')).length).toBe(before);
  });

  it('sends the confirmation as a direct message when the response_url refuses it', async () => {
    const { view } = await openForm('U-COLLECT', 'log C0004');
    slack.fake.failNextResponse(404);
    const submit = await slack.post(
      viewSubmissionBody({
        userId: 'U-COLLECT',
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        viewId: 'V-LATE-1',
        values: formValues({
          method: staticSelectValue('visit'),
          outcome: staticSelectValue('reached'),
        }),
      }),
    );
    expect(submit.status).toBe(200);
    const dm = await slack.fake.waitForCall('chat.postMessage');
    expect(dm.args.channel).toBe('U-COLLECT');
    expect(JSON.stringify(dm.args)).toContain('Contact logged');
  });

  it('stores one contact when the same modal is submitted twice', async () => {
    const before = (await contactsOf('C0002')).length;
    const { view } = await openForm('U-COLLECT', 'log C0002');
    const body = viewSubmissionBody({
      userId: 'U-COLLECT',
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      viewId: 'V-TWICE',
      values: formValues({
        method: staticSelectValue('email'),
        outcome: staticSelectValue('reached'),
      }),
    });
    const [first, second] = await Promise.all([slack.post(body), slack.post(body)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect((await contactsOf('C0002')).length).toBe(before + 1);
  });

  it('opens the same modal from the card’s Log contact button', async () => {
    await slack.slash('C0003', { userId: 'U-COLLECT', responseId: 'card-3' });
    const card = (await slack.fake.waitForResponse('card-3')).body as {
      blocks: {
        type: string;
        elements?: { text: { text: string }; value: string; action_id: string }[];
      }[];
    };
    const button = card.blocks
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.text?.text === 'Log contact');
    expect(button).toBeDefined();
    await slack.click({
      userId: 'U-COLLECT',
      channelId: 'C0001',
      actionId: button?.action_id ?? '',
      value: button?.value ?? '',
      isEphemeral: true,
    });
    const call = await slack.fake.waitForCall('views.open');
    expect((call.args.view as { callback_id: string }).callback_id).toBe('co_form');
  });

  it('refuses a viewer before the form opens', async () => {
    await slack.slash('log C0001', { userId: 'U-VIEWER', responseId: 'viewer' });
    const answer = await slack.fake.waitForResponse('viewer');
    expect(JSON.stringify(answer.body)).toMatch(/cannot|not allowed|permission/i);
    expect(slack.fake.callsTo('views.open')).toEqual([]);
  });
});

describe('typed contact entries and Slack retries', () => {
  it('logs once when Slack delivers the same command again', async () => {
    const before = (await contactsOf('C0004')).length;
    const text = 'log C0004 call reached AP confirmed the invoice';
    const triggerId = '1700000001.0001.retry01';
    const first = await slack.slash(text, { userId: 'U-COLLECT', triggerId, responseId: 'retry' });
    expect(first.status).toBe(200);
    await slack.fake.waitForResponse('retry');
    const again = await slack.post(
      (await import('../../support/slack-requests.ts')).slashCommandBody({
        text,
        userId: 'U-COLLECT',
        triggerId,
        responseUrl: slack.fake.responseUrl('retry'),
      }),
      { retryNum: 1, retryReason: 'http_timeout', timestamp: nowSec() },
    );
    expect(again.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await contactsOf('C0004')).length).toBe(before + 1);
    expect(slack.fake.responses.filter((r) => r.id === 'retry')).toHaveLength(1);
  });
});
