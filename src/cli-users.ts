import { parseArgs } from 'node:util';
import type { Store } from './app/ports.ts';
import {
  addUser,
  IDENTITY_PLATFORMS,
  identityText,
  listUsers,
  parseIdentity,
  parseRole,
  setUserRole,
} from './app/users.ts';
import { userChangeText, usersTable } from './chat/admin-card.ts';
import type { Translate } from './chat/i18n.ts';
import { renderTable } from './chat/text-table.ts';
import { cliActor, EXIT, UsageError, withDatabase } from './cli-support.ts';
import type { Config } from './config.ts';
import { createStore } from './db/store.ts';
import { ROLES } from './domain/credit.ts';

// `npx creditops users add|role|list`: who may use creditops and with which role. Whoever
// can run this holds the data directory or the database URL, so no role check applies;
// the audit log names the operating-system user.

const usage = (t: Translate) =>
  new UsageError(
    t('cli.users.usage', { platforms: IDENTITY_PLATFORMS.join(', '), roles: ROLES.join(', ') }),
  );

function read(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { role: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } },
  });
}

async function list(store: Store, t: Translate, json: boolean): Promise<number> {
  const users = await listUsers(store);
  if (json) {
    const rows = users.map((u) => ({
      id: u.id,
      identities: u.identities.map(identityText),
      name: u.displayName,
      role: u.role,
      locale: u.locale,
    }));
    console.log(JSON.stringify(rows, null, 2));
    return EXIT.ok;
  }
  if (users.length === 0) {
    console.log(t('admin.users.empty'));
    return EXIT.ok;
  }
  console.log(renderTable(usersTable(users, t), '').join('\n'));
  console.log(t('admin.users.count', { count: users.length }));
  return EXIT.ok;
}

/** `creditops users add <platform:id> --role <role> [--name NAME] | role <platform:id> <role> | list [--json]` */
export async function runUsers(config: Config, t: Translate, args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals } = read(rest);
  const actor = cliActor();
  const [identity, role, ...extra] = positionals;
  if (verb === 'list' && identity === undefined && !values.role && !values.name) {
    return withDatabase(config, 'creditops users', ({ db }) =>
      list(createStore(db), t, values.json === true),
    );
  }
  if (verb === 'add' && identity && values.role && role === undefined) {
    // Refused before the database is opened: a typo costs nothing and locks nothing.
    parseIdentity(identity);
    parseRole(values.role);
    const input = { identity, role: values.role, ...(values.name ? { name: values.name } : {}) };
    const change = await withDatabase(config, 'creditops users', ({ db }) =>
      addUser(createStore(db), actor, input),
    );
    console.log(userChangeText(change, t));
    return EXIT.ok;
  }
  if (verb === 'role' && identity && role && extra.length === 0 && !values.name) {
    parseIdentity(identity);
    parseRole(role);
    const change = await withDatabase(config, 'creditops users', ({ db }) =>
      setUserRole(createStore(db), actor, { identity, role }),
    );
    console.log(userChangeText(change, t));
    return EXIT.ok;
  }
  throw usage(t);
}
