import type { webhook } from '@line/bot-sdk';
import { describe, expect, it } from 'vitest';
import {
  chatOf,
  commandText,
  isActionable,
  type LineChat,
} from '../../../src/adapters/line/line-parse.ts';
import { chatOfId, retryKey } from '../../../src/adapters/line/line-quota.ts';

// What the bot takes for a command on LINE: everything in a 1:1 chat, only commands in a group.

const direct: LineChat = { kind: 'user', id: 'U1' };
const group: LineChat = { kind: 'group', id: 'C1' };

const message = (text: string, mention?: webhook.Mention): webhook.TextMessageContent => ({
  type: 'text',
  id: '1',
  quoteToken: 'q',
  text,
  ...(mention ? { mention } : {}),
});

describe(commandText.name, () => {
  it.each([
    ['/credit アクメ', '/credit アクメ'],
    ['／与信 アクメ', '／与信 アクメ'],
    ['与信 アクメ', '/credit アクメ'],
    ['信用 艾克美', '/credit 艾克美'],
    ['Credit acme', '/credit acme'],
    ['与信', '/credit'],
    ['記録 アクメ 電話 話した 来週入金予定', '/credit 記録 アクメ 電話 話した 来週入金予定'],
    ['承認 12', '/credit 承認 12'],
    ['稟議', '/credit 稟議'],
    ['记录 华信 电话 联系上', '/credit 记录 华信 电话 联系上'],
  ])('reads %s in a group as %s', (text, command) => {
    expect(commandText(message(text), group)).toBe(command);
  });

  it.each([
    '今日のランチどうする？',
    '取消 明日の会議',
    'log the call later',
    'help me with lunch',
    '/weather tokyo',
    'アクメの件、どうなった？',
  ])('leaves %s in a group alone', (text) => {
    expect(commandText(message(text), group)).toBeUndefined();
  });

  it('takes anything in a 1:1 chat, the prefix being optional there', () => {
    expect(commandText(message('アクメ'), direct)).toBe('アクメ');
    expect(commandText(message('与信 アクメ'), direct)).toBe('/credit アクメ');
  });

  it('takes a group message that starts by mentioning the bot', () => {
    const mention: webhook.Mention = {
      mentionees: [{ type: 'user', index: 0, length: 10, isSelf: true } as webhook.UserMentionee],
    };
    expect(commandText(message('@creditops アクメ', mention), group)?.trim()).toBe('アクメ');
    const other: webhook.Mention = {
      mentionees: [{ type: 'user', index: 0, length: 6, userId: 'U2' } as webhook.UserMentionee],
    };
    expect(commandText(message('@Aiko アクメは？', other), group)).toBeUndefined();
  });
});

describe(chatOf.name, () => {
  it('names the chat an event came from', () => {
    expect(chatOf({ type: 'user', userId: 'U1' })).toEqual({ kind: 'user', id: 'U1' });
    expect(chatOf({ type: 'group', groupId: 'C1', userId: 'U1' })).toEqual(group);
    expect(chatOf({ type: 'room', roomId: 'R1', userId: 'U1' })).toEqual({
      kind: 'room',
      id: 'R1',
    });
    expect(chatOfId('R1')).toEqual({ kind: 'room', id: 'R1' });
  });
});

describe(retryKey.name, () => {
  it('is a UUID that depends on the seed only', () => {
    const key = retryKey('creditops:outbox:1');
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(retryKey('creditops:outbox:1')).toBe(key);
    expect(retryKey('creditops:outbox:2')).not.toBe(key);
  });
});

describe(isActionable.name, () => {
  const text = {
    type: 'message',
    mode: 'active',
    source: { type: 'user', userId: 'U1' },
    message: { type: 'text', id: '1', text: '/credit help' },
  };

  it('acts on active text messages and postbacks', () => {
    expect(isActionable(text as webhook.Event)).toBe(true);
    const postback = { type: 'postback', mode: 'active', postback: { data: 't' } };
    expect(isActionable(postback as webhook.Event)).toBe(true);
  });

  it.each([
    ['null', null],
    ['a number', 5],
    ['no mode', { type: 'message' }],
    ['a standby event', { ...text, mode: 'standby' }],
    ['a message without its content', { ...text, message: undefined }],
    ['a text that is not a string', { ...text, message: { type: 'text', text: 42 } }],
    ['a postback without data', { type: 'postback', mode: 'active' }],
  ])('passes by %s', (_, event) => {
    expect(isActionable(event as unknown as webhook.Event)).toBe(false);
  });
});
