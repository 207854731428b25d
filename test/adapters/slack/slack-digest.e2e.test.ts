import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSubscription } from '../../../src/app/channels.ts';
import { createJobRunStore } from '../../../src/db/job-run-repository.ts';
import { CHART_SIZE } from '../../../src/io/aging-chart.ts';
import { approvalsJob } from '../../../src/jobs/approvals-job.ts';
import { promisesJob, pruneRunsJob, snapshotJob } from '../../../src/jobs/daily-jobs.ts';
import { digestJob } from '../../../src/jobs/digest-job.ts';
import { createScheduler } from '../../../src/jobs/scheduler.ts';
import { quietLogger } from '../../support/bot.ts';
import { TEST_NOW } from '../../support/constants.ts';
import { schedulerReplicas, tickAll } from '../../support/replicas.ts';
import { type SlackBot, startSlackBot } from '../../support/slack-bot.ts';

// The morning digest in Slack: three bot instances on one database reach each channel's
// 09:00 (Tokyo and Shanghai); one digest per channel is queued and posted, in its language,
// then its aging chart is uploaded to the same channel.

let slack: SlackBot;

beforeAll(async () => {
  slack = await startSlackBot({ base: 'demo' });
  const defaults = { defaultTimeZone: 'UTC', defaultLocale: 'en' as const };
  // 2026-11-23 is a Japanese holiday: these channels take every day.
  await addSubscription(slack.database.store, 'cli:test', {
    channel: 'slack:C0TOKYO',
    kind: 'digest',
    localTime: '09:00',
    timeZone: 'Asia/Tokyo',
    locale: 'ja',
    businessDaysOnly: false,
    ...defaults,
  });
  await addSubscription(slack.database.store, 'cli:test', {
    channel: 'slack:C0SHANGHAI',
    kind: 'digest',
    localTime: '09:00',
    timeZone: 'Asia/Shanghai',
    locale: 'zh',
    businessDaysOnly: false,
    filters: { currency: 'CNY' },
    ...defaults,
  });
});
afterAll(async () => {
  await slack?.close();
});

describe('the daily digest', () => {
  it('is posted once per channel, in its language, however many instances tick', async () => {
    const instances = schedulerReplicas({
      jobs: [digestJob(slack.core)],
      db: slack.database.db,
      clock: slack.core.clock,
      instances: ['a', 'b', 'c'],
    });
    await tickAll(instances);
    await tickAll(instances);
    await slack.deliver();

    const posts = (channel: string) =>
      slack.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);
    expect(posts('C0TOKYO')).toHaveLength(1);
    expect(posts('C0SHANGHAI')).toHaveLength(1);
    expect(JSON.stringify(posts('C0TOKYO')[0]?.args.blocks)).toContain('売掛金残高');
    expect(JSON.stringify(posts('C0SHANGHAI')[0]?.args.blocks)).toContain('CNY');
    const queued = await slack.database.db
      .selectFrom('outbox')
      .select(['subject_id', 'status', (eb) => eb.ref('payload', '->>').key('type').as('type')])
      .where('subject_type', '=', 'digest')
      .orderBy('subject_id')
      .orderBy('id')
      .execute();
    expect(queued).toEqual([
      { subject_id: 'slack:C0SHANGHAI:2026-11-23', status: 'sent', type: 'digest' },
      { subject_id: 'slack:C0SHANGHAI:2026-11-23', status: 'sent', type: 'digest_chart' },
      { subject_id: 'slack:C0TOKYO:2026-11-23', status: 'sent', type: 'digest' },
      { subject_id: 'slack:C0TOKYO:2026-11-23', status: 'sent', type: 'digest_chart' },
    ]);
    const snapshot = await slack.database.db
      .selectFrom('portfolio_snapshots')
      .select('currency')
      .where('snapshot_on', '=', '2026-11-23')
      .execute();
    expect(snapshot.length).toBeGreaterThan(0);
  });

  it('uploads the aging chart after the digest, once, as a PNG titled in the channel language', async () => {
    const calls = slack.fake.calls;
    for (const [channel, title] of [
      ['C0TOKYO', '売掛金エイジング'],
      ['C0SHANGHAI', '应收账款账龄分析'],
    ] as const) {
      const uploads = slack.fake.uploads.filter((u) => u.channel === channel);
      expect(uploads).toHaveLength(1);
      const [upload] = uploads;
      expect(upload?.title).toContain(title);
      expect(upload?.filename).toBe('aging-2026-11-23.png');
      expect(upload?.altText).toMatch(channel === 'C0TOKYO' ? /JPY/ : /CNY/);
      expect(upload?.bytes?.length).toBe(upload?.length);
      const image = PNG.sync.read(upload?.bytes ?? Buffer.alloc(0));
      expect([image.width, image.height]).toEqual([
        CHART_SIZE.width * CHART_SIZE.scale,
        CHART_SIZE.height * CHART_SIZE.scale,
      ]);
      // The digest's post comes first, the chart's share right after it.
      const post = calls.findIndex(
        (c) => c.method === 'chat.postMessage' && c.args.channel === channel,
      );
      const shared = calls.findIndex(
        (c) => c.method === 'files.completeUploadExternal' && c.args.channel_id === channel,
      );
      expect(post).toBeGreaterThanOrEqual(0);
      expect(shared).toBeGreaterThan(post);
    }
    // The Shanghai channel keeps to its CNY filter in the picture as in the text.
    expect(slack.fake.uploads.find((u) => u.channel === 'C0SHANGHAI')?.altText).not.toMatch(/JPY/);

    // Another round of the worker sends nothing again.
    const before = calls.length;
    expect(await slack.deliver()).toBe(0);
    expect(calls.length).toBe(before);
  });

  it('is posted once by the restarted bot when a scheduler died after claiming its slot', async () => {
    await addSubscription(slack.database.store, 'cli:test', {
      channel: 'slack:C0OSAKA',
      kind: 'digest',
      localTime: '09:00',
      timeZone: 'Asia/Tokyo',
      locale: 'ja',
      businessDaysOnly: false,
      defaultTimeZone: 'UTC',
      defaultLocale: 'en',
    });
    const runs = createJobRunStore(slack.database.db);
    // The old process claimed Osaka's slot 20 minutes ago and was killed before queueing.
    const claimedAt = new Date(TEST_NOW.getTime() - 20 * 60_000);
    expect(
      await runs.claim({
        job: 'digest',
        slot: 'slack:C0OSAKA:2026-11-23',
        claimedBy: 'old',
        at: claimedAt,
      }),
    ).toBe(true);
    const restart = (id: string) =>
      createScheduler({
        // The jobs main.ts runs: the others must not get in the digest's way.
        jobs: [
          digestJob(slack.core),
          approvalsJob(slack.core),
          promisesJob(slack.core),
          snapshotJob(slack.core),
          pruneRunsJob({ runs, clock: slack.core.clock, timeZone: slack.core.timeZone }),
        ],
        store: runs,
        clock: slack.core.clock,
        logger: quietLogger,
        instanceId: id,
      });

    for (const id of ['restarted', 'restarted-again']) {
      const scheduler = restart(id);
      await scheduler.start();
      await scheduler.stop();
      await slack.deliver();
    }

    const posts = slack.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === 'C0OSAKA');
    expect(posts).toHaveLength(1);
    // A catch-up in Japanese: the digest says it is late.
    expect(JSON.stringify(posts[0]?.args.blocks)).toContain('配信が遅れました');
    const run = await slack.database.db
      .selectFrom('job_runs')
      .select(['status', 'claimed_by'])
      .where('job', '=', 'digest')
      .where('slot', '=', 'slack:C0OSAKA:2026-11-23')
      .executeTakeFirstOrThrow();
    expect(run).toEqual({ status: 'done', claimed_by: 'restarted' });
  });
});
