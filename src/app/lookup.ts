import { type AgingBucket, agingBuckets } from '../domain/aging.ts';
import { dateInTimeZone, type IsoDate } from '../domain/dates.ts';
import { DomainError } from '../domain/errors.ts';
import { utilisationBp as utilisationOf } from '../domain/limits.ts';
import { money } from '../domain/money.ts';
import { searchKeys } from '../domain/names.ts';
import { computeStatus, type Status } from '../domain/status.ts';
import { type CollectionOutlook, collectionOutlook, evaluatePromisesAsOf } from './collections.ts';
import type { CreditPolicy } from './policy.ts';
import type { Clock, CustomerMatch, CustomerSnapshot, Store } from './ports.ts';
import { customerProposal, type PhaseMoveProposal } from './proposals.ts';

export const MAX_QUERY_LENGTH = 100;
const MAX_CANDIDATES = 8;
const MAX_SUGGESTIONS = 3;

export interface CustomerView extends CustomerSnapshot {
  readonly asOf: IsoDate;
  readonly buckets: readonly AgingBucket[];
  /** Open receivables in the customer's currency plus open orders. */
  readonly exposureMinor: number;
  /** Basis points; undefined: exposure with no limit granted, which the status counts as over limit. */
  readonly utilisationBp: number | undefined;
  readonly status: Status;
  /** What the phase rules propose (or, for a strategic account, flag); absent when none fire. */
  readonly proposal?: PhaseMoveProposal;
  /** The next dunning step, or the promise that holds it back; absent when nothing is overdue. */
  readonly collection?: CollectionOutlook;
}

export type LookupResult =
  | { readonly kind: 'found'; readonly customer: CustomerView }
  | {
      readonly kind: 'choose';
      readonly query: string;
      readonly candidates: readonly CustomerMatch[];
    }
  | {
      readonly kind: 'none';
      readonly query: string;
      readonly suggestions: readonly CustomerMatch[];
    };

export interface LookupDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly policy: CreditPolicy;
}

/** Adds what is derived from the stored facts: exposure, utilisation and the status colour. */
export function viewCustomer(
  snapshot: CustomerSnapshot,
  asOf: IsoDate,
  buckets: readonly AgingBucket[],
  policy: CreditPolicy,
): CustomerView {
  const own = snapshot.aging.find((row) => row.currency === snapshot.currency);
  const receivables =
    (own?.bucketMinor.reduce((a, b) => a + b, 0) ?? 0) + (own?.disputedMinor ?? 0);
  const exposureMinor = money(receivables + snapshot.openOrders.minor, snapshot.currency).minor;
  const utilisationBp = utilisationOf(exposureMinor, snapshot.creditLimit.minor);
  const status = computeStatus(
    {
      utilisationBp,
      maxDaysOverdue: snapshot.maxDaysOverdue,
      rating: snapshot.assessment?.rating,
      phase: snapshot.phase,
      creditHold: snapshot.creditHold,
      blacklisted: snapshot.blacklisted,
    },
    policy.status,
  );
  return { ...snapshot, asOf, buckets, exposureMinor, utilisationBp, status };
}

function pick(matches: readonly CustomerMatch[]): CustomerMatch[] | undefined {
  for (const quality of ['exact', 'partial'] as const) {
    const tier = matches.filter((m) => m.quality === quality);
    if (tier.length > 0) return tier;
  }
  return undefined;
}

/** The customer a query names: exactly one, or the pick list or suggestions to answer with. */
export type CustomerSearch =
  | { readonly kind: 'one'; readonly query: string; readonly match: CustomerMatch }
  | Exclude<LookupResult, { readonly kind: 'found' }>;

/**
 * The search behind `/credit <query>` and every command that names a customer: one match →
 * that customer; several equally good → a pick list; only look-alikes → suggestions.
 */
export async function findCustomer(store: Store, rawQuery: string): Promise<CustomerSearch> {
  const query = rawQuery.trim();
  if (query.length === 0) throw new DomainError('errors.lookup.empty_query');
  if ([...query].length > MAX_QUERY_LENGTH) {
    throw new DomainError('errors.lookup.query_too_long', { max: MAX_QUERY_LENGTH });
  }
  const keys = searchKeys(query);
  if (keys.length === 0) return { kind: 'none', query, suggestions: [] };

  const matches = await store.customers.search(keys, 20);
  const best = pick(matches);
  if (!best) return { kind: 'none', query, suggestions: matches.slice(0, MAX_SUGGESTIONS) };
  const [only] = best;
  if (best.length > 1 || !only) {
    return { kind: 'choose', query, candidates: best.slice(0, MAX_CANDIDATES) };
  }
  return { kind: 'one', query, match: only };
}

/**
 * `/credit <query>`: one match → the customer; several equally good → a pick list;
 * only look-alikes → suggestions, never a guess at someone else's credit file. The card is
 * as of `options.asOf`, by default today in `deps.timeZone`.
 */
export async function lookUpCustomer(
  deps: LookupDeps,
  rawQuery: string,
  options: { readonly asOf?: IsoDate } = {},
): Promise<LookupResult> {
  const found = await findCustomer(deps.store, rawQuery);
  if (found.kind !== 'one') return found;
  const { query, match: only } = found;
  const today = dateInTimeZone(deps.clock.now(), deps.timeZone);
  const asOf = options.asOf ?? today;
  const buckets = agingBuckets(deps.policy.aging.edges);
  const { customerId } = only;
  // The card's parts depend on the customer's promises, not on one another: read at once.
  const read = () =>
    Promise.all([
      deps.store.customers.snapshot({ customerId, asOf, buckets }),
      collectionOutlook(deps.store, {
        customerId,
        asOf,
        timeZone: deps.timeZone,
        policy: deps.policy.dunning,
      }),
      customerProposal(deps, customerId, asOf),
    ]);
  let [snapshot, outlook, proposal] = await read();
  // Promises kept or broken by now are stored so before the card shows the open ones. Only
  // a customer with an open promise has any to look at; seldom has one changed since the
  // last look, and then the card is read again.
  if (snapshot && snapshot.openPromises.length > 0) {
    const persist = asOf <= today;
    const changes = await evaluatePromisesAsOf(deps.store, asOf, {
      timeZone: deps.timeZone,
      customerIds: [customerId],
      persist,
    });
    if (persist && changes.length > 0) [snapshot, outlook, proposal] = await read();
  }
  if (!snapshot) throw new DomainError('errors.customer.not_found', { query });
  const view: CustomerView = {
    ...viewCustomer(snapshot, asOf, buckets, deps.policy),
    ...(proposal ? { proposal } : {}),
  };
  return { kind: 'found', customer: outlook ? { ...view, collection: outlook } : view };
}
