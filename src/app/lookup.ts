import { type AgingBucket, agingBuckets } from '../domain/aging.ts';
import { dateInTimeZone, type IsoDate } from '../domain/dates.ts';
import { DomainError } from '../domain/errors.ts';
import { money, ratioBasisPoints } from '../domain/money.ts';
import { searchKeys } from '../domain/names.ts';
import { computeStatus, type Status } from '../domain/status.ts';
import type { CreditPolicy } from './policy.ts';
import type { Clock, CustomerMatch, CustomerSnapshot, Store } from './ports.ts';

export const MAX_QUERY_LENGTH = 100;
const MAX_CANDIDATES = 8;
const MAX_SUGGESTIONS = 3;

export interface CustomerView extends CustomerSnapshot {
  readonly asOf: IsoDate;
  readonly buckets: readonly AgingBucket[];
  /** Open receivables in the customer's currency plus open orders. */
  readonly exposureMinor: number;
  readonly utilisationBp: number | undefined;
  readonly status: Status;
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
  const utilisationBp = ratioBasisPoints(exposureMinor, snapshot.creditLimit.minor);
  const status = computeStatus(
    {
      utilisationBp:
        snapshot.creditLimit.minor === 0 && exposureMinor > 0 ? Infinity : utilisationBp,
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

/**
 * `/credit <query>`: one match → the customer; several equally good → a pick list;
 * only look-alikes → suggestions, never a guess at someone else's credit file.
 */
export async function lookUpCustomer(deps: LookupDeps, rawQuery: string): Promise<LookupResult> {
  const query = rawQuery.trim();
  if (query.length === 0) throw new DomainError('errors.lookup.empty_query');
  if ([...query].length > MAX_QUERY_LENGTH) {
    throw new DomainError('errors.lookup.query_too_long', { max: MAX_QUERY_LENGTH });
  }
  const keys = searchKeys(query);
  if (keys.length === 0) return { kind: 'none', query, suggestions: [] };

  const matches = await deps.store.customers.search(keys, 20);
  const best = pick(matches);
  if (!best) return { kind: 'none', query, suggestions: matches.slice(0, MAX_SUGGESTIONS) };
  const [only] = best;
  if (best.length > 1 || !only) {
    return { kind: 'choose', query, candidates: best.slice(0, MAX_CANDIDATES) };
  }
  const asOf = dateInTimeZone(deps.clock.now(), deps.timeZone);
  const buckets = agingBuckets(deps.policy.aging.edges);
  const snapshot = await deps.store.customers.snapshot({
    customerId: only.customerId,
    asOf,
    buckets,
  });
  if (!snapshot) throw new DomainError('errors.customer.not_found', { query });
  return { kind: 'found', customer: viewCustomer(snapshot, asOf, buckets, deps.policy) };
}
