import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';
import { type Deliverer, DeliveryError, type OutboxDelivery } from '../../app/outbox-ports.ts';
import type { Card } from '../../chat/card.ts';
import type { I18n } from '../../chat/i18n.ts';
import { chatOfId, describe, lineMessage, type PushBudget, retryKey } from './line-quota.ts';
import { renderCard, renderUpdate } from './line-render.ts';

// The outbox's hand into LINE: every outbox message is a push (a reply token belongs to one
// incoming event and lives seconds). The SDK does not retry; the worker does, and each
// message carries the same X-Line-Retry-Key on every attempt, so a retry after a lost answer
// is not sent twice (LINE answers 409 to a key it already took).

export interface LineDelivererOptions {
  readonly client: messagingApi.MessagingApiClient;
  readonly i18n: I18n;
  readonly budget: PushBudget;
}

const MONTHLY_LIMIT = /monthly limit/i;

/** A LINE failure as the worker reads it: retry when waiting can help, else give up. */
export function deliveryError(what: string, error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const at = `line ${what}`;
  if (error instanceof HTTPFetchError) {
    const message = lineMessage(error);
    if (error.status === 429) {
      // The month's messages are spent: nothing changes until the next month.
      if (MONTHLY_LIMIT.test(message)) {
        return new DeliveryError(`${at}: ${message}`, { permanent: true });
      }
      const seconds = Number(error.headers.get('retry-after'));
      return new DeliveryError(`${at}: rate limited (429)`, {
        ...(Number.isFinite(seconds) && seconds > 0 ? { retryAfterMs: seconds * 1000 } : {}),
      });
    }
    // 400 (bad recipient or message), 401/403 (token revoked, bot not in the chat), 404:
    // the same request would be refused again. 5xx: LINE's own trouble.
    return new DeliveryError(`${at}: ${describe(error)}`, { permanent: error.status < 500 });
  }
  // fetch failed before an answer: the network, a timeout.
  return new DeliveryError(`${at}: request failed (${describe(error)})`);
}

/** A sent message as the outbox keeps it: `<chat id>:<message id>`. */
function parseRef(ref: string): string {
  const to = ref.split(':')[0] ?? '';
  if (to === '') throw new DeliveryError('line: malformed message ref', { permanent: true });
  return to;
}

/**
 * Pushes `messages` to `to` once: the budget is counted on the first attempt only (a retry
 * is the same message), and a 409 for the retry key means LINE took it before. Returns the
 * id of the first message sent, when LINE says.
 */
export async function pushOnce(
  input: {
    readonly client: messagingApi.MessagingApiClient;
    readonly budget: PushBudget;
    readonly to: string;
    readonly messages: messagingApi.Message[];
    readonly key: string;
  },
  firstAttempt: boolean,
): Promise<string | undefined> {
  const { client, budget, to, messages, key } = input;
  if (firstAttempt) await budget.reserve(await budget.cost(chatOfId(to)));
  try {
    const sent = await client.pushMessage({ to, messages }, key);
    return sent.sentMessages[0]?.id;
  } catch (error) {
    if (error instanceof HTTPFetchError && error.status === 409) {
      try {
        const body = JSON.parse(error.body) as { sentMessages?: { id?: string }[] };
        return body.sentMessages?.[0]?.id;
      } catch {
        return undefined;
      }
    }
    throw deliveryError('push', error);
  }
}

export function createLineDeliverer(options: LineDelivererOptions): Deliverer<Card> {
  const { client, i18n, budget } = options;
  // The seed names the row and what it says, not the attempt: every attempt shares the key,
  // and a database restored with reused ids does not collide with a key LINE still holds.
  const keyOf = (d: OutboxDelivery, part: string) =>
    retryKey(
      `creditops:outbox:${d.id}:${d.channel}:${d.kind}:${JSON.stringify(d.payload)}:${part}`,
    );

  return {
    async deliver(delivery, { card, tokens }) {
      // LINE shows images only from a public HTTPS URL, which the bot does not host; the
      // digest before a chart has its figures as text, and a push costs quota.
      if (card.chart) return {};
      const options = { tokens, t: i18n.t(card.locale ?? 'en') };
      const first = delivery.attempts <= 1;
      if (delivery.kind !== 'update') {
        const id = await pushOnce(
          {
            client,
            budget,
            to: delivery.channel,
            messages: [renderCard(card, options)],
            key: keyOf(delivery, 'post'),
          },
          first,
        );
        return { ref: `${delivery.channel}:${id ?? ''}` };
      }
      // A sent message cannot be edited: a short follow-up goes where the card was, once
      // per chat however many times the card was posted there.
      const chats = [...new Set(delivery.updateRefs.map(parseRef))];
      if (chats.length === 0) throw new DeliveryError('line: the card is not posted yet');
      for (const to of chats) {
        await pushOnce(
          {
            client,
            budget,
            to,
            messages: [renderUpdate(card, options)],
            key: keyOf(delivery, `update:${to}`),
          },
          first,
        );
      }
      return {};
    },
  };
}
