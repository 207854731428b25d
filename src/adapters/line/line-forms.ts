import type { ChatCaller } from '../../chat/bot.ts';
import type { CardForm, CardFormField } from '../../chat/card.ts';
import {
  answerFollowUp,
  type FollowUp,
  retryFollowUp,
  startFollowUp,
} from '../../chat/follow-up.ts';

// LINE has no forms. A card's form that asks to be followed up (the reason to reject) is
// answered on the person's next messages in the same chat, one field each, as the console
// does: the card has already said what to write, each field's label asks for it. Anything
// that reads as a command instead ends the form. Kept in this process for ten minutes: an
// answer that reaches another replica is read as a message of its own, and the typed
// command the card shows always works.

const TTL_MS = 10 * 60_000;
const MAX_SESSIONS = 10_000;

/** A follow-up waiting in this process, until it expires. */
export interface PendingForm extends FollowUp {
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
  retry(key: string, errors: Readonly<Record<string, string>>): string | undefined;
  end(key: string): void;
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

  /** Keeps the session's next step (it expires when the first would) and asks its next field. */
  const next = (key: string, session: PendingForm) => {
    sessions.set(key, session);
    const field = session.fields[0];
    return field ? promptFor(field) : undefined;
  };

  return {
    start(key, form, caller) {
      if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value ?? '');
      return next(key, { ...startFollowUp(form, caller), expiresAt: now() + TTL_MS });
    },
    pending: live,
    answer(key, text) {
      const session = live(key);
      if (!session || session.fields.length === 0) return undefined;
      return next(key, answerFollowUp(session, text));
    },
    retry(key, errors) {
      const session = live(key);
      const again = session && retryFollowUp(session, errors);
      return again ? next(key, again) : undefined;
    },
    end(key) {
      sessions.delete(key);
    },
  };
}
