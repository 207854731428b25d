import type { RequestListener } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Api, Bot as GrammyBot, type Transformer } from 'grammy';
import type { Update, User } from 'grammy/types';
import type { Locale } from '../../app/locales.ts';
import type { Deliverer } from '../../app/outbox-ports.ts';
import type { Logger } from '../../app/ports.ts';
import { type Bot, type ChatCaller, localeFromTag } from '../../chat/bot.ts';
import type { Card } from '../../chat/card.ts';
import type { ChartRenderer } from '../../chat/chart-drawing.ts';
import type { I18n } from '../../chat/i18n.ts';
import { createTelegramDeliverer } from './telegram-deliverer.ts';
import { createFollowUps } from './telegram-follow-up.ts';
import {
  callerOf,
  commandMenus,
  commandName,
  commandText,
  eventIdOf,
  HANDLED_COMMANDS,
} from './telegram-parse.ts';
import { renderParts } from './telegram-render.ts';
import { createWebhookListener } from './telegram-webhook.ts';

// Telegram over grammY: commands, inline-keyboard clicks and answers to the bot's questions,
// by webhook (on the bot's HTTP server, when it has a public URL) or by long polling (when it
// has none). Clicks are answered at once, before any work; the cards come after as messages.

export interface TelegramAdapterOptions {
  readonly bot: Bot;
  readonly i18n: I18n;
  readonly logger: Logger;
  readonly botToken: string;
  /** The Bot API host, e.g. http://127.0.0.1:9000 (default Telegram's); a trailing / is dropped. */
  readonly apiRoot?: string;
  /** Webhook mode: the public URL Telegram posts to; without it the bot long-polls. */
  readonly webhookUrl?: string;
  /** Telegram sends it with every webhook call; required with `webhookUrl`. */
  readonly webhookSecret?: string;
  /** The language of the command menu for people whose language has none of its own. */
  readonly defaultLocale: Locale;
  /** Draws chart cards (the digest's aging) to send as pictures; without it they are skipped. */
  readonly renderChart?: ChartRenderer;
}

export interface TelegramAdapter {
  /** Sends the outbox's messages to Telegram (approval cards, their edits, digests, DMs). */
  readonly deliverer: Deliverer<Card>;
  /** Webhook mode: the listener for POST /telegram/webhook on the bot's one server. */
  readonly listener: RequestListener | undefined;
  /** Checks the token (getMe), sets the command menu, then the webhook or starts polling. */
  start(): Promise<void>;
  /** Stops polling and waits for the updates being answered. */
  stop(): Promise<void>;
  /** Resolves once every update taken so far has been answered. */
  idle(): Promise<void>;
}

const ALLOWED_UPDATES = ['message', 'callback_query'] as const;
/** Update ids this process remembers, so a redelivered update is answered once. */
const RECENT_UPDATES = 1000;
/** Interactive calls wait out a short 429 once; longer waits are not worth a person's time. */
const BRIEF_RETRY_S = 3;

/** A Bot API host as grammY wants it: without the trailing slash. */
export const normaliseApiRoot = (root: string) => root.replace(/\/+$/, '');

/** Waits out one short flood-control answer, as a person would wait for the reply. */
const briefRetry: Transformer = async (prev, method, payload, signal) => {
  const result = await prev(method, payload, signal);
  const wait = result.ok ? undefined : result.parameters?.retry_after;
  if (result.ok || result.error_code !== 429 || wait === undefined || wait > BRIEF_RETRY_S) {
    return result;
  }
  await sleep(wait * 1000);
  return prev(method, payload, signal);
};

export function createTelegramAdapter(options: TelegramAdapterOptions): TelegramAdapter {
  const { bot, i18n, logger } = options;
  const webhook = options.webhookUrl !== undefined;
  if (webhook && !options.webhookSecret) {
    throw new Error('Telegram webhooks need TELEGRAM_WEBHOOK_SECRET (or unset PUBLIC_BASE_URL)');
  }
  const client = options.apiRoot ? { apiRoot: normaliseApiRoot(options.apiRoot) } : {};
  // Interactive answers give up after 30 s; grammY's default is 500.
  const tg = new GrammyBot(options.botToken, { client: { ...client, timeoutSeconds: 30 } });
  tg.api.config.use(briefRetry);
  const translate = (code: string | undefined) =>
    i18n.t(localeFromTag(code) ?? options.defaultLocale);

  async function reply(chatId: number, card: Card, who: ChatCaller, replyTo?: number) {
    const tokens = await bot.actionTokens(card, who);
    const parts = renderParts(card, { tokens, t: i18n.t(card.locale ?? options.defaultLocale) });
    for (const [i, part] of parts.entries()) {
      await tg.api.sendMessage(chatId, part.text, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(part.reply_markup ? { reply_markup: part.reply_markup } : {}),
        ...(i === 0 && replyTo
          ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
          : {}),
      });
    }
  }

  const followUps = createFollowUps({
    bot,
    api: tg.api,
    botId: () => tg.botInfo.id,
    reply: (chatId, card, who) => reply(chatId, card, who),
    t: translate,
  });

  /** Answers with the card and, for a form that asks one thing, puts the question. */
  async function answer(
    chatId: number,
    from: User,
    request: ChatCaller & { text: string; actionToken?: string },
    replyTo?: number,
  ) {
    const card = await bot.handle(request);
    if (card.repeat) return;
    await reply(chatId, card, request, replyTo);
    if (card.form?.followUp) await followUps.ask(chatId, from, card.form, request);
  }

  const recent = new Set<number>();
  tg.use(async (ctx, next) => {
    const id = ctx.update.update_id;
    if (recent.has(id)) return;
    recent.add(id);
    if (recent.size > RECENT_UPDATES) recent.delete(recent.values().next().value ?? id);
    await next();
  });

  tg.command([...HANDLED_COMMANDS], async (ctx) => {
    const message = ctx.message;
    const entity = message?.entities?.[0];
    if (!message || !ctx.from || !entity) return;
    const name = commandName(message.text ?? '', entity.length);
    const who = callerOf(ctx.from, message.chat, eventIdOf(ctx.update.update_id));
    await answer(
      message.chat.id,
      ctx.from,
      { ...who, text: commandText(name, ctx.match) },
      message.message_id,
    );
  });

  tg.on('callback_query:data', async (ctx) => {
    // The client spins until the click is answered; a late answer is refused outright.
    await ctx.answerCallbackQuery().catch((error: unknown) => {
      logger.warn('telegram answerCallbackQuery failed', { error: describe(error) });
    });
    const message = ctx.callbackQuery.message;
    if (!message) return; // a button on an inline-mode message: not ours
    const who = callerOf(ctx.from, message.chat, eventIdOf(ctx.update.update_id));
    await answer(
      message.chat.id,
      ctx.from,
      { ...who, text: '', actionToken: ctx.callbackQuery.data },
      message.message_id,
    );
  });

  tg.on('message:text', async (ctx) => {
    if (await followUps.answer(ctx.message, ctx.from, ctx.update.update_id)) return;
    // In a group the bot hears only commands; in a private chat anything typed is a command.
    if (ctx.chat.type !== 'private') return;
    const text = ctx.message.text;
    const who = callerOf(ctx.from, ctx.chat, eventIdOf(ctx.update.update_id));
    await answer(ctx.chat.id, ctx.from, {
      ...who,
      text: /^[/／]/u.test(text) ? text : `/credit ${text}`,
    });
  });

  tg.catch((error) => {
    logger.error('telegram update failed', {
      updateId: error.ctx.update.update_id,
      error: describe(error.error),
    });
  });

  const inflight = new Set<Promise<void>>();
  const initialised = () => (tg.isInited() ? Promise.resolve() : tg.init());
  function take(update: Update): void {
    const work = initialised()
      .then(() => tg.handleUpdate(update))
      .catch((error: unknown) => {
        logger.error('telegram update failed', {
          updateId: update.update_id,
          error: describe(error),
        });
      })
      .finally(() => inflight.delete(work));
    inflight.add(work);
  }

  // The outbox worker retries on its own schedule, so its Api has no retry of its own.
  const outboxApi = new Api(options.botToken, client);

  return {
    deliverer: createTelegramDeliverer({
      api: outboxApi,
      i18n,
      ...(options.renderChart ? { renderChart: options.renderChart } : {}),
    }),
    listener:
      webhook && options.webhookSecret
        ? createWebhookListener({ secret: options.webhookSecret, onUpdate: take })
        : undefined,
    async start() {
      await initialised();
      await setCommandMenus();
      if (webhook && options.webhookUrl && options.webhookSecret) {
        await tg.api.setWebhook(options.webhookUrl, {
          secret_token: options.webhookSecret,
          allowed_updates: [...ALLOWED_UPDATES],
        });
        return;
      }
      await startPolling();
    },
    async stop() {
      if (tg.isRunning()) await tg.stop();
      await Promise.allSettled([...inflight]);
    },
    async idle() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
  };

  /** The menu in every language; a failure leaves the old menu, nothing else. */
  async function setCommandMenus(): Promise<void> {
    for (const menu of commandMenus(i18n, options.defaultLocale)) {
      try {
        await tg.api.setMyCommands(menu.commands, {
          ...(menu.language_code ? { language_code: menu.language_code } : {}),
        });
      } catch (error) {
        logger.warn('telegram setMyCommands failed', { error: describe(error) });
      }
    }
  }

  /** Resolves once polling runs (grammY removed any webhook first); logs if it ever stops. */
  function startPolling(): Promise<void> {
    return new Promise((resolve, reject) => {
      let started = false;
      tg.start({
        allowed_updates: [...ALLOWED_UPDATES],
        onStart: () => {
          started = true;
          resolve();
        },
      }).catch((error: unknown) => {
        if (!started) reject(error);
        else logger.error('telegram polling stopped', { error: describe(error) });
      });
    });
  }
}

/**
 * An error as a log line. grammY's own messages name the method and Telegram's answer, never
 * the URL (and so never the token) unless `sensitiveLogs` is on, which it is not here.
 */
function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
