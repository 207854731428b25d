import type { Locale } from './app/locales.ts';
import { isLocale } from './app/locales.ts';
import type { Translate } from './chat/i18n.ts';
import { createI18n, type I18n } from './chat/i18n.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { isDomainError } from './domain/errors.ts';

// What main.ts and cli.ts share: reading the configuration and turning start-up failures
// into one localized line for the operator.

export const i18n: I18n = createI18n();

/** The operator's language before the configuration is known to be valid. */
function fallbackLocale(env: NodeJS.ProcessEnv): Locale {
  const value = (env.DEFAULT_LOCALE ?? '').trim().toLowerCase();
  return isLocale(value) ? value : 'en';
}

export function configOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const t = i18n.t(error.variable === 'DEFAULT_LOCALE' ? 'en' : fallbackLocale(env));
    process.stderr.write(
      `${t('config.invalid', { variable: error.variable, expected: t(error.key, error.params) })}\n`,
    );
    process.exit(1);
  }
}

/** A failure the operator can fix, as one line; undefined for anything else. */
export function describeStartupError(error: unknown, t: Translate): string | undefined {
  if (error instanceof DataDirLockedError) {
    return t('startup.data_dir_locked', {
      dir: error.dataDir,
      pid: error.pid,
      holder: error.holder,
      since: error.since,
    });
  }
  if (isDomainError(error) && error.code.startsWith('errors.policy.')) {
    return t(error.code, error.params);
  }
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '28P01' || code === '3D000') {
    return t('startup.database_unreachable', { reason: (error as Error).message });
  }
  return undefined;
}
