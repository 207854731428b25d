import type { Api } from 'grammy';
import type { Message, User } from 'grammy/types';
import type { Bot, ChatCaller } from '../../chat/bot.ts';
import type { Card, CardForm } from '../../chat/card.ts';
import { truncate } from '../../chat/card-text.ts';
import {
  answerFollowUp,
  type FollowUp,
  followUpSubmission,
  retryFollowUp,
  startFollowUp,
} from '../../chat/follow-up.ts';
import type { Translate } from '../../chat/i18n.ts';
import { TELEGRAM_LIMITS as L } from './telegram-limits.ts';
import { displayName, eventIdOf } from './telegram-parse.ts';
import { renderQuestion } from './telegram-render.ts';

// Telegram has no forms. As at the console, a form that asks for one short answer (the
// reason for a rejection) is asked as a question the person answers by replying to it
// (ForceReply); the other forms show their typed grammar on the card instead.
//
// Open questions live in this process for a quarter of an hour. A reply that reaches another
// replica, or comes after a restart, is told the question closed; the card's typed command
// always works.

export const QUESTION_TTL_MS = 15 * 60_000;

/** A follow-up whose next field was asked in one message, of one person. */
interface Question extends FollowUp {
  readonly userId: number;
  readonly expiresAt: number;
}

export interface FollowUpDeps {
  readonly bot: Bot;
  readonly api: Api;
  /** The bot's own user id: only replies to its messages are answers. */
  readonly botId: () => number;
  /** Sends a card to the chat (as the adapter answers commands). */
  readonly reply: (chatId: number, card: Card, caller: ChatCaller) => Promise<void>;
  /** The language a notice is written in, from the person's Telegram language. */
  readonly t: (languageCode: string | undefined) => Translate;
  readonly now?: () => number;
}

export interface FollowUps {
  /** Asks the form's required fields of the person who asked for it, one by one. */
  ask(chatId: number, from: User, form: CardForm, caller: ChatCaller): Promise<void>;
  /** True when the message replied to a question of ours (answered, or told it closed). */
  answer(message: Message, from: User, updateId: number): Promise<boolean>;
}

export function createFollowUps(deps: FollowUpDeps): FollowUps {
  const { api, bot } = deps;
  const now = deps.now ?? Date.now;
  const open = new Map<string, Question>();
  const key = (chatId: number, messageId: number) => `${chatId}:${messageId}`;

  function sweep(): void {
    const at = now();
    for (const [k, q] of open) if (q.expiresAt <= at) open.delete(k);
  }

  async function put(chatId: number, from: User, question: Omit<Question, 'expiresAt'>) {
    const field = question.fields[0];
    if (!field) return;
    const options = (field.options ?? []).map((o) => `• ${o.value}: ${o.label}`);
    const text = renderQuestion({
      label: field.label,
      ...(field.hint || options.length > 0
        ? { hint: [field.hint, ...options].filter(Boolean).join('\n') }
        : {}),
      userId: from.id,
      name: displayName(from),
    });
    const sent = await api.sendMessage(chatId, text, {
      parse_mode: 'HTML',
      reply_markup: {
        force_reply: true,
        // Only the person mentioned is prompted, not the whole group.
        selective: true,
        ...(field.placeholder
          ? { input_field_placeholder: truncate(field.placeholder, L.placeholder) }
          : {}),
      },
    });
    sweep();
    open.set(key(chatId, sent.message_id), { ...question, expiresAt: now() + QUESTION_TTL_MS });
  }

  async function submit(chatId: number, from: User, q: Question, updateId: number) {
    const result = await bot.submit(followUpSubmission(q, eventIdOf(updateId)));
    if (result.kind === 'done') {
      if (!result.card.repeat) await deps.reply(chatId, result.card, q.caller);
      return;
    }
    const refused = q.form.fields.filter((f) => f.id in result.errors);
    const card: Card = {
      title: q.form.title,
      lines: refused.map((f) => `${f.label}: ${result.errors[f.id] ?? ''}`),
      tone: 'error',
    };
    await deps.reply(chatId, card, q.caller);
    const again = retryFollowUp(q, result.errors);
    if (again) await put(chatId, from, again);
  }

  return {
    async ask(chatId, from, form, caller) {
      const { eventId: _once, ...asker } = caller;
      await put(chatId, from, { ...startFollowUp(form, asker), userId: from.id });
    },

    async answer(message, from, updateId) {
      const replied = message.reply_to_message;
      if (!replied || replied.from?.id !== deps.botId()) return false;
      const k = key(message.chat.id, replied.message_id);
      const q = open.get(k);
      if (!q || q.expiresAt <= now()) {
        // Ours were questions when they open with the mention of whom they ask.
        const mention = replied.entities?.[0];
        const asked = mention?.type === 'text_mention';
        if (mention?.type === 'text_mention' && mention.user.id === from.id) {
          const t = deps.t(from.language_code);
          await api.sendMessage(message.chat.id, t('telegram.follow_up.expired'), {
            reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true },
          });
        }
        return asked;
      }
      // Someone else answering a question put to a colleague is not an answer.
      if (from.id !== q.userId) return true;
      open.delete(k);
      if (q.fields.length === 0) return true;
      const next = answerFollowUp(q, message.text ?? '');
      if (next.fields.length > 0) await put(message.chat.id, from, next);
      else await submit(message.chat.id, from, next, updateId);
      return true;
    },
  };
}
