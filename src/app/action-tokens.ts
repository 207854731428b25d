import { randomBytes } from 'node:crypto';
import { DomainError } from '../domain/errors.ts';
import type { Store, User } from './ports.ts';

// A button carries only a short opaque token naming a row in Postgres: the command it
// stands for never travels through the platform, and whoever clicks is checked again
// at click time as themselves. 16 characters fit Telegram's 64-byte callback data too.

/** Cards shared to a channel stay clickable for a month; after that, ask again. */
export const ACTION_TOKEN_DAYS = 30;
const TOKEN = /^[A-Za-z0-9_-]{16}$/;

export async function issueActionTokens(
  store: Store,
  user: User | undefined,
  commands: readonly string[],
  now: Date,
): Promise<string[]> {
  const expiresAt = new Date(now.getTime() + ACTION_TOKEN_DAYS * 86_400_000);
  const rows = commands.map((command) => ({
    token: randomBytes(12).toString('base64url'),
    command,
    userId: user?.id ?? null,
    expiresAt,
  }));
  await store.actionTokens.insert(rows);
  return rows.map((row) => row.token);
}

/** The command behind a clicked button; a refusal the person can act on otherwise. */
export async function redeemActionToken(store: Store, token: string, now: Date): Promise<string> {
  const found = TOKEN.test(token) ? await store.actionTokens.find(token) : undefined;
  if (!found) throw new DomainError('errors.action.unknown');
  if (found.expiresAt && found.expiresAt <= now) {
    throw new DomainError('errors.action.expired', { days: ACTION_TOKEN_DAYS });
  }
  return found.command;
}
