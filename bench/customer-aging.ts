import { sql } from 'kysely';
import { agingByCurrency } from '../src/db/aging-sql.ts';
import type { Database } from '../src/db/connection.ts';
import { agingBuckets } from '../src/domain/aging.ts';
import type { IsoDate } from '../src/domain/dates.ts';
import { loadPolicy } from '../src/policy-files.ts';
import { runAlone, startedAlone } from './alone.ts';
import { type Figure, figure } from './figures.ts';
import { AS_OF, percentile } from './support.ts';

// The aging on a customer's `/credit` card, as the card's snapshot reads it (agingByCurrency
// for one customer, with the policy's buckets), for the customers with the most open invoices
// and for the median customer of the book, next to its floor: a bare sum() of the same
// customer's open amounts, which reads the same index entries and nothing else. Measured
// interleaved, the order flipped every round, so both see the same cache and neighbours.

/** Customers per group when the caller names no count. */
const CUSTOMERS = 5;
const REPEATS = 21;
const TARGET_RATIO = 1.5;

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

interface Sampled {
  readonly id: number;
  readonly open: number;
}

/**
 * The customers ranked by open invoices, most first (ties by id, so the same book gives the
 * same sample): the first `count`, and the `count` around the middle of the whole book.
 */
async function sampleCustomers(database: Database, count: number) {
  const ranked = await sql<Sampled>`
    select c.id, count(i.id)::int8 as open
    from customers c
    left join invoices i on i.customer_id = c.id and i.open_amount_minor > 0
    group by c.id
    order by open desc, c.id`.execute(database.db);
  const rows = ranked.rows;
  const middle = Math.max(0, Math.floor(rows.length / 2) - Math.floor(count / 2));
  return {
    biggest: rows.slice(0, count),
    median: rows.slice(middle, middle + count),
  };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/**
 * Per-customer aging (the card's) for the biggest customers and the median ones, each group's
 * median over `repeats` rounds against the median of its floor; `customers` per group.
 */
export async function measureCustomerAging(
  database: Database,
  asOf: string,
  options: { readonly customers?: number; readonly repeats?: number } = {},
): Promise<Figure[]> {
  const count = options.customers ?? CUSTOMERS;
  const repeats = options.repeats ?? REPEATS;
  const buckets = agingBuckets(loadPolicy().aging.edges);
  const runs = {
    aging: (customerId: number) =>
      agingByCurrency(database.db, { asOf: asOf as IsoDate, buckets, customerId }),
    floor: (customerId: number) =>
      sql`select coalesce(sum(open_amount_minor), 0)::int8 as open from invoices
          where customer_id = ${customerId} and open_amount_minor > 0`.execute(database.db),
  };
  const groups = await sampleCustomers(database, count);
  const figures: Figure[] = [];
  for (const [group, customers] of Object.entries(groups)) {
    const ms = { aging: [] as number[], floor: [] as number[] };
    for (const c of customers) {
      await runs.aging(c.id);
      await runs.floor(c.id);
    }
    for (let pass = 0; pass < repeats; pass += 1) {
      const order = pass % 2 === 0 ? (['aging', 'floor'] as const) : (['floor', 'aging'] as const);
      for (const c of customers) {
        for (const name of order) ms[name].push(await timed(() => runs[name](c.id)));
      }
    }
    const opens = customers.map((c) => c.open);
    figures.push(
      figure({
        section: 'aging',
        name: `customer aging, ${group} ${customers.length} (median)`,
        value: percentile(ms.aging, 0.5),
        unit: 'ms',
        floorName: "bare sum() of the customer's open amounts",
        floor: percentile(ms.floor, 0.5),
        target: { text: `≤ ${TARGET_RATIO}× floor`, met: (_, r) => r <= TARGET_RATIO },
        detail: {
          customers: customers.map((c) => c.id).join(' '),
          openInvoices: `${Math.min(...opens)}–${Math.max(...opens)}`,
          repeats,
          agingP95: round(percentile(ms.aging, 0.95)),
          floorP95: round(percentile(ms.floor, 0.95)),
        },
      }),
    );
  }
  return figures;
}

if (startedAlone(import.meta.url)) {
  await runAlone({
    title: 'aging: per-customer aging against its floor',
    options: ['customers-per-group', 'repeats'],
    named: false,
    measure: ({ database, options }) =>
      measureCustomerAging(database, AS_OF, {
        ...(options['customers-per-group'] ? { customers: options['customers-per-group'] } : {}),
        ...(options.repeats ? { repeats: options.repeats } : {}),
      }),
  });
}
