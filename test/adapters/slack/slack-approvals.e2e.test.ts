import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../src/policy-files.ts';
import { type SlackBot, startSlackBot } from '../../support/slack-bot.ts';
import { plainTextInputValue, viewSubmissionBody } from '../../support/slack-requests.ts';

// The approval flow end to end in Slack: a sales rep asks from the card's button, the card
// goes to the approvals channel, a credit manager approves it there, the limit changes and
// the posted card is edited in place.

let slack: SlackBot;
const shipped = loadPolicy();

type Element = {
  type: string;
  text?: { text: string } | string;
  value?: string;
  action_id?: string;
};
const labelOf = (e: Element) => (typeof e.text === 'string' ? e.text : e.text?.text);
type Block = {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: Element[];
};

const buttons = (blocks: Block[]) =>
  blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
const button = (blocks: Block[], label: string) => {
  const found = buttons(blocks).find((e) => labelOf(e) === label);
  if (!found?.value || !found.action_id) throw new Error(`no ${label} button`);
  return { value: found.value, actionId: found.action_id };
};
const textOf = (blocks: Block[]) =>
  blocks
    .flatMap((b) => [
      b.text?.text ?? '',
      ...(b.fields ?? []).map((f) => f.text),
      ...(b.elements ?? []).map((e) => labelOf(e) ?? ''),
    ])
    .join('\n');

beforeAll(async () => {
  slack = await startSlackBot({
    base: 'demo',
    policy: {
      ...shipped,
      approvals: {
        ...shipped.approvals,
        destinations: [{ platform: 'slack', channel: 'C0APPROVALS' }],
      },
    },
  });
  const users = slack.database.store.users;
  await users.create({
    identity: { platform: 'slack', externalId: 'U-SALES' },
    displayName: 'Suzuki Sales',
    role: 'sales',
  });
  await users.create({
    identity: { platform: 'slack', externalId: 'U-CM' },
    displayName: 'Tanaka Credit',
    role: 'credit_manager',
  });
});
afterAll(async () => {
  await slack?.close();
});

describe('a limit change approved in Slack', () => {
  it('goes from the card’s button to the approvals channel and back to the card', async () => {
    // The sales rep opens the card and clicks Request limit change: the form opens.
    await slack.slash('C0001', { userId: 'U-SALES', responseId: 'card' });
    const card = (await slack.fake.waitForResponse('card')).body as { blocks: Block[] };
    const request = button(card.blocks, 'Request limit change');
    await slack.click({
      userId: 'U-SALES',
      channelId: 'C0001',
      actionId: request.actionId,
      value: request.value,
      isEphemeral: true,
      responseId: 'asked',
    });
    const open = await slack.fake.waitForCall('views.open');
    const form = open.args.view as { callback_id: string; private_metadata: string };
    const submit = await slack.post(
      viewSubmissionBody({
        userId: 'U-SALES',
        callbackId: form.callback_id,
        privateMetadata: form.private_metadata,
        viewId: 'V-LIMIT',
        values: {
          amount: { amount: plainTextInputValue('3,500万') },
          reason: { reason: plainTextInputValue('Orders double from April') },
        },
      }),
    );
    expect(submit.status).toBe(200);
    expect(JSON.stringify((await slack.fake.waitForResponse('asked')).body)).toContain(
      'Sent for approval',
    );

    // The outbox posts the approval card to the approvals channel.
    await slack.deliver();
    const posted = slack.fake
      .callsTo('chat.postMessage')
      .find((c) => c.args.channel === 'C0APPROVALS');
    expect(posted).toBeDefined();
    const postedBlocks = posted?.args.blocks as Block[];
    expect(textOf(postedBlocks)).toContain('¥35,000,000');

    // A credit manager approves it in the channel.
    const approve = button(postedBlocks, 'Approve');
    await slack.click({
      userId: 'U-CM',
      channelId: 'C0APPROVALS',
      actionId: approve.actionId,
      value: approve.value,
      responseId: 'approved',
    });
    expect(JSON.stringify((await slack.fake.waitForResponse('approved')).body)).toContain(
      'Approved by Tanaka Credit',
    );

    // The card in the channel is edited in place, and the requester is told.
    await slack.deliver();
    const update = slack.fake.callsTo('chat.update')[0];
    expect(update?.args.channel).toBe('C0APPROVALS');
    expect(update?.args.ts).toBeDefined();
    expect(textOf(update?.args.blocks as Block[])).toContain('Approved by Tanaka Credit');
    expect(buttons(update?.args.blocks as Block[]).map(labelOf)).not.toContain('Approve');
    // It edits the very message the outbox posted: the ref stored when it was sent.
    const post = await slack.database.db
      .selectFrom('outbox')
      .select('platform_ref')
      .where('kind', '=', 'post')
      .where('channel_external_id', '=', 'C0APPROVALS')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    expect(post.platform_ref).toBe(`C0APPROVALS:${String(update?.args.ts)}`);
    const notice = slack.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'U-SALES');
    expect(JSON.stringify(notice?.args.blocks)).toContain('Approved');

    // The customer's card shows the new limit.
    await slack.slash('C0001', { userId: 'U-SALES', responseId: 'after' });
    const after = (await slack.fake.waitForResponse('after')).body as { blocks: Block[] };
    expect(textOf(after.blocks)).toContain('¥35,000,000');
  });

  it('refuses the requester’s own approval with a message, and changes nothing', async () => {
    await slack.slash('limit C0002 9,000万 bigger orders', {
      userId: 'U-CM',
      responseId: 'mine',
    });
    await slack.fake.waitForResponse('mine');
    await slack.deliver();
    const posted = slack.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === 'C0APPROVALS')
      .at(-1);
    const approve = button(posted?.args.blocks as Block[], 'Approve');
    const before = await slack.database.db
      .selectFrom('customers')
      .select('credit_limit_minor')
      .where('code', '=', 'C0002')
      .executeTakeFirstOrThrow();
    await slack.click({
      userId: 'U-CM',
      channelId: 'C0APPROVALS',
      actionId: approve.actionId,
      value: approve.value,
      responseId: 'self',
    });
    const answer = JSON.stringify((await slack.fake.waitForResponse('self')).body);
    expect(answer).toContain('someone else must decide');
    const after = await slack.database.db
      .selectFrom('customers')
      .select('credit_limit_minor')
      .where('code', '=', 'C0002')
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });

  it('asks a rejecting approver for the reason in a modal, then tells the requester', async () => {
    await slack.slash('limit C0003 50万 new distributor', { userId: 'U-SALES', responseId: 'r3' });
    await slack.fake.waitForResponse('r3');
    await slack.deliver();
    const posted = slack.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === 'C0APPROVALS')
      .at(-1);
    const reject = button(posted?.args.blocks as Block[], 'Reject');
    const opened = slack.fake.callsTo('views.open').length;
    await slack.click({
      userId: 'U-CM',
      channelId: 'C0APPROVALS',
      actionId: reject.actionId,
      value: reject.value,
    });
    const modal = await slack.fake.waitForCall('views.open', opened + 1);
    const view = modal.args.view as { callback_id: string; private_metadata: string };
    const empty = await slack.post(
      viewSubmissionBody({
        userId: 'U-CM',
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        viewId: 'V-REJECT',
        values: { reason: { reason: plainTextInputValue(' ') } },
      }),
    );
    const errors = (await empty.json()) as {
      response_action: string;
      errors: Record<string, string>;
    };
    expect(errors.response_action).toBe('errors');
    expect(Object.keys(errors.errors)).toEqual(['reason']);
    const done = await slack.post(
      viewSubmissionBody({
        userId: 'U-CM',
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        viewId: 'V-REJECT',
        values: { reason: { reason: plainTextInputValue('Two invoices 60+ days overdue') } },
      }),
    );
    expect(done.status).toBe(200);
    const status = await slack.database.db
      .selectFrom('approval_requests as r')
      .innerJoin('customers as c', 'c.id', 'r.customer_id')
      .select(['r.status', 'r.decision_reason'])
      .where('c.code', '=', 'C0003')
      .executeTakeFirstOrThrow();
    expect(status).toEqual({
      status: 'rejected',
      decision_reason: 'Two invoices 60+ days overdue',
    });
    await slack.deliver();
    const notice = slack.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === 'U-SALES')
      .at(-1);
    expect(JSON.stringify(notice?.args.blocks)).toContain('Two invoices 60+ days overdue');
  });
});
