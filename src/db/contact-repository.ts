import { type Kysely, sql } from 'kysely';
import type { ContactRepository } from '../app/collections-ports.ts';
import { money } from '../domain/money.ts';
import type { DB } from './schema.ts';

export function createContactRepository(db: Kysely<DB>): ContactRepository {
  return {
    async customer(customerId) {
      const row = await db
        .selectFrom('customers')
        .select(['id', 'code', 'legal_name', 'currency'])
        .where('id', '=', customerId)
        .executeTakeFirst();
      return (
        row && { id: row.id, code: row.code, legalName: row.legal_name, currency: row.currency }
      );
    },

    async invoicesByNumber(customerId, numbers) {
      if (numbers.length === 0) return [];
      // The customer's invoices come from invoices_customer_number; few enough to compare.
      const rows = await db
        .selectFrom('invoices')
        .select(['id', 'number', 'due_on', 'open_amount_minor', 'currency', 'disputed'])
        .where('customer_id', '=', customerId)
        .where(
          sql<string>`upper(number)`,
          'in',
          numbers.map((n) => n.toUpperCase()),
        )
        .orderBy('due_on')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        number: r.number,
        dueOn: r.due_on,
        open: money(r.open_amount_minor, r.currency),
        disputed: r.disputed,
      }));
    },

    async insertContact(contact) {
      const row = await db
        .insertInto('contacts')
        .values({
          customer_id: contact.customerId,
          actor_user_id: contact.actorUserId,
          actor_label: contact.actorLabel,
          method: contact.method,
          outcome: contact.outcome,
          note: contact.note,
          invoice_ids: [...contact.invoiceIds],
          contacted_at: contact.contactedAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async insertPromise(promise) {
      const row = await db
        .insertInto('promises')
        .values({
          customer_id: promise.customerId,
          contact_id: promise.contactId,
          promised_on: promise.promisedOn,
          currency: promise.amount.currency,
          amount_minor: promise.amount.minor,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async markDisputed(invoiceIds) {
      if (invoiceIds.length === 0) return [];
      const rows = await db
        .updateTable('invoices')
        .set({ disputed: true, updated_at: sql<Date>`now()` })
        .where('id', 'in', [...invoiceIds])
        .where('disputed', '=', false)
        .returning('id')
        .execute();
      return rows.map((r) => r.id).sort((a, b) => a - b);
    },
  };
}
