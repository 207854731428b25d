import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/chat/command.ts';

// `/credit admin users …`: the words are split here; the use case checks identity and role.
describe('the admin users grammar', () => {
  it('reads list, add with an optional name of several words, and role', () => {
    expect(parseCommand('/credit admin users list')).toEqual({
      kind: 'admin_users',
      action: 'list',
    });
    expect(parseCommand('/credit admin users add slack:U1 credit_manager Aiko  Tanaka')).toEqual({
      kind: 'admin_users',
      action: 'add',
      identity: 'slack:U1',
      role: 'credit_manager',
      name: 'Aiko Tanaka',
    });
    expect(parseCommand('/credit admin users add line:Uab sales')).toEqual({
      kind: 'admin_users',
      action: 'add',
      identity: 'line:Uab',
      role: 'sales',
    });
    expect(parseCommand('/credit ADMIN Users ROLE slack:U1 admin')).toEqual({
      kind: 'admin_users',
      action: 'role',
      identity: 'slack:U1',
      role: 'admin',
    });
  });

  it('takes the Japanese and Chinese words for users, list, add and role', () => {
    expect(parseCommand('/credit admin ユーザー 一覧')).toMatchObject({ action: 'list' });
    expect(parseCommand('/credit admin 用户 添加 slack:U2 collector 李娜')).toMatchObject({
      action: 'add',
      name: '李娜',
    });
    expect(parseCommand('/credit admin 利用者 ロール slack:U2 viewer')).toMatchObject({
      action: 'role',
    });
  });

  it('answers anything else after admin with the usage and the roles', () => {
    for (const text of [
      '/credit admin',
      '/credit admin channels',
      '/credit admin users',
      '/credit admin users list slack:U1',
      '/credit admin users add slack:U1',
      '/credit admin users role slack:U1',
      '/credit admin users role slack:U1 sales now',
      '/credit admin users remove slack:U1',
    ]) {
      expect(parseCommand(text), text).toEqual({
        kind: 'invalid',
        code: 'errors.admin.usage',
        params: { roles: 'viewer, sales, collector, credit_manager, director, admin' },
      });
    }
  });
});
