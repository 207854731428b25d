import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { issueActionTokens, redeemActionToken } from '../app/action-tokens.ts';
import { logContactForm, prepareContactForm } from '../app/contact-form.ts';
import { type Delivery, logContact } from '../app/contacts.ts';
import { createDigestShare } from '../app/digest-share.ts';
import { homeOverview } from '../app/home.ts';
import { isLocale, type Locale } from '../app/locales.ts';
import { lookUpCustomer } from '../app/lookup.ts';
import type { OutboxDelivery, RenderedOutboxCard } from '../app/outbox-ports.ts';
import { authorize, type Capability, can } from '../app/permissions.ts';
import type { CreditPolicy } from '../app/policy.ts';
import type { Clock, Identity, Logger, Store, User } from '../app/ports.ts';
import { isDatabaseUnavailable } from '../app/unavailable.ts';
import { identityText, resolveUser, setUserLocale } from '../app/users.ts';
import { ROLES, type Role } from '../domain/credit.ts';
import { isDomainError } from '../domain/errors.ts';
import { adminUsersCard } from './admin-card.ts';
import { runApprovalCommand, submitApprovalForm } from './approval-flow.ts';
import { type Card, type CardForm, messageCard } from './card.ts';
import { type Command, parseCommand } from './command.ts';
import { contactFormCard, loggedContactCard } from './contact-card.ts';
import { type CardContext, chooseCard, customerCard, noMatchCard } from './customer-card.ts';
import { runDigestCommand } from './digest-flow.ts';
import { homeCard } from './home-card.ts';
import type { I18n, Translate } from './i18n.ts';
import { outboxCard } from './outbox-cards.ts';
import { subscriptionCard } from './subscription-card.ts';

/** Who is asking, and where: what every request from a platform carries. */
export interface ChatCaller {
  readonly identity: Identity;
  readonly displayName: string;
  /** What the platform says the person reads (Slack user locale, Telegram language_code). */
  readonly platformLocale?: string;
  /** The language configured for the channel the message came from, when the adapter knows it. */
  readonly channelLocale?: Locale;
  /** The conversation the request came from; its settings (language) are looked up. */
  readonly channel?: Identity;
  readonly defaultRole: Role;
  /**
   * The platform's id of this delivery (Slack trigger or view, LINE webhookEventId, Telegram
   * update_id): what it changes happens once however often the platform delivers it.
   */
  readonly eventId?: string;
}

export interface ChatRequest extends ChatCaller {
  readonly text: string;
  /** A clicked button's token: the command it stands for replaces `text`. */
  readonly actionToken?: string;
}

export interface FormSubmission extends ChatCaller {
  readonly formId: CardForm['id'];
  readonly context: string;
  readonly values: Readonly<Record<string, string | undefined>>;
}

export type FormResult =
  | { readonly kind: 'invalid'; readonly errors: Readonly<Record<string, string>> }
  | { readonly kind: 'done'; readonly card: Card };

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
  /** A form the person filled in (a Slack modal): per-field errors, or the answer. */
  submit(submission: FormSubmission): Promise<FormResult>;
  /** The person's own desk (Slack's App Home): their customers in trouble, promises, requests. */
  home(caller: ChatCaller): Promise<Card>;
  /** An outbox message as a card with its button tokens (the worker's render callback). */
  outbox(delivery: OutboxDelivery): Promise<RenderedOutboxCard<Card> | undefined>;
  /** Opaque tokens for the card's buttons, in order, for platforms whose buttons carry data. */
  actionTokens(card: Card, caller: ChatCaller): Promise<string[]>;
  /**
   * Resolves once no command is being answered or waiting its turn — true — or after
   * `withinMs` with some still under way — false. A stopping process waits for this before it
   * closes the database.
   */
  settled(withinMs?: number): Promise<boolean>;
}

/** ja-JP → ja, zh-Hans-CN → zh, en-GB → en; anything else is not a choice of ours. */
export function localeFromTag(tag: string | undefined): Locale | undefined {
  const base = tag?.toLowerCase().split(/[-_]/)[0] ?? '';
  return isLocale(base) ? base : undefined;
}

/** Help lines in the order shown, each with the capability its command needs. */
const HELP_LINES: readonly (readonly [Capability, string])[] = [
  ['lookup', 'help.lookup'],
  ['share', 'help.share'],
  ['log', 'help.log'],
  ['limit', 'approval.help.limit'],
  ['phase', 'approval.help.phase'],
  ['approvals', 'approval.help.approvals'],
  ['aging', 'help.aging'],
  ['digest', 'help.digest'],
  ['my_digest', 'help.my_digest'],
  ['subscribe', 'help.subscribe'],
  ['admin_users', 'help.admin_users'],
  ['lang', 'help.lang'],
  ['help', 'help.help'],
];

/** Only the commands the caller's role may run: help that offers a refusal misleads. */
function helpCard(t: Translate, role: Role): Card {
  return {
    title: t('help.title'),
    lines: [
      ...HELP_LINES.filter(([capability]) => can(role, capability)).map(([, key]) => t(key)),
      '',
      t('help.examples'),
    ],
  };
}

/** What each command needs; who has it is the policy's decision (`app/permissions.ts`). */
function capabilityOf(command: Command): Capability | undefined {
  switch (command.kind) {
    case 'invalid':
      return undefined;
    case 'log_form':
      return 'log';
    case 'limit_request':
    case 'limit_form':
      return 'limit';
    case 'phase_request':
    case 'phase_form':
      return 'phase';
    case 'approve':
    case 'reject':
    case 'approvals_list':
      return 'approvals';
    case 'unsubscribe':
      return 'subscribe';
    case 'digest_me':
    case 'digest_me_off':
      return 'my_digest';
    case 'cancel_request':
      // Only the requester (or an admin) may withdraw; the use case checks it.
      return undefined;
    default:
      return command.kind;
  }
}

/** A role named in a refusal is shown by its name in the reader's language. */
function localParams(t: Translate, params: Readonly<Record<string, string | number>>) {
  const role = ROLES.find((r) => r === params.role);
  return role ? { ...params, role: t(`roles.${role}`) } : params;
}

/** The answer to a delivery that was already handled; adapters drop it. */
function repeatCard(t: Translate): Card {
  return { ...messageCard(t('delivery.repeat')), repeat: true };
}

const logCommand = (code: string) => `/credit log ${code}`;
const shareCommand = (code: string) => `/credit share ${code}`;

/**
 * Commands answered at the same time by one process; the rest queue in arrival order. Above
 * the database pool's ten connections the answers would only share them, below a few a slow
 * round trip would leave the cores idle.
 */
const ANSWERS_AT_ONCE = 8;
/** How long a stopping process waits for the answers under way by default. */
const SETTLE_MS = 20_000;

export function createBot(deps: BotDeps): Bot {
  const { i18n, store, logger } = deps;
  // The outbox renders the morning's digests one after another: they read the portfolio once
  // per round. A preview asked for in chat reads it afresh.
  const outboxDeps = { ...deps, digestShare: createDigestShare() };
  // Who each answer was made for, so the tokens of its buttons name them without reading the
  // user again while the answer is rendered.
  const answeredTo = new WeakMap<Card, { readonly identity: string; readonly user: User }>();
  const answer = (card: Card, caller: ChatCaller, user: User): Card => {
    answeredTo.set(card, { identity: identityText(caller.identity), user });
    return card;
  };

  function delivery(caller: ChatCaller): Delivery | undefined {
    return caller.eventId
      ? { platform: caller.identity.platform, eventId: caller.eventId }
      : undefined;
  }

  async function run(
    command: Command,
    user: User,
    ctx: CardContext,
    caller: ChatCaller,
  ): Promise<Card> {
    const { t } = ctx;
    const capability = capabilityOf(command);
    if (capability) authorize(user, capability);
    switch (command.kind) {
      case 'help':
        return helpCard(t, user.role);
      case 'admin_users':
        return adminUsersCard(store, user, command, ctx);
      case 'subscribe':
      case 'unsubscribe':
        return subscriptionCard(deps, user, command, { channel: caller.channel, ctx });
      case 'invalid':
        return messageCard(
          t('errors.title'),
          [t(command.code, command.params), t('help.pointer')],
          'error',
        );
      case 'aging':
      case 'digest':
      case 'digest_me':
      case 'digest_me_off':
        return runDigestCommand(deps, user, command, {
          identity: caller.identity,
          channel: caller.channel,
          ctx,
        });
      case 'log': {
        const where = delivery(caller);
        const logged = await logContact(deps, user, {
          ...command,
          ...(where ? { delivery: where } : {}),
        });
        if (logged.kind === 'logged') return loggedContactCard(logged, ctx);
        if (logged.kind === 'repeat') return repeatCard(t);
        if (logged.kind === 'choose') return chooseCard(logged.query, logged.candidates, ctx);
        return noMatchCard(logged.query, logged.suggestions, ctx);
      }
      case 'log_form': {
        const target = await prepareContactForm(deps, user, command.query);
        if (target.kind === 'form') return contactFormCard(target.customer, ctx);
        if (target.kind === 'choose') {
          return chooseCard(target.query, target.candidates, ctx, logCommand);
        }
        return noMatchCard(target.query, target.suggestions, ctx, logCommand);
      }
      case 'lang': {
        if (!command.value) {
          return messageCard(t('lang.current', { language: t(`lang.name.${ctx.locale}`) }), [
            t('lang.usage'),
          ]);
        }
        const locale = await setUserLocale(store, user, command.value);
        const tt = i18n.t(locale);
        return {
          ...messageCard(tt('lang.changed', { language: tt(`lang.name.${locale}`) })),
          locale,
        };
      }
      case 'limit_request':
      case 'limit_form':
      case 'phase_request':
      case 'phase_form':
      case 'approve':
      case 'reject':
      case 'cancel_request':
      case 'approvals_list':
        return runApprovalCommand(deps, command, user, ctx, delivery(caller));
      case 'lookup':
      case 'share': {
        const result = await lookUpCustomer(deps, command.query);
        const pick = command.kind === 'share' ? shareCommand : undefined;
        if (result.kind === 'found') {
          const card = customerCard(result.customer, ctx);
          return command.kind === 'share' ? { ...card, visibility: 'channel' } : card;
        }
        if (result.kind === 'choose') return chooseCard(result.query, result.candidates, ctx, pick);
        return noMatchCard(result.query, result.suggestions, ctx, pick);
      }
    }
  }

  /** The user behind the caller and the language to answer in. */
  async function session(caller: ChatCaller): Promise<{ user: User; ctx: CardContext }> {
    const user = await resolveUser(store, {
      identity: caller.identity,
      displayName: caller.displayName,
      defaultRole: caller.defaultRole,
    });
    const chosen = user.locale ?? localeFromTag(caller.platformLocale) ?? caller.channelLocale;
    // The channel's settings only count when the person has no language of their own.
    const channel =
      chosen === undefined && caller.channel
        ? await store.channels.settings(caller.channel)
        : undefined;
    const locale = chosen ?? channel?.locale ?? deps.defaultLocale;
    return { user, ctx: { t: i18n.t(locale), locale, timeZone: deps.timeZone } };
  }

  /** Refusals users can cause come back in their words; anything else is logged with an id. */
  function failure(error: unknown, caller: ChatCaller, locale: Locale): Card {
    const t = i18n.t(locale);
    if (isDomainError(error)) {
      return messageCard(t('errors.title'), [t(error.code, localParams(t, error.params))], 'error');
    }
    const correlationId = randomUUID().slice(0, 8);
    if (isDatabaseUnavailable(error)) {
      // Not a fault to chase: the database is restarting or out of reach for a moment.
      logger.warn('command failed: database unavailable', {
        correlationId,
        platform: caller.identity.platform,
        error: error instanceof Error ? error.message : String(error),
      });
      return messageCard(t('errors.title'), [t('errors.unavailable')], 'error');
    }
    logger.error('command failed', {
      correlationId,
      platform: caller.identity.platform,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    return messageCard(t('errors.title'), [t('errors.internal', { id: correlationId })], 'error');
  }

  const firstLocale = (caller: ChatCaller) =>
    localeFromTag(caller.platformLocale) ?? caller.channelLocale ?? deps.defaultLocale;

  async function handleNow(request: ChatRequest): Promise<Card> {
    let locale = firstLocale(request);
    try {
      const { user, ctx } = await session(request);
      locale = ctx.locale;
      const text = request.actionToken
        ? await redeemActionToken(store, request.actionToken, deps.clock.now())
        : request.text;
      return answer(
        { locale, ...(await run(parseCommand(text), user, ctx, request)) },
        request,
        user,
      );
    } catch (error) {
      return { ...failure(error, request, locale), locale };
    }
  }

  // Commands are answered in the order they came, a few at once. Each answer takes several
  // round trips; with every request in a burst started at once they would all share the
  // database and all finish late together, while taking them in turn answers the first ones at
  // once and lets the rest wait their turn (docs/reliability.md, "Load").
  const inTurn = pLimit(ANSWERS_AT_ONCE);

  const methods: Omit<Bot, 'settled'> = {
    handle: (request) => inTurn(() => handleNow(request)),

    async submit(submission) {
      let locale = firstLocale(submission);
      try {
        const { user, ctx } = await session(submission);
        locale = ctx.locale;
        const where = delivery(submission);
        if (submission.formId !== 'contact') {
          const answer = await submitApprovalForm(
            deps,
            { ...submission, formId: submission.formId },
            user,
            ctx,
            where,
          );
          return answer.kind === 'done' ? { ...answer, card: { locale, ...answer.card } } : answer;
        }
        const result = await logContactForm(deps, user, {
          customer: submission.context,
          values: submission.values,
          ...(where ? { delivery: where } : {}),
        });
        switch (result.kind) {
          case 'invalid': {
            const errors: Record<string, string> = {};
            for (const [field, problem] of Object.entries(result.errors)) {
              if (problem) errors[field] = ctx.t(problem.code, problem.params);
            }
            return { kind: 'invalid', errors };
          }
          case 'logged':
            return { kind: 'done', card: { ...loggedContactCard(result, ctx), locale } };
          case 'repeat':
            return { kind: 'done', card: repeatCard(ctx.t) };
          case 'choose':
            return {
              kind: 'done',
              card: chooseCard(result.query, result.candidates, ctx, logCommand),
            };
          case 'none':
            return {
              kind: 'done',
              card: noMatchCard(result.query, result.suggestions, ctx, logCommand),
            };
        }
      } catch (error) {
        return { kind: 'done', card: { ...failure(error, submission, locale), locale } };
      }
    },

    async home(caller) {
      let locale = firstLocale(caller);
      try {
        const { user, ctx } = await session(caller);
        locale = ctx.locale;
        return answer(
          { ...homeCard(await homeOverview(deps, user), user, ctx), locale },
          caller,
          user,
        );
      } catch (error) {
        return { ...failure(error, caller, locale), locale };
      }
    },

    async outbox(message) {
      const card = await outboxCard(outboxDeps, message);
      if (!card) return undefined;
      const commands = (card.actions ?? []).map((action) => action.command);
      const tokens =
        commands.length === 0
          ? []
          : await issueActionTokens(store, undefined, commands, deps.clock.now());
      return { card, tokens };
    },

    async actionTokens(card, caller) {
      const commands = (card.actions ?? []).map((action) => action.command);
      if (commands.length === 0) return [];
      const known = answeredTo.get(card);
      const user =
        known?.identity === identityText(caller.identity)
          ? known.user
          : await store.users.findByIdentity(caller.identity);
      return issueActionTokens(store, user, commands, deps.clock.now());
    },
  };

  // What a person is waiting for: a stopping process finishes it before the database goes.
  let answering = 0;
  const counted =
    <A extends unknown[], R>(work: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      answering += 1;
      try {
        return await work(...args);
      } finally {
        answering -= 1;
      }
    };
  return {
    handle: counted(methods.handle),
    submit: counted(methods.submit),
    home: counted(methods.home),
    actionTokens: counted(methods.actionTokens),
    outbox: methods.outbox,
    async settled(withinMs = SETTLE_MS) {
      const until = Date.now() + withinMs;
      // Twice idle a tick apart: an answer's button tokens are asked for right after it.
      let idleChecks = 0;
      while (idleChecks < 2 && Date.now() < until) {
        idleChecks = answering === 0 ? idleChecks + 1 : 0;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return answering === 0;
    },
  };
}
