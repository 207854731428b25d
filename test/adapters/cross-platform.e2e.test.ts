import { PassThrough } from 'node:stream';
import type { messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleAdapter } from '../../src/adapters/console/index.ts';
import { createBot } from '../../src/chat/bot.ts';
import type { StatusColour } from '../../src/domain/credit.ts';
import { createTestCore } from '../support/bot.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type LineBot, startLineBot, textEvent } from '../support/line-bot.ts';
import { type SlackBot, startSlackBot } from '../support/slack-bot.ts';
import {
  messageUpdate,
  privateChat,
  startTelegramBot,
  type TelegramBot,
  type TelegramPerson,
} from '../support/telegram-bot.ts';

// One customer looked up on every surface, over one database: the console, Slack (the slash
// command's answer through response_url), LINE (a Flex reply) and Telegram (an HTML message).
// Each answer is read back through its platform's own structure — text columns, Block Kit
// fields and code blocks, Flex boxes, HTML tags — and what a credit desk acts on must agree
// word for word, in Japanese, chosen the way each platform lets a person choose it.

interface CustomerFacts {
  readonly name: string;
  readonly code: string;
  readonly colour: StatusColour;
  readonly status: string;
  /** The key figures as label and value, in the card's order. */
  readonly fields: readonly (readonly [string, string])[];
  readonly agingHeading: string;
  /** Per currency, each aging bucket's label and amount. */
  readonly aging: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

const COLOURS: Readonly<Record<string, StatusColour>> = {
  '🟢': 'green',
  '🟡': 'yellow',
  '🔴': 'red',
};

function colourOf(mark: string | undefined): StatusColour {
  const colour = COLOURS[mark ?? ''];
  if (!colour) throw new Error(`no status mark: ${mark}`);
  return colour;
}

function match(pattern: RegExp, text: string | undefined): RegExpExecArray {
  const found = pattern.exec(text ?? '');
  if (!found) throw new Error(`${pattern} does not match ${JSON.stringify(text)}`);
  return found;
}

/** "C0005 · サクラブッサン" → C0005. */
const codeOf = (subtitle: string | undefined) => subtitle?.split(' · ')[0] ?? '';

/**
 * A monospace table (console, Slack code block, Telegram <pre>) read back into the aging:
 * cells are at least two spaces apart, the first column is the currency, and the rows end
 * where a line no longer has a cell per column.
 */
function agingOfTextTable(lines: readonly string[]): CustomerFacts['aging'] {
  const cells = (line: string) => line.trim().split(/ {2,}/);
  const [columnLine, rule, ...rest] = lines;
  expect(rule).toMatch(/^\s*─[─ ]*$/);
  const columns = cells(columnLine ?? '');
  const aging: Record<string, Record<string, string>> = {};
  for (const line of rest) {
    const [currency = '', ...amounts] = cells(line);
    if (amounts.length !== columns.length - 1) break;
    aging[currency] = Object.fromEntries(columns.slice(1).map((c, i) => [c, amounts[i] ?? '']));
  }
  return aging;
}

/** Console: head lines, "  label  value" columns, then blank-line separated sections. */
function consoleFacts(text: string): CustomerFacts {
  const [head = '', fields = '', ...sections] = text.split('\n\n');
  const [title, subtitle, status] = head.split('\n');
  const [, mark, name = ''] = match(/^(\S+) (.+)$/u, title);
  const aging = sections.map((s) => s.split('\n')).find((lines) => /─/.test(lines[2] ?? ''));
  return {
    name,
    code: codeOf(subtitle?.trim()),
    colour: colourOf(mark),
    status: status?.trim() ?? '',
    fields: fields.split('\n').map((line) => {
      const [, label = '', value = ''] = match(/^ {2}(\S.*?) {2,}(\S.*)$/, line);
      return [label, value] as const;
    }),
    agingHeading: aging?.[0]?.trim() ?? '',
    aging: agingOfTextTable(aging?.slice(1) ?? []),
  };
}

type SlackBlock = {
  readonly type: string;
  readonly text?: { readonly text: string };
  readonly fields?: readonly { readonly text: string }[];
  readonly elements?: readonly { readonly text?: string }[];
};

/** Slack's three mrkdwn escapes undone. */
const unmrkdwn = (text: string) =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Block Kit: a header, a context of status and subtitle, field sections, a code block. */
function slackFacts(blocks: readonly SlackBlock[]): CustomerFacts {
  const [header, context] = blocks;
  expect(header?.type).toBe('header');
  expect(context?.type).toBe('context');
  const [status, subtitle] = (context?.elements ?? []).map((e) => unmrkdwn(e.text ?? ''));
  const [, mark, label = ''] = match(/^(\S+) \*(.+)\*$/u, status);
  const aging = blocks
    .filter((b) => b.type === 'section' && b.text)
    .map((b) => /^\*(.+)\*\n```\n([\s\S]*?)\n```/.exec(unmrkdwn(b.text?.text ?? '')))
    .find((found) => found !== null);
  return {
    name: header?.text?.text ?? '',
    code: codeOf(subtitle),
    colour: colourOf(mark),
    status: label,
    fields: blocks
      .flatMap((b) => b.fields ?? [])
      .map((f) => {
        const [, name = '', value = ''] = match(/^\*(.+)\*\n([\s\S]*)$/, unmrkdwn(f.text));
        return [name, value] as const;
      }),
    agingHeading: aging?.[1] ?? '',
    aging: agingOfTextTable(aging?.[2]?.split('\n') ?? []),
  };
}

type FlexComponent = messagingApi.FlexComponent;

function flexText(component: FlexComponent | undefined): string {
  if (component?.type !== 'text') throw new Error(`not a text: ${JSON.stringify(component)}`);
  return component.text ?? '';
}

function flexBox(component: FlexComponent | undefined): messagingApi.FlexBox {
  if (component?.type !== 'box') throw new Error(`not a box: ${JSON.stringify(component)}`);
  return component;
}

/** A "label | value" row of a Flex box. */
function flexPair(component: FlexComponent | undefined): readonly [string, string] {
  const [label, value] = flexBox(component).contents;
  return [flexText(label), flexText(value)];
}

/**
 * Flex: the header holds title, status and subtitle; the body holds the field rows, then
 * each section after a separator: its heading, and a wide table as one block per row.
 */
function lineFacts(message: messagingApi.Message | undefined): CustomerFacts {
  if (message?.type !== 'flex' || message.contents.type !== 'bubble') {
    throw new Error(`not a Flex bubble: ${JSON.stringify(message)}`);
  }
  const { header, body } = message.contents;
  const [title, status, subtitle] = header?.contents ?? [];
  const [, mark, label = ''] = match(/^(\S+) (.+)$/u, flexText(status));
  const parts = body?.contents ?? [];
  const separator = parts.findIndex((c) => c.type === 'separator');
  const rows: FlexComponent[] = [];
  for (const part of parts.slice(separator + 2)) {
    if (part.type !== 'box' || part.layout !== 'vertical') break;
    rows.push(part);
  }
  return {
    name: flexText(title),
    code: codeOf(flexText(subtitle)),
    colour: colourOf(mark),
    status: label,
    fields: parts.slice(0, separator).map(flexPair),
    agingHeading: flexText(parts[separator + 1]),
    aging: Object.fromEntries(
      rows.map((row) => {
        const [currency, ...buckets] = flexBox(row).contents;
        return [flexText(currency), Object.fromEntries(buckets.map(flexPair))];
      }),
    ),
  };
}

/** Telegram's HTML entities undone. */
const unhtml = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** Telegram HTML: <b>title</b>, mark <b>status</b>, <i>subtitle</i>, "<b>label</b>: value". */
function telegramFacts(html: string): CustomerFacts {
  const [title, status, subtitle, gap, ...rest] = html.split('\n');
  expect(gap).toBe('');
  const [, mark, label = ''] = match(/^(\S+) <b>(.+)<\/b>$/u, status);
  const end = rest.indexOf('');
  const aging = match(/\n<b>([^<]+)<\/b>\n<pre>([\s\S]*?)<\/pre>/, html);
  return {
    name: unhtml(match(/^<b>(.+)<\/b>$/, title)[1] ?? ''),
    code: codeOf(unhtml(match(/^<i>(.+)<\/i>$/, subtitle)[1] ?? '')),
    colour: colourOf(mark),
    status: unhtml(label),
    fields: rest.slice(0, end).map((line) => {
      const [, name = '', value = ''] = match(/^<b>([^<]+)<\/b>: (.*)$/, line);
      return [unhtml(name), unhtml(value)] as const;
    }),
    agingHeading: unhtml(aging[1] ?? ''),
    aging: agingOfTextTable(unhtml(aging[2] ?? '').split('\n')),
  };
}

let database: TestDatabase;
let slack: SlackBot;
let line: LineBot;
let telegram: TelegramBot;
const facts: Record<'console' | 'slack' | 'line' | 'telegram', CustomerFacts> = Object.create(null);

const SLACK_USER = 'U0JA000001';
const LINE_USER = 'U5a1e5000000000000000000000000ja1';
const TELEGRAM_USER: TelegramPerson = { id: 81_001, firstName: 'Hanako', languageCode: 'ja' };

/** The operator's terminal, set to Japanese as `DEFAULT_LOCALE=ja npm start` sets it. */
async function lookUpInConsole(command: string): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  const done = createConsoleAdapter({
    bot: createBot(createTestCore(database.store)),
    input,
    output,
    userName: 'operator',
    locale: 'ja',
  }).run();
  input.end(`${command}\n`);
  await done;
  return text;
}

beforeAll(async () => {
  // One ledger behind every surface, so the facts are the same rows, not equal copies.
  database = await createTestDatabase({ base: 'demo' });
  slack = await startSlackBot({ database });
  line = await startLineBot({ database });
  telegram = await startTelegramBot({ database });

  facts.console = consoleFacts(await lookUpInConsole('/credit C0005'));

  // Slack says which language the person reads (users.info with include_locale).
  slack.fake.setUser(SLACK_USER, { locale: 'ja-JP' });
  await slack.slash('C0005', { userId: SLACK_USER, responseId: 'sakura' });
  const answer = (await slack.fake.waitForResponse('sakura')).body as { blocks: SlackBlock[] };
  facts.slack = slackFacts(answer.blocks);

  // LINE does not say: the person picks the language once, in the chat.
  await line.send(textEvent('/credit lang ja', { userId: LINE_USER }));
  await line.send(textEvent('/credit C0005', { userId: LINE_USER }));
  facts.line = lineFacts(line.fake.replies().at(-1)?.messages[0]);

  // Telegram sends the app's language with every update (language_code).
  await telegram.send(
    messageUpdate({ text: '/credit C0005', from: TELEGRAM_USER, chat: privateChat(TELEGRAM_USER) }),
  );
  const sent = telegram.fake.sentTo(TELEGRAM_USER.id).map((call) => String(call.args.text));
  facts.telegram = telegramFacts(sent.join('\n'));
}, 120_000);

afterAll(async () => {
  await telegram?.close();
  await line?.close();
  await slack?.close();
  await database?.close();
});

describe('the same customer looked up in the console, Slack, LINE and Telegram', () => {
  it('shows さくら物産 red, over its limit, on watch, with most of it 91 days or more overdue', () => {
    const card = facts.console;
    expect(card).toMatchObject({
      name: '株式会社さくら物産',
      code: 'C0005',
      colour: 'red',
      agingHeading: '売掛金エイジング（2026/11/23時点）',
      aging: {
        JPY: {
          期日未到来: '￥326,300',
          '1〜30日': '￥6,000,000',
          '31〜60日': '￥7,606,000',
          '61〜90日': '￥1,467,300',
          '91日以上': '￥20,673,000',
        },
      },
    });
    expect(card.status).toMatch(/^赤（.*与信限度額超過.*）$/);
    expect(Object.fromEntries(card.fields)).toMatchObject({
      与信限度額: '￥20,000,000',
      与信残高: '￥36,072,600',
      限度額使用率: '180.4%',
      与信フェーズ: '問題案件管理',
      担当者: '佐藤 花子',
    });
    // The buckets are the exposure, split by age.
    const yen = (amount: string) => Number(amount.replace(/[^0-9]/g, ''));
    const buckets = Object.values(card.aging.JPY ?? {}).map(yen);
    expect(buckets.reduce((a, b) => a + b, 0)).toBe(36_072_600);
  });

  it.each(['slack', 'line', 'telegram'] as const)(
    'finds in %s the same facts as in the console, word for word',
    (platform) => {
      expect(facts[platform]).toEqual(facts.console);
    },
  );
});
