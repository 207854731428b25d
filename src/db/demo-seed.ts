// Writes the planned demo ledger in one transaction, in batches, on the transaction's own
// connection only (the embedded engine has one connection; a query outside would wait forever).
import type { Kysely, Transaction } from 'kysely';
import { parseIsoDate } from '../domain/dates.ts';
import { customerNameRows } from './customer-names.ts';
import { DEMO_USERS } from './demo-data.ts';
import { type Ledger, planLedger } from './demo-plan.ts';
import type { DB } from './schema.ts';

export interface DemoSeedOptions {
  /** The "as of" date, YYYY-MM-DD: every date in the ledger is relative to it. */
  readonly today: string;
  readonly seed?: number;
}

export interface DemoSeedReport {
  customers: number;
  invoices: number;
  payments: number;
  contacts: number;
  promises: number;
  users: number;
}

export const DEFAULT_DEMO_SEED = 20261123;
const CHUNK = 500;

async function inChunks<R, O>(rows: readonly R[], insert: (chunk: R[]) => Promise<O[]>) {
  const inserted: O[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    inserted.push(...(await insert(rows.slice(i, i + CHUNK))));
  }
  return inserted;
}

function idOf(ids: ReadonlyMap<string, number>, key: string): number {
  const id = ids.get(key);
  if (id === undefined) throw new Error(`demo seed lost the id of ${key}`);
  return id;
}

async function insertUsers(trx: Transaction<DB>): Promise<number[]> {
  const rows = DEMO_USERS.map((u) => ({
    display_name: u.displayName,
    role: u.role,
    locale: u.locale,
    timezone: null,
  }));
  const inserted = await trx
    .insertInto('users')
    .values(rows)
    .returning(['id', 'display_name'])
    .execute();
  const byName = new Map(inserted.map((u) => [u.display_name, u.id]));
  const ids = DEMO_USERS.map((u) => idOf(byName, u.displayName));
  const identities = ids.map((user_id, i) => ({
    user_id,
    platform: 'demo',
    external_id: `owner-${i + 1}`,
  }));
  await trx.insertInto('platform_identities').values(identities).execute();
  return ids;
}

async function insertCustomers(trx: Transaction<DB>, ledger: Ledger, userIds: readonly number[]) {
  const rows = ledger.customers.map((c) => ({
    code: c.code,
    external_id: `DEMO-CUS-${c.code}`,
    legal_name: c.legalName,
    name_kana: c.nameKana ?? null,
    name_romaji: c.nameRomaji ?? null,
    name_pinyin: c.namePinyin ?? null,
    country: c.country,
    currency: c.currency,
    segment: c.segment,
    owner_user_id: userIds[c.owner] ?? null,
    payment_terms: JSON.stringify(c.terms),
    strategic: c.strategic ?? false,
    blacklisted: c.blacklisted ?? false,
    phase: c.phase,
    credit_limit_minor: c.limitMinor,
    credit_hold: c.creditHold ?? false,
    next_review_on: c.nextReviewOn,
  }));
  const inserted = await inChunks(rows, (chunk) =>
    trx.insertInto('customers').values(chunk).returning(['id', 'code']).execute(),
  );
  const ids = new Map(inserted.map((c) => [c.code, c.id]));
  const names = ledger.customers.flatMap((c) =>
    customerNameRows({ ...c, customerId: idOf(ids, c.code) }),
  );
  await inChunks(names, (chunk) => trx.insertInto('customer_names').values(chunk).execute());
  return ids;
}

async function insertInvoices(
  trx: Transaction<DB>,
  ledger: Ledger,
  customerIds: ReadonlyMap<string, number>,
): Promise<Map<string, number>> {
  const rows = ledger.invoices.map((invoice) => ({
    external_id: invoice.externalId,
    customer_id: idOf(customerIds, invoice.code),
    number: invoice.number,
    issued_on: invoice.issuedOn,
    due_on: invoice.dueOn,
    currency: invoice.currency,
    amount_minor: invoice.amountMinor,
    open_amount_minor: invoice.openMinor,
    disputed: invoice.disputed,
    settled_on: invoice.openMinor === 0 ? (invoice.paidOn ?? null) : null,
  }));
  const inserted = await inChunks(rows, (chunk) =>
    trx.insertInto('invoices').values(chunk).returning(['id', 'external_id']).execute(),
  );
  return new Map(inserted.map((r) => [r.external_id, r.id]));
}

/** One payment per paid or part-paid invoice, allocated in full to that invoice. */
async function insertPayments(
  trx: Transaction<DB>,
  ledger: Ledger,
  customerIds: ReadonlyMap<string, number>,
  invoiceIds: ReadonlyMap<string, number>,
): Promise<number> {
  const paid = ledger.invoices.flatMap((invoice) => {
    const { paidOn, externalId } = invoice;
    const paymentId = externalId.replace('DEMO-INV-', 'DEMO-PAY-');
    return paidOn === undefined ? [] : [{ invoice, paidOn, paymentId }];
  });
  paid.sort((a, b) => a.paidOn.localeCompare(b.paidOn));
  const rows = paid.map(({ invoice, paidOn, paymentId }) => ({
    external_id: paymentId,
    customer_id: idOf(customerIds, invoice.code),
    received_on: paidOn,
    currency: invoice.currency,
    amount_minor: invoice.amountMinor - invoice.openMinor,
    unallocated_minor: 0,
    reference: invoice.number,
  }));
  const inserted = await inChunks(rows, (chunk) =>
    trx.insertInto('payments').values(chunk).returning(['id', 'external_id']).execute(),
  );
  const paymentIds = new Map(inserted.map((r) => [r.external_id, r.id]));
  const allocations = paid.map(({ invoice, paidOn, paymentId }) => ({
    payment_id: idOf(paymentIds, paymentId),
    invoice_id: idOf(invoiceIds, invoice.externalId),
    amount_minor: invoice.amountMinor - invoice.openMinor,
    applied_on: paidOn,
  }));
  await inChunks(allocations, (c) => trx.insertInto('payment_allocations').values(c).execute());
  return rows.length;
}

function withCustomerId<R extends { readonly code: string }>(
  rows: readonly R[],
  customerIds: ReadonlyMap<string, number>,
) {
  return rows.map(({ code, ...row }) => ({ ...row, customer_id: idOf(customerIds, code) }));
}

async function insertAssessmentsAndOrders(
  trx: Transaction<DB>,
  ledger: Ledger,
  customerIds: ReadonlyMap<string, number>,
): Promise<void> {
  const assessments = withCustomerId(ledger.assessments, customerIds);
  await inChunks(assessments, (c) => trx.insertInto('credit_assessments').values(c).execute());
  const reports = withCustomerId(ledger.creditReports, customerIds);
  await inChunks(reports, (c) => trx.insertInto('credit_reports').values(c).execute());
  const orders = withCustomerId(ledger.orders, customerIds);
  await inChunks(orders, (c) => trx.insertInto('orders').values(c).execute());
}

interface LedgerIds {
  readonly customers: ReadonlyMap<string, number>;
  readonly users: readonly number[];
  readonly invoices: ReadonlyMap<string, number>;
}

// Contacts have no natural key, so a promise finds its contact by customer and instant.
const contactKey = (customerId: number, at: number) => `${customerId}@${at}`;

async function insertContacts(trx: Transaction<DB>, ledger: Ledger, ids: LedgerIds) {
  const rows = ledger.contacts.map(({ customer, ...contact }) => ({
    customer_id: idOf(ids.customers, customer.code),
    actor_user_id: ids.users[customer.owner] ?? null,
    actor_label: DEMO_USERS[customer.owner]?.displayName ?? 'demo',
    method: contact.method,
    outcome: contact.outcome,
    note: contact.note,
    invoice_ids: contact.invoiceRefs.map((ref) => idOf(ids.invoices, ref)),
    contacted_at: contact.contactedAt,
  }));
  const inserted = await inChunks(rows, (chunk) =>
    trx
      .insertInto('contacts')
      .values(chunk)
      .returning(['id', 'customer_id', 'contacted_at'])
      .execute(),
  );
  return new Map(inserted.map((r) => [contactKey(r.customer_id, r.contacted_at.getTime()), r.id]));
}

/** The promises made in contacts; returns how many were written. */
async function insertPromises(
  trx: Transaction<DB>,
  ledger: Ledger,
  ids: LedgerIds & { readonly contacts: ReadonlyMap<string, number> },
): Promise<number> {
  const rows = ledger.contacts.flatMap(({ customer, contactedAt, promised }) => {
    if (!promised) return [];
    const customerId = idOf(ids.customers, customer.code);
    const contactId = idOf(ids.contacts, contactKey(customerId, Date.parse(contactedAt)));
    return [
      {
        customer_id: customerId,
        contact_id: contactId,
        promised_on: promised.promisedOn,
        currency: customer.currency,
        amount_minor: promised.amountMinor,
        status: promised.status,
        resolved_on: promised.resolvedOn,
      },
    ];
  });
  await inChunks(rows, (chunk) => trx.insertInto('promises').values(chunk).execute());
  return rows.length;
}

/**
 * Writes a deterministic demo ledger of about 200 customers in Japanese, Chinese and English
 * with invoices in every aging bucket, payments, contacts and promises, all dated relative
 * to `options.today`. One transaction: on a single-connection engine every query goes
 * through `trx`. Refuses to run twice.
 */
export async function seedDemo(db: Kysely<DB>, options: DemoSeedOptions): Promise<DemoSeedReport> {
  const today = parseIsoDate(options.today);
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  return db.transaction().execute(async (trx) => {
    const seeded = await trx
      .selectFrom('settings')
      .select('key')
      .where('key', '=', 'demo_seeded')
      .executeTakeFirst();
    if (seeded) throw new Error('demo data already seeded');
    const ledger = planLedger(today, seed);
    const users = await insertUsers(trx);
    const customers = await insertCustomers(trx, ledger, users);
    await insertAssessmentsAndOrders(trx, ledger, customers);
    const invoices = await insertInvoices(trx, ledger, customers);
    const payments = await insertPayments(trx, ledger, customers, invoices);
    const ids = { customers, users, invoices };
    const contacts = await insertContacts(trx, ledger, ids);
    const promises = await insertPromises(trx, ledger, { ...ids, contacts });
    const value = { seededAt: today, seed, customers: ledger.customers.length };
    await trx
      .insertInto('settings')
      .values({ key: 'demo_seeded', value: JSON.stringify(value) })
      .execute();
    return {
      customers: ledger.customers.length,
      invoices: ledger.invoices.length,
      payments,
      contacts: ledger.contacts.length,
      promises,
      users: users.length,
    };
  });
}
