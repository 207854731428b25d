import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSubscription } from '../../../src/app/channels.ts';
import { createJobRunStore } from '../../../src/db/job-run-repository.ts';
import { digestJob } from '../../../src/jobs/digest-job.ts';
import { createScheduler } from '../../../src/jobs/scheduler.ts';
import { quietLogger } from '../../support/bot.ts';
import { type SlackBot, startSlackBot } from '../../support/slack-bot.ts';

// The morning digest in Slack: three bot instances on one database reach each channel's
// 09:00 (Tokyo and Shanghai); one digest per channel is queued and posted, in its language.

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
    const instances = ['a', 'b', 'c'].map((id) =>
      createScheduler({
        jobs: [digestJob(slack.core)],
        store: createJobRunStore(slack.database.db),
        clock: slack.core.clock,
        logger: quietLogger,
        instanceId: id,
      }),
    );
    await Promise.all(instances.map((s) => s.tick()));
    await Promise.all(instances.map((s) => s.tick()));
    await slack.deliver();

    const posts = (channel: string) =>
      slack.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);
    expect(posts('C0TOKYO')).toHaveLength(1);
    expect(posts('C0SHANGHAI')).toHaveLength(1);
    expect(JSON.stringify(posts('C0TOKYO')[0]?.args.blocks)).toContain('売掛金残高');
    expect(JSON.stringify(posts('C0SHANGHAI')[0]?.args.blocks)).toContain('CNY');
    const queued = await slack.database.db
      .selectFrom('outbox')
      .select(['subject_id', 'status'])
      .where('subject_type', '=', 'digest')
      .orderBy('subject_id')
      .execute();
    expect(queued).toEqual([
      { subject_id: 'slack:C0SHANGHAI:2026-11-23', status: 'sent' },
      { subject_id: 'slack:C0TOKYO:2026-11-23', status: 'sent' },
    ]);
    const snapshot = await slack.database.db
      .selectFrom('portfolio_snapshots')
      .select('currency')
      .where('snapshot_on', '=', '2026-11-23')
      .execute();
    expect(snapshot.length).toBeGreaterThan(0);
  });
});
