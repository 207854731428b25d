import type { RequestListener } from 'node:http';
import { HTTPFetchError, messagingApi, type webhook } from '@line/bot-sdk';
import type { LineQuotaUsage } from '../../app/line-quota-warnings.ts';
import type { Deliverer } from '../../app/outbox-ports.ts';
import type { Logger } from '../../app/ports.ts';
import type { Bot, ChatCaller } from '../../chat/bot.ts';
import type { Card } from '../../chat/card.ts';
import { followUpSubmission, refusalLines } from '../../chat/follow-up.ts';
import type { I18n } from '../../chat/i18n.ts';
import { createLineDeliverer, pushOnce } from './line-deliverer.ts';
import { createFormSessions } from './line-forms.ts';
import { LINE_LIMITS } from './line-limits.ts';
import {
  type ActionableEvent,
  chatOf,
  commandText,
  isActionable,
  isCommand,
  type LineChat,
} from './line-parse.ts';
import { createLinePeople } from './line-people.ts';
import {
  createPushBudget,
  describe,
  lineMessage,
  type PushBudget,
  retryKey,
} from './line-quota.ts';
import { cut, renderCard } from './line-render.ts';
import { createLineWebhook } from './line-webhook.ts';

// LINE over the Messaging API: text commands in 1:1 chats, groups and rooms, buttons as
// postbacks, cards as Flex messages. An answer goes back with the event's reply token
// (free) while it is fresh, else as a push (counted against the month's quota).

export interface LineAdapterOptions {
  readonly bot: Bot;
  readonly i18n: I18n;
  readonly logger: Logger;
  readonly channelSecret: string;
  readonly channelAccessToken: string;
  /** The API host, e.g. http://127.0.0.1:9000 (default https://api.line.me); a path is ignored. */
  readonly apiBaseUrl?: string;
  /** Our own ceiling on pushes a month (LINE_MONTHLY_PUSH_CAP). */
  readonly monthlyPushCap?: number;
  /** Told when the month's pushes reach 80 % and 100 % of the limit, to warn the admins. */
  readonly onQuotaThreshold?: (usage: LineQuotaUsage) => Promise<unknown>;
  /** The clock reply tokens age by (LINE's timestamps are real time). */
  readonly now?: () => number;
}

export interface LineAdapter {
  /** Sends the outbox's messages to LINE as pushes. */
  readonly deliverer: Deliverer<Card>;
  /** For POST /line/webhook on the bot's one server. */
  readonly listener: RequestListener;
  /** The month's pushes as LINE counts them, against LINE's quota and our cap. */
  readonly budget: PushBudget;
  /** Resolves once every event taken so far has been answered. */
  idle(): Promise<void>;
  /** Waits for the events in hand; call after the HTTP server stopped taking requests. */
  stop(): Promise<void>;
}

export const LINE_WEBHOOK_PATH = '/line/webhook';

/**
 * A reply token is good for one use within about a minute (LINE does not publish the exact
 * time). Trying a reply costs nothing, and a refused token falls back to a push, so the
 * adapter tries one for as long as the token might still be good.
 */
const REPLY_FRESH_MS = 60_000;

/** Where an answer goes: the event's reply token, else the chat by push. */
interface Target {
  readonly replyToken: string | undefined;
  readonly timestamp: number;
  readonly to: string;
  readonly eventId: string;
}

const textMessage = (text: string): messagingApi.TextMessage => ({
  type: 'text',
  text: cut(text, LINE_LIMITS.textMessage),
});

export function createLineAdapter(options: LineAdapterOptions): LineAdapter {
  const { bot, i18n, logger } = options;
  const now = options.now ?? Date.now;
  if (options.apiBaseUrl && new URL(options.apiBaseUrl).pathname.replace(/\/+$/, '') !== '') {
    // The SDK builds URLs as new URL('/v2/bot/…', base): a path on the base is dropped.
    logger.warn('LINE_API_BASE_URL: the path is ignored; LINE is called at the host root', {});
  }
  const client = new messagingApi.MessagingApiClient({
    channelAccessToken: options.channelAccessToken,
    ...(options.apiBaseUrl ? { baseURL: options.apiBaseUrl } : {}),
  });
  const budget = createPushBudget({
    client,
    logger,
    ...(options.monthlyPushCap !== undefined ? { monthlyCap: options.monthlyPushCap } : {}),
    ...(options.onQuotaThreshold ? { onThreshold: options.onQuotaThreshold } : {}),
  });
  const people = createLinePeople(client, logger);
  const forms = createFormSessions();
  const inflight = new Set<Promise<void>>();

  async function caller(chat: LineChat, userId: string, eventId: string): Promise<ChatCaller> {
    return {
      identity: { platform: 'line', externalId: userId },
      displayName: (await people.name(chat, userId)) ?? userId,
      // LINE does not say what language a chat reads: the channel's setting does, or the
      // person's own (/credit lang), else DEFAULT_LOCALE.
      channel: { platform: 'line', externalId: chat.id },
      defaultRole: 'viewer',
      eventId,
    };
  }

  async function send(target: Target, messages: messagingApi.Message[]): Promise<void> {
    const batch = messages.slice(0, LINE_LIMITS.messagesPerRequest);
    if (target.replyToken && now() - target.timestamp < REPLY_FRESH_MS) {
      try {
        await client.replyMessage({ replyToken: target.replyToken, messages: batch });
        return;
      } catch (error) {
        const expired =
          error instanceof HTTPFetchError &&
          error.status === 400 &&
          /reply token/i.test(lineMessage(error));
        if (!expired) {
          logger.error('line reply failed', { error: describe(error) });
          return;
        }
      }
    }
    try {
      // Keyed by the event: a redelivered event that also ends up here is not pushed twice.
      await pushOnce(
        {
          client,
          budget,
          to: target.to,
          messages: batch,
          key: retryKey(`creditops:event:${target.eventId}`),
        },
        true,
      );
    } catch (error) {
      logger.error('line answer not pushed', { error: describe(error) });
    }
  }

  async function answer(card: Card, who: ChatCaller, key: string, target: Target) {
    // A delivery already handled (a redelivered event) was answered the first time.
    if (card.repeat) return;
    const tokens = await bot.actionTokens(card, who);
    const messages: messagingApi.Message[] = [
      renderCard(card, { tokens, t: i18n.t(card.locale ?? 'en') }),
    ];
    if (card.form?.followUp) {
      const prompt = forms.start(key, card.form, who);
      if (prompt) messages.push(textMessage(prompt));
    }
    await send(target, messages);
  }

  /** The person's next message while a form waits for it: one field's answer. */
  async function fillForm(key: string, text: string, eventId: string, target: Target) {
    const next = forms.answer(key, text);
    if (next !== undefined) return send(target, [textMessage(next)]);
    const session = forms.pending(key);
    if (!session) return;
    const result = await bot.submit(followUpSubmission(session, eventId));
    if (result.kind === 'invalid') {
      const again = forms.retry(key, result.errors);
      if (again === undefined) forms.end(key);
      const refusal = refusalLines(session.form, result.errors).join('\n');
      return send(target, [textMessage(again ? `${refusal}\n\n${again}` : refusal)]);
    }
    forms.end(key);
    return answer(result.card, session.caller, key, target);
  }

  async function handleEvent(event: ActionableEvent): Promise<void> {
    const chat = chatOf(event.source);
    const userId = event.source?.userId;
    // Without a user id (a person who has not agreed to share it) nobody can be checked.
    if (!chat || !userId) return;
    const key = `${chat.id}:${userId}`;
    const target: Target = {
      replyToken: event.replyToken,
      timestamp: event.timestamp,
      to: chat.id,
      eventId: event.webhookEventId,
    };
    if (event.type === 'postback') {
      // A button pressed instead of answering ends the form that waited.
      forms.end(key);
      const who = await caller(chat, userId, event.webhookEventId);
      const card = await bot.handle({ ...who, text: '', actionToken: event.postback.data });
      return answer(card, who, key, target);
    }
    const message = event.message as webhook.TextMessageContent;
    if (forms.pending(key) && !isCommand(message)) {
      return fillForm(key, message.text, event.webhookEventId, target);
    }
    const text = commandText(message, chat);
    // Conversation in a group is not for the bot.
    if (text === undefined) return;
    forms.end(key);
    const who = await caller(chat, userId, event.webhookEventId);
    return answer(await bot.handle({ ...who, text }), who, key, target);
  }

  /**
   * One body's events in order (a person's messages read in the order sent). One that fails
   * is logged and the rest go on: work that runs after LINE's 200 has nobody to fail to.
   */
  async function handleAll(events: webhook.Event[]): Promise<void> {
    for (const event of events) {
      try {
        if (isActionable(event)) await handleEvent(event);
      } catch (error) {
        logger.error('line event failed', {
          type: event?.type,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
      }
    }
  }

  const listener = createLineWebhook({
    channelSecret: options.channelSecret,
    logger,
    onEvents(events) {
      const work = handleAll(events).finally(() => inflight.delete(work));
      inflight.add(work);
    },
  });

  async function idle(): Promise<void> {
    while (inflight.size > 0) await Promise.allSettled([...inflight]);
  }

  return {
    deliverer: createLineDeliverer({ client, i18n, budget }),
    listener,
    budget,
    idle,
    stop: idle,
  };
}
