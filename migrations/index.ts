import type { Migration } from 'kysely';
import * as initialSchema from './20261123000000_initial_schema.ts';
import * as creditReports from './20261123010000_credit_reports_and_aging_history.ts';
import * as idempotencyKeys from './20261123020000_idempotency_keys.ts';
import * as approvals from './20261123030000_approvals.ts';
import * as alertEpisodes from './20261124000000_alert_episodes_and_batches.ts';
import * as openInvoicesByCurrency from './20261124010000_open_invoices_by_currency.ts';
import * as namePairs from './20261125000000_name_pairs.ts';
import * as openInvoicesByCustomer from './20261125010000_open_invoices_by_customer_and_currency.ts';

// Listed statically: Kysely's FileMigrationProvider imports files at run time, which breaks
// under bundlers and under vitest for `.ts` files. Add each new migration here, in order.
export const migrations: Record<string, Migration> = {
  '20261123000000_initial_schema': initialSchema,
  '20261123010000_credit_reports_and_aging_history': creditReports,
  '20261123020000_idempotency_keys': idempotencyKeys,
  '20261123030000_approvals': approvals,
  '20261124000000_alert_episodes_and_batches': alertEpisodes,
  '20261124010000_open_invoices_by_currency': openInvoicesByCurrency,
  '20261125000000_name_pairs': namePairs,
  '20261125010000_open_invoices_by_customer_and_currency': openInvoicesByCustomer,
};
