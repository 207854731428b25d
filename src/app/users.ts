import type { Role } from '../domain/credit.ts';
import { DomainError } from '../domain/errors.ts';
import { isLocale, type Locale } from './locales.ts';
import type { Identity, Store, User } from './ports.ts';

export interface ResolveUserInput {
  readonly identity: Identity;
  readonly displayName: string;
  /** The role a first-time user gets: viewers on chat platforms, admin on the local console. */
  readonly defaultRole: Role;
}

/** The creditops user behind a platform identity, created (and audited) on first contact. */
export async function resolveUser(store: Store, input: ResolveUserInput): Promise<User> {
  const existing = await store.users.findByIdentity(input.identity);
  if (existing) return existing;
  return store.transaction(async (tx) => {
    const again = await tx.users.findByIdentity(input.identity);
    if (again) return again;
    const user = await tx.users.create({
      identity: input.identity,
      displayName: input.displayName,
      role: input.defaultRole,
    });
    await tx.audit.record({
      actor: `${input.identity.platform}:${input.identity.externalId}`,
      action: 'user.create',
      entityType: 'user',
      entityId: String(user.id),
      before: null,
      after: { displayName: user.displayName, role: user.role, identity: input.identity },
    });
    return user;
  });
}

/** `/credit lang ja|zh|en`: pins the language a user is answered in. */
export async function setUserLocale(store: Store, user: User, value: string): Promise<Locale> {
  const locale = value.trim().toLowerCase();
  if (!isLocale(locale))
    throw new DomainError('errors.lang.unknown', { value, choices: 'ja, zh, en' });
  if (user.locale === locale) return locale;
  await store.transaction(async (tx) => {
    await tx.users.setLocale(user.id, locale);
    await tx.audit.record({
      actor: `user:${user.id}`,
      action: 'user.set_locale',
      entityType: 'user',
      entityId: String(user.id),
      before: { locale: user.locale },
      after: { locale },
    });
  });
  return locale;
}
