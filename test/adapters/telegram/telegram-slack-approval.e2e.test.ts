import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../src/policy-files.ts';
import type { RecordedCall } from '../../support/fake-telegram.ts';
import {
  callbackUpdate,
  messageUpdate,
  privateChat,
  startTelegramBot,
  type TelegramBot,
  type TelegramChat,
  type TelegramPerson,
} from '../../support/telegram-bot.ts';

// One approval card posted to both platforms the policy names — the credit team's Slack
// channel and its Telegram group — and decided by a click in Telegram: the Slack card is
// edited in place to the decided state (its buttons gone, so nobody decides twice from
// there), and the audit log holds one decision, by the Telegram user who clicked.

let tg: TelegramBot;
const shipped = loadPolicy();

const SLACK_CHANNEL = 'C0CREDITDESK';
const GROUP: TelegramChat = { id: -1005550001111, type: 'supergroup' };
const SALES: TelegramPerson = { id: 2201, firstName: 'Suzuki' };
const CM: TelegramPerson = { id: 2202, firstName: 'Tanaka' };

type Button = { text: string; callback_data: string };
const button = (call: RecordedCall | undefined, label: string): string => {
  const rows =
    (call?.args.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ??
    [];
  const found = rows.flat().find((b) => b.text === label);
  if (!found) throw new Error(`no ${label} button`);
  return found.callback_data;
};

type SlackBlock = {
  readonly type: string;
  readonly elements?: readonly { readonly type: string; readonly text?: unknown }[];
};
const slackBlocks = (call: RecordedCall | { args: Record<string, unknown> } | undefined) =>
  (call?.args.blocks ?? []) as SlackBlock[];
const slackButtons = (blocks: readonly SlackBlock[]) =>
  blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .filter((e) => e.type === 'button')
    .map((e) => (e.text as { text?: string } | undefined)?.text);

beforeAll(async () => {
  tg = await startTelegramBot({
    base: 'demo',
    slack: true,
    policy: {
      ...shipped,
      approvals: {
        ...shipped.approvals,
        destinations: [
          { platform: 'slack', channel: SLACK_CHANNEL },
          { platform: 'telegram', channel: String(GROUP.id) },
        ],
      },
    },
  });
  const users = tg.database.store.users;
  await users.create({
    identity: { platform: 'telegram', externalId: String(SALES.id) },
    displayName: 'Suzuki Sales',
    role: 'sales',
  });
  await users.create({
    identity: { platform: 'telegram', externalId: String(CM.id) },
    displayName: 'Tanaka Credit',
    role: 'credit_manager',
  });
});
afterAll(async () => {
  await tg?.close();
});

describe('an approval posted to Slack and Telegram, decided in Telegram', () => {
  it('edits the Slack card to the decision and audits one decision by the Telegram user', async () => {
    // +¥5,000,000 on C0001's ¥30,000,000: within a credit manager's authority.
    await tg.send(
      messageUpdate({
        text: '/limit C0001 3,500万 bigger orders',
        from: SALES,
        chat: privateChat(SALES),
      }),
    );
    expect(String(tg.fake.sentTo(SALES.id).at(-1)?.args.text)).toContain('Sent for approval');
    const request = await tg.database.db
      .selectFrom('approval_requests')
      .select('id')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();

    // The outbox posts the one card to both destinations.
    await tg.deliver();
    const slack = tg.slack;
    if (!slack) throw new Error('no fake Slack');
    const slackPosts = slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === SLACK_CHANNEL);
    expect(slackPosts).toHaveLength(1);
    expect(JSON.stringify(slackPosts[0]?.args.blocks)).toContain('¥35,000,000');
    expect(slackButtons(slackBlocks(slackPosts[0]))).toEqual(
      expect.arrayContaining(['Approve', 'Reject']),
    );
    const [posted] = tg.fake.sentTo(GROUP.id);
    expect(String(posted?.args.text)).toContain('¥35,000,000');
    const slackRef = await tg.database.db
      .selectFrom('outbox')
      .select('platform_ref')
      .where('kind', '=', 'post')
      .where('platform', '=', 'slack')
      .where('channel_external_id', '=', SLACK_CHANNEL)
      .executeTakeFirstOrThrow();

    // The credit manager clicks Approve on the card in the Telegram group.
    await tg.send(
      callbackUpdate({
        data: button(posted, 'Approve'),
        from: CM,
        chat: GROUP,
        messageId: tg.fake.messageId(posted),
      }),
    );
    expect(String(tg.fake.sentTo(GROUP.id).at(-1)?.args.text)).toContain(
      'Approved by Tanaka Credit',
    );

    // The outbox edits the card where it was posted in Slack, to the decided state.
    expect(slack.callsTo('chat.update')).toEqual([]);
    await tg.deliver();
    const updates = slack.callsTo('chat.update');
    expect(updates).toHaveLength(1);
    const [update] = updates;
    expect(update?.status).toBe(200);
    expect(`${update?.args.channel}:${update?.args.ts}`).toBe(slackRef.platform_ref);
    expect(JSON.stringify(update?.args.blocks)).toContain('Approved by Tanaka Credit');
    const left = slackButtons(slackBlocks(update));
    expect(left).not.toContain('Approve');
    expect(left).not.toContain('Reject');
    // Telegram's copy of the card says the same.
    const edit = tg.fake.callsTo('editMessageText').at(-1);
    expect(String(edit?.args.text)).toContain('Approved by Tanaka Credit');

    // One decision, one audit entry for it, and its actor is the person who clicked.
    const decisions = await tg.database.db
      .selectFrom('approval_decisions')
      .select('user_id')
      .where('request_id', '=', request.id)
      .execute();
    expect(decisions).toHaveLength(1);
    const audit = await tg.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('entity_type', '=', 'approval_request')
      .where('entity_id', '=', String(request.id))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['approval.request', 'approval.approved']);
    const clicker = await tg.database.db
      .selectFrom('platform_identities')
      .select('user_id')
      .where('platform', '=', 'telegram')
      .where('external_id', '=', String(CM.id))
      .executeTakeFirstOrThrow();
    expect(audit[1]?.actor).toBe(`user:${clicker.user_id}`);
    expect(decisions[0]?.user_id).toBe(clicker.user_id);
  });
});
