import type { ChatCaller } from '../../chat/bot.ts';
import type { CardForm, CardFormField } from '../../chat/card.ts';

// LINE has no forms. A card's form that asks to be followed up (the reason to reject) is
// answered on the person's next messages in the same chat, one field each, as the console
// does: the card has already said what to write, each field's label asks for it. Anything
// that reads as a command instead ends the form. Kept in this process for ten minutes: an
// answer that reaches another replica is read as a message of its own, and the typed
// command the card shows always works.

const TTL_MS = 10 * 60_000;
const MAX_SESSIONS = 10_000;

export interface PendingForm {
  readonly form: CardForm;
  readonly caller: ChatCaller;
  readonly values: Record<string, string | undefined>;
  /** The fields still to ask, the next first. */
  queue: CardFormField[];
  /** A refused submission asks its fields once more, then gives up. */
  retried: boolean;
  readonly expiresAt: number;
}

export interface FormSessions {
  /** Starts the form for the person in the chat; the prompt for its first field. */
  start(key: string, form: CardForm, caller: ChatCaller): string | undefined;
  /** The form waiting for this person's answer in this chat, if any. */
  pending(key: string): PendingForm | undefined;
  /** Takes `text` as the answer to the next field; the next prompt, or undefined when complete. */
  answer(key: string, text: string): string | undefined;
  /** After a refusal: asks the refused fields again (once); their first prompt. */
  retry(key: string, fields: readonly string[]): string | undefined;
  end(key: string): void;
}

const fold = (text: string) => text.normalize('NFKC').trim().toLowerCase();

/** A select takes the option's value or its label, whichever the person typed. */
function valueFor(field: CardFormField, typed: string): string | undefined {
  const answer = typed.trim();
  if (answer === '') return undefined;
  if (field.kind !== 'select') return answer;
  const option = field.options?.find(
    (o) => fold(o.value) === fold(answer) || fold(o.label) === fold(answer),
  );
  return option?.value ?? answer;
}

/** The question for one field: its label, the hint, and a select's choices. */
export function promptFor(field: CardFormField): string {
  const choices = field.kind === 'select' ? (field.options ?? []).map((o) => `・${o.label}`) : [];
  return [field.label, ...(field.hint ? [field.hint] : []), ...choices].join('\n');
}

export function createFormSessions(now: () => number = Date.now): FormSessions {
  const sessions = new Map<string, PendingForm>();

  function live(key: string): PendingForm | undefined {
    const session = sessions.get(key);
    if (session && session.expiresAt <= now()) sessions.delete(key);
    return sessions.get(key);
  }

  const next = (session: PendingForm) => {
    const field = session.queue[0];
    return field ? promptFor(field) : undefined;
  };

  return {
    start(key, form, caller) {
      if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value ?? '');
      const session: PendingForm = {
        form,
        caller,
        values: {},
        queue: form.fields.filter((f) => !f.optional),
        retried: false,
        expiresAt: now() + TTL_MS,
      };
      sessions.set(key, session);
      return next(session);
    },
    pending: live,
    answer(key, text) {
      const session = live(key);
      const field = session?.queue.shift();
      if (!session || !field) return undefined;
      session.values[field.id] = valueFor(field, text);
      return next(session);
    },
    retry(key, fields) {
      const session = live(key);
      if (!session || session.retried) return undefined;
      session.retried = true;
      session.queue = session.form.fields.filter((f) => fields.includes(f.id));
      return next(session);
    },
    end(key) {
      sessions.delete(key);
    },
  };
}
