import type { DigestDeps } from '../app/digest.ts';
import { type DigestSlot, dueDigests, queueDigest } from '../app/digest-delivery.ts';
import type { ScheduledJob } from './scheduler.ts';

/** The morning digest: a slot per subscribed channel and local day, queued in the outbox once. */
export function digestJob(deps: DigestDeps): ScheduledJob {
  return {
    name: 'digest',
    slots: async (now) =>
      (await dueDigests(deps.store, now)).map((slot) => ({ ...slot, payload: slot })),
    run: async (slot) => {
      await queueDigest(deps, slot.payload as DigestSlot);
    },
  };
}
