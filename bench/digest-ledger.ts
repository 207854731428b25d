import { sql } from 'kysely';
import type { Database } from '../src/db/connection.ts';
import { invoiceAlert, OVERDUE_LINES } from '../src/domain/alerts.ts';
import { writeActivity } from './digest-activity.ts';
import {
  AMOUNT,
  CsvFile,
  CURRENCIES,
  type Currency,
  type Customer,
  DAY_MS,
  type Generation,
  OWNER_NAMES,
  quoted,
  random,
} from './digest-book.ts';

// The ledger `npm run bench:digest` builds digests over: deterministic (one seed), shaped like a
// real receivables book. A few big customers hold most invoices and a long tail holds a handful
// each; three currencies; two years of invoices in the order they were issued, of which about
// 15 % are still open, most of them recent, with partial payments, disputes and a tail long
// overdue left by slow payers; owners and segments; alerts, promises, pending approvals and
// reviews due, so every section of the digest has something to show. Written as CSV files and
// loaded with COPY, ids included, so nothing is resolved row by row.

export interface LedgerSize {
  readonly customers: number;
  readonly invoices: number;
}

export interface LedgerCounts extends LedgerSize {
  readonly openInvoices: number;
  readonly allocations: number;
  readonly payments: number;
  readonly promises: number;
  readonly approvals: number;
  readonly alerts: number;
  readonly owners: number;
}

export interface GeneratedLedger {
  /** In load order: keys before the rows that point at them. */
  readonly files: readonly CsvFile[];
  readonly counts: LedgerCounts;
}

const COUNTRY = { JPY: 'JP', CNY: 'CN', USD: 'US' } as const;
const HISTORY_DAYS = 730;

const customerName = (i: number, currency: Currency) =>
  currency === 'JPY'
    ? `ベンチ商事${i}株式会社`
    : currency === 'CNY'
      ? `测试贸易${i}有限公司`
      : `Bench Trading ${i} Inc.`;

/** Owners, customers (the bigger first: the invoice draw favours low ids) and their ratings. */
async function writeCustomers(g: Generation, count: number) {
  const users = new CsvFile(g.dir, 'users', ['id', 'display_name', 'role']);
  for (const [i, name] of OWNER_NAMES.entries())
    await users.line([i + 1, quoted(name), 'collector']);
  await users.close();
  const file = new CsvFile(g.dir, 'customers', [
    ...['id', 'code', 'legal_name', 'country', 'currency', 'segment', 'owner_user_id'],
    ...['strategic', 'phase', 'payment_terms', 'next_review_on'],
  ]);
  const ratings = new CsvFile(g.dir, 'credit_assessments', [
    ...['customer_id', 'assessed_at', 'scorecard_version', 'score', 'rating', 'currency'],
    'actor',
  ]);
  const customers: Customer[] = [];
  for (let i = 1; i <= count; i += 1) {
    const r = g.rand();
    const currency = r < 0.55 ? 'JPY' : r < 0.85 ? 'CNY' : 'USD';
    const share = i / count;
    const segment = share <= 0.02 ? 'enterprise' : share <= 0.2 ? 'mid_market' : 'small_business';
    const strategic = share <= 0.003 || g.rand() < 0.002;
    const owner = g.rand() < 0.9 ? 1 + Math.floor(g.rand() * OWNER_NAMES.length) : null;
    const termsDays = segment === 'enterprise' ? 60 : g.rand() < 0.2 ? 45 : 30;
    // Most reviews lie ahead; about 1 % are overdue and 1 % fall due this week.
    const q = g.rand();
    const review =
      q < 0.2
        ? null
        : q < 0.21
          ? g.today - 1 - Math.floor(g.rand() * 45)
          : q < 0.22
            ? g.today + Math.floor(g.rand() * 8)
            : g.today + 8 + Math.floor(g.rand() * 358);
    customers.push({ currency, segment, termsDays, slowPayer: g.rand() < 0.25 });
    const terms = quoted(JSON.stringify({ kind: 'days_after_issue', days: termsDays }));
    const code = `C${String(i).padStart(6, '0')}`;
    const reviewOn = review === null ? null : g.iso(review);
    await file.line([
      ...[i, code, customerName(i, currency), COUNTRY[currency], currency, segment, owner],
      ...[strategic, 'ongoing', terms, reviewOn],
    ]);
    if (review !== null) {
      const rating = ['A', 'B', 'C', 'D'][Math.floor(g.rand() * 4)] ?? 'B';
      await ratings.line([i, g.iso(review - 365), 'bench', 60, rating, currency, 'bench']);
    }
  }
  await file.close();
  await ratings.close();
  return { customers, files: [users, file, ratings] };
}

/**
 * Payments per customer, currency and 30-day window of application, so a big customer's many
 * settlements arrive as a few remittances; ids are handed out as the groups appear.
 */
class Remittances {
  private readonly ids = new Map<number, number>();
  private readonly customer: number[] = [];
  private readonly currency: number[] = [];
  private readonly amount: number[] = [];
  private readonly day: number[] = [];

  readonly allocations: CsvFile;
  private readonly iso: (day: number) => string;

  constructor(allocations: CsvFile, iso: (day: number) => string) {
    this.allocations = allocations;
    this.iso = iso;
  }

  async allocate(a: {
    invoice: number;
    customer: number;
    currency: number;
    minor: number;
    day: number;
  }) {
    const key = (a.customer * 3 + a.currency) * 32 + (Math.floor(a.day / 30) % 32);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.customer.length + 1;
      this.ids.set(key, id);
      this.customer.push(a.customer);
      this.currency.push(a.currency);
      this.amount.push(0);
      this.day.push(a.day);
    }
    const p = id - 1;
    this.amount[p] = (this.amount[p] ?? 0) + a.minor;
    // Received on the first day it was applied.
    this.day[p] = Math.min(this.day[p] ?? a.day, a.day);
    await this.allocations.line([
      this.allocations.rows + 1,
      id,
      a.invoice,
      a.minor,
      this.iso(a.day),
    ]);
  }

  async write(file: CsvFile): Promise<void> {
    for (let p = 0; p < this.customer.length; p += 1) {
      const currency = CURRENCIES[this.currency[p] ?? 0] ?? 'JPY';
      const day = this.iso(this.day[p] ?? 0);
      await file.line([
        p + 1,
        `BP${p + 1}`,
        this.customer[p] ?? 0,
        day,
        currency,
        this.amount[p] ?? 0,
        0,
      ]);
    }
    await file.close();
  }
}

/**
 * The alert the morning evaluation raised when an open invoice crossed 30, 60 or 90 days
 * overdue in the last few days (06:00 in Tokyo that day), as src/domain/alerts.ts words it.
 */
async function writeAlert(
  g: Generation,
  alerts: CsvFile,
  i: {
    readonly n: number;
    readonly customer: number;
    readonly due: number;
    readonly currency: Currency;
    readonly openMinor: number;
  },
) {
  const overdue = g.today - i.due;
  const line = OVERDUE_LINES.find((l) => overdue >= l && overdue - l <= 3);
  if (line === undefined) return;
  const crossed = i.due + line;
  const fact = {
    customerId: i.customer,
    invoiceId: i.n,
    number: `INV-${i.n}`,
    dueOn: g.iso(i.due),
  };
  const alert = invoiceAlert(
    { ...fact, currency: i.currency, openMinor: i.openMinor },
    g.iso(crossed),
  );
  if (!alert) return;
  const at = new Date(crossed * DAY_MS - 3 * 3_600_000).toISOString();
  const payload = quoted(JSON.stringify(alert.facts));
  await alerts.line([i.customer, alert.kind, alert.periodKey, alert.severity, payload, at]);
}

/** Invoices, what was paid on them, the payments, and the alerts of the last few days. */
async function writeInvoices(g: Generation, count: number, customers: readonly Customer[]) {
  const invoices = new CsvFile(g.dir, 'invoices', [
    ...['id', 'external_id', 'customer_id', 'number', 'issued_on', 'due_on', 'currency'],
    ...['amount_minor', 'open_amount_minor', 'disputed', 'settled_on'],
  ]);
  const alerts = new CsvFile(g.dir, 'alerts', [
    ...['customer_id', 'kind', 'period_key', 'severity', 'payload', 'created_at'],
  ]);
  const remittances = new Remittances(
    new CsvFile(g.dir, 'payment_allocations', [
      'id',
      'payment_id',
      'invoice_id',
      'amount_minor',
      'applied_on',
    ]),
    g.iso,
  );
  let open = 0;
  for (let n = 1; n <= count; n += 1) {
    const customer = Math.min(customers.length, 1 + Math.floor(customers.length * g.rand() ** 3));
    const c = customers[customer - 1];
    if (!c) throw new Error(`customer ${customer} was not generated`);
    // Enterprise accounts also buy in dollars: one customer, two currencies.
    const currency = c.segment === 'enterprise' && g.rand() < 0.1 ? 'USD' : c.currency;
    const paid = { invoice: n, customer, currency: CURRENCIES.indexOf(currency) };
    // In the order they were issued, as imports append them: the open ones sit together at
    // the end of the table, apart from the old tail.
    const issued = g.today - HISTORY_DAYS + Math.floor((HISTORY_DAYS * n) / count);
    const due = issued + c.termsDays;
    const amount = AMOUNT[currency].from + Math.floor(g.rand() ** 3 * AMOUNT[currency].span);
    const overdue = g.today - due;
    // Nearly everything not yet due is open; what is overdue gets paid, within weeks by most
    // customers, over months by slow payers, who also leave a tail that never is.
    const pOpen =
      overdue <= 0
        ? 0.93
        : c.slowPayer
          ? 0.9 * Math.exp(-overdue / 120) + 0.22
          : 0.6 * Math.exp(-overdue / 20);
    let openMinor = 0;
    let settled: number | null = null;
    let disputed = false;
    if (g.rand() < pOpen) {
      open += 1;
      openMinor = amount;
      disputed = g.rand() < 0.02;
      if (overdue > 0 && g.rand() < 0.12) {
        const minor = Math.max(1, Math.floor(amount * (0.1 + g.rand() * 0.7)));
        openMinor = amount - minor;
        const day = Math.min(g.today, due + Math.floor(g.rand() * overdue));
        await remittances.allocate({ ...paid, minor, day });
      }
    } else {
      settled = Math.max(issued, Math.min(g.today, due + Math.floor(-5 + g.rand() ** 2 * 50)));
      await remittances.allocate({ ...paid, minor: amount, day: settled });
    }
    await invoices.line([
      ...[n, `BI${n}`, customer, `INV-${n}`, g.iso(issued), g.iso(due), currency, amount],
      ...[openMinor, disputed, settled === null ? null : g.iso(settled)],
    ]);
    if (openMinor > 0 && !disputed)
      await writeAlert(g, alerts, { n, customer, due, currency, openMinor });
  }
  await invoices.close();
  await alerts.close();
  await remittances.allocations.close();
  const payments = new CsvFile(g.dir, 'payments', [
    ...['id', 'external_id', 'customer_id', 'received_on', 'currency', 'amount_minor'],
    'unallocated_minor',
  ]);
  await remittances.write(payments);
  return { open, invoices, payments, allocations: remittances.allocations, alerts };
}

/** Writes the ledger as of `asOf` into `dir`, one CSV per table. */
export async function generateLedger(
  dir: string,
  size: LedgerSize,
  asOf: string,
): Promise<GeneratedLedger> {
  const g: Generation = {
    dir,
    rand: random(20261123),
    today: Date.parse(`${asOf}T00:00:00Z`) / DAY_MS,
    iso: (day) => new Date(day * DAY_MS).toISOString().slice(0, 10),
  };
  const people = await writeCustomers(g, size.customers);
  const ledger = await writeInvoices(g, size.invoices, people.customers);
  const activity = await writeActivity(g, people.customers);
  return {
    files: [
      ...people.files,
      ledger.invoices,
      ledger.payments,
      ledger.allocations,
      ledger.alerts,
      ...activity.files,
    ],
    counts: {
      ...size,
      openInvoices: ledger.open,
      allocations: ledger.allocations.rows,
      payments: ledger.payments.rows,
      promises: activity.promises,
      approvals: activity.approvals,
      alerts: ledger.alerts.rows,
      owners: OWNER_NAMES.length,
    },
  };
}

/** COPYs every file in order, then leaves the database as autovacuum would. */
export async function loadLedger(
  database: Database,
  ledger: GeneratedLedger,
  progress: (table: string) => void,
): Promise<void> {
  for (const file of ledger.files) {
    progress(file.path.split('/').at(-1) ?? file.path);
    await database.copyFrom(file.statement, file.path);
  }
  // Explicit ids skip the identity sequences; move them past the rows so later inserts work.
  for (const table of [
    'users',
    'customers',
    'invoices',
    'payments',
    'payment_allocations',
    'contacts',
  ]) {
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(
      database.db,
    );
  }
  // Statistics for the planner, visibility for index-only scans.
  progress('vacuum analyze');
  await sql`vacuum analyze`.execute(database.db);
}
