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

export interface ImportSession {
  /** Validates and applies one batch; returns the items refused, applying none of them. */
  apply(items: readonly IngestItem[]): Promise<Rejection[]>;
  /** Counts an item the source could not even present as fields (a broken CSV row). */
  refuse(rejection: Rejection): Rejection;
  /** Marks every customer the import touched for alert evaluation, once. */
  finish(): Promise<IngestTally>;
  readonly tally: Readonly<IngestTally>;
}

type Converted =
  | { readonly input: unknown; readonly customerId?: number }
  | { readonly errors: FieldError[] };

function err(
  field: string,
  code: string,
  params: Record<string, string | number> = {},
): FieldError {
  return { field, code, params };
}

function toInvoice(v: Typed, customer: CustomerRef, paid: number | undefined): Converted {
  const issuedOn = v.issuedOn as string;
  const input: InvoiceInput = {
    externalId: v.externalId as string,
    customerId: customer.id,
    number: (v.number as string | undefined) ?? (v.externalId as string),
    issuedOn,
    dueOn: (v.dueOn as string | undefined) ?? dueDateFor(issuedOn, customer),
    currency: v.currency as string,
    amount: v.amount as number,
    ...(v.openAmount !== undefined ? { openAmount: v.openAmount as number } : {}),
    disputed: (v.disputed as boolean | undefined) ?? false,
    ...(v.settledOn !== undefined ? { settledOn: v.settledOn as string } : {}),
  };
  const errors: FieldError[] = [];
  if (input.openAmount !== undefined && input.openAmount > input.amount) {
    errors.push(err('openAmount', 'errors.import.open_above_amount'));
  }
  if (input.settledOn !== undefined && input.settledOn < issuedOn) {
    errors.push(err('settledOn', 'errors.import.settled_before_issue'));
  }
  if (input.dueOn < issuedOn) errors.push(err('dueOn', 'errors.import.due_before_issue'));
  if (paid !== undefined && input.amount < paid) {
    const paidText = toDecimalString(money(paid, input.currency));
    errors.push(
      err('amount', 'errors.import.amount_below_paid', {
        paid: paidText,
        currency: input.currency,
      }),
    );
  }
  return errors.length > 0 ? { errors } : { input, customerId: customer.id };
}

function toOrder(v: Typed, customer: CustomerRef): Converted {
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
  return { input, customerId: customer.id };
}

function convert(
  kind: EntityKind,
  v: Typed,
  customer: CustomerRef | undefined,
  paid: number | undefined,
): Converted {
  if (kind === 'customers') return { input: v as unknown as CustomerInput };
  if (!customer)
    return {
      errors: [
        err('customerCode', 'errors.import.unknown_customer', { code: String(v.customerCode) }),
      ],
    };
  const base = { ...v, customerId: customer.id };
  switch (kind) {
    case 'invoices':
      return toInvoice(v, customer, paid);
    case 'orders':
      return toOrder(v, customer);
    case 'payments':
      return { input: base as unknown as PaymentInput, customerId: customer.id };
    case 'credit-reports':
      return { input: base as unknown as CreditReportInput, customerId: customer.id };
    case 'events':
      return { input: base as unknown as CreditEventInput, customerId: customer.id };
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
  const seen = new Map<string, { ref: number; signature: string }>();
  const touched = new Set<number>();
  const needsCustomer = FIELDS[kind].some((f) => f.name === 'customerCode');

  /** One item's fate: refused, a repeat of an identical earlier item, or ready to write. */
  function check(
    item: IngestItem,
    customer: CustomerRef | undefined,
    existing: ReadonlyMap<string, ExistingInvoice>,
  ): Converted | 'repeat' {
    const checked = validateItem(kind, item.raw, format, needsCustomer ? customer : undefined);
    if (needsCustomer && !customer && String(item.raw.customerCode ?? '').trim() !== '') {
      // An unknown customer explains everything else (its currency, say): name it first.
      const code = String(item.raw.customerCode).trim();
      const others = checked.ok
        ? []
        : checked.errors.filter((e) => e.code !== 'errors.import.no_currency');
      return {
        errors: [err('customerCode', 'errors.import.unknown_customer', { code }), ...others],
      };
    }
    if (!checked.ok) return { errors: [...checked.errors] };
    const key = keyOf(kind, checked.value);
    // Fields come in the entity's declared order, so equal values give equal signatures.
    const signature = Object.values(checked.value).join('\u0001');
    const earlier = seen.get(key);
    if (earlier?.signature === signature) return 'repeat';
    if (earlier)
      return { errors: [err(KEY_FIELD[kind], 'errors.import.duplicate', { line: earlier.ref })] };
    const stored = existing.get(String(checked.value.externalId));
    const paid = stored ? stored.amount - stored.openAmount : undefined;
    const converted = convert(kind, checked.value, customer, paid || undefined);
    if (!('errors' in converted)) seen.set(key, { ref: item.ref, signature });
    return converted;
  }

  // Customers do not change while rows that refer to them are imported: each code is looked
  // up once per import, not once per batch.
  const customerCache = new Map<string, CustomerRef | undefined>();
  async function customersFor(codes: readonly string[]): Promise<Map<string, CustomerRef>> {
    const missing = [...new Set(codes.filter((c) => c !== '' && !customerCache.has(c)))];
    if (missing.length > 0) {
      const found = await ledger.customersByCode(missing);
      for (const code of missing) customerCache.set(code, found.get(code));
    }
    const result = new Map<string, CustomerRef>();
    for (const code of codes) {
      const customer = customerCache.get(code);
      if (customer) result.set(code, customer);
    }
    return result;
  }

  async function apply(items: readonly IngestItem[]): Promise<Rejection[]> {
    tally.read += items.length;
    const codes = items.map((i) =>
      String(i.raw[needsCustomer ? 'customerCode' : 'code'] ?? '').trim(),
    );
    const customers = needsCustomer ? await customersFor(codes) : new Map<string, CustomerRef>();
    const existing =
      kind === 'invoices'
        ? await ledger.existingInvoices(items.map((i) => String(i.raw.externalId ?? '').trim()))
        : new Map<string, ExistingInvoice>();
    const rejections: Rejection[] = [];
    const inputs: unknown[] = [];
    for (const [i, item] of items.entries()) {
      const outcome = check(item, customers.get(codes[i] ?? ''), existing);
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
    apply,
    tally,
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
