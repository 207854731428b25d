import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSubscription } from '../../../src/app/channels.ts';
import { alertJobs } from '../../../src/jobs/alerts-job.ts';
import { insertLedger } from '../../app/ledger-fixture.ts';
import { schedulerReplicas, tickAll } from '../../support/replicas.ts';
import { type SlackBot, startSlackBot } from '../../support/slack-bot.ts';
import {
  plainTextInputValue,
  staticSelectValue,
  viewSubmissionBody,
} from '../../support/slack-requests.ts';

// Alerts in Slack: the daily evaluation finds an invoice 95 days overdue, posts the red alerts
// to the channel subscribed to alerts, and the phase proposal's Request button opens the phase
// form for a person allowed to request it — and only for them: the click is checked as its
// clicker, not as whoever the alert was posted for.

let slack: SlackBot;

type Element = {
  type: string;
  text?: { text: string } | string;
  value?: string;
  action_id?: string;
};
type Block = { type: string; text?: { text: string }; elements?: Element[] };
const labelOf = (e: Element) => (typeof e.text === 'string' ? e.text : e.text?.text);
const buttons = (blocks: Block[]) =>
  blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
const textOf = (blocks: Block[]) => JSON.stringify(blocks);

beforeAll(async () => {
  slack = await startSlackBot({ base: 'empty' });
  // Through the ledger writer, as an import writes it: with the names `/credit` looks up.
  const customer = await insertLedger(slack.database.store, {
    code: 'K0095',
    currency: 'JPY',
    // Due 2026-08-20: 95 days overdue on 2026-11-23.
    invoices: [
      {
        number: 'INV-95',
        issuedOn: '2026-07-21',
        dueOn: '2026-08-20',
        currency: 'JPY',
        amount: 3_000_000,
      },
    ],
    payments: [],
  });
  await slack.database.db
    .updateTable('customers')
    .set({ phase: 'ongoing', credit_limit_minor: 50_000_000 })
    .where('id', '=', customer)
    .execute();
  await addSubscription(slack.database.store, 'cli:test', {
    channel: 'slack:C0ALERTS',
    kind: 'alerts',
    locale: 'en',
    defaultTimeZone: 'Asia/Tokyo',
    defaultLocale: 'en',
  });
  const users = slack.database.store.users;
  await users.create({
    identity: { platform: 'slack', externalId: 'U-CM' },
    displayName: 'Tanaka Credit',
    role: 'credit_manager',
  });
  await users.create({
    identity: { platform: 'slack', externalId: 'U-SALES' },
    displayName: 'Suzuki Sales',
    role: 'sales',
  });
});
afterAll(async () => {
  await slack?.close();
});

describe('alerts in Slack', () => {
  let blocks: Block[][] = [];

  it('posts the red alerts of the daily evaluation to the subscribed channel, once', async () => {
    const instances = schedulerReplicas({
      jobs: alertJobs(slack.core),
      db: slack.database.db,
      clock: slack.core.clock,
    });
    await tickAll(instances);
    await tickAll(instances);
    await slack.deliver();
    const posts = slack.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === 'C0ALERTS');
    blocks = posts.map((p) => p.args.blocks as Block[]);
    expect(posts).toHaveLength(2);
    const invoice = blocks.find((b) => textOf(b).includes('Invoice overdue'));
    expect(textOf(invoice ?? [])).toContain('Critical');
    expect(textOf(invoice ?? [])).toContain('90 days past due');
    expect(textOf(invoice ?? [])).toContain('¥3,000,000');
  });

  it('opens the phase form from the proposal’s Request button, as the person who clicks', async () => {
    const proposal = blocks.find((b) => textOf(b).includes('Phase change proposed'));
    expect(textOf(proposal ?? [])).toContain('Incident');
    const request = buttons(proposal ?? []).find((e) => labelOf(e) === 'Request phase change');
    if (!request?.value || !request.action_id) throw new Error('no Request button');

    // A sales rep may not request phase moves: refused, no form.
    const opened = slack.fake.callsTo('views.open').length;
    await slack.click({
      userId: 'U-SALES',
      channelId: 'C0ALERTS',
      actionId: request.action_id,
      value: request.value,
      responseId: 'sales-click',
    });
    const refusal = JSON.stringify((await slack.fake.waitForResponse('sales-click')).body);
    expect(refusal).toContain('Your role (Sales) cannot run /credit phase');
    expect(slack.fake.callsTo('views.open')).toHaveLength(opened);

    // A credit manager gets the phase form for that customer, and can send it for approval.
    await slack.click({
      userId: 'U-CM',
      channelId: 'C0ALERTS',
      actionId: request.action_id,
      value: request.value,
      responseId: 'cm-click',
    });
    const modal = await slack.fake.waitForCall('views.open', opened + 1);
    const view = modal.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: Block[];
    };
    expect(JSON.stringify(view.blocks)).toContain('Incident');
    const submit = await slack.post(
      viewSubmissionBody({
        userId: 'U-CM',
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        viewId: 'V-PHASE',
        values: {
          phase: { phase: staticSelectValue('incident') },
          reason: { reason: plainTextInputValue('95 days overdue, no reply to calls') },
        },
      }),
    );
    expect(submit.status).toBe(200);
    const request_ = await slack.database.db
      .selectFrom('approval_requests')
      .select(['kind', 'payload', 'status'])
      .executeTakeFirstOrThrow();
    expect(request_).toMatchObject({
      kind: 'phase',
      status: 'pending',
      payload: { from: 'ongoing', to: 'incident' },
    });
  });
});
