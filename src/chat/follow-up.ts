import type { ChatCaller, FormSubmission } from './bot.ts';
import type { CardForm, CardFormField } from './card.ts';

// Platforms without forms (the console, LINE, Telegram) ask a follow-up form's required
// fields as questions, one message each, and submit when the last is answered; a refused
// submission asks the refused fields once more, then the refusal stands. The steps are the
// same everywhere; how a question is worded and where the state is kept is the adapter's.

/** A form being answered question by question; every step gives a new one. */
export interface FollowUp {
  readonly form: CardForm;
  readonly caller: ChatCaller;
  /** Still to ask; the first is the one asked next. */
  readonly fields: readonly CardFormField[];
  readonly values: Readonly<Record<string, string | undefined>>;
  /** Refused answers are asked once more, then the refusal stands. */
  readonly retried: boolean;
}

/** The form's required fields, to be asked in order. */
export function startFollowUp(form: CardForm, caller: ChatCaller): FollowUp {
  return {
    form,
    caller,
    fields: form.fields.filter((field) => !field.optional),
    values: {},
    retried: false,
  };
}

const fold = (text: string) => text.normalize('NFKC').trim().toLowerCase();

/** A select takes the option's value or its label, whichever the person typed. */
export function readAnswer(field: CardFormField, typed: string): string | undefined {
  const answer = typed.trim();
  if (answer === '') return undefined;
  if (field.kind !== 'select') return answer;
  const option = field.options?.find(
    (o) => fold(o.value) === fold(answer) || fold(o.label) === fold(answer),
  );
  return option?.value ?? answer;
}

/**
 * `typed` taken as the answer to the next field; unchanged when nothing is left to ask. What
 * an adapter keeps beside the steps (whom it asked, when it expires) is carried over.
 */
export function answerFollowUp<F extends FollowUp>(followUp: F, typed: string): F {
  const [field, ...rest] = followUp.fields;
  if (!field) return followUp;
  return {
    ...followUp,
    fields: rest,
    values: { ...followUp.values, [field.id]: readAnswer(field, typed) },
  };
}

/** After a refusal: the refused fields to ask again, or undefined once they have been. */
export function retryFollowUp<F extends FollowUp>(
  followUp: F,
  errors: Readonly<Record<string, string>>,
): F | undefined {
  if (followUp.retried) return undefined;
  return {
    ...followUp,
    fields: followUp.form.fields.filter((field) => field.id in errors),
    retried: true,
  };
}

/** What is handed to `bot.submit` once every question is answered. */
export function followUpSubmission(followUp: FollowUp, eventId?: string): FormSubmission {
  return {
    ...followUp.caller,
    ...(eventId !== undefined ? { eventId } : {}),
    formId: followUp.form.id,
    context: followUp.form.context,
    values: { ...followUp.values },
  };
}

/** A refusal as text lines, one an error, each under its field's label. */
export function refusalLines(form: CardForm, errors: Readonly<Record<string, string>>): string[] {
  return Object.entries(errors).map(([id, message]) => {
    const label = form.fields.find((field) => field.id === id)?.label;
    return `⚠ ${label ? `${label}: ` : ''}${message}`;
  });
}
