import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPABILITIES, type Capability, ROLE_CAPABILITIES } from '../../src/app/permissions.ts';
import { ROLES, type Role } from '../../src/domain/credit.ts';
import { textEvent } from '../support/line-bot.ts';
import { messageUpdate, privateChat } from '../support/telegram-bot.ts';
import { auditGaps } from './support/audit.ts';
import { CUSTOMERS } from './support/cast.ts';
import { fingerprint } from './support/engine.ts';
import { type ReliabilityBot, startBot } from './support/harness.ts';

// Who may do what, through the real process: every command as every role, and `help` as every
// role. The expectation is the policy as the README and DESIGN.md state it, written out here
// rather than read from the code under test; the first check holds the code to this table.

/** The policy in words: viewers read; sales and collectors also work their customers; managers decide. */
const EVERYONE: readonly Capability[] = ['lookup', 'lang', 'help'];
const FIELD: readonly Capability[] = [...EVERYONE, 'share', 'log', 'limit', 'aging', 'my_digest'];
const DECIDERS: readonly Capability[] = [...FIELD, 'phase', 'approvals', 'digest', 'subscribe'];
const POLICY: Readonly<Record<Role, readonly Capability[]>> = {
  viewer: EVERYONE,
  sales: FIELD,
  collector: [...FIELD, 'phase'],
  credit_manager: DECIDERS,
  director: DECIDERS,
  admin: [...DECIDERS, 'admin_users'],
};

/** One command per capability, each one a person would type; none changes the book. */
const COMMANDS: Readonly<Record<Capability, string>> = {
  lookup: 'C001',
  share: 'share C001',
  log: 'log C001',
  lang: 'lang',
  help: 'help',
  limit: 'limit C001',
  phase: 'phase C001',
  approvals: 'approvals',
  aging: 'aging',
  digest: 'digest',
  my_digest: 'digest me off',
  subscribe: 'unsubscribe digest',
  admin_users: 'admin users list',
};

/** The command each help line starts with, as `/credit help` shows it. */
const HELP_STARTS: Readonly<Record<Capability, string>> = {
  lookup: '/credit <customer>',
  share: '/credit share',
  log: '/credit log',
  lang: '/credit lang',
  help: '/credit help',
  limit: '/credit limit',
  phase: '/credit phase',
  approvals: '/credit approvals',
  aging: '/credit aging',
  digest: '/credit digest —',
  my_digest: '/credit digest me',
  subscribe: '/credit subscribe',
  admin_users: '/credit admin users',
};

const person = (role: Role, n: number) => ({
  role,
  name: `${role} person`,
  slack: `UPERM${n}`,
  line: `U${String(n).padStart(2, '0').repeat(16)}`,
  telegramId: 52_000 + n,
});
const PEOPLE = ROLES.map((role, n) => person(role, n + 1));
/** Someone the bot has never seen: a viewer on first contact. */
const STRANGER = 'UPERMSTRANGER';

let bot: ReliabilityBot;
let before: Awaited<ReturnType<typeof fingerprint>>;

beforeAll(async () => {
  bot = await startBot({
    seed: {
      people: PEOPLE.map((p) => ({
        role: p.role,
        name: p.name,
        identities: [
          { platform: 'slack', externalId: p.slack },
          { platform: 'line', externalId: p.line },
          { platform: 'telegram', externalId: String(p.telegramId) },
        ],
      })),
      customers: CUSTOMERS,
    },
  });
  before = await bot.read((db) => fingerprint(db));
});
afterAll(async () => {
  await bot?.close();
});

/** Every text of a Slack answer, entities decoded, in one string. */
function slackText(body: unknown): string {
  const texts: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') texts.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(body);
  return texts.join('\n').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

const refused = (text: string) => /cannot run \/credit/.test(text);

type Outcome = 'answered' | 'form' | 'refused';

/** Sends `/credit <text>` as the Slack user and waits for an answer or a form. */
async function slack(userId: string, text: string, id: string): Promise<Outcome | string> {
  const response = await bot.slack.command(text, {
    userId,
    responseId: id,
    triggerId: `trigger-${id}`,
  });
  expect(response.status).toBe(200);
  const fake = bot.fakes.slack;
  const outcome = await fake.waitFor(
    () => {
      const answer = fake.responses.find((r) => r.id === id);
      if (answer) return slackText(answer.body);
      if (fake.callsTo('views.open').some((c) => c.args.trigger_id === `trigger-${id}`)) {
        return 'form';
      }
      return undefined;
    },
    20_000,
    `an answer to ${text}`,
  );
  return outcome;
}

const classify = (answer: string): Outcome =>
  answer === 'form' ? 'form' : refused(answer) ? 'refused' : 'answered';

describe('the policy', () => {
  it('is the one the product enforces', () => {
    for (const role of ROLES) {
      expect([...ROLE_CAPABILITIES[role]].sort(), role).toEqual([...POLICY[role]].sort());
    }
    expect(Object.keys(COMMANDS).sort()).toEqual([...CAPABILITIES].sort());
  });
});

describe('every command as every role (Slack)', () => {
  it('allows exactly what the policy allows and refuses the rest in words', async () => {
    const wrong: string[] = [];
    for (const p of PEOPLE) {
      await Promise.all(
        CAPABILITIES.map(async (capability) => {
          const id = `${p.role}-${capability}`;
          const answer = await slack(p.slack, COMMANDS[capability], id);
          const got = classify(answer);
          const allowed = POLICY[p.role].includes(capability);
          if (allowed === (got === 'refused')) {
            wrong.push(`${p.role} ${capability}: ${got} — ${answer.slice(0, 120)}`);
          }
          if (got === 'refused') {
            // The refusal names the command and says what to do, never an internal error.
            expect(answer).toContain('Ask a creditops admin');
          }
        }),
      );
    }
    expect(wrong).toEqual([]);
  });

  it('treats someone the bot has never seen as a viewer', async () => {
    for (const capability of CAPABILITIES) {
      const got = classify(await slack(STRANGER, COMMANDS[capability], `stranger-${capability}`));
      expect(got === 'refused', capability).toBe(!POLICY.viewer.includes(capability));
    }
  });
});

describe('help', () => {
  it('shows each role exactly the commands it may run', async () => {
    for (const p of PEOPLE) {
      const text = await slack(p.slack, 'help', `help-${p.role}`);
      for (const capability of CAPABILITIES) {
        expect(text.includes(HELP_STARTS[capability]), `${p.role} help: ${capability}`).toBe(
          POLICY[p.role].includes(capability),
        );
      }
    }
  });
});

describe('the same policy on LINE and Telegram', () => {
  it('refuses a viewer a limit change and the approvals list, and lets a manager see them', async () => {
    const viewer = PEOPLE.find((p) => p.role === 'viewer');
    const manager = PEOPLE.find((p) => p.role === 'credit_manager');
    if (!viewer || !manager) throw new Error('cast incomplete');
    const line = bot.fakes.line;
    const telegram = bot.fakes.telegram;
    for (const [who, text] of [
      [viewer, '/credit approvals'],
      [manager, '/credit approvals'],
    ] as const) {
      const sentBefore = line.delivered.length;
      await bot.line.events(textEvent(text, { userId: who.line }));
      const delivered = await line.waitFor(
        () => (line.delivered.length > sentBefore ? line.delivered.slice(sentBefore) : undefined),
        20_000,
      );
      expect(refused(JSON.stringify(delivered)), `LINE ${who.role}`).toBe(who.role === 'viewer');

      const messagesBefore = telegram.callsTo('sendMessage').length;
      await bot.telegram.post(
        messageUpdate({
          chat: privateChat({ id: who.telegramId, firstName: who.name }),
          from: { id: who.telegramId, firstName: who.name },
          text,
        }),
      );
      const sent = await telegram.waitFor(
        () => telegram.callsTo('sendMessage').slice(messagesBefore)[0],
        20_000,
        `Telegram answer to ${who.role}`,
      );
      expect(refused(JSON.stringify(sent)), `Telegram ${who.role}`).toBe(who.role === 'viewer');
    }
  });
});

describe('after the matrix', () => {
  it('wrote nothing a refusal could have written', async () => {
    const after = await bot.read((db) => fingerprint(db));
    // Look-ups issue button tokens and first contacts make users; nothing else may change.
    const mayChange = [
      'action_tokens',
      'users',
      'platform_identities',
      'audit_log',
      'inbound_events',
    ];
    const changed = Object.keys(after).filter(
      (table) => JSON.stringify(after[table]) !== JSON.stringify(before[table]),
    );
    expect(changed.filter((t) => !mayChange.includes(t))).toEqual([]);
  });
});

describe('deciding a request', () => {
  it('is refused to viewers, sales and collectors, and done by a credit manager', async () => {
    const as = (role: Role) => {
      const p = PEOPLE.find((x) => x.role === role);
      if (!p) throw new Error(`no ${role}`);
      return p.slack;
    };
    const asked = await slack(
      as('collector'),
      'limit C001 6000000 new orders from the Osaka plant',
      'decide-ask',
    );
    expect(classify(asked)).toBe('answered');
    const request = await bot.read((db) =>
      db.selectFrom('approval_requests').select(['id', 'status']).executeTakeFirstOrThrow(),
    );
    expect(request.status).toBe('pending');
    for (const role of ['viewer', 'sales', 'collector'] as const) {
      const answer = await slack(as(role), `approve ${request.id}`, `decide-${role}`);
      expect(classify(answer), role).toBe('refused');
    }
    const still = await bot.read((db) =>
      db
        .selectFrom('approval_requests')
        .select('status')
        .where('id', '=', request.id)
        .executeTakeFirstOrThrow(),
    );
    expect(still.status).toBe('pending');
    const decided = await slack(as('credit_manager'), `approve ${request.id}`, 'decide-manager');
    expect(classify(decided)).toBe('answered');
    const customer = await bot.read((db) =>
      db
        .selectFrom('customers')
        .select('credit_limit_minor')
        .where('code', '=', 'C001')
        .executeTakeFirstOrThrow(),
    );
    expect(Number(customer.credit_limit_minor)).toBe(6_000_000);
  });
});

describe('afterwards', () => {
  it('audited every change once, logged no error, leaked no secret', async () => {
    expect(await bot.read((db) => auditGaps(db))).toEqual([]);
    expect(bot.logRecords().filter((r) => r.level === 'error')).toEqual([]);
    expect(bot.leakedSecrets()).toEqual([]);
    expect(bot.exits.every((e) => e.code === 0)).toBe(true);
  });
});
