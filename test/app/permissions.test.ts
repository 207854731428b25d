import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CAPABILITIES,
  CAPABILITY_COMMANDS,
  type Capability,
  ROLE_CAPABILITIES,
} from '../../src/app/permissions.ts';
import { addUser } from '../../src/app/users.ts';
import type { Bot, ChatRequest } from '../../src/chat/bot.ts';
import { createI18n } from '../../src/chat/i18n.ts';
import { ROLES, type Role } from '../../src/domain/credit.ts';
import { createTestBot } from '../support/bot.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// The permissions matrix: every command as a person types it, run by every role through the
// real bot on the demo ledger, is allowed or refused exactly as the policy says.

let database: TestDatabase;
let bot: Bot;
const en = createI18n().t('en');

beforeAll(async () => {
  database = await createTestDatabase({ base: 'demo' });
  bot = createTestBot(database.store);
  for (const role of ROLES) {
    await addUser(database.store, 'cli:test', { identity: `slack:U-${role}`, role, name: role });
  }
});
afterAll(async () => {
  await database?.close();
});

/** The policy as the issue states it, written out rather than read from the code. */
const POLICY: Record<Role, readonly Capability[]> = {
  viewer: ['lookup', 'lang', 'help'],
  sales: ['lookup', 'lang', 'help', 'share', 'log', 'limit', 'aging', 'my_digest'],
  collector: ['lookup', 'lang', 'help', 'share', 'log', 'limit', 'phase', 'aging', 'my_digest'],
  credit_manager: CAPABILITIES.filter((c) => c !== 'admin_users'),
  director: CAPABILITIES.filter((c) => c !== 'admin_users'),
  admin: CAPABILITIES,
};

/** One or more typed commands per capability. */
const COMMANDS: readonly (readonly [Capability, string])[] = [
  ['lookup', '/credit C0001'],
  ['share', '/credit share C0001'],
  ['log', '/credit log C0001 call reached spoke to AP'],
  ['log', '/credit log C0001'],
  ['lang', '/credit lang'],
  ['help', '/credit help'],
  ['limit', '/credit limit C0001 5000000 bigger orders'],
  ['phase', '/credit phase C0001 watch 70 days overdue'],
  ['approvals', '/credit approvals'],
  ['aging', '/credit aging'],
  ['digest', '/credit digest'],
  ['my_digest', '/credit digest me 08:30'],
  ['my_digest', '/credit digest me off'],
  ['subscribe', '/credit subscribe'],
  ['admin_users', '/credit admin users list'],
];

/** Each help line and the capability its command needs, in the order help shows them. */
const HELP: readonly (readonly [Capability, string])[] = [
  ['lookup', 'help.lookup'],
  ['share', 'help.share'],
  ['log', 'help.log'],
  ['limit', 'approval.help.limit'],
  ['phase', 'approval.help.phase'],
  ['approvals', 'approval.help.approvals'],
  ['aging', 'help.aging'],
  ['digest', 'help.digest'],
  ['my_digest', 'help.my_digest'],
  ['subscribe', 'help.subscribe'],
  ['admin_users', 'help.admin_users'],
  ['lang', 'help.lang'],
  ['help', 'help.help'],
];

const request = (externalId: string, text: string, extra: Partial<ChatRequest> = {}) => ({
  identity: { platform: 'slack', externalId },
  displayName: externalId,
  text,
  defaultRole: 'viewer' as const,
  ...extra,
});

const refusal = (role: Role, capability: Capability) =>
  en('errors.permission.denied', {
    role: en(`roles.${role}`),
    command: CAPABILITY_COMMANDS[capability],
  });

async function contacts(): Promise<number> {
  const row = await database.db
    .selectFrom('contacts')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('the permissions matrix', () => {
  it('is the policy of the issue', () => {
    for (const role of ROLES) {
      expect([...ROLE_CAPABILITIES[role]].sort(), role).toEqual([...POLICY[role]].sort());
    }
  });

  it.each(ROLES)('lets a %s run exactly the commands the policy allows', async (role) => {
    for (const [capability, text] of COMMANDS) {
      const card = await bot.handle(request(`U-${role}`, text));
      const refused = card.lines?.includes(refusal(role, capability)) ?? false;
      const allowed = POLICY[role].includes(capability);
      expect(refused, `${role}: ${text}`).toBe(!allowed);
      // Refused in private as an error; allowed commands run (none of these texts fails).
      expect(card.tone === 'error', `${role}: ${text}`).toBe(!allowed);
      if (refused) expect(card.visibility).not.toBe('channel');
    }
  });

  it.each(ROLES)('shows a %s help with exactly the commands they may run', async (role) => {
    const card = await bot.handle(request(`U-${role}`, '/credit help'));
    const allowed = HELP.filter(([capability]) => POLICY[role].includes(capability));
    expect(card.lines).toEqual([...allowed.map(([, key]) => en(key)), '', en('help.examples')]);
  });

  it('names the role in the reader’s language', async () => {
    const card = await bot.handle(
      request('U-collector', '/credit admin users list', { channelLocale: 'ja' }),
    );
    expect(card.lines).toEqual([
      '現在のロール（回収担当）では /credit admin users を実行できません。必要な場合は creditops の管理者に権限の変更を依頼してください。',
    ]);
    expect(
      (await bot.handle(request('U-viewer', '/credit log C0001', { channelLocale: 'zh' }))).lines,
    ).toEqual([
      '您的角色（查看者）无权执行 /credit log。如有需要，请联系 creditops 管理员调整权限。',
    ]);
  });
});

describe('an unknown Slack user', () => {
  it('is a viewer: can look a customer up, cannot log, and nothing is written', async () => {
    const before = await contacts();
    const lookup = await bot.handle(request('U-NEW', '/credit C0001'));
    expect(lookup.title).toBe('株式会社アクメ');
    const log = await bot.handle(request('U-NEW', '/credit log C0001 call reached spoke to AP'));
    expect(log.tone).toBe('error');
    expect(log.lines).toEqual([
      'Your role (Viewer) cannot run /credit log. Ask a creditops admin if you need it.',
    ]);
    const form = await bot.submit({
      ...request('U-NEW', ''),
      formId: 'contact',
      context: 'C0001',
      values: { method: 'call', outcome: 'reached', note: 'spoke to AP' },
    });
    expect(form).toMatchObject({ kind: 'done', card: { tone: 'error', lines: log.lines } });
    expect(await contacts()).toBe(before);
  });
});
