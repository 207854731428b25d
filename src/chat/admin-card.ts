import type { Store, User, UserWithIdentities } from '../app/ports.ts';
import { addUser, identityText, listUsers, setUserRole, type UserChange } from '../app/users.ts';
import type { Role } from '../domain/credit.ts';
import type { AdminUsersCommand } from './admin-command.ts';
import { type Card, type CardTable, messageCard } from './card.ts';
import type { CardContext } from './customer-card.ts';
import type { Translate } from './i18n.ts';

// `/credit admin users …`: who may use creditops and with which role. The bot has checked
// that the caller is an admin before any of this runs.

export const roleName = (role: Role, t: Translate) => t(`roles.${role}`);

/** One row per user: how they reach creditops, their name, role and pinned language. */
export function usersTable(users: readonly UserWithIdentities[], t: Translate): CardTable {
  return {
    columns: [
      t('admin.users.identity'),
      t('admin.users.name'),
      t('admin.users.role'),
      t('admin.users.language'),
    ],
    rows: users.map((user) => [
      user.identities.map(identityText).join(', '),
      user.displayName,
      roleName(user.role, t),
      user.locale ? t(`lang.name.${user.locale}`) : t('admin.users.language_unset'),
    ]),
  };
}

export function usersCard(users: readonly UserWithIdentities[], { t }: CardContext): Card {
  if (users.length === 0) return messageCard(t('admin.users.title'), [t('admin.users.empty')]);
  return {
    title: t('admin.users.title'),
    sections: [
      { heading: t('admin.users.count', { count: users.length }), table: usersTable(users, t) },
    ],
  };
}

/** What `users add` or `users role` did, in one sentence of the reader's language. */
export function userChangeText(change: UserChange, t: Translate): string {
  return t(`admin.users.${change.outcome}`, {
    name: change.user.displayName,
    identity: identityText(change.identity),
    role: roleName(change.user.role, t),
  });
}

export async function adminUsersCard(
  store: Store,
  user: User,
  command: AdminUsersCommand,
  ctx: CardContext,
): Promise<Card> {
  const actor = `user:${user.id}`;
  switch (command.action) {
    case 'list':
      return usersCard(await listUsers(store), ctx);
    case 'add': {
      const change = await addUser(store, actor, command);
      return messageCard(ctx.t('admin.users.done'), [userChangeText(change, ctx.t)]);
    }
    case 'role': {
      const change = await setUserRole(store, actor, command);
      return messageCard(ctx.t('admin.users.done'), [userChangeText(change, ctx.t)]);
    }
  }
}
