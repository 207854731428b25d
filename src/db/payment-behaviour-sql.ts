import { type RawBuilder, sql } from 'kysely';
import type { IsoDate } from '../domain/dates.ts';

/**
 * Payment behaviour from our own ledger, per customer: invoices fully settled in the window
 * (by `settled_on`, both ends inclusive, either end open when absent), how many of them were
 * settled after their due date, and the days late summed over them. One aggregate, as a
 * subquery with columns (customer_id, settled, late, days): the payment-behaviour report and
 * the scorecard's ledger items read the same figures.
 */
export function paymentBehaviourByCustomer(window: {
  readonly from?: IsoDate | undefined;
  readonly to?: IsoDate | undefined;
  readonly customerIds?: readonly number[] | undefined;
}): RawBuilder<unknown> {
  const from = window.from ?? null;
  const to = window.to ?? null;
  const ids =
    window.customerIds === undefined
      ? sql``
      : sql` and i.customer_id = any(${sql.val([...window.customerIds])}::int8[])`;
  return sql`(
    select i.customer_id, count(*)::int8 as settled,
      count(*) filter (where i.settled_on > i.due_on)::int8 as late,
      coalesce(sum(greatest(0, i.settled_on - i.due_on)), 0)::int8 as days
    from invoices i
    where i.settled_on is not null and i.open_amount_minor = 0
      and (${from}::date is null or i.settled_on >= ${from}::date)
      and (${to}::date is null or i.settled_on <= ${to}::date)${ids}
    group by i.customer_id)`;
}
