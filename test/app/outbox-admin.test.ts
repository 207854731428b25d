import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deadLetterNotices, listOutbox, retryOutbox } from '../../src/app/outbox-admin.ts';
import type { OutboxDelivery } from '../../src/app/outbox-ports.ts';
import type { Identity } from '../../src/app/ports.ts';
import { createI18n } from '../../src/chat/i18n.ts';
import { createOutboxQueue } from '../../src/db/outbox-repository.ts';
import type { Role } from '../../src/domain/credit.ts';
import { isDomainError } from '../../src/domain/errors.ts';
import { TEST_NOW } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createPerson } from '../support/people.ts';

// Who hears of a dead message, and what an operator sees and sends again, on a real engine.

let database: TestDatabase;
const en = createI18n().t('en');

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});
beforeEach(async () => {
  await database.db.deleteFrom('outbox').execute();
  await database.db.deleteFrom('platform_identities').execute();
  await database.db.deleteFrom('users').execute();
});

const user = (role: Role, ...identities: Identity[]) => createPerson(database, role, ...identities);

const dead = (platform: string, payload: Record<string, unknown> = { type: 'digest' }) => ({
  delivery: {
    id: 42,
    platform,
    channel: 'C0DIGEST',
    kind: 'post',
    payload,
    attempts: 8,
    updateRefs: [],
  } satisfies OutboxDelivery,
  error: 'slack chat.postMessage: HTTP 500',
});

/** Queues messages and gives each of them up, as the worker would; their ids. */
async function deadMessages(...channels: string[]): Promise<number[]> {
  await database.store.outbox.enqueue(
    channels.map((channel) => ({
      platform: 'slack',
      channel,
      kind: 'post' as const,
      payload: { type: 'digest' },
    })),
  );
  const queue = createOutboxQueue(database.db);
  const claimed = await queue.claim({
    now: TEST_NOW,
    leaseUntil: new Date(TEST_NOW.getTime() + 30_000),
    limit: channels.length,
  });
  for (const d of claimed) {
    await queue.markDead({ id: d.id, attempts: d.attempts, error: `not_in_channel ${d.channel}` });
  }
  return claimed.map((d) => d.id);
}

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (isDomainError(error)) return en(error.code, error.params);
    throw error;
  }
  throw new Error('expected a refusal');
}

describe(deadLetterNotices.name, () => {
  it('tells each admin once, by DM, preferring a platform other than the failing one', async () => {
    await user('admin', { platform: 'slack', externalId: 'UA1' });
    await user(
      'admin',
      { platform: 'slack', externalId: 'UA2' },
      { platform: 'telegram', externalId: '777' },
    );
    await user('admin', { platform: 'console', externalId: 'root' });
    await user('credit_manager', { platform: 'slack', externalId: 'UCM' });

    const notices = await deadLetterNotices(database.store, dead('slack'), ['slack', 'telegram']);

    expect(notices.map((n) => [n.platform, n.channel, n.kind])).toEqual([
      ['slack', 'UA1', 'direct'],
      ['telegram', '777', 'direct'],
    ]);
    expect(notices[0]).toMatchObject({
      subjectType: 'dead_letter',
      subjectId: '42',
      payload: {
        type: 'dead_letter',
        outboxId: 42,
        platform: 'slack',
        channel: 'C0DIGEST',
        kind: 'post',
        what: 'digest',
        attempts: 8,
        error: 'slack chat.postMessage: HTTP 500',
      },
    });
  });

  it('says nothing about a notice that died itself', async () => {
    await user('admin', { platform: 'slack', externalId: 'UA1' });
    const notice = dead('slack', { type: 'dead_letter', outboxId: 41 });
    expect(await deadLetterNotices(database.store, notice, ['slack'])).toEqual([]);
  });
});

describe('outbox list and retry', () => {
  it('lists what is stuck, newest first, and only the dead ones when asked', async () => {
    const [first = 0, second = 0] = await deadMessages('C1', 'C2');
    await database.store.outbox.enqueue([
      { platform: 'slack', channel: 'C3', kind: 'post', payload: { type: 'approval_card' } },
    ]);

    const all = await listOutbox(database.store, { dead: false });
    expect(all.map((e) => [e.channel, e.status, e.type])).toEqual([
      ['C3', 'pending', 'approval_card'],
      ['C2', 'dead', 'digest'],
      ['C1', 'dead', 'digest'],
    ]);
    const deadOnes = await listOutbox(database.store, { dead: true });
    expect(deadOnes.map((e) => e.id)).toEqual([second, first]);
    expect(deadOnes[0]).toMatchObject({ attempts: 1, lastError: 'not_in_channel C2' });
    expect(await listOutbox(database.store, { dead: true, limit: 1 })).toHaveLength(1);
  });

  it('sends one dead message again with fresh attempts, audited, and the worker can claim it', async () => {
    const [first = 0, second = 0] = await deadMessages('C1', 'C2');
    const at = new Date(TEST_NOW.getTime() + 60_000);

    expect(await retryOutbox(database.store, 'cli:ops', { ids: [first], now: at })).toEqual([
      first,
    ]);

    expect((await database.store.outbox.find(first))?.status).toBe('pending');
    expect((await database.store.outbox.find(second))?.status).toBe('dead');
    const claimed = await createOutboxQueue(database.db).claim({
      now: at,
      leaseUntil: new Date(at.getTime() + 30_000),
      limit: 10,
    });
    expect(claimed.map((d) => [d.id, d.attempts])).toEqual([[first, 1]]);
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'entity_id'])
      .where('entity_type', '=', 'outbox')
      .execute();
    expect(audit).toEqual([
      { actor: 'cli:ops', action: 'outbox.retried', entity_id: String(first) },
    ]);
  });

  it('sends every dead message again with --all-dead', async () => {
    const ids = await deadMessages('C1', 'C2', 'C3');
    expect(
      await retryOutbox(database.store, 'cli:ops', { ids: 'all-dead', now: TEST_NOW }),
    ).toEqual(ids);
    expect(await listOutbox(database.store, { dead: true })).toEqual([]);
    expect(
      await retryOutbox(database.store, 'cli:ops', { ids: 'all-dead', now: TEST_NOW }),
    ).toEqual([]);
  });

  it('refuses an unknown number or a message that is not dead, and retries nothing then', async () => {
    const [deadId = 0] = await deadMessages('C1');
    await database.store.outbox.enqueue([
      { platform: 'slack', channel: 'C9', kind: 'post', payload: { type: 'digest' } },
    ]);
    const [pending] = await listOutbox(database.store, { dead: false });

    expect(
      await refusal(
        retryOutbox(database.store, 'cli:ops', { ids: [deadId, 999_999], now: TEST_NOW }),
      ),
    ).toBe('There is no message #999999 in the outbox.');
    expect(
      await refusal(
        retryOutbox(database.store, 'cli:ops', { ids: [deadId, pending?.id ?? 0], now: TEST_NOW }),
      ),
    ).toMatch(/^Message #\d+ was not given up/);
    expect((await database.store.outbox.find(deadId))?.status).toBe('dead');
  });
});
