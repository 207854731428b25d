import { MAX_NOTE_LENGTH } from '../domain/contact-words.ts';
import {
  CONTACT_METHODS,
  CONTACT_OUTCOMES,
  type ContactMethod,
  type ContactOutcome,
} from '../domain/credit.ts';
import { DomainError, isDomainError } from '../domain/errors.ts';
import type { ContactCustomer } from './collections-ports.ts';
import { type ContactDeps, type Delivery, type LogContactResult, logContact } from './contacts.ts';
import { type CustomerSearch, findCustomer } from './lookup.ts';
import { authorize } from './permissions.ts';
import type { User } from './ports.ts';

// The contact entry as a form (a Slack modal): the same use case as the typed grammar,
// with every refusal tied to the field the person has to correct.

export const CONTACT_FORM_FIELDS = [
  'method',
  'outcome',
  'promise_date',
  'promise_amount',
  'invoices',
  'note',
] as const;
export type ContactFormField = (typeof CONTACT_FORM_FIELDS)[number];
export type ContactFormValues = Readonly<Partial<Record<ContactFormField, string>>>;

export interface FieldProblem {
  readonly code: string;
  readonly params: Readonly<Record<string, string | number>>;
}

export type ContactFormResult =
  | { readonly kind: 'invalid'; readonly errors: Partial<Record<ContactFormField, FieldProblem>> }
  | LogContactResult;

/** Who the form is for: one customer, or the pick list / suggestions to choose from. */
export async function prepareContactForm(
  deps: ContactDeps,
  user: User,
  query: string,
): Promise<
  | { readonly kind: 'form'; readonly customer: ContactCustomer }
  | Exclude<CustomerSearch, { kind: 'one' }>
> {
  authorize(user, 'log');
  const found = await findCustomer(deps.store, query);
  if (found.kind !== 'one') return found;
  const customer = await deps.store.contacts.customer(found.match.customerId);
  if (!customer) throw new DomainError('errors.customer.not_found', { query: found.query });
  return { kind: 'form', customer };
}

/** Which field a refusal from the use case belongs to. */
function fieldOf(code: string): ContactFormField | undefined {
  if (code === 'errors.log.promise_in_past' || code.startsWith('errors.date.')) {
    return 'promise_date';
  }
  if (code.startsWith('errors.amount.')) return 'promise_amount';
  if (code === 'errors.log.unknown_invoices') return 'invoices';
  return undefined;
}

const problem = (code: string, params: Record<string, string | number> = {}): FieldProblem => ({
  code,
  params,
});

/** Invoice numbers as people paste them: `INV-1, INV-2`, `#A1 #A2`, `INV-1、INV-2`. */
function invoiceRefs(text: string | undefined): string[] {
  return (text ?? '')
    .normalize('NFKC')
    .split(/[\s,、]+/u)
    .map((ref) => ref.replace(/^#/, ''))
    .filter((ref) => ref !== '');
}

function checkValues(values: ContactFormValues): {
  errors: Partial<Record<ContactFormField, FieldProblem>>;
  method?: ContactMethod;
  outcome?: ContactOutcome;
} {
  const errors: Partial<Record<ContactFormField, FieldProblem>> = {};
  const method = CONTACT_METHODS.find((m) => m === values.method);
  const outcome = CONTACT_OUTCOMES.find((o) => o === values.outcome);
  if (!method) errors.method = problem('errors.form.required');
  if (!outcome) errors.outcome = problem('errors.form.required');
  if (outcome === 'promise') {
    if (!values.promise_date) errors.promise_date = problem('errors.form.promise_date_required');
    if (!values.promise_amount) {
      errors.promise_amount = problem('errors.form.promise_amount_required');
    }
  } else if (outcome && (values.promise_date || values.promise_amount)) {
    const field = values.promise_date ? 'promise_date' : 'promise_amount';
    errors[field] = problem('errors.form.promise_only');
  }
  if (outcome && outcome !== 'dispute' && invoiceRefs(values.invoices).length > 0) {
    errors.invoices = problem('errors.form.dispute_only');
  }
  const length = [...(values.note ?? '')].length;
  if (length > MAX_NOTE_LENGTH) {
    errors.note = problem('errors.log.note_too_long', { max: MAX_NOTE_LENGTH, length });
  }
  return { errors, ...(method ? { method } : {}), ...(outcome ? { outcome } : {}) };
}

/**
 * A submitted contact form: checked field by field first, then logged exactly as the typed
 * command would be. Nothing is written unless every field is right.
 */
export async function logContactForm(
  deps: ContactDeps,
  user: User,
  input: {
    readonly customer: string;
    readonly values: ContactFormValues;
    readonly delivery?: Delivery;
  },
): Promise<ContactFormResult> {
  authorize(user, 'log');
  const { values } = input;
  const { errors, method, outcome } = checkValues(values);
  if (Object.keys(errors).length > 0 || !method || !outcome) return { kind: 'invalid', errors };
  try {
    return await logContact(deps, user, {
      query: input.customer,
      method,
      outcome,
      ...(outcome === 'promise'
        ? {
            promise: {
              dateText: values.promise_date ?? '',
              amountText: values.promise_amount ?? '',
            },
          }
        : {}),
      invoiceRefs: outcome === 'dispute' ? invoiceRefs(values.invoices) : [],
      note: values.note ?? '',
      ...(input.delivery ? { delivery: input.delivery } : {}),
    });
  } catch (error) {
    const field = isDomainError(error) ? fieldOf(error.code) : undefined;
    if (!field || !isDomainError(error)) throw error;
    return { kind: 'invalid', errors: { [field]: problem(error.code, { ...error.params }) } };
  }
}
