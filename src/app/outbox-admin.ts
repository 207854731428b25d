import { DomainError } from '../domain/errors.ts';
import type { DeadLetter, NewOutboxMessage, OutboxEntry } from './outbox-ports.ts';
import type { Identity, Store } from './ports.ts';

// What happens when the outbox gives a message up: the admins hear of it by direct message, and
// an operator lists what is stuck and sends it again once the cause is fixed
// (`npx creditops outbox list --dead`, `npx creditops outbox retry`).

export const DEAD_LETTER_TYPE = 'dead_letter';

/** How many rows `outbox list` shows unless asked for more. */
export const OUTBOX_LIST_LIMIT = 50;

/**
 * One direct message to each admin, on a platform the bot can send to (`reachable`),
 * preferring one other than `avoid` (the platform in trouble, which may not deliver it).
 * Admins with no reachable identity are left out.
 */
export async function adminDirects(
  store: Store,
  input: {
    readonly reachable: readonly string[];
    readonly avoid: string;
    readonly message: Pick<NewOutboxMessage, 'payload' | 'subjectType' | 'subjectId'>;
  },
): Promise<NewOutboxMessage[]> {
  const { reachable, avoid, message } = input;
  const admins = (await store.users.list()).filter((u) => u.role === 'admin');
  return admins.flatMap((admin) => {
    const usable = admin.identities.filter((i) => reachable.includes(i.platform));
    const to: Identity | undefined = usable.find((i) => i.platform !== avoid) ?? usable[0];
    if (!to) return [];
    return [{ ...message, platform: to.platform, channel: to.externalId, kind: 'direct' as const }];
  });
}

/**
 * The direct messages telling each admin that a message went dead: one per admin, on a
 * platform the bot can send to, preferring another platform than the failed one (which may
 * be down). None for a dead-letter notice itself, so a platform outage cannot loop.
 */
export async function deadLetterNotices(
  store: Store,
  dead: DeadLetter,
  reachable: readonly string[],
): Promise<NewOutboxMessage[]> {
  const { delivery, error } = dead;
  if (delivery.payload.type === DEAD_LETTER_TYPE) return [];
  const payload = {
    type: DEAD_LETTER_TYPE,
    outboxId: delivery.id,
    platform: delivery.platform,
    channel: delivery.channel,
    kind: delivery.kind,
    what: typeof delivery.payload.type === 'string' ? delivery.payload.type : '',
    attempts: delivery.attempts,
    error,
  };
  return adminDirects(store, {
    reachable,
    avoid: delivery.platform,
    message: { payload, subjectType: DEAD_LETTER_TYPE, subjectId: String(delivery.id) },
  });
}

export function listOutbox(
  store: Store,
  input: { readonly dead: boolean; readonly limit?: number },
): Promise<OutboxEntry[]> {
  return store.outbox.list({ dead: input.dead, limit: input.limit ?? OUTBOX_LIST_LIMIT });
}

/**
 * Sends dead messages again with a fresh set of attempts, audited under `actor`. Named ids
 * must all exist and be dead, or nothing is retried. A retried message goes out before the
 * messages queued after it for its channel, as if it had never failed.
 */
export async function retryOutbox(
  store: Store,
  actor: string,
  input: { readonly ids: readonly number[] | 'all-dead'; readonly now: Date },
): Promise<number[]> {
  return store.transaction(async (tx) => {
    if (input.ids !== 'all-dead') {
      for (const id of input.ids) {
        const entry = await tx.outbox.find(id);
        if (!entry) throw new DomainError('errors.outbox.not_found', { id });
        if (entry.status !== 'dead') {
          throw new DomainError('errors.outbox.not_dead', { id });
        }
      }
    }
    const revived = await tx.outbox.revive({ ids: input.ids, at: input.now });
    for (const id of revived) {
      await tx.audit.record({
        actor,
        action: 'outbox.retried',
        entityType: 'outbox',
        entityId: String(id),
        before: { status: 'dead' },
        after: { status: 'pending', attempts: 0 },
      });
    }
    return revived;
  });
}
