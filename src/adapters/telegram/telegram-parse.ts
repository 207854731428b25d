import type { BotCommand, Chat, User } from 'grammy/types';
import { LOCALES, type Locale } from '../../app/locales.ts';
import type { ChatCaller } from '../../chat/bot.ts';
import type { I18n } from '../../chat/i18n.ts';
import { TELEGRAM_LIMITS as L } from './telegram-limits.ts';

// Telegram update → the core's words. Telegram shows a bot's commands as a menu, one word
// each, so every subcommand a person uses daily is a command of its own and reads as the
// same `/credit …` line the other platforms type.

/** The menu, in the order shown; `credit` is the whole grammar, the rest its shortcuts. */
export const TELEGRAM_COMMANDS = [
  'credit',
  'log',
  'limit',
  'phase',
  'approvals',
  'aging',
  'digest',
  'subscribe',
  'lang',
  'help',
] as const;
export type TelegramCommand = (typeof TELEGRAM_COMMANDS)[number];

/** Telegram sends /start when a person first opens the bot: they are shown the help. */
export const HANDLED_COMMANDS = [...TELEGRAM_COMMANDS, 'start'] as const;

/** `/log ACME call reached` → `/credit log ACME call reached`; `/start` → help. */
export function commandText(command: string, args: string): string {
  const name = command.toLowerCase();
  if (name === 'credit') return `/credit ${args}`.trim();
  if (name === 'start') return '/credit help';
  return `/credit ${name} ${args}`.trim();
}

/** The command's name from a message that starts with one (`/Log@creditops_bot x` → log). */
export function commandName(text: string, entityLength: number): string {
  return text.slice(1, entityLength).split('@')[0]?.toLowerCase() ?? '';
}

/** A person's name as Telegram gives it: first and last name, else the username. */
export function displayName(from: User): string {
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ').trim();
  return name || from.username || String(from.id);
}

/** Who asks, and from which chat: a group's settings (language) apply to its members. */
export function callerOf(from: User, chat: Chat, eventId: string): ChatCaller {
  return {
    identity: { platform: 'telegram', externalId: String(from.id) },
    displayName: displayName(from),
    ...(from.language_code ? { platformLocale: from.language_code } : {}),
    channel: { platform: 'telegram', externalId: String(chat.id) },
    defaultRole: 'viewer',
    eventId,
  };
}

/** The update's id as the core's delivery id: what it changes happens once. */
export const eventIdOf = (updateId: number) => `update:${updateId}`;

/** The menu in one language, every description held to what Telegram takes. */
export function commandMenu(i18n: I18n, locale: Locale): BotCommand[] {
  const t = i18n.t(locale);
  return TELEGRAM_COMMANDS.slice(0, L.commands).map((command) => ({
    command,
    description: [...t(`telegram.commands.${command}`)].slice(0, L.commandDescription).join(''),
  }));
}

/** setMyCommands calls: one per language (language_code), and the default for the rest. */
export function commandMenus(
  i18n: I18n,
  defaultLocale: Locale,
): { readonly commands: BotCommand[]; readonly language_code?: Locale }[] {
  return [
    { commands: commandMenu(i18n, defaultLocale) },
    ...LOCALES.map((locale) => ({ commands: commandMenu(i18n, locale), language_code: locale })),
  ];
}
