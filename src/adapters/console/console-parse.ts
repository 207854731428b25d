import type { Locale } from '../../app/locales.ts';
import type { ChatRequest } from '../../chat/bot.ts';

export interface ConsoleIdentity {
  readonly userName: string;
  readonly locale: Locale;
}

// The console is the operator's own terminal on the machine that holds the data, so its
// user is an administrator, the way a database shell would be.
export function parseConsoleLine(line: string, who: ConsoleIdentity): ChatRequest {
  return {
    identity: { platform: 'console', externalId: who.userName },
    displayName: who.userName,
    text: line,
    channelLocale: who.locale,
    defaultRole: 'admin',
  };
}
