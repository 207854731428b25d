import type { Kysely } from 'kysely';
import { isDomainError } from '../domain/errors.ts';
import { type PaymentTerms, parsePaymentTerms } from '../domain/payment-terms.ts';
import type { DB } from './schema.ts';

/** The column default of `customers.payment_terms`: net 30. */
export const DEFAULT_STORED_TERMS: PaymentTerms = { kind: 'days_after_issue', days: 30 };

/**
 * `customers.payment_terms` as the domain reads it (net N, EOM + N, 締め支払い, with their
 * business-day calendar). A value no current schema accepts (hand-edited, or from before a
 * validation existed) falls back to the column default rather than failing an import.
 */
export function storedPaymentTerms(raw: unknown): PaymentTerms {
  try {
    return parsePaymentTerms(raw);
  } catch (error) {
    if (isDomainError(error)) return DEFAULT_STORED_TERMS;
    throw error;
  }
}

/**
 * The id, currency and payment terms of the customers with these codes, one index probe:
 * what an invoice import needs to compute a missing due date with `dueDate(issuedOn, terms)`.
 */
export async function customerTermsByCode(
  db: Kysely<DB>,
  codes: readonly string[],
): Promise<
  Map<string, { readonly id: number; readonly currency: string; readonly terms: PaymentTerms }>
> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'code', 'currency', 'payment_terms'])
    .where('code', 'in', [...new Set(codes)])
    .execute();
  return new Map(
    rows.map((r) => [
      r.code,
      { id: r.id, currency: r.currency, terms: storedPaymentTerms(r.payment_terms) },
    ]),
  );
}
