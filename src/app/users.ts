import { ROLES, type Role } from '../domain/credit.ts';
import { DomainError } from '../domain/errors.ts';
import { cleanText } from '../domain/text.ts';
import { isLocale, type Locale } from './locales.ts';
import type { Identity, Store, User, UserWithIdentities } from './ports.ts';

export interface ResolveUserInput {
  readonly identity: Identity;
  readonly displayName: string;
  /** The role a first-time user gets: viewers on chat platforms, admin on the local console. */
  readonly defaultRole: Role;
}

/** Longest display name kept; platforms allow 20 (LINE) to 80 (Slack) characters. */
const MAX_DISPLAY_NAME = 128;

/**
 * The name a platform reports, as creditops keeps it: cleaned, cut to a length, and the
 * platform's id when nothing is left (a name of only emoji joiners or control characters).
 */
export function displayNameFrom(name: string, identity: Identity): string {
  const cleaned = [...cleanText(name)].slice(0, MAX_DISPLAY_NAME).join('').trim();
  return cleaned === '' ? identity.externalId : cleaned;
}

/** The creditops user behind a platform identity, created (and audited) on first contact. */
export async function resolveUser(store: Store, input: ResolveUserInput): Promise<User> {
  const existing = await store.users.findByIdentity(input.identity);
  if (existing) return existing;
  try {
    return await store.transaction(async (tx) => {
      const again = await tx.users.findByIdentity(input.identity);
      if (again) return again;
      const user = await tx.users.create({
        identity: input.identity,
        displayName: displayNameFrom(input.displayName, input.identity),
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
  } catch (error) {
    // A person's first messages can arrive together: each request sees no user yet, and all
    // but the first to commit hit the identity's unique key. Theirs is the user it made; this
    // transaction, its user row and audit entry, rolled back.
    const made = await store.users.findByIdentity(input.identity);
    if (made) return made;
    throw error;
  }
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

/** Platforms a person can be registered on by hand: the chat platforms creditops serves. */
export const IDENTITY_PLATFORMS = ['slack', 'line', 'telegram', 'console'] as const;

/** Most authority first, the order users are listed in: admins are who people look for. */
const ROLE_ORDER: readonly Role[] = [...ROLES].reverse();

/** `platform:id` with a known platform and an id without spaces; undefined otherwise. */
export function readPlatformRef(text: string): Identity | undefined {
  const value = text.trim();
  const colon = value.indexOf(':');
  const platform = value.slice(0, colon).toLowerCase();
  const externalId = value.slice(colon + 1);
  const known = (IDENTITY_PLATFORMS as readonly string[]).includes(platform);
  if (colon <= 0 || externalId === '' || /\s/u.test(externalId) || !known) return undefined;
  return { platform, externalId };
}

/** `slack:U0123ABCD` → the identity; anything else is refused with the expected form. */
export function parseIdentity(text: string): Identity {
  const identity = readPlatformRef(text);
  if (identity) return identity;
  throw new DomainError('errors.users.bad_identity', {
    value: text,
    platforms: IDENTITY_PLATFORMS.join(', '),
  });
}

/** A role as typed (`credit_manager`, `Admin`); anything else is refused with the list. */
export function parseRole(text: string): Role {
  const value = text.trim().toLowerCase();
  const role = ROLES.find((r) => r === value);
  if (!role)
    throw new DomainError('errors.users.bad_role', { value: text, roles: ROLES.join(', ') });
  return role;
}

export const identityText = (identity: Identity) => `${identity.platform}:${identity.externalId}`;

/** Everyone creditops knows, with how they reach it: most authority first, then by name. */
export async function listUsers(store: Store): Promise<UserWithIdentities[]> {
  const users = await store.users.list();
  return users.sort(
    (a, b) =>
      ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) ||
      a.displayName.localeCompare(b.displayName) ||
      a.id - b.id,
  );
}

export interface UserChange {
  readonly outcome: 'created' | 'updated' | 'unchanged';
  readonly user: User;
  readonly identity: Identity;
}

/**
 * Refuses to take the admin role from the last admin: with no admin left, nobody could
 * manage users from chat again. Called inside the transaction that changes the role.
 */
async function keepAnAdmin(tx: Store, user: User, role: Role): Promise<void> {
  if (user.role !== 'admin' || role === 'admin') return;
  const admins = await tx.users.lockAdmins();
  if (admins.length <= 1 && admins.includes(user.id)) {
    throw new DomainError('errors.users.last_admin', { name: user.displayName });
  }
}

/** Gives an existing user a new role and name, audited; nothing when neither changes. */
async function changeUser(
  tx: Store,
  actor: string,
  input: {
    readonly user: User;
    readonly identity: Identity;
    readonly role: Role;
    readonly name?: string;
  },
): Promise<UserChange> {
  const { user, identity, role } = input;
  const displayName = input.name ?? user.displayName;
  if (user.role === role && user.displayName === displayName) {
    return { outcome: 'unchanged', user, identity };
  }
  await keepAnAdmin(tx, user, role);
  await tx.users.update(user.id, { role, displayName });
  await tx.audit.record({
    actor,
    action: 'user.update',
    entityType: 'user',
    entityId: String(user.id),
    before: { displayName: user.displayName, role: user.role },
    after: { displayName, role },
  });
  return { outcome: 'updated', user: { ...user, role, displayName }, identity };
}

/**
 * `users add slack:U123 --role credit_manager --name …`: registers the person behind a
 * platform identity with a role, or changes the role (and the name, when given) of the
 * user it already belongs to. `actor` labels the audit entry (`cli:<os user>`, `user:<id>`).
 */
export async function addUser(
  store: Store,
  actor: string,
  input: { readonly identity: string; readonly role: string; readonly name?: string },
): Promise<UserChange> {
  const identity = parseIdentity(input.identity);
  const role = parseRole(input.role);
  const name = input.name?.trim() || undefined;
  return store.transaction(async (tx) => {
    const existing = await tx.users.findByIdentity(identity);
    if (existing) {
      return changeUser(tx, actor, { user: existing, identity, role, ...(name ? { name } : {}) });
    }
    const user = await tx.users.create({
      identity,
      displayName: name ?? identity.externalId,
      role,
    });
    await tx.audit.record({
      actor,
      action: 'user.create',
      entityType: 'user',
      entityId: String(user.id),
      before: null,
      after: { displayName: user.displayName, role: user.role, identity },
    });
    return { outcome: 'created', user, identity };
  });
}

/** `users role slack:U123 collector`: the role of a user already known by that identity. */
export async function setUserRole(
  store: Store,
  actor: string,
  input: { readonly identity: string; readonly role: string },
): Promise<UserChange> {
  const identity = parseIdentity(input.identity);
  const role = parseRole(input.role);
  return store.transaction(async (tx) => {
    const user = await tx.users.findByIdentity(identity);
    if (!user)
      throw new DomainError('errors.users.not_found', { identity: identityText(identity) });
    return changeUser(tx, actor, { user, identity, role });
  });
}
