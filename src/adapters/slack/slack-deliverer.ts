import { webApi } from '@slack/bolt';
import { type Deliverer, DeliveryError, type OutboxDelivery } from '../../app/outbox-ports.ts';
import type { Card, CardChart } from '../../chat/card.ts';
import { truncate } from '../../chat/card-text.ts';
import { type ChartRenderer, drawChart } from '../../chat/chart-drawing.ts';
import type { I18n } from '../../chat/i18n.ts';
import { renderMessage, type SlackMessage } from './slack-render.ts';

// The outbox's hand into Slack: posts, edits and DMs through the Web API. The worker owns
// retries, so the client given here should fail fast: `retryConfig: { retries: 0 }` (or a short
// policy) and `rejectRateLimitedCalls: true`, or a 429 stalls the client's whole queue.

export interface SlackDelivererOptions {
  readonly client: webApi.WebClient;
  readonly i18n: I18n;
  /** Without it a chart card sends nothing: the digest before it has the figures as text. */
  readonly renderChart?: ChartRenderer;
}

/** files.getUploadURLExternal refuses longer alt text (`alt_txt_too_large`). */
const ALT_TEXT_LIMIT = 1000;
const UPLOAD_TIMEOUT_MS = 30_000;

// Slack's own transient failures, answered as `ok: false` with these codes.
const TRANSIENT = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/** A web-api error as the worker reads it: retry when waiting can help, else give up. */
function deliveryError(method: string, error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  const at = `slack ${method}`;
  switch (code) {
    case webApi.ErrorCode.RateLimitedError: {
      const { retryAfter } = error as webApi.WebAPIRateLimitedError;
      return new DeliveryError(`${at}: rate limited`, { retryAfterMs: retryAfter * 1000 });
    }
    case webApi.ErrorCode.HTTPError: {
      const { statusCode } = error as webApi.WebAPIHTTPError;
      return new DeliveryError(`${at}: HTTP ${statusCode}`, { permanent: statusCode < 500 });
    }
    case webApi.ErrorCode.RequestError: {
      // Network trouble: the request may not have reached Slack.
      const { original } = error as webApi.WebAPIRequestError;
      const cause = (original.cause as { code?: unknown } | undefined)?.code;
      return new DeliveryError(`${at}: request failed (${String(cause ?? original.name)})`);
    }
    case webApi.ErrorCode.PlatformError: {
      // channel_not_found, not_in_channel, is_archived, invalid_auth, msg_too_long…: the
      // same request would be refused again.
      const slackError = (error as webApi.WebAPIPlatformError).data.error;
      return new DeliveryError(`${at}: ${slackError}`, { permanent: !TRANSIENT.has(slackError) });
    }
    default:
      return new DeliveryError(`${at}: ${error instanceof Error ? error.name : 'failed'}`);
  }
}

/** A posted message as the outbox keeps it: `<channel id>:<ts>`, what chat.update needs. */
function parseRef(ref: string): { channel: string; ts: string } {
  const cut = ref.indexOf(':');
  if (cut <= 0) throw new DeliveryError(`slack: malformed message ref`, { permanent: true });
  return { channel: ref.slice(0, cut), ts: ref.slice(cut + 1) };
}

/** The bytes to the URL files.getUploadURLExternal gave: signed, so no token goes with them. */
async function sendBytes(url: string, bytes: Uint8Array): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
  } catch (error) {
    throw new DeliveryError(`slack file upload: request failed (${(error as Error).name})`);
  }
  await response.body?.cancel();
  if (!response.ok) {
    const { status } = response;
    throw new DeliveryError(`slack file upload: HTTP ${status}`, {
      permanent: status < 500 && status !== 429,
    });
  }
}

export function createSlackDeliverer(options: SlackDelivererOptions): Deliverer<Card> {
  const { client, i18n, renderChart } = options;

  async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw deliveryError(method, error);
    }
  }

  async function post(delivery: OutboxDelivery, message: SlackMessage) {
    const result = await call('chat.postMessage', () =>
      client.chat.postMessage({ channel: delivery.channel, ...message }),
    );
    // A DM is posted to the user's id; Slack answers with the conversation's id, which
    // chat.update needs.
    const channel = result.channel ?? delivery.channel;
    return result.ts ? { ref: `${channel}:${result.ts}` } : {};
  }

  /**
   * A chart as an image in the channel, by Slack's upload flow: ask for an upload URL, send
   * the PNG there, then share the file. Nothing is shared until the last step, so a retry
   * after a failed step leaves no half-posted chart.
   */
  async function uploadChart(delivery: OutboxDelivery, chart: CardChart, draw: ChartRenderer) {
    const png = await drawChart(chart, draw);
    // The method's reference names the argument alt_txt while the SDK's typed wrapper says
    // alt_text, so the call goes through apiCall with the documented name.
    const target = (await call('files.getUploadURLExternal', () =>
      client.apiCall('files.getUploadURLExternal', {
        filename: chart.fileName,
        length: png.byteLength,
        alt_txt: truncate(chart.altText, ALT_TEXT_LIMIT),
      }),
    )) as webApi.FilesGetUploadURLExternalResponse;
    if (!target.upload_url || !target.file_id) {
      throw new DeliveryError('slack files.getUploadURLExternal: no upload URL');
    }
    await sendBytes(target.upload_url, png);
    await call('files.completeUploadExternal', () =>
      client.files.completeUploadExternal({
        files: [{ id: target.file_id as string, title: chart.title }],
        channel_id: delivery.channel,
      }),
    );
    // No ref: chat.update cannot edit a shared file, so nothing would ever use it.
    return {};
  }

  return {
    async deliver(delivery, { card, tokens }) {
      if (card.chart) {
        return renderChart && delivery.kind !== 'update'
          ? uploadChart(delivery, card.chart, renderChart)
          : {};
      }
      const { text, blocks } = renderMessage(card, { tokens, t: i18n.t(card.locale ?? 'en') });
      switch (delivery.kind) {
        case 'post':
        case 'direct':
          return post(delivery, { text, blocks });
        case 'update': {
          if (delivery.updateRefs.length === 0) {
            throw new DeliveryError('slack chat.update: the message is not posted yet');
          }
          for (const ref of delivery.updateRefs) {
            const { channel, ts } = parseRef(ref);
            await call('chat.update', () => client.chat.update({ channel, ts, text, blocks }));
          }
          return {};
        }
      }
    },
  };
}
