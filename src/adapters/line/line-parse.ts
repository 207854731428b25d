import type { webhook } from '@line/bot-sdk';
import { commandInConversation } from '../../chat/command.ts';

// LINE's webhook, read into what the core needs: which chat, who, and whether a message is a
// command at all. In a group the bot reads every message, so only commands are answered.

export type LineChatKind = 'user' | 'group' | 'room';

/** A 1:1 chat (the user's id), a group (C…) or a multi-person room (R…). */
export interface LineChat {
  readonly kind: LineChatKind;
  readonly id: string;
}

export function chatOf(source: webhook.Source | undefined): LineChat | undefined {
  switch (source?.type) {
    case 'user':
      return source.userId ? { kind: 'user', id: source.userId } : undefined;
    case 'group':
      return { kind: 'group', id: source.groupId };
    case 'room':
      return { kind: 'room', id: source.roomId };
    default:
      return undefined;
  }
}

/** The text after a leading @mention of the bot, or undefined when it does not start so. */
function afterSelfMention(message: webhook.TextMessageContent): string | undefined {
  const mention = message.mention?.mentionees.find(
    (m) => m.index === 0 && m.type === 'user' && (m as webhook.UserMentionee).isSelf === true,
  );
  return mention ? message.text.slice(mention.length) : undefined;
}

/**
 * The command a text message asks for, or undefined for conversation. In a 1:1 chat every
 * message is meant for the bot, so the /credit prefix is optional there (as in the console);
 * in a group or room only `/credit …`, the bare command words (与信 アクメ, 記録 …) or a
 * message addressed to the bot with an @mention are.
 */
export function commandText(
  message: webhook.TextMessageContent,
  chat: LineChat,
): string | undefined {
  const addressed = afterSelfMention(message);
  const text = addressed ?? message.text;
  const command = commandInConversation(text);
  if (command !== undefined) return command;
  return chat.kind === 'user' || addressed !== undefined ? text : undefined;
}

/** Whether the message reads as a command wherever it is sent (`/credit …`, 与信 …). */
export function isCommand(message: webhook.TextMessageContent): boolean {
  return commandInConversation(afterSelfMention(message) ?? message.text) !== undefined;
}

/** The body LINE posts, or undefined when it is not one. */
export function parseCallback(raw: Buffer): webhook.CallbackRequest | undefined {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
  const events = (body as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) return undefined;
  return body as webhook.CallbackRequest;
}

/** Events this bot acts on; follow, join, unsend, stickers and the rest pass by. */
export type ActionableEvent = webhook.MessageEvent | webhook.PostbackEvent;

export function isActionable(event: webhook.Event): event is ActionableEvent {
  // The signature vouches for the sender, not the shape: an event this bot cannot read (a
  // new kind, a field missing) is passed by like any other it does not act on.
  if (typeof event !== 'object' || event === null) return false;
  // Standby: another channel (a module) owns the chat; this bot only listens.
  if (event.mode !== 'active') return false;
  if (event.type === 'postback') {
    return typeof (event as webhook.PostbackEvent).postback?.data === 'string';
  }
  const message = (event as Partial<webhook.MessageEvent>).message as
    | Partial<webhook.TextMessageContent>
    | undefined;
  return event.type === 'message' && message?.type === 'text' && typeof message.text === 'string';
}
