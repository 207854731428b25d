import { z } from 'zod';
import { type EntityKind, FIELDS, type FieldSpec } from '../app/ingest/entities.ts';
import { PHASES, RATINGS, STATUS_COLOURS } from '../domain/credit.ts';

// The API's JSON shapes as zod schemas, for the OpenAPI document. The items are built from
// the FIELDS table, the same table that validates them, so the two cannot drift apart.

/** What the API documents for an amount; the parser also reads the CSV spellings. */
const DECIMAL = /^-?\d+(\.\d+)?$/;
const UNSIGNED_DECIMAL = /^\d+(\.\d+)?$/;
/** 0.012 or 1.2%: the bureau's one-year probability of default. */
const PROBABILITY = /^\d+(\.\d+)?\s*%?$/;

function text(spec: FieldSpec) {
  return spec.max === undefined ? z.string() : z.string().max(spec.max);
}

function integer(spec: FieldSpec) {
  const base = z.int();
  const low = spec.min === undefined ? base : base.min(spec.min);
  return spec.maxValue === undefined ? low : low.max(spec.maxValue);
}

function fieldSchema(spec: FieldSpec): z.ZodType {
  switch (spec.type) {
    case 'text':
      return text(spec);
    case 'amount':
      return z
        .string()
        .regex(spec.min !== undefined && spec.min >= 0 ? UNSIGNED_DECIMAL : DECIMAL)
        .meta({ description: 'decimal string in major units, e.g. "1234.50"' });
    case 'date':
      return z.iso.date();
    case 'datetime':
      return z.iso.datetime({ offset: true });
    case 'boolean':
      return z.boolean();
    case 'integer':
      return integer(spec);
    case 'probability':
      return z.union([z.number().min(0).max(1), z.string().regex(PROBABILITY)]);
    case 'country':
      return z
        .string()
        .regex(/^[A-Za-z]{2}$/)
        .meta({ description: 'ISO 3166-1 alpha-2' });
    case 'currency':
      return z
        .string()
        .regex(/^[A-Za-z]{3}$/)
        .meta({ description: 'ISO 4217' });
    case 'list':
      return z.array(spec.max === undefined ? z.string() : z.string().max(spec.max));
    case 'choice':
      return z.enum([...(spec.choices ?? [])] as [string, ...string[]]);
    case 'url':
      return spec.max === undefined ? z.url() : z.url().max(spec.max);
  }
}

/**
 * One entity's item. A required amount may come as `<name>` or as `<name>Minor`, which
 * zod cannot say; the document adds that `anyOf` (see `requiredAmounts`).
 */
export function itemSchema(kind: EntityKind) {
  const shape: Record<string, z.ZodType> = {};
  for (const spec of FIELDS[kind]) {
    const schema = fieldSchema(spec);
    shape[spec.name] = spec.required && spec.type !== 'amount' ? schema : schema.optional();
    if (spec.type === 'amount') {
      const minor = z.int().meta({ description: `${spec.name} in minor units of the currency` });
      shape[`${spec.name}Minor`] = (
        spec.min === undefined ? minor : minor.min(spec.min)
      ).optional();
    }
  }
  return z.strictObject(shape);
}

export function requiredAmounts(kind: EntityKind): string[] {
  return FIELDS[kind].filter((f) => f.required && f.type === 'amount').map((f) => f.name);
}

export const batchResultSchema = z.object({
  inserted: z.int().min(0),
  updated: z.int().min(0),
  unchanged: z.int().min(0),
});

export const problemSchema = z.looseObject({
  type: z.url(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  correlationId: z.string().optional(),
});

export const validationProblemSchema = problemSchema.extend({
  errors: z.array(
    z.object({
      item: z.int().min(0),
      field: z.string().nullable(),
      pointer: z.string().meta({ description: 'JSON Pointer into the request body' }),
      code: z.string().meta({ description: 'stable error code' }),
      message: z.string().meta({ description: 'in the language of Accept-Language' }),
    }),
  ),
});

const bucketSchema = z.object({ label: z.string(), amountMinor: z.int(), count: z.int() });

export const customerSummarySchema = z.object({
  code: z.string(),
  legalName: z.string(),
  nameKana: z.string().nullable(),
  country: z.string(),
  currency: z.string(),
  segment: z.string(),
  owner: z.string().nullable(),
  phase: z.enum(PHASES),
  creditLimitMinor: z.int(),
  exposureMinor: z.int(),
  openOrdersMinor: z.int(),
  utilisationBp: z.int().nullable().meta({ description: 'basis points; 10000 = 100 %' }),
  status: z.object({ colour: z.enum(STATUS_COLOURS), reasons: z.array(z.string()) }),
  flags: z.object({ creditHold: z.boolean(), strategic: z.boolean(), blacklisted: z.boolean() }),
  asOf: z.iso.date(),
  aging: z.array(
    z.object({
      currency: z.string(),
      buckets: z.array(bucketSchema),
      disputedMinor: z.int(),
      disputedCount: z.int(),
    }),
  ),
  maxDaysOverdue: z.int(),
  assessment: z
    .object({
      score: z.int(),
      rating: z.enum(RATINGS),
      pd: z.number().nullable(),
      assessedAt: z.iso.datetime(),
    })
    .nullable(),
  nextReviewOn: z.iso.date().nullable(),
});

export const agingReportSchema = z.array(
  z.object({
    asOf: z.iso.date(),
    currency: z.string(),
    buckets: z.array(bucketSchema),
    totalMinor: z.int(),
    overdueMinor: z.int(),
    disputedMinor: z.int(),
    disputedCount: z.int(),
  }),
);

export const ITEM_NAMES: Readonly<Record<EntityKind, string>> = {
  customers: 'Customer',
  invoices: 'Invoice',
  payments: 'Payment',
  orders: 'Order',
  'credit-reports': 'CreditReport',
  events: 'CreditEvent',
};
