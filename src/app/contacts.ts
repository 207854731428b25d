import { parseChatAmount } from '../domain/chat-amount.ts';
import type { ContactMethod, ContactOutcome } from '../domain/credit.ts';
import { dateInTimeZone, type IsoDate } from '../domain/dates.ts';
import { DomainError } from '../domain/errors.ts';
import { parseLooseDate } from '../domain/loose-date.ts';
import { type Money, money } from '../domain/money.ts';
import type { ContactCustomer, InvoiceRef } from './collections-ports.ts';
import { type CustomerSearch, findCustomer } from './lookup.ts';
import { authorize } from './permissions.ts';
import type { Clock, Store, User } from './ports.ts';

/** `/credit log …` as the grammar read it; the use case reads the date and amount. */
export interface LogContactInput {
  readonly query: string;
  readonly method: ContactMethod;
  readonly outcome: ContactOutcome;
  readonly promise?: { readonly dateText: string; readonly amountText: string };
  readonly invoiceRefs: readonly string[];
  readonly note: string;
  /** The platform delivery this entry came in (Slack trigger, LINE event): logged once. */
  readonly delivery?: Delivery;
}

export interface Delivery {
  readonly platform: string;
  readonly eventId: string;
}

/**
 * A delivery handled before: a repeat, whatever has changed since (a promise date that has
 * passed, a customer renamed). Repeats arriving together are told apart by the claim.
 */
export async function handledBefore(store: Store, delivery: Delivery | undefined) {
  return (
    delivery !== undefined && (await store.inbound.handled(delivery.platform, delivery.eventId))
  );
}

/** The same delivery came again (a platform retry, a double submit); nothing was written. */
export interface RepeatedDelivery {
  readonly kind: 'repeat';
}

export interface LoggedContact {
  readonly kind: 'logged';
  readonly customer: ContactCustomer;
  readonly contactId: number;
  readonly method: ContactMethod;
  readonly outcome: ContactOutcome;
  readonly note: string | null;
  readonly contactedAt: Date;
  readonly actorLabel: string;
  readonly promise:
    | { readonly id: number; readonly promisedOn: IsoDate; readonly amount: Money }
    | undefined;
  /** The invoices the dispute names, now out of dunning. */
  readonly disputed: readonly InvoiceRef[];
}

export type LogContactResult =
  | LoggedContact
  | RepeatedDelivery
  | Exclude<CustomerSearch, { kind: 'one' }>;

export interface ContactDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly timeZone: string;
}

function readPromise(
  input: LogContactInput,
  currency: string,
  today: IsoDate,
): { promisedOn: IsoDate; amount: Money } | undefined {
  if (input.outcome !== 'promise') return undefined;
  if (!input.promise) throw new DomainError('errors.log.promise_incomplete');
  const { dateText, amountText } = input.promise;
  const promisedOn = parseLooseDate(dateText, today);
  if (promisedOn < today) {
    throw new DomainError('errors.log.promise_in_past', { value: dateText, date: promisedOn });
  }
  const amount = parseChatAmount(amountText, currency);
  if (!amount.ok) throw new DomainError(amount.code, { ...amount.params });
  return { promisedOn, amount: money(amount.value, currency) };
}

/**
 * The open invoices a dispute names. Numbers compare without regard to case (inv-1203 is
 * INV-1203); a number that is not an open invoice of this customer refuses the whole entry.
 */
async function disputedInvoices(
  store: Store,
  customer: ContactCustomer,
  refs: readonly string[],
): Promise<InvoiceRef[]> {
  if (refs.length === 0) return [];
  const wanted = [...new Set(refs.map((ref) => ref.toUpperCase()))];
  const found = (await store.contacts.invoicesByNumber(customer.id, wanted)).filter(
    (invoice) => invoice.open.minor > 0,
  );
  const open = new Set(found.map((invoice) => invoice.number.toUpperCase()));
  const missing = refs.filter((ref) => !open.has(ref.toUpperCase()));
  if (missing.length > 0) {
    throw new DomainError('errors.log.unknown_invoices', {
      invoices: missing.join(', '),
      customer: customer.code,
      count: missing.length,
    });
  }
  return found;
}

/**
 * `/credit log <customer> <method> <outcome> …`: records a collection contact, with the
 * promise to pay it brought (dunning pauses until the promised date) or the invoices it
 * disputes (out of dunning, shown apart in aging), in one audited transaction. Entries are
 * never edited: a correction is a new entry. The customer must be named unambiguously;
 * otherwise the pick list or suggestions come back and nothing is written.
 */
export async function logContact(
  deps: ContactDeps,
  user: User,
  input: LogContactInput,
): Promise<LogContactResult> {
  authorize(user, 'log');
  if (await handledBefore(deps.store, input.delivery)) return { kind: 'repeat' };
  const found = await findCustomer(deps.store, input.query);
  if (found.kind !== 'one') return found;
  const customer = await deps.store.contacts.customer(found.match.customerId);
  if (!customer) throw new DomainError('errors.customer.not_found', { query: found.query });
  const now = deps.clock.now();
  const today = dateInTimeZone(now, deps.timeZone);
  const promise = readPromise(input, customer.currency, today);
  const note = input.note.trim() === '' ? null : input.note.trim();
  const actor = `user:${user.id}`;

  return deps.store.transaction(async (tx): Promise<LoggedContact | RepeatedDelivery> => {
    if (
      input.delivery &&
      !(await tx.inbound.claim(input.delivery.platform, input.delivery.eventId))
    ) {
      return { kind: 'repeat' };
    }
    const disputed =
      input.outcome === 'dispute' ? await disputedInvoices(tx, customer, input.invoiceRefs) : [];
    const invoiceIds = disputed.map((invoice) => invoice.id);
    const contactId = await tx.contacts.insertContact({
      customerId: customer.id,
      actorUserId: user.id,
      actorLabel: user.displayName,
      method: input.method,
      outcome: input.outcome,
      note,
      invoiceIds,
      contactedAt: now,
    });
    const promiseId = promise
      ? await tx.contacts.insertPromise({ customerId: customer.id, contactId, ...promise })
      : undefined;
    const newlyDisputed = await tx.contacts.markDisputed(invoiceIds);
    const promised =
      promise && promiseId !== undefined
        ? {
            id: promiseId,
            promisedOn: promise.promisedOn,
            currency: promise.amount.currency,
            amountMinor: promise.amount.minor,
          }
        : null;
    await tx.audit.record({
      actor,
      action: 'contact.log',
      entityType: 'contact',
      entityId: String(contactId),
      before: null,
      after: {
        customer: customer.code,
        method: input.method,
        outcome: input.outcome,
        note,
        invoiceIds,
        contactedAt: now.toISOString(),
        promise: promised,
      },
    });
    if (promised) {
      await tx.audit.record({
        actor,
        action: 'promise.create',
        entityType: 'promise',
        entityId: String(promised.id),
        before: null,
        after: { customer: customer.code, contactId, status: 'pending', ...promised },
      });
    }
    for (const id of newlyDisputed) {
      await tx.audit.record({
        actor,
        action: 'invoice.dispute',
        entityType: 'invoice',
        entityId: String(id),
        before: { disputed: false },
        after: { disputed: true, contactId },
      });
    }
    return {
      kind: 'logged',
      customer,
      contactId,
      method: input.method,
      outcome: input.outcome,
      note,
      contactedAt: now,
      actorLabel: user.displayName,
      promise:
        promise && promiseId !== undefined
          ? { id: promiseId, promisedOn: promise.promisedOn, amount: promise.amount }
          : undefined,
      disputed,
    };
  });
}
