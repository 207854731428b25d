import { type Api, GrammyError, HttpError, InputFile } from 'grammy';
import { type Deliverer, DeliveryError, type OutboxDelivery } from '../../app/outbox-ports.ts';
import type { Card, CardChart } from '../../chat/card.ts';
import { type ChartRenderer, drawChart } from '../../chat/chart-drawing.ts';
import type { I18n } from '../../chat/i18n.ts';
import type { TelegramPart } from './telegram-limits.ts';
import { renderCaption, renderParts } from './telegram-render.ts';

// The outbox's hand into Telegram: posts, edits and DMs through the Bot API. The worker owns
// retries and pacing, so the Api given here has no retry of its own: a 429 comes back as
// DeliveryError with Telegram's retry_after, and the worker waits that long.

export interface TelegramDelivererOptions {
  readonly api: Api;
  readonly i18n: I18n;
  /** Without it a chart card sends nothing: the digest before it has the figures as text. */
  readonly renderChart?: ChartRenderer;
}

/** Editing a message to what it already says; the edit has nothing left to do. */
export const isNotModified = (error: unknown): boolean =>
  error instanceof GrammyError && /message is not modified/i.test(error.description);

/** A Bot API failure as the worker reads it: retry when waiting can help, else give up. */
export function deliveryError(method: string, error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const at = `telegram ${method}`;
  if (error instanceof GrammyError) {
    const retryAfter = error.parameters.retry_after;
    if (error.error_code === 429) {
      return new DeliveryError(`${at}: rate limited`, {
        ...(retryAfter !== undefined ? { retryAfterMs: retryAfter * 1000 } : {}),
      });
    }
    // 400 chat not found, 403 bot was blocked or kicked, 401 a revoked token, a group that
    // became a supergroup (migrate_to_chat_id): the same request would be refused again.
    // The description is Telegram's own short text; it never holds the token.
    return new DeliveryError(`${at}: ${error.error_code} ${error.description}`, {
      permanent: error.error_code < 500,
    });
  }
  if (error instanceof HttpError) {
    // Network trouble or a 5xx without a Bot API answer: the message may not have arrived.
    // Only the cause's name is kept: node-fetch puts the URL, and so the token, in its text.
    const cause = error.error as { code?: unknown; name?: unknown } | undefined;
    return new DeliveryError(`${at}: request failed (${String(cause?.code ?? cause?.name)})`);
  }
  return new DeliveryError(`${at}: ${error instanceof Error ? error.name : 'failed'}`);
}

/**
 * Where a posted card lives, as the outbox keeps it: `<chat id>:<message id>`, with the ids
 * of every message of a card that was split (`-1001:41,42`) so an edit reaches them all.
 */
export function parseRef(ref: string): { chatId: string; messageIds: number[] } {
  const cut = ref.lastIndexOf(':');
  const messageIds = ref
    .slice(cut + 1)
    .split(',')
    .map(Number);
  if (cut <= 0 || !messageIds.every((id) => Number.isSafeInteger(id) && id > 0)) {
    throw new DeliveryError('telegram: malformed message ref', { permanent: true });
  }
  return { chatId: ref.slice(0, cut), messageIds };
}

const HTML = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } };

export function createTelegramDeliverer(options: TelegramDelivererOptions): Deliverer<Card> {
  const { api, i18n, renderChart } = options;

  async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw deliveryError(method, error);
    }
  }

  /**
   * The parts in order. A retry after a part failed sends the card again from its start:
   * Telegram has no idempotency key, and a repeated part reads better than a missing one.
   */
  async function post(chatId: string, parts: readonly TelegramPart[]) {
    const ids: number[] = [];
    for (const part of parts) {
      const sent = await call('sendMessage', () =>
        api.sendMessage(chatId, part.text, sendOptions(part)),
      );
      ids.push(sent.message_id);
    }
    return { ref: `${chatId}:${ids.join(',')}` };
  }

  async function edit(ref: string, render: (maxParts: number) => TelegramPart[]) {
    const { chatId, messageIds } = parseRef(ref);
    // The card keeps the messages it was posted in; shortened if it grew past them.
    const parts = render(messageIds.length);
    for (const [i, messageId] of messageIds.entries()) {
      const part = parts[i];
      if (!part) {
        // The card shrank: its spare messages go (a failure leaves them, which is harmless).
        await api.deleteMessage(chatId, messageId).catch(() => undefined);
        continue;
      }
      try {
        await api.editMessageText(chatId, messageId, part.text, sendOptions(part));
      } catch (error) {
        if (!isNotModified(error)) throw deliveryError('editMessageText', error);
      }
    }
  }

  async function sendChart(chatId: string, chart: CardChart, draw: ChartRenderer) {
    const png = await drawChart(chart, draw);
    await call('sendPhoto', () =>
      api.sendPhoto(chatId, new InputFile(png, chart.fileName), {
        caption: renderCaption(chart),
        parse_mode: 'HTML',
      }),
    );
    // No ref: a picture's caption is not the card, so nothing would ever edit it.
    return {};
  }

  return {
    async deliver(delivery: OutboxDelivery, { card, tokens }) {
      if (card.chart) {
        return renderChart && delivery.kind !== 'update'
          ? sendChart(delivery.channel, card.chart, renderChart)
          : {};
      }
      const t = i18n.t(card.locale ?? 'en');
      const render = (maxParts?: number) =>
        renderParts(card, { tokens, t, ...(maxParts ? { maxParts } : {}) });
      switch (delivery.kind) {
        case 'post':
        case 'direct':
          // A private chat's id is the person's id, so a DM is a post to them.
          return post(delivery.channel, render());
        case 'update':
          for (const ref of delivery.updateRefs) await edit(ref, render);
          return {};
      }
    },
  };
}

function sendOptions(part: TelegramPart) {
  return { ...HTML, ...(part.reply_markup ? { reply_markup: part.reply_markup } : {}) };
}
