import type { ContactCustomer } from '../app/collections-ports.ts';
import type { LoggedContact } from '../app/contacts.ts';
import {
  CONTACT_METHOD_HINT,
  CONTACT_OUTCOME_HINT,
  MAX_NOTE_LENGTH,
} from '../domain/contact-words.ts';
import { CONTACT_METHODS, CONTACT_OUTCOMES } from '../domain/credit.ts';
import type { Card, CardField } from './card.ts';
import type { CardContext } from './customer-card.ts';
import { formatDate, formatDateTime, formatMoney } from './format.ts';

/** The answer to `/credit log …`: what was written, in the reader's language. */
export function loggedContactCard(
  logged: LoggedContact,
  { t, locale, timeZone }: CardContext,
): Card {
  const { customer, promise, disputed } = logged;
  const fields: CardField[] = [
    { label: t('contact.logged.customer'), value: `${customer.legalName} (${customer.code})` },
    { label: t('contact.logged.method'), value: t(`contact.method.${logged.method}`) },
    { label: t('contact.logged.outcome'), value: t(`contact.outcome.${logged.outcome}`) },
  ];
  if (promise) {
    fields.push({
      label: t('contact.logged.promise'),
      value: t('contact.logged.promise_value', {
        amount: formatMoney(promise.amount, locale),
        date: formatDate(promise.promisedOn, locale),
      }),
    });
  }
  if (disputed.length > 0) {
    fields.push({
      label: t('contact.logged.disputed', { count: disputed.length }),
      value: disputed
        .map((invoice) =>
          t('contact.logged.invoice', {
            number: invoice.number,
            amount: formatMoney(invoice.open, locale),
          }),
        )
        .join(t('list.separator')),
    });
  }
  if (logged.note) fields.push({ label: t('contact.logged.note'), value: logged.note });
  fields.push({
    label: t('contact.logged.by'),
    value: `${logged.actorLabel} · ${formatDateTime(logged.contactedAt, locale, timeZone)}`,
  });
  const lines = [
    ...(promise
      ? [t('contact.logged.promise_hint', { date: formatDate(promise.promisedOn, locale) })]
      : []),
    ...(disputed.length > 0 ? [t('contact.logged.disputed_hint', { count: disputed.length })] : []),
  ];
  return {
    title: t('contact.logged.title', { customer: customer.legalName }),
    subtitle: customer.code,
    fields,
    ...(lines.length > 0 ? { lines } : {}),
    actions: [{ label: t('contact.logged.open_card'), command: `/credit ${customer.code}` }],
  };
}

/**
 * `/credit log <customer>` with nothing else (the card's *Log contact* button): a form where
 * the platform has forms (a Slack modal), and how to type the entry, with examples for that
 * customer, where it has not.
 */
export function contactFormCard(customer: ContactCustomer, { t }: CardContext): Card {
  const code = customer.code;
  const option = (prefix: string) => (value: string) => ({ value, label: t(`${prefix}.${value}`) });
  return {
    title: t('contact.form.title', { customer: `${customer.legalName} (${code})` }),
    lines: [
      t('contact.form.syntax'),
      t('contact.form.methods', { words: CONTACT_METHOD_HINT }),
      t('contact.form.outcomes', { words: CONTACT_OUTCOME_HINT }),
      t('contact.form.promise'),
      t('contact.form.dispute'),
      '',
      t('contact.form.examples'),
      t('contact.form.example_reached', { customer: code }),
      t('contact.form.example_promise', { customer: code }),
      t('contact.form.example_dispute', { customer: code }),
    ],
    form: {
      id: 'contact',
      title: t('contact.modal.title'),
      submitLabel: t('contact.modal.submit'),
      cancelLabel: t('contact.modal.cancel'),
      context: code,
      fields: [
        {
          id: 'method',
          label: t('contact.modal.method'),
          kind: 'select',
          options: CONTACT_METHODS.map(option('contact.method')),
          initial: 'call',
        },
        {
          id: 'outcome',
          label: t('contact.modal.outcome'),
          kind: 'select',
          options: CONTACT_OUTCOMES.map(option('contact.outcome')),
        },
        {
          id: 'promise_date',
          label: t('contact.modal.promise_date'),
          kind: 'date',
          optional: true,
          hint: t('contact.modal.promise_date_hint'),
        },
        {
          id: 'promise_amount',
          label: t('contact.modal.promise_amount', { currency: customer.currency }),
          kind: 'amount',
          optional: true,
          hint: t('contact.modal.promise_amount_hint', { currency: customer.currency }),
        },
        {
          id: 'invoices',
          label: t('contact.modal.invoices'),
          kind: 'text',
          optional: true,
          hint: t('contact.modal.invoices_hint'),
        },
        {
          id: 'note',
          label: t('contact.modal.note'),
          kind: 'text',
          optional: true,
          multiline: true,
          maxLength: MAX_NOTE_LENGTH,
        },
      ],
    },
  };
}
