import { ROLES } from '../domain/credit.ts';

// `/credit admin users list | add <platform:id> <role> [name…] | role <platform:id> <role>`.
// The grammar only splits the words; the use case checks the identity and the role, so the
// command line and chat refuse the same things in the same words.

export type AdminUsersCommand =
  | { readonly kind: 'admin_users'; readonly action: 'list' }
  | {
      readonly kind: 'admin_users';
      readonly action: 'add';
      readonly identity: string;
      readonly role: string;
      readonly name?: string;
    }
  | {
      readonly kind: 'admin_users';
      readonly action: 'role';
      readonly identity: string;
      readonly role: string;
    };

export interface AdminUsage {
  readonly kind: 'invalid';
  readonly code: string;
  readonly params: Record<string, string | number>;
}

const USERS_WORDS = new Set(['users', 'user', 'ユーザー', '利用者', '用户']);
const ACTIONS: Record<string, 'list' | 'add' | 'role'> = {
  list: 'list',
  一覧: 'list',
  列表: 'list',
  add: 'add',
  追加: 'add',
  添加: 'add',
  role: 'role',
  ロール: 'role',
  角色: 'role',
};

const usage: AdminUsage = {
  kind: 'invalid',
  code: 'errors.admin.usage',
  params: { roles: ROLES.join(', ') },
};

/** The words after `/credit admin`. */
export function parseAdmin(tokens: readonly string[]): AdminUsersCommand | AdminUsage {
  const [area = '', verb = '', identity, role, ...name] = tokens.map((token, i) =>
    i < 2 ? token.normalize('NFKC').toLowerCase() : token,
  );
  if (!USERS_WORDS.has(area)) return usage;
  const action = ACTIONS[verb];
  if (action === 'list' && identity === undefined) return { kind: 'admin_users', action };
  if (identity === undefined || role === undefined) return usage;
  if (action === 'add') {
    const display = name.join(' ');
    return { kind: 'admin_users', action, identity, role, ...(display ? { name: display } : {}) };
  }
  if (action === 'role' && name.length === 0)
    return { kind: 'admin_users', action, identity, role };
  return usage;
}
