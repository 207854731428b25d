import { money, toDecimalString } from '../../domain/money.ts';
import { type EntityKind, FIELDS, KEY_FIELD } from './entities.ts';
import type {
  CreditEventInput,
  CreditReportInput,
  CustomerInput,
  CustomerRef,
  ExistingInvoice,
  InvoiceInput,
  LedgerWriter,
  OrderInput,
  PaymentInput,
  UpsertCounts,
} from './records.ts';
import {
  dueDateFor,
  type FieldError,
  type RawItem,
  type Typed,
  type ValueFormat,
  validateItem,
} from './validate.ts';

/** One row of a file (`ref` = its line) or one item of a request (`ref` = its index). */
export interface IngestItem {
  readonly ref: number;
  readonly raw: RawItem;
}

export interface Rejection {
  readonly ref: number;
  readonly errors: readonly FieldError[];
}

export interface IngestTally {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** Customers by code, as far as the items of a batch need them. */
export type CustomerLookup = ReadonlyMap<string, CustomerRef>;

/**
 * What preparation — everything that needs no database — made of one item: refused, or a
 * candidate for the ledger. Plain data, so a worker thread can prepare and post it.
 */
export type PreparedItem = RefusedItem | CandidateItem;

export interface RefusedItem {
  readonly ref: number;
  /** Refused whatever the database holds: bad values, an unknown customer. */
  readonly refused: readonly FieldError[];
}

export interface CandidateItem {
  readonly ref: number;
  /** The upsert key: the external id for invoices. */
  readonly key: string;
  readonly input?: unknown;
  readonly customerId?: number;
  /** Inconsistent values (an open amount above the amount…); the database may add one. */
  readonly errors?: readonly FieldError[];
  /**
   * An earlier item with the same key was accepted by preparation: this one repeats it
   * (`same`) or contradicts it. `signature` is this item's, for when the database refuses
   * that earlier item after all (an amount below what is already paid).
   */
  readonly follows?: { readonly ref: number; readonly same: boolean; readonly signature: string };
}

export interface ItemPreparer {
  /** The customer code each item names (trimmed), to resolve before `prepare`. */
  customerCodes(items: readonly IngestItem[]): string[];
  /** Validates and converts a batch, in order; remembers keys across batches. */
  prepare(items: readonly IngestItem[], customers: CustomerLookup): PreparedItem[];
}

export interface ImportSession {
  /** Validates and applies one batch; returns the items refused, applying none of them. */
  apply(items: readonly IngestItem[]): Promise<Rejection[]>;
  /** Applies a batch a preparer of the same kind and format made (perhaps in a worker). */
  commit(items: readonly PreparedItem[]): Promise<Rejection[]>;
  /** Counts an item the source could not even present as fields (a broken CSV row). */
  refuse(rejection: Rejection): Rejection;
  /** Marks every customer the import touched for alert evaluation, once. */
  finish(): Promise<IngestTally>;
  readonly tally: Readonly<IngestTally>;
  /** The customers the import wrote something for (credit reports to re-assess, say). */
  readonly touched: ReadonlySet<number>;
}

interface Conversion {
  readonly input?: unknown;
  readonly customerId?: number;
  readonly errors: FieldError[];
}

function err(
  field: string,
  code: string,
  params: Record<string, string | number> = {},
): FieldError {
  return { field, code, params };
}

function toInvoice(v: Typed, customer: CustomerRef): Conversion {
  const issuedOn = v.issuedOn as string;
  // Optional fields are added, not spread in: a file's worth of these is made per import.
  const input: { -readonly [K in keyof InvoiceInput]: InvoiceInput[K] } = {
    externalId: v.externalId as string,
    customerId: customer.id,
    number: (v.number as string | undefined) ?? (v.externalId as string),
    issuedOn,
    dueOn: (v.dueOn as string | undefined) ?? dueDateFor(issuedOn, customer),
    currency: v.currency as string,
    amount: v.amount as number,
    disputed: (v.disputed as boolean | undefined) ?? false,
  };
  if (v.openAmount !== undefined) input.openAmount = v.openAmount as number;
  if (v.settledOn !== undefined) input.settledOn = v.settledOn as string;
  const errors: FieldError[] = [];
  if (input.openAmount !== undefined && input.openAmount > input.amount) {
    errors.push(err('openAmount', 'errors.import.open_above_amount'));
  }
  if (input.settledOn !== undefined && input.settledOn < issuedOn) {
    errors.push(err('settledOn', 'errors.import.settled_before_issue'));
  }
  if (input.dueOn < issuedOn) errors.push(err('dueOn', 'errors.import.due_before_issue'));
  return { input, customerId: customer.id, errors };
}

/** The check only the database can make: an invoice may not drop below what is paid on it. */
function belowPaid(input: InvoiceInput, stored: ExistingInvoice | undefined): FieldError[] {
  const paid = stored ? stored.amount - stored.openAmount : 0;
  if (!paid || input.amount >= paid) return [];
  const paidText = toDecimalString(money(paid, input.currency));
  return [
    err('amount', 'errors.import.amount_below_paid', { paid: paidText, currency: input.currency }),
  ];
}

function toOrder(v: Typed, customer: CustomerRef): Conversion {
  const amount = v.amount as number;
  const openAmount = (v.openAmount as number | undefined) ?? amount;
  if (openAmount > amount)
    return { errors: [err('openAmount', 'errors.import.open_above_amount')] };
  const input: OrderInput = {
    externalId: v.externalId as string,
    customerId: customer.id,
    number: (v.number as string | undefined) ?? (v.externalId as string),
    orderedOn: v.orderedOn as string,
    currency: v.currency as string,
    amount,
    openAmount,
    status: (v.status as OrderInput['status'] | undefined) ?? 'open',
  };
  return { input, customerId: customer.id, errors: [] };
}

function convert(kind: EntityKind, v: Typed, customer: CustomerRef | undefined): Conversion {
  if (kind === 'customers') return { input: v as unknown as CustomerInput, errors: [] };
  if (!customer)
    return {
      errors: [
        err('customerCode', 'errors.import.unknown_customer', { code: String(v.customerCode) }),
      ],
    };
  switch (kind) {
    case 'invoices':
      return toInvoice(v, customer);
    case 'orders':
      return toOrder(v, customer);
    case 'payments':
    case 'credit-reports':
    case 'events': {
      // PaymentInput, CreditReportInput, CreditEventInput: the typed fields and the customer.
      const input = { ...v, customerId: customer.id };
      return { input, customerId: customer.id, errors: [] };
    }
  }
}

function write(
  ledger: LedgerWriter,
  kind: EntityKind,
  inputs: unknown[],
  existing: ReadonlyMap<string, ExistingInvoice>,
): Promise<UpsertCounts & { ids?: number[] }> {
  switch (kind) {
    case 'customers':
      return ledger.upsertCustomers(inputs as CustomerInput[]);
    case 'invoices':
      return ledger.upsertInvoices(inputs as InvoiceInput[], existing);
    case 'payments':
      return ledger.upsertPayments(inputs as PaymentInput[]);
    case 'orders':
      return ledger.upsertOrders(inputs as OrderInput[]);
    case 'credit-reports':
      return ledger.upsertCreditReports(inputs as CreditReportInput[]);
    case 'events':
      return ledger.insertCreditEvents(inputs as CreditEventInput[]);
  }
}

function keyOf(kind: EntityKind, v: Typed): string {
  const key = String(v[KEY_FIELD[kind]]);
  return kind === 'events' || kind === 'credit-reports' ? `${String(v.source)}\u0000${key}` : key;
}

/** Whether rows of this kind name a customer by code. */
export function needsCustomer(kind: EntityKind): boolean {
  return FIELDS[kind].some((f) => f.name === 'customerCode');
}

/**
 * Everything about an import that needs no database: validation, customer resolution, due
 * dates, conversion to ledger inputs and the search for repeated keys. It runs inline (the
 * REST API, small files) or in a worker thread (big files); `ImportSession.commit` does the
 * rest on the main thread.
 */
export function createItemPreparer(options: {
  readonly kind: EntityKind;
  readonly format: ValueFormat;
}): ItemPreparer {
  const { kind, format } = options;
  const byCustomer = needsCustomer(kind);
  const codeField = byCustomer ? 'customerCode' : 'code';
  // Keys accepted so far: a later item with the same key repeats or contradicts the earlier one.
  const seen = new Map<string, { ref: number; signature: string }>();

  function prepareItem(item: IngestItem, customer: CustomerRef | undefined): PreparedItem {
    const checked = validateItem(kind, item.raw, format, byCustomer ? customer : undefined);
    if (byCustomer && !customer && String(item.raw.customerCode ?? '').trim() !== '') {
      // An unknown customer explains everything else (its currency, say): name it first.
      const code = String(item.raw.customerCode).trim();
      const others = checked.ok
        ? []
        : checked.errors.filter((e) => e.code !== 'errors.import.no_currency');
      return {
        ref: item.ref,
        refused: [err('customerCode', 'errors.import.unknown_customer', { code }), ...others],
      };
    }
    if (!checked.ok) return { ref: item.ref, refused: [...checked.errors] };
    const key = keyOf(kind, checked.value);
    const signature = signatureOf(checked.value);
    const earlier = seen.get(key);
    if (earlier) {
      const follows = { ref: earlier.ref, same: earlier.signature === signature, signature };
      // Only an invoice's earlier item can still be refused by the database; then this one
      // is judged on its own after all and needs its conversion.
      if (kind !== 'invoices') return { ref: item.ref, key, follows };
      return candidate(item.ref, key, convert(kind, checked.value, customer), follows);
    }
    const converted = convert(kind, checked.value, customer);
    if (converted.errors.length === 0) seen.set(key, { ref: item.ref, signature });
    return candidate(item.ref, key, converted);
  }

  return {
    customerCodes: (items) => items.map((i) => String(i.raw[codeField] ?? '').trim()),
    prepare(items, customers) {
      return items.map((item) =>
        prepareItem(
          item,
          byCustomer ? customers.get(String(item.raw.customerCode ?? '').trim()) : undefined,
        ),
      );
    },
  };
}

/** Fields come in the entity's declared order, so equal values give equal signatures. */
function signatureOf(value: Typed): string {
  return Object.values(value).join('\u0001');
}

function candidate(
  ref: number,
  key: string,
  c: Conversion,
  follows?: CandidateItem['follows'],
): CandidateItem {
  const item: { -readonly [K in keyof CandidateItem]: CandidateItem[K] } = { ref, key };
  if (c.input !== undefined) item.input = c.input;
  if (c.customerId !== undefined) item.customerId = c.customerId;
  if (c.errors.length > 0) item.errors = c.errors;
  if (follows) item.follows = follows;
  return item;
}

/**
 * Looks customers up by code for the batches of one import, each code once: customers do not
 * change while rows that refer to them are imported.
 */
export function customerResolver(
  ledger: LedgerWriter,
): (codes: readonly string[]) => Promise<Map<string, CustomerRef>> {
  const cache = new Map<string, CustomerRef | undefined>();
  return async (codes) => {
    const missing = [...new Set(codes.filter((c) => c !== '' && !cache.has(c)))];
    if (missing.length > 0) {
      const found = await ledger.customersByCode(missing);
      for (const code of missing) cache.set(code, found.get(code));
    }
    const result = new Map<string, CustomerRef>();
    for (const code of codes) {
      const customer = cache.get(code);
      if (customer) result.set(code, customer);
    }
    return result;
  };
}

type Outcome =
  | 'repeat'
  | { readonly errors: readonly FieldError[] }
  | { readonly input: unknown; readonly customerId?: number };

/**
 * An import of one kind of entity, fed in batches by the CLI (file rows) or the REST API
 * (request items). The caller owns the transaction: all-or-nothing is a rollback there.
 */
export function createImportSession(options: {
  readonly kind: EntityKind;
  readonly format: ValueFormat;
  readonly ledger: LedgerWriter;
}): ImportSession {
  const { kind, format, ledger } = options;
  const tally: IngestTally = { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  const touched = new Set<number>();
  const byCustomer = needsCustomer(kind);
  const preparer = createItemPreparer({ kind, format });
  const customersFor = customerResolver(ledger);
  // Keys whose first accepted item the database refused (an invoice amount below what is
  // paid): preparation took that item as the one later items repeat, so those are judged
  // here again against what was really accepted — the item named, or none.
  const corrected = new Map<string, { ref: number; signature: string } | undefined>();

  function duplicate(ref: number): Outcome {
    return { errors: [err(KEY_FIELD[kind], 'errors.import.duplicate', { line: ref })] };
  }

  /** One item's fate, now that the database's view of it is known. */
  function settle(item: PreparedItem, existing: ReadonlyMap<string, ExistingInvoice>): Outcome {
    if ('refused' in item) return { errors: item.refused };
    const { follows } = item;
    if (follows) {
      if (!corrected.has(item.key)) return follows.same ? 'repeat' : duplicate(follows.ref);
      const earlier = corrected.get(item.key);
      if (earlier)
        return earlier.signature === follows.signature ? 'repeat' : duplicate(earlier.ref);
    }
    const errors = [...(item.errors ?? [])];
    if (kind === 'invoices' && item.input !== undefined) {
      errors.push(...belowPaid(item.input as InvoiceInput, existing.get(item.key)));
    }
    if (errors.length > 0) {
      // Preparation accepted it and will have later items of its key follow it: they won't.
      if (!follows && !item.errors) corrected.set(item.key, undefined);
      return { errors };
    }
    if (follows) corrected.set(item.key, { ref: item.ref, signature: follows.signature });
    return {
      input: item.input,
      ...(item.customerId !== undefined ? { customerId: item.customerId } : {}),
    };
  }

  async function commit(items: readonly PreparedItem[]): Promise<Rejection[]> {
    tally.read += items.length;
    const existing =
      kind === 'invoices'
        ? await ledger.existingInvoices(items.flatMap((i) => ('key' in i ? [i.key] : [])))
        : new Map<string, ExistingInvoice>();
    const rejections: Rejection[] = [];
    const inputs: unknown[] = [];
    for (const item of items) {
      const outcome = settle(item, existing);
      if (outcome === 'repeat') tally.unchanged += 1;
      else if ('errors' in outcome) rejections.push({ ref: item.ref, errors: outcome.errors });
      else {
        inputs.push(outcome.input);
        if (outcome.customerId !== undefined) touched.add(outcome.customerId);
      }
    }
    if (inputs.length > 0) {
      const counts = await write(ledger, kind, inputs, existing);
      tally.inserted += counts.inserted;
      tally.updated += counts.updated;
      tally.unchanged += inputs.length - counts.inserted - counts.updated;
      for (const id of counts.ids ?? []) touched.add(id);
    }
    tally.rejected += rejections.length;
    return rejections;
  }

  return {
    async apply(items) {
      const customers = byCustomer
        ? await customersFor(preparer.customerCodes(items))
        : new Map<string, CustomerRef>();
      return commit(preparer.prepare(items, customers));
    },
    commit,
    tally,
    touched,
    refuse(rejection) {
      tally.read += 1;
      tally.rejected += 1;
      return rejection;
    },
    async finish() {
      await ledger.markAlertsDue([...touched]);
      return { ...tally };
    },
  };
}
