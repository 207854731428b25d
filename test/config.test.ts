import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe(loadConfig.name, () => {
  it('runs the console on the embedded database with nothing configured', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      databaseUrl: undefined,
      dataDir: './data',
      port: 3000,
      defaultLocale: 'en',
      defaultTimeZone: 'UTC',
      adapters: ['console'],
    });
  });

  it('turns on every platform whose credentials are set', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      TELEGRAM_BOT_TOKEN: '1:abc',
    });
    expect(config.adapters).toEqual(['slack', 'telegram']);
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '1:abc', ADAPTERS: 'console' }).adapters).toEqual([
      'console',
    ]);
  });

  it('names the Slack credential that is missing when Slack is asked for', () => {
    expect(errorOf({ ADAPTERS: 'slack' })).toMatchObject({
      variable: 'SLACK_BOT_TOKEN',
      key: 'config.expected.slack_bot_token',
    });
    expect(errorOf({ ADAPTERS: 'slack', SLACK_BOT_TOKEN: 'xoxb-1' })).toMatchObject({
      variable: 'SLACK_SIGNING_SECRET',
      key: 'config.expected.slack_receiver',
    });
    // Socket Mode needs no signing secret.
    expect(
      loadConfig({ ADAPTERS: 'slack', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })
        .adapters,
    ).toEqual(['slack']);
  });

  it('reads API tokens as name:token pairs', () => {
    const config = loadConfig({ API_TOKENS: 'erp:0123456789abcdef, bureau:fedcba9876543210' });
    expect(config.apiTokens.get('0123456789abcdef')).toBe('erp');
    expect(config.apiTokens.get('fedcba9876543210')).toBe('bureau');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', 'config.expected.port'],
    [{ PORT: '70000' }, 'PORT', 'config.expected.port'],
    [{ DEFAULT_LOCALE: 'fr' }, 'DEFAULT_LOCALE', 'config.expected.locale'],
    [{ DEFAULT_TIMEZONE: 'Mars/Olympus' }, 'DEFAULT_TIMEZONE', 'config.expected.timezone'],
    [{ ADAPTERS: 'slack,fax' }, 'ADAPTERS', 'config.expected.adapters'],
    [{ DATABASE_URL: 'mysql://db' }, 'DATABASE_URL', 'config.expected.database_url'],
    [{ SLACK_API_URL: 'not a url' }, 'SLACK_API_URL', 'config.expected.url'],
    [{ API_TOKENS: 'erp:short' }, 'API_TOKENS', 'config.expected.api_tokens'],
    [
      { TELEGRAM_WEBHOOK_SECRET: 'has spaces in it' },
      'TELEGRAM_WEBHOOK_SECRET',
      'config.expected.telegram_secret',
    ],
  ])('names the variable when %o is wrong', (env, variable, key) => {
    expect(errorOf(env)).toMatchObject({ variable, key });
  });
});
