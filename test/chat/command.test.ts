import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanInput, MAX_INPUT_LENGTH, parseCommand } from '../../src/chat/command.ts';

describe(parseCommand.name, () => {
  it('reads a look-up with or without the /credit prefix', () => {
    expect(parseCommand('/credit アクメ')).toEqual({ kind: 'lookup', query: 'アクメ' });
    expect(parseCommand('アクメ')).toEqual({ kind: 'lookup', query: 'アクメ' });
    expect(parseCommand('／ｃｒｅｄｉｔ　ACME')).toEqual({ kind: 'lookup', query: 'ACME' });
    expect(parseCommand('/credit@creditops_bot C0001')).toEqual({ kind: 'lookup', query: 'C0001' });
    expect(parseCommand('/credit find help desk inc')).toEqual({
      kind: 'lookup',
      query: 'help desk inc',
    });
  });

  it('answers help for /credit alone, help and its Japanese and Chinese words', () => {
    for (const text of [
      '/credit',
      '/credit help',
      '/credit ?',
      '/credit ヘルプ',
      '/credit 帮助',
      '',
    ]) {
      expect(parseCommand(text), text).toEqual({ kind: 'help' });
    }
  });

  it('reads the language command', () => {
    expect(parseCommand('/credit lang ja')).toEqual({ kind: 'lang', value: 'ja' });
    expect(parseCommand('/credit 言語')).toEqual({ kind: 'lang', value: undefined });
  });

  it('names features that are not in this version', () => {
    expect(parseCommand('/credit log C0001 call reached')).toEqual({
      kind: 'unavailable',
      feature: 'log',
    });
    expect(parseCommand('/credit 承認')).toEqual({ kind: 'unavailable', feature: 'approvals' });
  });

  it('refuses other slash commands and over-long input', () => {
    expect(parseCommand('/foo bar')).toMatchObject({
      kind: 'invalid',
      code: 'errors.command.unknown',
    });
    expect(parseCommand(`/credit ${'x'.repeat(MAX_INPUT_LENGTH + 1)}`)).toMatchObject({
      kind: 'invalid',
      code: 'errors.input.too_long',
    });
  });

  it('never throws, whatever arrives', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(['help', 'lang', 'lookup', 'unavailable', 'invalid']).toContain(
          parseCommand(text).kind,
        );
      }),
      { numRuns: 500 },
    );
  });
});

describe(cleanInput.name, () => {
  it('removes control, bidi and zero-width characters and folds spaces', () => {
    expect(cleanInput('\u0000/credit\t\u202eアクメ\u200d\u3000 ')).toBe('/credit アクメ');
    expect(cleanInput('\ud800abc')).toBe('abc');
  });
});
