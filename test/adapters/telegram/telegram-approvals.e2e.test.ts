import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxDelivery } from '../../../src/app/outbox-ports.ts';
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

// The approval flow end to end in Telegram: a sales rep asks by command, the outbox posts the
// card to the credit team's group, a credit manager clicks Approve there, the limit changes
// and the posted card is edited in place; a rejection asks its reason as a question.

let tg: TelegramBot;
let approver: number;
const shipped = loadPolicy();

const GROUP: TelegramChat = { id: -1009876543210, type: 'supergroup' };
const SALES: TelegramPerson = { id: 1101, firstName: 'Suzuki' };
const CM: TelegramPerson = { id: 1102, firstName: 'Tanaka' };
const CM2: TelegramPerson = { id: 1103, firstName: 'Sato' };

type Button = { text: string; callback_data: string };
const buttons = (call: RecordedCall | undefined): Button[] =>
  (
    (call?.args.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []
  ).flat();
const button = (call: RecordedCall | undefined, label: string): string => {
  const found = buttons(call).find((b) => b.text === label);
  if (!found) throw new Error(`no ${label} button`);
  return found.callback_data;
};

beforeAll(async () => {
  tg = await startTelegramBot({
    base: 'demo',
    policy: {
      ...shipped,
      approvals: {
        ...shipped.approvals,
        destinations: [{ platform: 'telegram', channel: String(GROUP.id) }],
      },
    },
  });
  const users = tg.database.store.users;
  for (const [person, displayName, role] of [
    [SALES, 'Suzuki Sales', 'sales'],
    [CM, 'Tanaka Credit', 'credit_manager'],
    [CM2, 'Sato Credit', 'credit_manager'],
  ] as const) {
    const user = await users.create({
      identity: { platform: 'telegram', externalId: String(person.id) },
      displayName,
      role,
    });
    if (person === CM) approver = user.id;
  }
});
afterAll(async () => {
  await tg?.close();
});

/** Asks for a limit change as the sales rep and posts its card to the group. */
async function requestLimit(code: string, amount: string): Promise<RecordedCall> {
  const before = tg.fake.sentTo(GROUP.id).length;
  await tg.send(
    messageUpdate({
      text: `/limit ${code} ${amount} bigger orders`,
      from: SALES,
      chat: privateChat(SALES),
    }),
  );
  expect(String(tg.fake.sentTo(SALES.id).at(-1)?.args.text)).toContain('Sent for approval');
  await tg.deliver();
  const posted = tg.fake.sentTo(GROUP.id)[before];
  if (!posted) throw new Error('no approval card in the group');
  return posted;
}

/** The posted card's message id, as the outbox stored it for later edits: `chat:message`. */
async function messageIdOf(call: RecordedCall): Promise<number> {
  const messageId = tg.fake.messageId(call);
  const ref = await tg.database.db
    .selectFrom('outbox')
    .select('platform_ref')
    .where('kind', '=', 'post')
    .where('channel_external_id', '=', String(call.args.chat_id))
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  expect(ref.platform_ref).toBe(`${GROUP.id}:${messageId}`);
  return messageId;
}

describe('a limit change approved in a Telegram group', () => {
  it('answers the click at once, decides once, edits the card and tells the requester', async () => {
    const posted = await requestLimit('C0001', '3,500万');
    expect(String(posted.args.text)).toContain('¥35,000,000');
    const messageId = await messageIdOf(posted);
    expect(messageId).toBeGreaterThan(0);

    const click = callbackUpdate({
      data: button(posted, 'Approve'),
      from: CM,
      chat: GROUP,
      messageId,
    });
    const calls = tg.fake.calls.length;
    await tg.send(click);
    const after = tg.fake.calls.slice(calls);
    // The spinner stops first, before any work is answered.
    expect(after[0]?.method).toBe('answerCallbackQuery');
    expect(after[0]?.args.callback_query_id).toBe(click.callback_query.id);
    const answer = after.find((c) => c.method === 'sendMessage');
    expect(answer?.args.chat_id).toBe(GROUP.id);
    expect(String(answer?.args.text)).toContain('Approved by Tanaka Credit');

    // The outbox edits the very message it posted, and drops its decision buttons.
    await tg.deliver();
    const edit = tg.fake.callsTo('editMessageText').at(-1);
    expect(edit?.status).toBe(200);
    expect(edit?.args).toMatchObject({
      chat_id: String(GROUP.id),
      message_id: messageId,
      parse_mode: 'HTML',
    });
    expect(String(edit?.args.text)).toContain('Approved by Tanaka Credit');
    expect(buttons(edit).map((b) => b.text)).not.toContain('Approve');
    const notice = tg.fake.sentTo(SALES.id).at(-1);
    expect(String(notice?.args.text)).toContain('Approved');

    const customer = await tg.database.db
      .selectFrom('customers')
      .select('credit_limit_minor')
      .where('code', '=', 'C0001')
      .executeTakeFirstOrThrow();
    expect(Number(customer.credit_limit_minor)).toBe(35_000_000);
    const audit = await tg.database.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('action', 'in', ['approval.approved', 'customer.limit'])
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['approval.approved', 'customer.limit']);
    expect(audit[0]?.actor).toBe(`user:${approver}`);

    // A second click on the old card changes nothing and says so.
    await tg.send(
      callbackUpdate({ data: button(posted, 'Approve'), from: CM2, chat: GROUP, messageId }),
    );
    expect(String(tg.fake.sentTo(GROUP.id).at(-1)?.args.text)).toContain('already decided');
    const decisions = await tg.database.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'approval.approved')
      .execute();
    expect(decisions).toHaveLength(1);
  });

  it('yields one decision when two approvers click at the same moment', async () => {
    // A decrease: any credit manager decides it in one step.
    const posted = await requestLimit('C0001', '2,000万');
    const messageId = await messageIdOf(posted);
    const data = button(posted, 'Approve');
    await Promise.all([
      tg.post(callbackUpdate({ data, from: CM, chat: GROUP, messageId })),
      tg.post(callbackUpdate({ data, from: CM2, chat: GROUP, messageId })),
    ]);
    await tg.adapter.idle();
    const request = await tg.database.db
      .selectFrom('approval_requests as r')
      .innerJoin('customers as c', 'c.id', 'r.customer_id')
      .select(['r.id', 'r.status'])
      .where('c.code', '=', 'C0001')
      .orderBy('r.id', 'desc')
      .executeTakeFirstOrThrow();
    expect(request.status).toBe('approved');
    const decisions = await tg.database.db
      .selectFrom('approval_decisions')
      .select('user_id')
      .where('request_id', '=', request.id)
      .execute();
    expect(decisions).toHaveLength(1);
  });

  it('treats an edit to what the card already says as done', async () => {
    // The card of the last decision, edited once already by the outbox.
    await tg.deliver();
    const ref = await tg.database.db
      .selectFrom('outbox')
      .select(['subject_id', 'payload'])
      .where('kind', '=', 'update')
      .where('status', '=', 'sent')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const post = await tg.database.db
      .selectFrom('outbox')
      .select('platform_ref')
      .where('kind', '=', 'post')
      .where('subject_id', '=', ref.subject_id)
      .executeTakeFirstOrThrow();
    const delivery: OutboxDelivery = {
      id: 0,
      platform: 'telegram',
      channel: String(GROUP.id),
      kind: 'update',
      payload: ref.payload as Record<string, unknown>,
      attempts: 1,
      updateRefs: [String(post.platform_ref)],
    };
    const rendered = await tg.bot.outbox(delivery);
    if (!rendered) throw new Error('nothing to render');
    // The same edit twice, as a retry after a lost answer would send it.
    const edits = tg.fake.callsTo('editMessageText').length;
    await expect(tg.adapter.deliverer.deliver(delivery, rendered)).resolves.toEqual({});
    await expect(tg.adapter.deliverer.deliver(delivery, rendered)).resolves.toEqual({});
    const again = tg.fake.callsTo('editMessageText').slice(edits);
    expect(again.map((c) => c.status)).toEqual([200, 400]);
    expect(again[1]?.error).toMatch(/message is not modified/);
  });
});

describe('a rejection in Telegram', () => {
  it('asks the reason as a question, asks again when it is empty, then rejects', async () => {
    const posted = await requestLimit('C0003', '50万');
    const messageId = await messageIdOf(posted);
    await tg.send(
      callbackUpdate({ data: button(posted, 'Reject'), from: CM, chat: GROUP, messageId }),
    );
    const question = tg.fake.sentTo(GROUP.id).at(-1);
    expect(question?.args.reply_markup).toMatchObject({ force_reply: true, selective: true });
    expect(String(question?.args.text)).toContain(`tg://user?id=${CM.id}`);

    // The approver answers by replying to the question, which opens with their mention.
    const asked = (call: RecordedCall | undefined) => ({
      messageId: tg.fake.messageId(call),
      text: 'Tanaka Reason',
      entities: [
        {
          type: 'text_mention',
          offset: 0,
          length: 6,
          user: { id: CM.id, is_bot: false, first_name: 'Tanaka' },
        },
      ],
    });
    await tg.send(messageUpdate({ text: ' ', from: CM, chat: GROUP, replyTo: asked(question) }));
    const [refusal, again] = tg.fake.sentTo(GROUP.id).slice(-2);
    expect(String(refusal?.args.text)).toMatch(/^<b>⚠️ /);
    expect(again?.args.reply_markup).toMatchObject({ force_reply: true });

    await tg.send(
      messageUpdate({
        text: 'Two invoices 60+ days overdue',
        from: CM,
        chat: GROUP,
        replyTo: asked(again),
      }),
    );
    const request = await tg.database.db
      .selectFrom('approval_requests as r')
      .innerJoin('customers as c', 'c.id', 'r.customer_id')
      .select(['r.status', 'r.decision_reason'])
      .where('c.code', '=', 'C0003')
      .executeTakeFirstOrThrow();
    expect(request).toEqual({
      status: 'rejected',
      decision_reason: 'Two invoices 60+ days overdue',
    });
    await tg.deliver();
    expect(String(tg.fake.sentTo(SALES.id).at(-1)?.args.text)).toContain(
      'Two invoices 60+ days overdue',
    );
  });
});
