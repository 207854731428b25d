import { isDomainError } from '../domain/errors.ts';
import { type PaymentTerms, parsePaymentTerms } from '../domain/payment-terms.ts';

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
