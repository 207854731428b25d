import type { Kysely } from 'kysely';
import type { Locale } from '../../../src/app/locales.ts';
import { createI18n } from '../../../src/chat/i18n.ts';
import type { DB } from '../../../src/db/schema.ts';
import type { Role } from '../../../src/domain/credit.ts';
import { textEvent } from '../../support/line-bot.ts';
import { blockActionsBody } from '../../support/slack-requests.ts';
import { messageUpdate, privateChat } from '../../support/telegram-bot.ts';
import { type CastMember, seedPerson } from './cast.ts';
import type { ReliabilityBot } from './harness.ts';
import type { SeedPerson } from './seed.ts';

// Many people acting at once: a crowd of members per role, each reading one language, and
// one "say" that sends a command through a given way in and resolves with the answer that
// person got back — whichever platform it came on — as text to look into.

export interface CrowdMember extends CastMember {
  readonly locale: Locale;
}

/** `n` keeps every id apart from the cast's (1–3) and from each other (10–99). */
export function crowdMember(role: Role, name: string, n: number, locale: Locale): CrowdMember {
  return {
    role,
    name,
    locale,
    slack: `UCROWD${n}`,
    line: `U${'c0de'.repeat(7)}${String(n).padStart(4, '0')}`,
    telegram: { id: 42_000 + n, firstName: name },
  };
}

export function crowdPeople(members: readonly CrowdMember[]): SeedPerson[] {
  return members.map(seedPerson);
}

/**
 * Sets each member's language, as `/credit lang` would have: the stored language wins over
 * what a platform says, on every platform alike.
 */
export async function setLocales(db: Kysely<DB>, members: readonly CrowdMember[]): Promise<void> {
  for (const m of members) {
    await db
      .updateTable('users')
      .set({ locale: m.locale })
      .where('display_name', '=', m.name)
      .execute();
  }
}

export type Way = 'slack' | 'slack-button' | 'line' | 'telegram';

const i18n = createI18n();
export const translate = (locale: Locale) => i18n.t(locale);

let said = 0;

/**
 * Sends `text` (`/credit <text>`, or for `slack-button` the button `token`) as `who` and
 * resolves once with the platform's acknowledgement, then with the answer's text.
 */
export async function say(
  bot: ReliabilityBot,
  who: CastMember,
  way: Way,
  text: string,
  options: { readonly token?: string; readonly timeoutMs?: number } = {},
): Promise<{ readonly status: number; readonly answer: Promise<string> }> {
  said += 1;
  const id = `crowd-${said}`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const { slack, line, telegram } = bot.fakes;
  if (way === 'slack' || way === 'slack-button') {
    const response =
      way === 'slack'
        ? await bot.slack.command(text, { userId: who.slack, responseId: id })
        : await bot.slack.post(
            blockActionsBody({
              userId: who.slack,
              channelId: 'DCROWD',
              actionId: 'co_act_0',
              value: options.token ?? '',
              responseUrl: slack.responseUrl(id),
              isEphemeral: true,
            }),
          );
    await response.arrayBuffer();
    return {
      status: response.status,
      answer: slack
        .waitForResponse(id, 1, timeoutMs)
        .then((r) => JSON.stringify(r.body).replace(/\\n/g, '\n')),
    };
  }
  if (way === 'line') {
    const replyToken = `rt-${id}`;
    const response = await bot.line.events(
      textEvent(`/credit ${text}`, { userId: who.line, replyToken }),
    );
    await response.arrayBuffer();
    return {
      status: response.status,
      answer: line
        .waitFor(() => line.replies().find((d) => d.to === `reply:${replyToken}`), timeoutMs)
        .then((d) => JSON.stringify(d.messages)),
    };
  }
  const update = messageUpdate({
    text: `/credit ${text}`,
    from: who.telegram,
    chat: privateChat(who.telegram),
  });
  const response = await bot.telegram.post(update);
  await response.arrayBuffer();
  const replying = () =>
    telegram
      .callsTo('sendMessage')
      .find(
        (c) =>
          String(c.args.chat_id) === String(who.telegram.id) &&
          (c.args.reply_parameters as { message_id?: number } | undefined)?.message_id ===
            update.message.message_id,
      );
  return {
    status: response.status,
    answer: telegram
      .waitFor(replying, timeoutMs, `Telegram answer to ${update.message.message_id}`)
      .then((c) => `${String(c.args.text)}\n${JSON.stringify(c.args.reply_markup ?? {})}`),
  };
}

/** The reference-bearing internal-error answer, in every language, up to its reference. */
export function internalErrorPrefixes(): string[] {
  return (['en', 'ja', 'zh'] as const).map(
    (l) => translate(l)('errors.internal', { id: '\u0000' }).split('\u0000')[0] ?? '',
  );
}
