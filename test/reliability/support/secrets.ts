import { randomBytes, randomInt } from 'node:crypto';

// The credentials a reliability bot is configured with: fresh random values per bot, so any
// piece of one found in its logs can only have come from the configuration.

export interface BotSecrets {
  readonly slackSigningSecret: string;
  readonly slackBotToken: string;
  readonly lineChannelSecret: string;
  readonly lineAccessToken: string;
  readonly telegramBotToken: string;
  readonly telegramWebhookSecret: string;
  /** REST API tokens by the name the audit log shows for them. */
  readonly apiTokens: { readonly ledger: string; readonly reader: string };
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const base64url = (bytes: number) => randomBytes(bytes).toString('base64url');
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

/** Values shaped like the real ones (Slack's xoxb-…, Telegram's <bot id>:<35 characters>). */
export function newSecrets(): BotSecrets {
  return {
    slackSigningSecret: hex(16),
    slackBotToken: `xoxb-${digits(12)}-${digits(13)}-${base64url(18)}`,
    lineChannelSecret: hex(16),
    lineAccessToken: base64url(129),
    telegramBotToken: `${randomInt(1, 10)}${digits(9)}:AA${base64url(25).slice(0, 33)}`,
    telegramWebhookSecret: base64url(24),
    apiTokens: { ledger: base64url(24), reader: base64url(24) },
  };
}

/** API_TOKENS as an operator writes it: name:token pairs. */
export function apiTokensVariable(secrets: BotSecrets): string {
  return Object.entries(secrets.apiTokens)
    .map(([name, token]) => `${name}:${token}`)
    .join(',');
}

export interface Fragment {
  readonly secret: string;
  readonly part: 'whole' | 'first 12' | 'last 12';
  readonly text: string;
}

/**
 * What a leak would show: the whole value, or its first or last 12 characters (a token cut
 * short in a message, or its prefix logged to "identify" it).
 */
export function secretFragments(secrets: BotSecrets): Fragment[] {
  const values: [string, string][] = [
    ['SLACK_SIGNING_SECRET', secrets.slackSigningSecret],
    ['SLACK_BOT_TOKEN', secrets.slackBotToken],
    ['LINE_CHANNEL_SECRET', secrets.lineChannelSecret],
    ['LINE_CHANNEL_ACCESS_TOKEN', secrets.lineAccessToken],
    ['TELEGRAM_BOT_TOKEN', secrets.telegramBotToken],
    ['TELEGRAM_WEBHOOK_SECRET', secrets.telegramWebhookSecret],
    ...Object.entries(secrets.apiTokens).map(([name, token]): [string, string] => [
      `API_TOKENS (${name})`,
      token,
    ]),
  ];
  return values.flatMap(([secret, value]) => [
    { secret, part: 'whole' as const, text: value },
    { secret, part: 'first 12' as const, text: value.slice(0, 12) },
    { secret, part: 'last 12' as const, text: value.slice(-12) },
  ]);
}

/** The fragments found in `text`, as "SLACK_BOT_TOKEN (first 12)". */
export function leakedSecrets(text: string, secrets: BotSecrets): string[] {
  return secretFragments(secrets)
    .filter((f) => text.includes(f.text))
    .map((f) => `${f.secret} (${f.part})`);
}
