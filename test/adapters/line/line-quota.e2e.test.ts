import type { messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSubscription } from '../../../src/app/channels.ts';
import { createJobRunStore } from '../../../src/db/job-run-repository.ts';
import { digestJob } from '../../../src/jobs/digest-job.ts';
import { createScheduler } from '../../../src/jobs/scheduler.ts';
import { quietLogger } from '../../support/bot.ts';
import { type LineBot, startLineBot } from '../../support/line-bot.ts';

// The admins hear that LINE pushes are running out before they do: the digest pushed to a
// LINE group takes the month to 85 % of LINE's quota, and the outbox worker's same round
// sends each admin one warning, by Slack DM for the admin who is also on Slack and by LINE
// for the one who is only there. More pushes that month add none; the push that would pass
// the limit is refused and brings the second, final warning.

let line: LineBot;
const ADMIN_SLACK = 'UADMINSLACK1';
const ADMIN_BOTH = 'U0a0000000000000000000000000000a1';
const ADMIN_LINE = 'U0a0000000000000000000000000000a2';
const SMALL = 'C9a0000000000000000000000000000001';
const OTHER = 'C9a0000000000000000000000000000002';
const LARGE = 'C9a0000000000000000000000000000003';

async function subscribe(chatId: string) {
  await addSubscription(line.database.store, 'cli:test', {
    channel: `line:${chatId}`,
    kind: 'digest',
    localTime: '09:00',
    timeZone: 'Asia/Tokyo',
    locale: 'en',
    businessDaysOnly: false,
    defaultTimeZone: 'UTC',
    defaultLocale: 'en',
  });
}

/** Queues the digests due now, for every subscribed chat not yet sent one. */
async function queueDigests(): Promise<void> {
  const scheduler = createScheduler({
    jobs: [digestJob(line.core)],
    store: createJobRunStore(line.database.db),
    clock: line.core.clock,
    logger: quietLogger,
    instanceId: 'test',
  });
  await scheduler.tick();
}

const warnings = () =>
  line.database.db
    .selectFrom('outbox')
    .select(['platform', 'channel_external_id as channel', 'subject_id', 'status'])
    .where('subject_type', '=', 'line_quota')
    .orderBy('id')
    .execute();

const slackDms = () =>
  (line.slack?.callsTo('chat.postMessage') ?? []).filter((c) => c.args.channel === ADMIN_SLACK);

const flexText = (messages: readonly messagingApi.Message[]) => JSON.stringify(messages);

beforeAll(async () => {
  line = await startLineBot({ base: 'demo', slack: true });
  const users = line.database.store.users;
  const both = await users.create({
    identity: { platform: 'line', externalId: ADMIN_BOTH },
    displayName: 'Sato Admin',
    role: 'admin',
  });
  await line.database.db
    .insertInto('platform_identities')
    .values({ user_id: both.id, platform: 'slack', external_id: ADMIN_SLACK })
    .execute();
  const lineOnly = await users.create({
    identity: { platform: 'line', externalId: ADMIN_LINE },
    displayName: '山田 管理者',
    role: 'admin',
  });
  await users.setLocale(lineOnly.id, 'ja');
  // LINE's plan allows 100 pushes this month, 80 of them used before the bot started.
  line.fake.quota = { type: 'limited', value: 100 };
  line.fake.usedBefore = 80;
  line.fake.setMembers(SMALL, 5);
  line.fake.setMembers(OTHER, 3);
  line.fake.setMembers(LARGE, 20);
});
afterAll(async () => {
  await line?.close();
});

describe('LINE pushes nearing the month’s limit', () => {
  it('warn each admin once, by Slack DM where they can, when the count passes 80 %', async () => {
    await subscribe(SMALL);
    await queueDigests();
    await line.deliver();

    expect(line.fake.pushes(SMALL)).toHaveLength(1);
    expect(await warnings()).toEqual([
      expect.objectContaining({ platform: 'slack', channel: ADMIN_SLACK, status: 'sent' }),
      expect.objectContaining({ platform: 'line', channel: ADMIN_LINE, status: 'sent' }),
    ]);
    expect((await warnings())[0]?.subject_id).toMatch(/^\d{4}-\d{2}:80$/);

    const [dm] = slackDms();
    const slackText = JSON.stringify(dm?.args.blocks);
    expect(dm?.args.text).toContain('the monthly limit is running low');
    expect(slackText).toContain('85 of 100');
    expect(slackText).toContain('LINE_MONTHLY_PUSH_CAP');
    expect(slackText).toContain('npx creditops line quota');

    const [pushed] = line.fake.pushes(ADMIN_LINE);
    expect(flexText(pushed?.messages ?? [])).toContain('月間上限が近づいています');
    expect(line.fake.pushes(ADMIN_BOTH)).toEqual([]);
  });

  it('add no second warning for more pushes the same month', async () => {
    await subscribe(OTHER);
    await queueDigests();
    await line.deliver();

    expect(line.fake.pushes(OTHER)).toHaveLength(1);
    expect(await warnings()).toHaveLength(2);
    expect(slackDms()).toHaveLength(1);
  });

  it('warn again when a push is refused for passing the limit', async () => {
    await subscribe(LARGE);
    await queueDigests();
    await line.deliver();

    // 89 used, and the digest to 20 members would make 109: refused before LINE is asked.
    expect(line.fake.pushes(LARGE)).toEqual([]);
    const rows = await warnings();
    expect(rows.slice(2)).toEqual([
      expect.objectContaining({ platform: 'slack', channel: ADMIN_SLACK, status: 'sent' }),
      expect.objectContaining({ platform: 'line', channel: ADMIN_LINE, status: 'sent' }),
    ]);
    expect(rows[2]?.subject_id).toMatch(/:100$/);
    expect(slackDms()[1]?.args.text).toContain('the monthly limit is reached');
  });
});
