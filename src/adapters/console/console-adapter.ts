import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Locale } from '../../app/locales.ts';
import type { Bot } from '../../chat/bot.ts';
import { parseConsoleLine } from './console-parse.ts';
import { renderCard } from './console-render.ts';

export interface ConsoleAdapterOptions {
  readonly bot: Bot;
  readonly input: Readable;
  readonly output: Writable;
  readonly userName: string;
  readonly locale: Locale;
  /** Shown before each command when a person is typing at a terminal. */
  readonly prompt?: string;
}

export interface ConsoleAdapter {
  /** Resolves when the input ends (end of a pipe, Ctrl-D). */
  run(): Promise<void>;
}

/** stdin → commands → cards on stdout, one line at a time, in order; works from a pipe. */
export function createConsoleAdapter(options: ConsoleAdapterOptions): ConsoleAdapter {
  return {
    async run() {
      const interactive = options.prompt !== undefined;
      const lines = createInterface({ input: options.input, terminal: false, crlfDelay: Infinity });
      const write = (text: string) => options.output.write(text);
      if (interactive) write(options.prompt ?? '');
      for await (const line of lines) {
        if (line.trim() === '') {
          if (interactive) write(options.prompt ?? '');
          continue;
        }
        const card = await options.bot.handle(
          parseConsoleLine(line, { userName: options.userName, locale: options.locale }),
        );
        write(`${renderCard(card)}\n`);
        if (interactive) write(options.prompt ?? '');
      }
    },
  };
}
