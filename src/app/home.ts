import { agingBuckets } from '../domain/aging.ts';
import type { Role } from '../domain/credit.ts';
import { addDays, dateInTimeZone, daysBetween, type IsoDate } from '../domain/dates.ts';
import { type Money, money } from '../domain/money.ts';
import { mayDecide } from './approvals.ts';
import { evaluatePromisesAsOf } from './collections.ts';
import type { PromiseDueRow, RequestRow } from './home-ports.ts';
import { type LookupDeps, viewCustomer } from './lookup.ts';
import type { User } from './ports.ts';

/** Customers listed under "needs attention"; the rest are counted. */
export const ATTENTION_SHOWN = 15;
/** Owned customers whose status is worked out for one view: each costs a card's queries. */
export const OWNED_CHECKED = 300;
/** Promises and requests listed; the rest are counted. */
export const LIST_SHOWN = 20;
/** "This week": today and the six days after it. */
export const PROMISE_WINDOW_DAYS = 7;

/** The roles that decide approval requests (see the approvals rules in policy). */
export const APPROVER_ROLES: readonly Role[] = ['credit_manager', 'director', 'admin'];

export type HomeDeps = LookupDeps;

export interface AttentionItem {
  readonly customerId: number;
  readonly code: string;
  readonly legalName: string;
  readonly colour: 'red' | 'yellow';
  /** Status reason codes, worst first, as the customer card shows them. */
  readonly reasons: readonly string[];
  readonly exposure: Money;
  readonly limit: Money;
  /** Undefined: exposure with no limit granted. */
  readonly utilisationBp: number | undefined;
  readonly maxDaysOverdue: number;
}

export interface RequestSummary extends RequestRow {
  /** Whole days since the request was made, in the deps' time zone. */
  readonly ageDays: number;
}

export interface HomeOverview {
  readonly asOf: IsoDate;
  readonly attention: {
    readonly items: readonly AttentionItem[];
    /** Red or yellow customers found beyond the ones listed. */
    readonly more: number;
    /** Customers the user owns; only the first `OWNED_CHECKED` by code were looked at. */
    readonly owned: number;
    readonly checked: number;
  };
  readonly promisesDue: {
    readonly until: IsoDate;
    readonly items: readonly PromiseDueRow[];
    readonly more: number;
  };
  readonly pendingRequests: { readonly items: readonly RequestSummary[]; readonly more: number };
  /** The user decides approval requests: the view has a place for those awaiting them. */
  readonly approver: boolean;
  /** Requests awaiting this user's decision, oldest first. */
  readonly awaitingDecision: readonly RequestSummary[];
}

const COLOUR_RANK = { red: 0, yellow: 1 } as const;

/**
 * Red before yellow; then by exposure, largest first. Amounts in different currencies are
 * never compared: they are grouped by currency code.
 */
export function compareAttention(a: AttentionItem, b: AttentionItem): number {
  return (
    COLOUR_RANK[a.colour] - COLOUR_RANK[b.colour] ||
    a.exposure.currency.localeCompare(b.exposure.currency) ||
    b.exposure.minor - a.exposure.minor ||
    a.code.localeCompare(b.code)
  );
}

async function attentionItems(
  deps: HomeDeps,
  { customerIds, asOf }: { readonly customerIds: readonly number[]; readonly asOf: IsoDate },
): Promise<AttentionItem[]> {
  const buckets = agingBuckets(deps.policy.aging.edges);
  const items: AttentionItem[] = [];
  // One customer at a time: each snapshot already runs its queries side by side.
  for (const customerId of customerIds) {
    const snapshot = await deps.store.customers.snapshot({ customerId, asOf, buckets });
    if (!snapshot) continue;
    const view = viewCustomer(snapshot, asOf, buckets, deps.policy);
    const { colour, reasons } = view.status;
    if (colour === 'green') continue;
    items.push({
      customerId,
      code: view.code,
      legalName: view.legalName,
      colour,
      reasons,
      exposure: money(view.exposureMinor, view.currency),
      limit: view.creditLimit,
      utilisationBp: view.utilisationBp,
      maxDaysOverdue: view.maxDaysOverdue,
    });
  }
  return items.sort(compareAttention);
}

/** The request with its age in whole days, counted in the time zone of `deps`. */
function withAge(row: RequestRow, asOf: IsoDate, deps: HomeDeps): RequestSummary {
  const made = dateInTimeZone(row.createdAt, deps.timeZone);
  return { ...row, ageDays: Math.max(0, daysBetween(made, asOf)) };
}

/**
 * What a person sees on opening the bot's home: their own customers that are red or yellow
 * (status as on the customer card), the promises to pay on their customers due this week,
 * and the approval requests they made that are still open.
 */
export async function homeOverview(deps: HomeDeps, user: User): Promise<HomeOverview> {
  const asOf = dateInTimeZone(deps.clock.now(), deps.timeZone);
  const until = addDays(asOf, PROMISE_WINDOW_DAYS - 1);
  const owned = await deps.store.home.ownedCustomerIds({ userId: user.id, limit: OWNED_CHECKED });
  // Kept or broken promises are stored so first, as the customer card does, so a promise
  // already paid is not listed as due.
  if (owned.rows.length > 0) {
    await evaluatePromisesAsOf(deps.store, asOf, {
      timeZone: deps.timeZone,
      customerIds: owned.rows,
    });
  }
  const flagged = await attentionItems(deps, { customerIds: owned.rows, asOf });
  const promises = await deps.store.home.promisesDue({
    userId: user.id,
    from: asOf,
    to: until,
    limit: LIST_SHOWN,
  });
  const requests = await deps.store.home.pendingRequests({ userId: user.id, limit: LIST_SHOWN });
  return {
    asOf,
    attention: {
      items: flagged.slice(0, ATTENTION_SHOWN),
      more: Math.max(0, flagged.length - ATTENTION_SHOWN),
      owned: owned.total,
      checked: owned.rows.length,
    },
    promisesDue: {
      until,
      items: promises.rows,
      more: promises.total - promises.rows.length,
    },
    pendingRequests: {
      items: requests.rows.map((row) => withAge(row, asOf, deps)),
      more: requests.total - requests.rows.length,
    },
    approver: APPROVER_ROLES.includes(user.role),
    awaitingDecision: (await awaitingDecision(deps, user)).map((row) => withAge(row, asOf, deps)),
  };
}

/** The requests this user may decide now, oldest first (as `/credit approvals` lists them). */
async function awaitingDecision(deps: HomeDeps, user: User): Promise<RequestRow[]> {
  if (!APPROVER_ROLES.includes(user.role)) return [];
  const now = deps.clock.now();
  const mine = (await deps.store.approvals.pending())
    .filter((stored) => mayDecide(stored, user, now))
    .slice(0, LIST_SHOWN);
  const rows: RequestRow[] = [];
  for (const stored of mine) {
    const customer = await deps.store.contacts.customer(stored.customerId);
    if (!customer) continue;
    rows.push({
      id: stored.id,
      kind: stored.kind,
      customerId: stored.customerId,
      code: customer.code,
      legalName: customer.legalName,
      requestedBy: stored.requestedByLabel,
      reason: stored.reason,
      createdAt: stored.createdAt,
    });
  }
  return rows;
}
