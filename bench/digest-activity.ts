import {
  AMOUNT,
  CsvFile,
  type Customer,
  type Generation,
  OWNER_NAMES,
  quoted,
} from './digest-book.ts';

// What collectors and approvers did lately in the digest benchmark's book: a promise to pay
// from about one customer in fifty, each from a call (kept or broken when its date has passed,
// some due today), and limit requests waiting for approval, the oldest a few days old.

async function writePromises(g: Generation, customers: readonly Customer[]) {
  const contacts = new CsvFile(g.dir, 'contacts', [
    ...['id', 'customer_id', 'actor_label', 'method', 'outcome', 'contacted_at', 'created_at'],
  ]);
  const promises = new CsvFile(g.dir, 'promises', [
    ...['customer_id', 'contact_id', 'promised_on', 'currency', 'amount_minor', 'status'],
    ...['resolved_on', 'created_at'],
  ]);
  const count = Math.max(20, Math.round(customers.length / 50));
  for (let p = 1; p <= count; p += 1) {
    // Bigger customers promise more often: they are the ones called.
    const customer = Math.min(customers.length, 1 + Math.floor(customers.length * g.rand() ** 2));
    const currency = customers[customer - 1]?.currency ?? 'JPY';
    const promisedOn = g.today - 10 + Math.floor(g.rand() * 24);
    const madeOn = promisedOn - 1 - Math.floor(g.rand() * 10);
    // 10:00 in Tokyo on the day of the call.
    const at = `${g.iso(madeOn)}T01:00:00Z`;
    const owner = OWNER_NAMES[customer % OWNER_NAMES.length] ?? 'AR';
    await contacts.line([p, customer, quoted(owner), 'call', 'promise', at, at]);
    // The promises job has judged every date that has passed.
    const status = promisedOn >= g.today ? 'pending' : g.rand() < 0.55 ? 'kept' : 'broken';
    const resolved =
      status === 'kept'
        ? promisedOn
        : status === 'broken'
          ? Math.min(g.today, promisedOn + 1)
          : null;
    const amount = AMOUNT[currency].from * (1 + Math.floor(g.rand() * 20));
    const resolvedOn = resolved === null ? null : g.iso(resolved);
    await promises.line([customer, p, g.iso(promisedOn), currency, amount, status, resolvedOn, at]);
  }
  await contacts.close();
  await promises.close();
  return { contacts, promises };
}

async function writeApprovals(g: Generation, customers: readonly Customer[]) {
  const approvals = new CsvFile(g.dir, 'approval_requests', [
    ...['kind', 'customer_id', 'requested_by_label', 'payload', 'reason', 'steps', 'created_at'],
  ]);
  const pending = Math.max(5, Math.min(60, Math.round(customers.length / 2_000)));
  for (let a = 1; a <= pending; a += 1) {
    // Distinct customers: one pending request per customer and kind.
    const customer = 1 + ((a * 7_919) % customers.length);
    const currency = customers[customer - 1]?.currency ?? 'JPY';
    const from = AMOUNT[currency].span * (1 + (a % 5));
    const payload = quoted(JSON.stringify({ fromMinor: from, toMinor: from * 2, currency }));
    const hoursAgo = Math.floor(g.rand() * 96);
    const at = new Date((g.today * 24 + 1 - hoursAgo) * 3_600_000).toISOString();
    const steps = quoted(JSON.stringify([['credit_manager']]));
    await approvals.line(['limit', customer, 'Sato (AR)', payload, 'More volume', steps, at]);
  }
  await approvals.close();
  return approvals;
}

export async function writeActivity(g: Generation, customers: readonly Customer[]) {
  const { contacts, promises } = await writePromises(g, customers);
  const approvals = await writeApprovals(g, customers);
  return {
    files: [contacts, promises, approvals],
    promises: promises.rows,
    approvals: approvals.rows,
  };
}
