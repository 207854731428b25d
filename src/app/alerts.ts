import {
  ALERT_LOOKBACK_DAYS,
  brokenPromiseAlert,
  type CandidateAlert,
  type ConditionNow,
  conditionAlerts,
  creditEventAlert,
  exposureConditions,
  invoiceAlert,
  OVERDUE_LINES,
  proposalCondition,
  ratingDropAlert,
  reviewAlert,
} from '../domain/alerts.ts';
import { addDays, dateInTimeZone, type IsoDate, parseIsoDate } from '../domain/dates.ts';
import type { AlertAudience, AlertFactRows, AlertView } from './alert-ports.ts';
import type { CustomerSelection } from './assessment-ports.ts';
import type { SubscriptionFilters } from './channel-ports.ts';
import type { ChannelRef } from './chat-ports.ts';
import { evaluatePromisesAsOf } from './collections.ts';
import type { NewOutboxMessage } from './outbox-ports.ts';
import type { CreditPolicy } from './policy.ts';
import type { Clock, Store } from './ports.ts';
import { moveFor } from './proposals.ts';

// Alerts evaluated after imports (customers marked `alerts_due`) and once a day for everyone.
// The new ones are routed in the transaction that stores them: to every channel subscribed to
// alerts whose filters match, and to the customer's owner by direct message. Red alerts go
// out at once; the rest wait for the channel's batch when the channel asked for batches.

export interface AlertDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly policy: CreditPolicy;
}

export interface AlertRun {
  readonly asOf: IsoDate;
  /** Customers evaluated; undefined for the whole portfolio. */
  readonly evaluated: number | undefined;
  readonly created: readonly AlertView[];
}

/** The most customers one run after an import takes; the rest wait for the next minute. */
export const DUE_BATCH = 5_000;

/** The event rules over the facts: each returns an alert or nothing. */
function eventAlerts(facts: AlertFactRows, policy: CreditPolicy, asOf: IsoDate): CandidateAlert[] {
  const { status, phaseRules } = policy;
  const ratingRules = {
    criticalGrades: phaseRules.watch.ratingDropGrades,
    redRatings: status.redRatings,
  };
  const eventRules = {
    criticalKinds: phaseRules.incident.eventKinds,
    criticalSeverities: phaseRules.watch.eventSeverities,
  };
  const found: (CandidateAlert | undefined)[] = [
    ...facts.invoices.map((i) => invoiceAlert(i, asOf)),
    ...facts.brokenPromises.map((p) => brokenPromiseAlert(p, asOf)),
    ...facts.ratings.map((r) => ratingDropAlert(r, asOf, ratingRules)),
    ...facts.events.map((e) => creditEventAlert(e, asOf, eventRules)),
    ...facts.reviews.map((r) => reviewAlert(r, asOf)),
  ];
  return found.filter((a): a is CandidateAlert => a !== undefined);
}

/** What holds today: the limit conditions, and the moves the phase rules propose. */
async function conditionsNow(
  store: Store,
  deps: AlertDeps,
  input: {
    readonly facts: AlertFactRows;
    readonly selection: CustomerSelection;
    readonly asOf: IsoDate;
  },
): Promise<ConditionNow[]> {
  const { status, phaseRules } = deps.policy;
  const { asOf } = input;
  // The proposals report's own query and rules, so an alert proposes what the report shows.
  const phase = await store.assessments.phaseFacts({
    selection: input.selection,
    asOf,
    timeZone: deps.timeZone,
    minDaysOverdue: Math.min(phaseRules.watch.minDaysOverdue, phaseRules.incident.minDaysOverdue),
    brokenSince: addDays(asOf, -(phaseRules.watch.brokenPromiseWindowDays - 1)),
    eventsSince: addDays(asOf, -phaseRules.eventWindowDays),
  });
  const utilisation = { highBp: status.yellowUtilisationBp, overBp: status.redUtilisationBp };
  return [
    ...input.facts.exposures.flatMap((e) => exposureConditions(e, utilisation)),
    ...phase.flatMap((row) => {
      const move = moveFor(row, phaseRules, asOf);
      if (!move) return [];
      const reasons = move.reasons.map((r) => ({ rule: r.rule, level: r.level, params: r.params }));
      return [proposalCondition({ ...move, reasons })];
    }),
  ];
}

/** The candidates of every rule, and the condition episodes to close. */
async function candidates(
  store: Store,
  deps: AlertDeps,
  selection: CustomerSelection,
  asOf: IsoDate,
) {
  const facts = await store.alerts.facts({
    selection,
    asOf,
    since: addDays(asOf, -(ALERT_LOOKBACK_DAYS - 1)),
    timeZone: deps.timeZone,
    minDaysOverdue: Math.min(...OVERDUE_LINES),
    maxDaysOverdue: Math.max(...OVERDUE_LINES) + ALERT_LOOKBACK_DAYS,
  });
  const now = await conditionsNow(store, deps, { facts, selection, asOf });
  const { alerts, cleared } = conditionAlerts(now, facts.openConditions, asOf);
  return { alerts: [...alerts, ...eventAlerts(facts, deps.policy, asOf)], cleared };
}

/** An absent filter lets everything through; owner matches the owner's name or user id. */
export function matchesFilters(filters: SubscriptionFilters, a: AlertAudience): boolean {
  if (filters.segment !== undefined && filters.segment !== a.segment) return false;
  if (filters.currency !== undefined && filters.currency !== a.currency) return false;
  if (filters.owner !== undefined) {
    const owner = filters.owner;
    if (owner !== a.ownerName && owner !== String(a.ownerUserId ?? '')) return false;
  }
  return true;
}

const alertPayload = (alertId: number) => ({
  payload: { type: 'alert', alertId },
  subjectType: 'alert',
  subjectId: String(alertId),
});

/** Messages and holds for the new alerts, written in the transaction that created them. */
async function route(store: Store, created: readonly AlertView[], at: Date): Promise<void> {
  if (created.length === 0) return;
  const subscriptions = (await store.subscriptions.list()).filter((s) => s.kind === 'alerts');
  const audience = new Map(
    (await store.alerts.audience([...new Set(created.map((a) => a.customerId))])).map((a) => [
      a.customerId,
      a,
    ]),
  );
  const owners = [...new Set([...audience.values()].flatMap((a) => a.ownerUserId ?? []))];
  const addresses = await store.approvals.addresses(owners);
  const messages: NewOutboxMessage[] = [];
  const held: { channel: ChannelRef; alertId: number }[] = [];
  for (const alert of created) {
    const who = audience.get(alert.customerId);
    if (!who) continue;
    for (const s of subscriptions.filter((sub) => matchesFilters(sub.filters, who))) {
      if (s.batched && alert.severity !== 'critical') {
        held.push({ channel: s.channel, alertId: alert.id });
      } else {
        messages.push({
          platform: s.channel.platform,
          channel: s.channel.externalId,
          kind: 'post',
          ...alertPayload(alert.id),
        });
      }
    }
    for (const address of addresses.filter((a) => a.userId === who.ownerUserId)) {
      messages.push({
        platform: address.platform,
        channel: address.externalId,
        kind: 'direct',
        ...alertPayload(alert.id),
      });
    }
  }
  await store.outbox.enqueue(messages);
  await store.alerts.hold(held, at);
}

async function evaluateIn(
  tx: Store,
  deps: AlertDeps,
  selection: CustomerSelection,
  asOf: IsoDate,
): Promise<AlertView[]> {
  const now = deps.clock.now();
  const today = dateInTimeZone(now, deps.timeZone);
  // Promises whose date passed unpaid are stored broken first: that is what the rule reads.
  await evaluatePromisesAsOf(tx, asOf, {
    timeZone: deps.timeZone,
    ...('customerIds' in selection ? { customerIds: selection.customerIds } : {}),
    persist: asOf <= today,
  });
  const { alerts, cleared } = await candidates(tx, deps, selection, asOf);
  await tx.alerts.clearConditions(
    cleared.map((c) => c.alertId),
    asOf,
  );
  const created = await tx.alerts.insert(alerts, now);
  await route(tx, created, now);
  return created;
}

/**
 * Evaluates the alert rules as of `asOf` for some customers or the whole portfolio, stores
 * the alerts that are new and queues their messages, all in one transaction; the evaluated
 * customers are no longer marked `alerts_due`. Strategic accounts are alerted like any other:
 * they are spared automatic phase proposals, not the news. Running it twice changes nothing.
 */
export async function evaluateAlerts(
  deps: AlertDeps,
  input: { readonly asOf?: IsoDate; readonly customerIds?: readonly number[] } = {},
): Promise<AlertRun> {
  const asOf = parseIsoDate(input.asOf ?? dateInTimeZone(deps.clock.now(), deps.timeZone));
  const ids = input.customerIds;
  if (ids?.length === 0) return { asOf, evaluated: 0, created: [] };
  return deps.store.transaction(async (tx) => {
    // Unmarking first locks the marked rows: an import marking them meanwhile waits for this
    // transaction and marks them again after it, so nothing it wrote goes unevaluated.
    if (ids) await tx.alerts.takeDue({ customerIds: ids, limit: ids.length });
    else await tx.alerts.takeDue({ limit: Number.MAX_SAFE_INTEGER });
    const selection: CustomerSelection = ids ? { customerIds: ids } : { all: true };
    const created = await evaluateIn(tx, deps, selection, asOf);
    return { asOf, evaluated: ids?.length, created };
  });
}

/** The customers imports marked, up to DUE_BATCH of them, evaluated as of today. */
export async function evaluateDueAlerts(deps: AlertDeps): Promise<AlertRun> {
  const asOf = dateInTimeZone(deps.clock.now(), deps.timeZone);
  return deps.store.transaction(async (tx) => {
    const ids = await tx.alerts.takeDue({ limit: DUE_BATCH });
    if (ids.length === 0) return { asOf, evaluated: 0, created: [] };
    const created = await evaluateIn(tx, deps, { customerIds: ids }, asOf);
    return { asOf, evaluated: ids.length, created };
  });
}

/** Whether an import left customers to evaluate. */
export function alertsDue(store: Store): Promise<boolean> {
  return store.alerts.anyDue();
}

// ---------------------------------------------------------------------------------------------
// Batches

export interface AlertBatchSlot {
  /** `platform:channel:YYYY-MM-DDTHH` (UTC hour): one summary per channel per hour. */
  readonly key: string;
  readonly channel: ChannelRef;
}

/** The batches due at `now`: one per channel with alerts waiting. */
export async function dueAlertBatches(store: Store, now: Date): Promise<AlertBatchSlot[]> {
  const hour = now.toISOString().slice(0, 13);
  return (await store.alerts.heldChannels()).map((channel) => ({
    key: `${channel.platform}:${channel.externalId}:${hour}`,
    channel,
  }));
}

/**
 * Sends a channel its held alerts as one summary, once: the held rows are stamped with the
 * batch key in the transaction that queues the message, so a rerun finds nothing left.
 */
export async function sendAlertBatch(deps: Pick<AlertDeps, 'store'>, slot: AlertBatchSlot) {
  return deps.store.transaction(async (tx) => {
    if (await tx.outbox.has('alert_batch', slot.key)) return 0;
    const count = await tx.alerts.takeBatch({ channel: slot.channel, batch: slot.key });
    if (count === 0) return 0;
    await tx.outbox.enqueue([
      {
        platform: slot.channel.platform,
        channel: slot.channel.externalId,
        kind: 'post',
        payload: { type: 'alert_batch', batch: slot.key },
        subjectType: 'alert_batch',
        subjectId: slot.key,
      },
    ]);
    return count;
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

export function alertView(store: Store, alertId: number): Promise<AlertView | undefined> {
  return store.alerts.find(alertId);
}

export function alertBatch(
  store: Store,
  input: { readonly channel: ChannelRef; readonly batch: string },
): Promise<AlertView[]> {
  return store.alerts.batch(input);
}
