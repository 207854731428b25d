import type { messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../src/policy-files.ts';
import { type LineBot, postbackEvent, startLineBot, textEvent } from '../../support/line-bot.ts';

// Approvals decided from LINE: a sales rep asks in a 1:1 chat, the approval card goes to the
// approvals group in LINE and to the approvals channel in Slack, a credit manager taps
// Approve in the LINE group; the decision is recorded once (whatever LINE redelivers or
// whoever taps again), audited, the Slack card is edited in place and the LINE group gets a
// short follow-up (LINE cannot edit a sent message). A rejection asks for its reason on the
// next message, as LINE has no forms.

let line: LineBot;
const shipped = loadPolicy();
const SALES = 'U5a1e5000000000000000000000000011';
const CM = 'Uc0ffee000000000000000000000000012';
const APPROVALS = 'Cabc0000000000000000000000000000a';

beforeAll(async () => {
  line = await startLineBot({
    base: 'demo',
    slack: true,
    policy: {
      ...shipped,
      approvals: {
        ...shipped.approvals,
        destinations: [
          { platform: 'slack', channel: 'C0APPROVALS' },
          { platform: 'line', channel: APPROVALS },
        ],
      },
    },
  });
  const users = line.database.store.users;
  await users.create({
    identity: { platform: 'line', externalId: SALES },
    displayName: 'Suzuki Sales',
    role: 'sales',
  });
  await users.create({
    identity: { platform: 'line', externalId: CM },
    displayName: 'Tanaka Credit',
    role: 'credit_manager',
  });
  line.fake.setName(CM, 'Tanaka Credit');
  line.fake.setName(SALES, 'Suzuki Sales');
  line.fake.setMembers(APPROVALS, 4);
});
afterAll(async () => {
  await line?.close();
});

type Json = Record<string, unknown>;
function walk(node: unknown, visit: (n: Json) => void): void {
  if (!node || typeof node !== 'object') return;
  const n = node as Json;
  visit(n);
  for (const value of Object.values(n)) {
    if (Array.isArray(value)) for (const v of value) walk(v, visit);
    else if (value && typeof value === 'object') walk(value, visit);
  }
}
const textOf = (messages: readonly messagingApi.Message[] | undefined) => {
  const out: string[] = [];
  for (const m of messages ?? []) {
    if (m.type === 'text') out.push(m.text);
    walk(m, (n) => {
      if (n.type === 'text' && typeof n.text === 'string') out.push(n.text);
    });
  }
  return out.join('\n');
};
/** The postback data of the button labelled `label`. */
const buttonData = (messages: readonly messagingApi.Message[] | undefined, label: string) => {
  let data: string | undefined;
  walk(messages, (n) => {
    if (n.type === 'postback' && n.label === label) data = String(n.data);
  });
  if (!data) throw new Error(`no ${label} button`);
  return data;
};
const slackText = (blocks: unknown) => JSON.stringify(blocks);

async function requestLimit(amount: string, reason: string): Promise<number> {
  await line.send(textEvent(`/credit limit C0001 ${amount} ${reason}`, { userId: SALES }));
  const answer = line.fake.replies().at(-1)?.messages;
  expect(textOf(answer)).toContain('Sent for approval');
  const row = await line.database.db
    .selectFrom('approval_requests')
    .select('id')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return row.id;
}

const decisions = (id: number) =>
  line.database.db
    .selectFrom('approval_decisions')
    .selectAll()
    .where('request_id', '=', id)
    .execute();
const audit = (id: number) =>
  line.database.db
    .selectFrom('audit_log')
    .select('action')
    .where('entity_type', '=', 'approval_request')
    .where('entity_id', '=', String(id))
    .orderBy('id')
    .execute();

describe('a limit change approved from LINE', () => {
  it('is decided once by the postback, audited, and shown in Slack and LINE', async () => {
    const id = await requestLimit('3500万', '受注が倍増するため');

    // The outbox posts the card to both platforms.
    await line.deliver();
    const [posted] = line.fake.pushes(APPROVALS);
    expect(textOf(posted?.messages)).toContain('¥35,000,000');
    expect(posted?.retryKey).toBeDefined();
    const slackPost = line.slack
      ?.callsTo('chat.postMessage')
      .find((c) => c.args.channel === 'C0APPROVALS');
    expect(slackText(slackPost?.args.blocks)).toContain('¥35,000,000');

    // The credit manager taps Approve in the LINE group.
    const approve = buttonData(posted?.messages, 'Approve');
    const tap = { userId: CM, chatId: APPROVALS, webhookEventId: '01JAPPROVETAP000000000001' };
    line.fake.replyTokenFor('rt-approve', APPROVALS);
    await line.send(postbackEvent(approve, { ...tap, replyToken: 'rt-approve' }));
    expect(textOf(line.fake.messagesTo(APPROVALS).slice(-1))).toContain(
      'Approved by Tanaka Credit',
    );

    // LINE redelivers the same tap; a second tap comes from the same card.
    await line.send(
      postbackEvent(approve, { ...tap, replyToken: 'rt-redelivered', redelivery: true }),
    );
    await line.send(
      postbackEvent(approve, { userId: CM, chatId: APPROVALS, replyToken: 'rt-twice' }),
    );
    expect(line.fake.replies().map((r) => r.to)).not.toContain('reply:rt-redelivered');
    expect(textOf(line.fake.replies().at(-1)?.messages)).toMatch(/already/i);

    expect(await decisions(id)).toHaveLength(1);
    expect((await audit(id)).map((a) => a.action)).toEqual([
      'approval.request',
      'approval.approved',
    ]);
    const limitChanges = await line.database.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'customer.limit')
      .execute();
    expect(limitChanges).toHaveLength(1);

    // The outbox edits the Slack card, follows up in the LINE group and tells the requester.
    await line.deliver();
    const update = line.slack?.callsTo('chat.update')[0];
    expect(update?.args.channel).toBe('C0APPROVALS');
    expect(slackText(update?.args.blocks)).toContain('Approved by Tanaka Credit');
    const followUp = line.fake.pushes(APPROVALS).at(-1);
    expect(line.fake.pushes(APPROVALS)).toHaveLength(2);
    expect(textOf(followUp?.messages)).toContain('An update to the card posted earlier');
    expect(textOf(followUp?.messages)).toContain('Approved by Tanaka Credit');
    const notice = line.fake.pushes(SALES);
    expect(notice).toHaveLength(1);
    expect(textOf(notice[0]?.messages)).toContain('Approved');
    // Every push carried its own retry key.
    const keys = line.fake.pushes().map((p) => p.retryKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('a limit change rejected from LINE', () => {
  it('asks the reason on the next message, then records the rejection', async () => {
    const id = await requestLimit('4000万', '年末の大口受注');
    await line.deliver();
    const posted = line.fake.pushes(APPROVALS).at(-1);

    await line.send(
      postbackEvent(buttonData(posted?.messages, 'Reject'), { userId: CM, chatId: APPROVALS }),
    );
    const asked = line.fake.replies().at(-1)?.messages;
    expect(asked).toHaveLength(2);
    expect(textOf(asked)).toContain(`/credit reject ${id}`);
    expect(asked?.[1]).toMatchObject({ type: 'text' });

    // Another member's chatter is not the answer; the approver's next message is.
    await line.send(textEvent('了解です', { userId: SALES, chatId: APPROVALS }));
    await line.send(textEvent('担保が不足しています', { userId: CM, chatId: APPROVALS }));
    expect(textOf(line.fake.replies().at(-1)?.messages)).toContain('Rejected by Tanaka Credit');

    const [decision] = await decisions(id);
    expect(decision).toMatchObject({ decision: 'reject', reason: '担保が不足しています' });
    expect((await audit(id)).map((a) => a.action)).toContain('approval.rejected');
    await line.deliver();
    const updates = line.slack?.callsTo('chat.update') ?? [];
    expect(slackText(updates.at(-1)?.args.blocks)).toContain('Rejected');
  });
});
