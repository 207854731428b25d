import { CREDIT_EVENT_KINDS, SEVERITIES } from '../../domain/phases.ts';

// What can be fed into the ledger, field by field. The same table drives CSV mappings,
// the REST API's JSON items (and its OpenAPI document) and the validation of both.

export const ENTITY_KINDS = [
  'customers',
  'invoices',
  'payments',
  'orders',
  'credit-reports',
  'events',
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export const ORDER_STATUSES = ['open', 'invoiced', 'cancelled'] as const;

export type FieldType =
  | 'text'
  | 'amount'
  | 'date'
  | 'datetime'
  | 'boolean'
  | 'integer'
  | 'probability'
  | 'country'
  | 'currency'
  | 'list'
  | 'choice'
  | 'url';

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly required?: boolean;
  /** Longest text accepted, in characters. */
  readonly max?: number;
  readonly choices?: readonly string[];
  readonly min?: number;
  readonly maxValue?: number;
}

const customerCode: FieldSpec = { name: 'customerCode', type: 'text', required: true, max: 64 };
const currency: FieldSpec = { name: 'currency', type: 'currency' };

export const FIELDS: Readonly<Record<EntityKind, readonly FieldSpec[]>> = {
  customers: [
    { name: 'code', type: 'text', required: true, max: 64 },
    { name: 'externalId', type: 'text', max: 128 },
    { name: 'legalName', type: 'text', required: true, max: 300 },
    { name: 'nameKana', type: 'text', max: 300 },
    { name: 'nameRomaji', type: 'text', max: 300 },
    { name: 'namePinyin', type: 'text', max: 300 },
    { name: 'aliases', type: 'list', max: 300 },
    { name: 'country', type: 'country', required: true },
    { name: 'currency', type: 'currency', required: true },
    { name: 'segment', type: 'text', max: 64 },
    { name: 'paymentTermsDays', type: 'integer', min: 0, maxValue: 365 },
    { name: 'strategic', type: 'boolean' },
    { name: 'blacklisted', type: 'boolean' },
    { name: 'creditLimit', type: 'amount', min: 0 },
  ],
  invoices: [
    { name: 'externalId', type: 'text', required: true, max: 128 },
    customerCode,
    { name: 'number', type: 'text', max: 64 },
    { name: 'issuedOn', type: 'date', required: true },
    { name: 'dueOn', type: 'date' },
    currency,
    { name: 'amount', type: 'amount', required: true, min: 0 },
    { name: 'openAmount', type: 'amount', min: 0 },
    { name: 'disputed', type: 'boolean' },
    { name: 'settledOn', type: 'date' },
  ],
  payments: [
    { name: 'externalId', type: 'text', required: true, max: 128 },
    customerCode,
    { name: 'receivedOn', type: 'date', required: true },
    currency,
    { name: 'amount', type: 'amount', required: true, min: 1 },
    { name: 'invoiceNumber', type: 'text', max: 64 },
    { name: 'reference', type: 'text', max: 300 },
  ],
  orders: [
    { name: 'externalId', type: 'text', required: true, max: 128 },
    customerCode,
    { name: 'number', type: 'text', max: 64 },
    { name: 'orderedOn', type: 'date', required: true },
    currency,
    { name: 'amount', type: 'amount', required: true, min: 0 },
    { name: 'openAmount', type: 'amount', min: 0 },
    { name: 'status', type: 'choice', choices: ORDER_STATUSES },
  ],
  'credit-reports': [
    { name: 'source', type: 'text', required: true, max: 64 },
    { name: 'reportId', type: 'text', required: true, max: 128 },
    customerCode,
    { name: 'reportedOn', type: 'date', required: true },
    { name: 'score', type: 'integer', min: 0, maxValue: 1000 },
    { name: 'grade', type: 'text', max: 16 },
    { name: 'pd', type: 'probability' },
    currency,
    { name: 'capital', type: 'amount', min: 0 },
    { name: 'revenue', type: 'amount', min: 0 },
    { name: 'employees', type: 'integer', min: 0, maxValue: 10_000_000 },
    { name: 'foundedOn', type: 'date' },
  ],
  events: [
    { name: 'source', type: 'text', required: true, max: 64 },
    { name: 'sourceEventId', type: 'text', required: true, max: 128 },
    customerCode,
    { name: 'kind', type: 'choice', required: true, choices: CREDIT_EVENT_KINDS },
    { name: 'severity', type: 'choice', required: true, choices: SEVERITIES },
    { name: 'text', type: 'text', max: 4000 },
    { name: 'url', type: 'url', max: 2000 },
    { name: 'occurredAt', type: 'datetime', required: true },
  ],
};

/** The field that identifies a row of each kind in its source: upserts key on it. */
export const KEY_FIELD: Readonly<Record<EntityKind, string>> = {
  customers: 'code',
  invoices: 'externalId',
  payments: 'externalId',
  orders: 'externalId',
  'credit-reports': 'reportId',
  events: 'sourceEventId',
};

export function isEntityKind(value: string): value is EntityKind {
  return (ENTITY_KINDS as readonly string[]).includes(value);
}
