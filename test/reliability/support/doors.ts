import type { FakeSlack } from '../../support/fake-slack.ts';
import { lineJson, sign as lineSign } from '../../support/line-bot.ts';
import {
  type SlashCommandOptions,
  signedHeaders,
  slashCommandBody,
} from '../../support/slack-requests.ts';
import type { BotSecrets } from './secrets.ts';

// The ways into the bot under test, each as its platform uses it: Slack's signed requests,
// LINE's signed webhooks, Telegram's webhook with its secret header, the REST API with a
// bearer token. Every helper can also send what the platform would never send (a forged
// signature, no secret, a stale timestamp), which is what the hostile-input checks need.

export const SLACK_PATH = '/slack/events';
export const LINE_PATH = '/line/webhook';
export const TELEGRAM_PATH = '/telegram/webhook';

export interface SlackPostOptions {
  /** Sign with this secret (default the configured one); null sends no signature headers. */
  readonly secret?: string | null;
  /** Seconds since the epoch the request claims to be from (default now). */
  readonly timestamp?: number;
  readonly retryNum?: number;
  readonly retryReason?: string;
  readonly contentType?: string;
}

export interface SlackDoor {
  post(raw: string, options?: SlackPostOptions): Promise<Response>;
  /** An interaction (a click, a modal submitted) as Slack posts it: `payload=<JSON>`. */
  interaction(payload: object, options?: SlackPostOptions): Promise<Response>;
  /**
   * A slash command (`/credit <text>`) whose answer the fake Slack files under `responseId`;
   * the same `triggerId` makes it the same delivery again, as a Slack retry is.
   */
  command(
    text: string,
    options: Omit<SlashCommandOptions, 'text' | 'responseUrl'> & {
      readonly responseId: string;
    } & SlackPostOptions,
  ): Promise<Response>;
}

export interface LineDoor {
  /** A raw body, signed with the channel secret unless `signature` says otherwise (null: none). */
  post(raw: string, options?: { readonly signature?: string | null }): Promise<Response>;
  /** Events in one signed body, serialised as LINE does (non-ASCII as \u escapes). */
  events(...events: object[]): Promise<Response>;
}

export interface TelegramDoor {
  /** An update with the webhook secret header (another `secret`, or null for none). */
  post(
    update: unknown,
    options?: { readonly secret?: string | null; readonly body?: string },
  ): Promise<Response>;
}

export interface ApiRequest {
  readonly method?: string;
  /** A configured token's name, a raw token, or null for no Authorization header. */
  readonly token?: 'ledger' | 'reader' | { readonly raw: string } | null;
  /** JSON-encoded unless already a string. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Doors {
  readonly slack: SlackDoor;
  readonly line: LineDoor;
  readonly telegram: TelegramDoor;
  api(path: string, request?: ApiRequest): Promise<Response>;
}

export function createDoors(input: {
  readonly baseUrl: string;
  readonly secrets: BotSecrets;
  readonly fakeSlack: FakeSlack;
}): Doors {
  const { baseUrl, secrets, fakeSlack } = input;
  const slackPost: SlackDoor['post'] = (raw, o = {}) => {
    const secret = o.secret === undefined ? secrets.slackSigningSecret : o.secret;
    const signed = signedHeaders(secret ?? '', raw, {
      ...(o.timestamp !== undefined ? { timestamp: o.timestamp } : {}),
      ...(o.retryNum !== undefined ? { retryNum: o.retryNum } : {}),
      ...(o.retryReason !== undefined ? { retryReason: o.retryReason } : {}),
      ...(o.contentType !== undefined ? { contentType: o.contentType } : {}),
    });
    const headers = secret === null ? { 'content-type': signed['content-type'] ?? '' } : signed;
    return fetch(`${baseUrl}${SLACK_PATH}`, { method: 'POST', body: raw, headers });
  };
  const linePost: LineDoor['post'] = (raw, o = {}) => {
    const signature =
      o.signature === undefined ? lineSign(raw, secrets.lineChannelSecret) : o.signature;
    return fetch(`${baseUrl}${LINE_PATH}`, {
      method: 'POST',
      body: raw,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        ...(signature === null ? {} : { 'x-line-signature': signature }),
      },
    });
  };
  return {
    slack: {
      post: slackPost,
      interaction: (payload, o) =>
        slackPost(`payload=${encodeURIComponent(JSON.stringify(payload))}`, o),
      command(text, o) {
        const { responseId, secret, timestamp, retryNum, retryReason, contentType, ...fields } = o;
        const raw = slashCommandBody({
          ...fields,
          text,
          responseUrl: fakeSlack.responseUrl(responseId),
        });
        return slackPost(raw, { secret, timestamp, retryNum, retryReason, contentType });
      },
    },
    line: {
      post: linePost,
      events: (...events) => linePost(lineJson({ destination: 'Ubot0000', events })),
    },
    telegram: {
      post(update, o = {}) {
        const secret = o.secret === undefined ? secrets.telegramWebhookSecret : o.secret;
        return fetch(`${baseUrl}${TELEGRAM_PATH}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
          },
          body: o.body ?? JSON.stringify(update),
        });
      },
    },
    api(path, r = {}) {
      const token =
        r.token === undefined || r.token === 'ledger'
          ? secrets.apiTokens.ledger
          : r.token === 'reader'
            ? secrets.apiTokens.reader
            : r.token === null
              ? undefined
              : r.token.raw;
      const body =
        r.body === undefined
          ? undefined
          : typeof r.body === 'string'
            ? r.body
            : JSON.stringify(r.body);
      return fetch(`${baseUrl}/api/v1${path}`, {
        method: r.method ?? (body === undefined ? 'GET' : 'POST'),
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
          ...r.headers,
        },
        ...(body !== undefined ? { body } : {}),
      });
    },
  };
}
