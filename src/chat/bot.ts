import { randomUUID } from 'node:crypto';
import { logContact } from '../app/contacts.ts';
import { isLocale, type Locale } from '../app/locales.ts';
import { lookUpCustomer } from '../app/lookup.ts';
import type { CreditPolicy } from '../app/policy.ts';
import type { Clock, Identity, Logger, Store, User } from '../app/ports.ts';
import { resolveUser, setUserLocale } from '../app/users.ts';
import type { Role } from '../domain/credit.ts';
import { isDomainError } from '../domain/errors.ts';
import { type Card, messageCard } from './card.ts';
import { type Command, parseCommand } from './command.ts';
import { contactFormCard, loggedContactCard } from './contact-card.ts';
import { type CardContext, chooseCard, customerCard, noMatchCard } from './customer-card.ts';
import type { I18n, Translate } from './i18n.ts';

export interface ChatRequest {
  readonly identity: Identity;
  readonly displayName: string;
  readonly text: string;
  /** What the platform says the person reads (Slack user locale, Telegram language_code). */
  readonly platformLocale?: string;
  /** The language configured for the channel the message came from. */
  readonly channelLocale?: Locale;
  readonly defaultRole: Role;
}

export interface BotDeps {
  readonly store: Store;
  readonly policy: CreditPolicy;
  readonly clock: Clock;
  readonly i18n: I18n;
  readonly logger: Logger;
  readonly defaultLocale: Locale;
  readonly timeZone: string;
}

export interface Bot {
  handle(request: ChatRequest): Promise<Card>;
}

/** ja-JP → ja, zh-Hans-CN → zh, en-GB → en; anything else is not a choice of ours. */
export function localeFromTag(tag: string | undefined): Locale | undefined {
  const base = tag?.toLowerCase().split(/[-_]/)[0] ?? '';
  return isLocale(base) ? base : undefined;
}

function helpCard(t: Translate): Card {
  return {
    title: t('help.title'),
    lines: [
      t('help.lookup'),
      t('help.log'),
      t('help.lang'),
      t('help.help'),
      '',
      t('help.examples'),
    ],
  };
}

export function createBot(deps: BotDeps): Bot {
  const { i18n, store, logger } = deps;

  async function run(command: Command, user: User, ctx: CardContext): Promise<Card> {
    const { t } = ctx;
    switch (command.kind) {
      case 'help':
        return helpCard(t);
      case 'invalid':
        return messageCard(
          t('errors.title'),
          [t(command.code, command.params), t('help.pointer')],
          'error',
        );
      case 'unavailable':
        return messageCard(t('unavailable.title'), [
          t('unavailable.body', { command: `/credit ${command.feature}` }),
        ]);
      case 'log': {
        const logged = await logContact(deps, user, command);
        if (logged.kind === 'logged') return loggedContactCard(logged, ctx);
        if (logged.kind === 'choose') return chooseCard(logged.query, logged.candidates, ctx);
        return noMatchCard(logged.query, logged.suggestions, ctx);
      }
      case 'log_form':
        return contactFormCard(command.query, ctx);
      case 'lang': {
        if (!command.value) {
          return messageCard(t('lang.current', { language: t(`lang.name.${ctx.locale}`) }), [
            t('lang.usage'),
          ]);
        }
        const locale = await setUserLocale(store, user, command.value);
        const tt = i18n.t(locale);
        return messageCard(tt('lang.changed', { language: tt(`lang.name.${locale}`) }));
      }
      case 'lookup': {
        const result = await lookUpCustomer(deps, command.query);
        if (result.kind === 'found') return customerCard(result.customer, ctx);
        if (result.kind === 'choose') return chooseCard(result.query, result.candidates, ctx);
        return noMatchCard(result.query, result.suggestions, ctx);
      }
    }
  }

  return {
    async handle(request) {
      let locale =
        localeFromTag(request.platformLocale) ?? request.channelLocale ?? deps.defaultLocale;
      try {
        const user = await resolveUser(store, {
          identity: request.identity,
          displayName: request.displayName,
          defaultRole: request.defaultRole,
        });
        locale =
          user.locale ??
          localeFromTag(request.platformLocale) ??
          request.channelLocale ??
          deps.defaultLocale;
        const ctx: CardContext = { t: i18n.t(locale), locale, timeZone: deps.timeZone };
        return await run(parseCommand(request.text), user, ctx);
      } catch (error) {
        const t = i18n.t(locale);
        if (isDomainError(error)) {
          return messageCard(t('errors.title'), [t(error.code, error.params)], 'error');
        }
        // The user gets an id to quote; the details stay in the log.
        const correlationId = randomUUID().slice(0, 8);
        logger.error('command failed', {
          correlationId,
          platform: request.identity.platform,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
        return messageCard(
          t('errors.title'),
          [t('errors.internal', { id: correlationId })],
          'error',
        );
      }
    },
  };
}
