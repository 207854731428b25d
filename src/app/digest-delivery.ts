import type { Calendar } from '../domain/calendar.ts';
import type { IsoDate } from '../domain/dates.ts';
import { dueSlots } from '../domain/schedule.ts';
import { listSubscriptions } from './channels.ts';
import { type DigestDeps, snapshotPortfolio } from './digest.ts';
import type { Store } from './ports.ts';

// The morning digest on the scheduler: each digest subscription has a slot at its channel's
// local time; the slot's run queues the digest in the outbox (with the day's portfolio
// snapshot) once, and the outbox worker builds and sends it in the channel's language.

/** The holidays a channel keeps, from its time zone: Japan's and mainland China's; else weekends. */
export function calendarForZone(timeZone: string): Calendar {
  if (timeZone === 'Asia/Tokyo') return 'JP';
  if (['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Harbin', 'Asia/Urumqi'].includes(timeZone)) {
    return 'CN';
  }
  return 'NONE';
}

export interface DigestSlot {
  /** `platform:channel:YYYY-MM-DD`: one digest per channel per local date. */
  readonly key: string;
  readonly late: boolean;
  readonly payload: {
    readonly platform: string;
    readonly channel: string;
    readonly asOf: IsoDate;
    readonly late: boolean;
  };
}

/** The digests due now (or missed in the last 24 hours), one per subscribed channel and day. */
export async function dueDigests(store: Store, now: Date): Promise<DigestSlot[]> {
  const subscriptions = (await listSubscriptions(store)).filter((s) => s.kind === 'digest');
  return subscriptions.flatMap((s) =>
    dueSlots(
      {
        localTime: s.localTime,
        timeZone: s.timeZone,
        businessDaysOnly: s.businessDaysOnly,
        calendar: calendarForZone(s.timeZone),
      },
      now,
    ).map((slot) => ({
      key: `${s.channel.platform}:${s.channel.externalId}:${slot.slotKey}`,
      late: slot.late,
      payload: {
        platform: s.channel.platform,
        channel: s.channel.externalId,
        asOf: slot.slotKey,
        late: slot.late,
      },
    })),
  );
}

/**
 * Queues one channel's digest of one day, once: a rerun of the slot (a replica that took
 * over a claim whose holder died after queueing) finds it queued and adds nothing. The aging
 * chart is a second message right behind it, so each is sent once and the chart follows the
 * digest (the outbox keeps a channel's order); platforms that post no images skip it.
 */
export async function queueDigest(deps: DigestDeps, slot: DigestSlot): Promise<boolean> {
  return deps.store.transaction(async (tx) => {
    if (await tx.outbox.has('digest', slot.key)) return false;
    // The day's first digest writes its snapshot (the evening job writes the final one): with a
    // thousand channels at 09:00, writing it per channel was minutes of portfolio sums before
    // the last digest was even queued.
    if ((await tx.digests.snapshotsOn(slot.payload.asOf)).length === 0) {
      await snapshotPortfolio({ ...deps, store: tx }, slot.payload.asOf);
    }
    const message = (type: 'digest' | 'digest_chart') => ({
      platform: slot.payload.platform,
      channel: slot.payload.channel,
      kind: 'post' as const,
      payload: { type, ...slot.payload },
      subjectType: 'digest',
      subjectId: slot.key,
    });
    await tx.outbox.enqueue([message('digest'), message('digest_chart')]);
    return true;
  });
}
