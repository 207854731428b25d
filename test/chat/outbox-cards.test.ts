import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxDelivery } from '../../src/app/outbox-ports.ts';
import { createTestBot } from '../support/bot.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// The admins' notice of a message given up, as the worker renders it for their DM.

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const admin = await database.store.users.create({
    identity: { platform: 'slack', externalId: 'UADMINJA' },
    displayName: '管理者',
    role: 'admin',
  });
  await database.store.users.setLocale(admin.id, 'ja');
});
afterAll(async () => {
  await database?.close();
});

const notice = (channel: string): OutboxDelivery => ({
  id: 7,
  platform: 'slack',
  channel,
  kind: 'direct',
  attempts: 1,
  updateRefs: [],
  payload: {
    type: 'dead_letter',
    outboxId: 42,
    platform: 'slack',
    channel: 'C0DIGEST',
    kind: 'post',
    what: 'digest',
    attempts: 8,
    error: 'slack chat.postMessage: not_in_channel',
  },
});

describe('the dead-letter notice', () => {
  it('says what failed and how to send it again, in the admin’s language', async () => {
    const rendered = await createTestBot(database.store).outbox(notice('UADMINJA'));

    expect(rendered?.tokens).toEqual([]);
    expect(rendered?.card).toMatchObject({
      title: 'メッセージ #42 を送信できませんでした',
      locale: 'ja',
      fields: [
        { label: '送信先', value: 'slack:C0DIGEST' },
        { label: 'メッセージ', value: '日次ダイジェスト（チャンネル投稿）' },
        { label: '試行回数', value: '8' },
        { label: '最後のエラー', value: 'slack chat.postMessage: not_in_channel' },
      ],
    });
    const lines = rendered?.card.lines?.join('\n') ?? '';
    expect(lines).toContain('npx creditops outbox list --dead');
    expect(lines).toContain('npx creditops outbox retry 42');
  });

  it('falls back to the default language for someone without one', async () => {
    const rendered = await createTestBot(database.store).outbox(notice('UNKNOWN'));
    expect(rendered?.card.title).toBe('Message #42 could not be delivered');
    expect(rendered?.card.fields?.[1]?.value).toBe('Daily digest (channel post)');
  });
});

describe('the LINE quota warning', () => {
  const warning = (channel: string, payload: Record<string, unknown>): OutboxDelivery => ({
    ...notice(channel),
    payload: { type: 'line_quota', month: '2026-11', lineQuota: 200, cap: null, ...payload },
  });

  it('gives the figures at 80 % and what to do, in the admin’s language', async () => {
    const rendered = await createTestBot(database.store).outbox(
      warning('UADMINJA', { threshold: 80, used: 170, limit: 200 }),
    );
    expect(rendered?.card).toMatchObject({
      title: 'LINEプッシュ送信（2026-11）: 月間上限が近づいています',
      status: { colour: 'yellow' },
      fields: [
        { label: '対象月', value: '2026-11' },
        { label: '送信数', value: '170 / 200' },
        { label: '上限の設定元', value: 'LINEのプラン（月間メッセージ数）' },
      ],
    });
    const lines = rendered?.card.lines?.join('\n') ?? '';
    expect(lines).toContain('LINE_MONTHLY_PUSH_CAP');
    expect(lines).toContain('npx creditops line quota');
  });

  it('says pushes have stopped at 100 %, and names our cap when it set the limit', async () => {
    const rendered = await createTestBot(database.store).outbox(
      warning('UNKNOWN', { threshold: 100, used: 1200, limit: 1200, lineQuota: 5000, cap: 1200 }),
    );
    expect(rendered?.card).toMatchObject({
      title: 'LINE pushes for 2026-11: the monthly limit is reached',
      status: { colour: 'red', label: '100.0%' },
      fields: [
        { label: 'Month', value: '2026-11' },
        { label: 'Pushes used', value: '1,200 of 1,200' },
        { label: 'Limit set by', value: 'LINE_MONTHLY_PUSH_CAP (our own cap)' },
      ],
    });
    expect(rendered?.card.lines?.join('\n')).toContain('npx creditops outbox list --dead');
  });
});
