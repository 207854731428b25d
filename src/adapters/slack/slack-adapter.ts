import type { RequestListener } from 'node:http';
import { App, type Logger as BoltLogger, HTTPReceiver, LogLevel, webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Deliverer } from '../../app/outbox-ports.ts';
import type { Logger } from '../../app/ports.ts';
import type { Bot, ChatCaller } from '../../chat/bot.ts';
import type { Card, CardForm } from '../../chat/card.ts';
import type { ChartRenderer } from '../../chat/chart-drawing.ts';
import type { I18n } from '../../chat/i18n.ts';
import { createSlackDeliverer } from './slack-deliverer.ts';
import { createSlackPeople } from './slack-people.ts';
import { readModalValues, renderHome, renderMessage, renderModal } from './slack-render.ts';
import { postToResponseUrl, ResponseUrlError } from './slack-response-url.ts';

// Slack over Bolt: slash command, buttons, the contact modal and the App Home tab, by HTTP
// (Bolt's own receiver checks the signature over the raw body before anything is parsed)
// or Socket Mode. Every listener acknowledges first and answers afterwards through
// response_url or the Web API, so a slow database never shows a timeout in Slack.

export interface SlackAdapterOptions {
  readonly bot: Bot;
  readonly i18n: I18n;
  readonly logger: Logger;
  readonly botToken: string;
  /** HTTP mode: Slack signs each request with it. */
  readonly signingSecret?: string;
  /** Socket Mode (xapp-…): no public URL needed. */
  readonly appToken?: string;
  /** The Web API base, e.g. http://127.0.0.1:9000/api/ (default Slack's public API). */
  readonly apiUrl?: string;
  /** The slash command as configured in the app (default /credit). */
  readonly command?: string;
  /** Draws chart cards (the digest's aging) for upload; without it charts are not sent. */
  readonly renderChart?: ChartRenderer;
}

export interface SlackAdapter {
  readonly app: App;
  /** Sends the outbox's messages to Slack (approval cards, their updates, direct notices). */
  readonly deliverer: Deliverer<Card>;
  /** HTTP mode: the listener for POST /slack/events on the bot's one server. */
  readonly listener: RequestListener | undefined;
  /** Socket Mode connects here; HTTP mode has nothing to start. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const SLACK_EVENTS_PATH = '/slack/events';
const FORM = 'co_form';
const ACTION = /^co_act_\d+$/;

/** What the modal carries back on submit: the core's context and where to answer. */
interface FormMetadata {
  readonly formId: CardForm['id'];
  readonly context: string;
  readonly responseUrl?: string;
  readonly channel?: string;
}

const formMetadata = z.object({
  formId: z.enum(['contact', 'limit', 'phase', 'reject']),
  context: z.string(),
  responseUrl: z.string().optional(),
  channel: z.string().optional(),
});

/**
 * What the bot put in the modal's private_metadata when it opened it, or undefined when the
 * submission carries something else: a modal of an older release or a forged payload. Read
 * before anything else so such a submission is acknowledged at once, not after Bolt's 3 s.
 */
function readFormMetadata(text: string | undefined): FormMetadata | undefined {
  try {
    const parsed = formMetadata.safeParse(JSON.parse(text ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function boltLogger(logger: Logger): BoltLogger {
  // Bolt logs at warn and above only; its debug output can carry payloads.
  const text = (msg: unknown[]) =>
    msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ');
  return {
    debug: () => {},
    info: () => {},
    warn: (...msg) => logger.warn('slack', { detail: text(msg) }),
    error: (...msg) => logger.error('slack', { detail: text(msg) }),
    setLevel: () => {},
    getLevel: () => LogLevel.WARN,
    setName: () => {},
  };
}

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { bot, i18n, logger } = options;
  const socketMode = options.appToken !== undefined;
  if (!socketMode && !options.signingSecret) {
    throw new Error(
      'Slack over HTTP needs SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  const clientOptions: webApi.WebClientOptions = {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    // Interactive calls must be quick (a trigger_id lives 3 s): retry briefly, fail fast on 429.
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1_000 },
    rejectRateLimitedCalls: true,
  };
  const log = boltLogger(logger);
  const receiver =
    socketMode || !options.signingSecret
      ? undefined
      : new HTTPReceiver({
          signingSecret: options.signingSecret,
          endpoints: SLACK_EVENTS_PATH,
          logger: log,
          // 64 KB is far above any slash command or interaction payload.
          bodyLimit: 64 * 1024,
        });
  const app = new App({
    token: options.botToken,
    logger: log,
    clientOptions,
    ...(receiver
      ? { receiver }
      : {
          socketMode: true,
          appToken: options.appToken,
          installerOptions: { clientOptions },
        }),
  });
  const people = createSlackPeople(logger);
  const command = options.command ?? '/credit';

  async function caller(
    client: webApi.WebClient,
    userId: string,
    channelId: string | undefined,
    fallbackName: string | undefined,
  ): Promise<ChatCaller> {
    const person = await people.person(client, userId);
    return {
      identity: { platform: 'slack', externalId: userId },
      displayName: person.name ?? fallbackName ?? userId,
      ...(person.locale ? { platformLocale: person.locale } : {}),
      ...(channelId ? { channel: { platform: 'slack', externalId: channelId } } : {}),
      defaultRole: 'viewer',
    };
  }

  async function message(card: Card, who: ChatCaller) {
    const tokens = await bot.actionTokens(card, who);
    return renderMessage(card, { tokens, t: i18n.t(card.locale ?? 'en') });
  }

  async function openForm(
    client: webApi.WebClient,
    card: Card,
    triggerId: string,
    metadata: Omit<FormMetadata, 'context' | 'formId'>,
  ): Promise<boolean> {
    if (!card.form) return false;
    const privateMetadata = JSON.stringify({
      ...metadata,
      formId: card.form.id,
      context: card.form.context,
    });
    try {
      await client.views.open({
        trigger_id: triggerId,
        view: renderModal(card.form, { callbackId: FORM, privateMetadata }),
      });
      return true;
    } catch (error) {
      // An expired trigger (the answer took longer than 3 s): the typed form still works.
      logger.warn('slack views.open failed; answering with the typed form', {
        error: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
  }

  app.command(command, async ({ command: body, ack, client }) => {
    await ack();
    const who = await caller(client, body.user_id, body.channel_id, body.user_name);
    const card = await bot.handle({
      ...who,
      text: `/credit ${body.text}`,
      eventId: `trigger:${body.trigger_id}`,
    });
    if (card.repeat) return;
    if (
      await openForm(client, card, body.trigger_id, {
        responseUrl: body.response_url,
        channel: body.channel_id,
      })
    ) {
      return;
    }
    const shared = card.visibility === 'channel' && card.tone !== 'error';
    await postToResponseUrl(body.response_url, {
      response_type: shared ? 'in_channel' : 'ephemeral',
      ...(await message(card, who)),
    });
  });

  app.action(ACTION, async ({ ack, body, action, client }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button' || !action.value) return;
    const channelId = body.channel?.id;
    const who = await caller(client, body.user.id, channelId, body.user.name);
    const card = await bot.handle({
      ...who,
      text: '',
      actionToken: action.value,
      eventId: `trigger:${body.trigger_id}`,
    });
    if (card.repeat) return;
    const responseUrl = body.response_url;
    if (
      await openForm(client, card, body.trigger_id, {
        ...(responseUrl ? { responseUrl } : {}),
        ...(channelId ? { channel: channelId } : {}),
      })
    ) {
      return;
    }
    if (responseUrl) {
      await postToResponseUrl(responseUrl, {
        response_type: 'ephemeral',
        replace_original: false,
        ...(await message(card, who)),
      });
      return;
    }
    // A button on the Home tab has no message to answer under: show the answer in a modal.
    const home = renderHome(card, {
      tokens: await bot.actionTokens(card, who),
      t: i18n.t(card.locale ?? 'en'),
    });
    await client.views.open({
      trigger_id: body.trigger_id,
      view: {
        type: 'modal',
        title: { type: 'plain_text', text: 'creditops' },
        close: { type: 'plain_text', text: i18n.t(card.locale ?? 'en')('contact.modal.cancel') },
        blocks: home.blocks,
      },
    });
  });

  app.view(FORM, async ({ ack, body, view, client }) => {
    const metadata = readFormMetadata(view.private_metadata);
    if (!metadata) {
      // The form cannot be traced to what opened it: close it; the person runs the command again.
      logger.warn('slack form submission without readable metadata; closed it', {
        callbackId: view.callback_id,
      });
      await ack();
      return;
    }
    const who = await caller(client, body.user.id, metadata.channel, body.user.name);
    const result = await bot.submit({
      ...who,
      formId: metadata.formId,
      context: metadata.context,
      values: readModalValues(view.state.values),
      eventId: `view:${view.id}`,
    });
    if (result.kind === 'invalid') {
      await ack({ response_action: 'errors', errors: { ...result.errors } });
      return;
    }
    await ack();
    if (result.card.repeat) return;
    const answer = await message(result.card, who);
    if (metadata.responseUrl) {
      try {
        await postToResponseUrl(metadata.responseUrl, {
          response_type: 'ephemeral',
          replace_original: false,
          ...answer,
        });
        return;
      } catch (error) {
        if (!(error instanceof ResponseUrlError) || error.status === undefined) throw error;
        logger.warn('slack response_url refused the answer; sending it as a direct message', {
          status: error.status,
        });
      }
    }
    await client.chat.postMessage({ channel: body.user.id, ...answer });
  });

  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const who = await caller(client, event.user, undefined, undefined);
    const card = await bot.home(who);
    const tokens = await bot.actionTokens(card, who);
    await client.views.publish({
      user_id: event.user,
      view: renderHome(card, { tokens, t: i18n.t(card.locale ?? 'en') }),
    });
  });

  app.error(async (error) => {
    logger.error('slack listener failed', { error: error.message, code: error.code });
  });

  // The outbox worker retries on its own schedule, so its client fails fast.
  const outboxClient = new webApi.WebClient(options.botToken, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });

  return {
    app,
    deliverer: createSlackDeliverer({
      client: outboxClient,
      i18n,
      ...(options.renderChart ? { renderChart: options.renderChart } : {}),
    }),
    listener: receiver?.requestListener,
    async start() {
      if (socketMode) await app.start();
    },
    async stop() {
      if (socketMode) await app.stop();
    },
  };
}
