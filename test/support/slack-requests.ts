import { createHmac } from 'node:crypto';

// What Slack sends to a Bolt app: signed slash commands, interactivity payloads and Events API
// callbacks, shaped after Slack's documented payloads. The `…Payload` builders give the same
// objects for Socket Mode envelopes.

/** The workspace, app and bot the fake Slack pretends to be; the payload builders use the same IDs. */
export const SLACK_IDS = {
  team: 'T0001',
  teamDomain: 'acme',
  app: 'A0001',
  botUser: 'UBOT',
  bot: 'BBOT',
  verificationToken: 'verification-token',
} as const;

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

export function slackSignature(secret: string, rawBody: string, timestampSec: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSec}:${rawBody}`).digest('hex')}`;
}

export interface SignOptions {
  readonly timestamp?: number;
  readonly retryNum?: number;
  readonly retryReason?: string;
  readonly contentType?: string;
}

export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Headers Slack puts on a request. Bolt compares the content type for equality, so a form must be
 * sent as the bare `application/x-www-form-urlencoded` (with `; charset=utf-8` Bolt answers 400).
 */
export function signedHeaders(
  secret: string,
  rawBody: string,
  options: SignOptions = {},
): Record<string, string> {
  const timestamp = options.timestamp ?? nowSec();
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? (rawBody.startsWith('{') ? JSON_TYPE : FORM),
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(secret, rawBody, timestamp),
  };
  if (options.retryNum !== undefined) headers['x-slack-retry-num'] = String(options.retryNum);
  if (options.retryReason !== undefined) headers['x-slack-retry-reason'] = options.retryReason;
  return headers;
}

export interface PostSignedOptions extends SignOptions {
  readonly secret: string;
  /** Sign with a different secret, as a forged request would be. */
  readonly forgeSignature?: boolean;
}

export function postSigned(
  endpoint: string,
  rawBody: string,
  options: PostSignedOptions,
): Promise<Response> {
  const secret = options.forgeSignature ? `${options.secret}-forged` : options.secret;
  return fetch(endpoint, {
    method: 'POST',
    body: rawBody,
    headers: signedHeaders(secret, rawBody, options),
  });
}

let triggers = 0;
function triggerId(): string {
  triggers += 1;
  return `${1_700_000_000 + triggers}.${SLACK_IDS.team.slice(1)}.${triggers.toString(16).padStart(8, '0')}`;
}

function actionTs(): string {
  return `${nowSec()}.000100`;
}

const user = (id: string) => ({
  id,
  username: id.toLowerCase(),
  name: id.toLowerCase(),
  team_id: SLACK_IDS.team,
});
const team = { id: SLACK_IDS.team, domain: SLACK_IDS.teamDomain };

function formPayload(payload: object): string {
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export interface SlashCommandOptions {
  readonly text: string;
  readonly responseUrl: string;
  readonly userId?: string;
  readonly channelId?: string;
  readonly triggerId?: string;
  readonly teamId?: string;
  readonly command?: string;
}

/** The fields of a slash command, as Socket Mode delivers them (all strings). */
export function slashCommandPayload(options: SlashCommandOptions): Record<string, string> {
  const userId = options.userId ?? 'U0001';
  return {
    token: SLACK_IDS.verificationToken,
    team_id: options.teamId ?? SLACK_IDS.team,
    team_domain: SLACK_IDS.teamDomain,
    channel_id: options.channelId ?? 'C0001',
    channel_name: 'general',
    user_id: userId,
    user_name: userId.toLowerCase(),
    command: options.command ?? '/credit',
    text: options.text,
    api_app_id: SLACK_IDS.app,
    is_enterprise_install: 'false',
    response_url: options.responseUrl,
    trigger_id: options.triggerId ?? triggerId(),
  };
}

/** The raw form body of a slash command over HTTP. */
export function slashCommandBody(options: SlashCommandOptions): string {
  return new URLSearchParams(slashCommandPayload(options)).toString();
}

export interface BlockActionsOptions {
  readonly userId: string;
  readonly channelId: string;
  readonly actionId: string;
  readonly value: string;
  /** Slack sends a response_url only for clicks in messages, never in modals or the Home tab. */
  readonly responseUrl?: string;
  readonly blockId?: string;
  readonly triggerId?: string;
  readonly messageTs?: string;
  readonly isEphemeral?: boolean;
  readonly containerType?: 'message' | 'view';
  readonly viewId?: string;
  readonly viewType?: 'home' | 'modal';
}

export function blockActionsPayload(options: BlockActionsOptions): Record<string, unknown> {
  const messageTs = options.messageTs ?? '1700000000.000100';
  const inView = options.containerType === 'view';
  const viewId = options.viewId ?? 'V00000001';
  const action = {
    type: 'button',
    action_id: options.actionId,
    block_id: options.blockId ?? 'actions',
    text: { type: 'plain_text', text: options.actionId, emoji: true },
    value: options.value,
    action_ts: actionTs(),
  };
  const where = inView
    ? {
        container: { type: 'view', view_id: viewId },
        view: { id: viewId, team_id: SLACK_IDS.team, type: options.viewType ?? 'home', blocks: [] },
      }
    : {
        container: {
          type: 'message',
          message_ts: messageTs,
          channel_id: options.channelId,
          is_ephemeral: options.isEphemeral ?? false,
        },
        channel: { id: options.channelId, name: 'general' },
        // Slack leaves the message out of clicks on ephemeral messages.
        ...(options.isEphemeral
          ? {}
          : {
              message: {
                type: 'message',
                ts: messageTs,
                user: SLACK_IDS.botUser,
                bot_id: SLACK_IDS.bot,
                text: '',
                blocks: [],
              },
            }),
        response_url: options.responseUrl,
      };
  return {
    type: 'block_actions',
    user: user(options.userId),
    api_app_id: SLACK_IDS.app,
    token: SLACK_IDS.verificationToken,
    trigger_id: options.triggerId ?? triggerId(),
    team,
    enterprise: null,
    is_enterprise_install: false,
    ...where,
    state: { values: {} },
    actions: [action],
  };
}

export function blockActionsBody(options: BlockActionsOptions): string {
  return formPayload(blockActionsPayload(options));
}

export type SlackInputValue =
  | {
      type: 'static_select';
      selected_option: { text: { type: 'plain_text'; text: string }; value: string };
    }
  | { type: 'datepicker'; selected_date: string | null }
  | { type: 'plain_text_input'; value: string | null };

export const staticSelectValue = (value: string, text = value): SlackInputValue => ({
  type: 'static_select',
  selected_option: { text: { type: 'plain_text', text }, value },
});
export const datepickerValue = (date: string): SlackInputValue => ({
  type: 'datepicker',
  selected_date: date,
});
export const plainTextInputValue = (value: string): SlackInputValue => ({
  type: 'plain_text_input',
  value,
});

export interface ViewSubmissionOptions {
  readonly userId: string;
  readonly callbackId: string;
  readonly privateMetadata: string;
  /** block_id → action_id → value, as in `view.state.values`. */
  readonly values: Record<string, Record<string, SlackInputValue>>;
  readonly viewId?: string;
  readonly hash?: string;
}

export function viewSubmissionPayload(options: ViewSubmissionOptions): Record<string, unknown> {
  const viewId = options.viewId ?? 'V00000001';
  return {
    type: 'view_submission',
    team,
    user: user(options.userId),
    api_app_id: SLACK_IDS.app,
    token: SLACK_IDS.verificationToken,
    trigger_id: triggerId(),
    view: {
      id: viewId,
      team_id: SLACK_IDS.team,
      type: 'modal',
      blocks: [],
      private_metadata: options.privateMetadata,
      callback_id: options.callbackId,
      state: { values: options.values },
      hash: options.hash ?? '1700000000.abcdef01',
      title: { type: 'plain_text', text: 'creditops', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: { type: 'plain_text', text: 'Submit', emoji: true },
      previous_view_id: null,
      root_view_id: viewId,
      app_id: SLACK_IDS.app,
      external_id: '',
      app_installed_team_id: SLACK_IDS.team,
      bot_id: SLACK_IDS.bot,
    },
    response_urls: [],
    enterprise: null,
    is_enterprise_install: false,
  };
}

export function viewSubmissionBody(options: ViewSubmissionOptions): string {
  return formPayload(viewSubmissionPayload(options));
}

export interface EventCallbackOptions {
  readonly event: Record<string, unknown>;
  readonly eventId?: string;
  readonly teamId?: string;
}

let events = 0;

export function eventCallbackPayload(options: EventCallbackOptions): Record<string, unknown> {
  events += 1;
  const teamId = options.teamId ?? SLACK_IDS.team;
  return {
    token: SLACK_IDS.verificationToken,
    team_id: teamId,
    api_app_id: SLACK_IDS.app,
    event: options.event,
    type: 'event_callback',
    event_id: options.eventId ?? `Ev${String(events).padStart(8, '0')}`,
    event_time: nowSec(),
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: SLACK_IDS.botUser,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}

/** The raw JSON body of an Events API callback over HTTP. */
export function eventCallbackBody(options: EventCallbackOptions): string {
  return JSON.stringify(eventCallbackPayload(options));
}

export function appHomeOpenedEvent(userId: string): Record<string, unknown> {
  return {
    type: 'app_home_opened',
    user: userId,
    channel: `D${userId.slice(1)}`,
    tab: 'home',
    event_ts: actionTs(),
  };
}
