import { z } from 'zod';
import { isLocale, LOCALES, type Locale } from './app/locales.ts';
import { isTimeZone } from './domain/dates.ts';

// The whole configuration, parsed once from the environment. Every message names the
// variable and what it expects, because an operator reads it in a deployment log.

export const PLATFORMS = ['slack', 'line', 'telegram', 'console'] as const;
export type Platform = (typeof PLATFORMS)[number];

const optionalText = z
  .string()
  .transform((v) => v.trim())
  .pipe(z.string())
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const url = () =>
  optionalText.refine((v) => v === undefined || URL.canParse(v), {
    error: 'config.expected.url',
  });

const portNumber = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return 3000;
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || !Number.isInteger(n) || n < 1 || n > 65535) {
      ctx.addIssue({ code: 'custom', message: 'config.expected.port' });
      return z.NEVER;
    }
    return n;
  });

const locale = z
  .string()
  .optional()
  .transform((v, ctx): Locale => {
    const value = (v ?? '').trim().toLowerCase() || 'en';
    if (!isLocale(value)) {
      ctx.addIssue({
        code: 'custom',
        message: 'config.expected.locale',
        params: { choices: LOCALES.join(', ') },
      });
      return z.NEVER;
    }
    return value;
  });

const timeZone = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const value = v?.trim() || 'UTC';
    if (!isTimeZone(value)) {
      ctx.addIssue({ code: 'custom', message: 'config.expected.timezone' });
      return z.NEVER;
    }
    return value;
  });

const adapters = z
  .string()
  .optional()
  .transform((v, ctx): Platform[] | undefined => {
    if (v === undefined || v.trim() === '') return undefined;
    const names = v
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    const unknown = names.filter((n) => !(PLATFORMS as readonly string[]).includes(n));
    if (unknown.length > 0 || names.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'config.expected.adapters',
        params: { choices: PLATFORMS.join(', '), unknown: unknown.join(', ') },
      });
      return z.NEVER;
    }
    return [...new Set(names)] as Platform[];
  });

const apiTokens = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const tokens = new Map<string, string>();
    if (v === undefined || v.trim() === '') return tokens;
    for (const pair of v.split(',')) {
      const [name, token, ...rest] = pair.trim().split(':');
      if (!name || !token || rest.length > 0 || token.length < 16) {
        ctx.addIssue({ code: 'custom', message: 'config.expected.api_tokens' });
        return z.NEVER;
      }
      tokens.set(token, name);
    }
    return tokens;
  });

/** A count of at least 1, or nothing (LINE_MONTHLY_PUSH_CAP). */
const optionalCount = optionalText.transform((v, ctx) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1) {
    ctx.addIssue({ code: 'custom', message: 'config.expected.count' });
    return z.NEVER;
  }
  return n;
});

const telegramSecret = optionalText.refine(
  (v) => v === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(v),
  {
    error: 'config.expected.telegram_secret',
  },
);

export const configSchema = z.object({
  DATABASE_URL: optionalText.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    error: 'config.expected.database_url',
  }),
  DATA_DIR: optionalText.transform((v) => v ?? './data'),
  POLICY_DIR: optionalText,
  PORT: portNumber,
  PUBLIC_BASE_URL: url(),
  DEFAULT_LOCALE: locale,
  DEFAULT_TIMEZONE: timeZone,
  ADAPTERS: adapters,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: url(),
  LINE_CHANNEL_SECRET: optionalText,
  LINE_CHANNEL_ACCESS_TOKEN: optionalText,
  LINE_API_BASE_URL: url(),
  LINE_MONTHLY_PUSH_CAP: optionalCount,
  TELEGRAM_BOT_TOKEN: optionalText,
  TELEGRAM_WEBHOOK_SECRET: telegramSecret,
  TELEGRAM_API_ROOT: url(),
  API_TOKENS: apiTokens,
});

type RawConfig = z.output<typeof configSchema>;

export interface Config {
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /** Where the credit policy files are read from; undefined: the shipped `config/`. */
  readonly policyDir: string | undefined;
  readonly port: number;
  readonly publicBaseUrl: string | undefined;
  readonly defaultLocale: Locale;
  readonly defaultTimeZone: string;
  /** The adapters to run: ADAPTERS, else every platform with credentials, else the console. */
  readonly adapters: readonly Platform[];
  readonly slack: { signingSecret?: string; botToken?: string; appToken?: string; apiUrl?: string };
  readonly line: {
    channelSecret?: string;
    channelAccessToken?: string;
    apiBaseUrl?: string;
    /** Our own ceiling on LINE pushes a month, below the plan's quota. */
    monthlyPushCap?: number;
  };
  readonly telegram: { botToken?: string; webhookSecret?: string; apiRoot?: string };
  /** token → name; the name is the actor in the audit log. */
  readonly apiTokens: ReadonlyMap<string, string>;
}

/** `key` is the i18n key of what the variable expects; `params` fill it in. */
export class ConfigError extends Error {
  readonly variable: string;
  readonly key: string;
  readonly params: Readonly<Record<string, string>>;

  constructor(variable: string, key: string, params: Record<string, string> = {}) {
    super(`${variable}: ${key}`);
    this.name = 'ConfigError';
    this.variable = variable;
    this.key = key;
    this.params = params;
  }
}

function defaultAdapters(raw: RawConfig): Platform[] {
  const configured: Platform[] = [];
  if (raw.SLACK_BOT_TOKEN && (raw.SLACK_SIGNING_SECRET || raw.SLACK_APP_TOKEN))
    configured.push('slack');
  if (raw.LINE_CHANNEL_SECRET && raw.LINE_CHANNEL_ACCESS_TOKEN) configured.push('line');
  if (raw.TELEGRAM_BOT_TOKEN) configured.push('telegram');
  return configured.length > 0 ? configured : ['console'];
}

function defined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Parses the environment; throws `ConfigError` for the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    const key = issue?.message.startsWith('config.') ? issue.message : 'config.expected.text';
    const params = issue?.code === 'custom' ? (issue.params as Record<string, string>) : undefined;
    throw new ConfigError(variable, key, params ?? {});
  }
  const raw = result.data;
  const adapters = raw.ADAPTERS ?? defaultAdapters(raw);
  if (adapters.includes('slack')) {
    if (!raw.SLACK_BOT_TOKEN) {
      throw new ConfigError('SLACK_BOT_TOKEN', 'config.expected.slack_bot_token');
    }
    if (!raw.SLACK_SIGNING_SECRET && !raw.SLACK_APP_TOKEN) {
      throw new ConfigError('SLACK_SIGNING_SECRET', 'config.expected.slack_receiver');
    }
  }
  if (adapters.includes('line')) {
    if (!raw.LINE_CHANNEL_SECRET) {
      throw new ConfigError('LINE_CHANNEL_SECRET', 'config.expected.line_channel_secret');
    }
    if (!raw.LINE_CHANNEL_ACCESS_TOKEN) {
      throw new ConfigError('LINE_CHANNEL_ACCESS_TOKEN', 'config.expected.line_access_token');
    }
  }
  return {
    databaseUrl: raw.DATABASE_URL,
    dataDir: raw.DATA_DIR,
    policyDir: raw.POLICY_DIR,
    port: raw.PORT,
    publicBaseUrl: raw.PUBLIC_BASE_URL,
    defaultLocale: raw.DEFAULT_LOCALE,
    defaultTimeZone: raw.DEFAULT_TIMEZONE,
    adapters,
    slack: defined({
      signingSecret: raw.SLACK_SIGNING_SECRET,
      botToken: raw.SLACK_BOT_TOKEN,
      appToken: raw.SLACK_APP_TOKEN,
      apiUrl: raw.SLACK_API_URL,
    }),
    line: defined({
      channelSecret: raw.LINE_CHANNEL_SECRET,
      channelAccessToken: raw.LINE_CHANNEL_ACCESS_TOKEN,
      apiBaseUrl: raw.LINE_API_BASE_URL,
      monthlyPushCap: raw.LINE_MONTHLY_PUSH_CAP,
    }),
    telegram: defined({
      botToken: raw.TELEGRAM_BOT_TOKEN,
      webhookSecret: raw.TELEGRAM_WEBHOOK_SECRET,
      apiRoot: raw.TELEGRAM_API_ROOT,
    }),
    apiTokens: raw.API_TOKENS,
  };
}
