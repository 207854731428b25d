import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../src/db/schema.ts';
import { type Finished, finish, start } from '../support/process.ts';
import { auditEntries, auditGaps } from './support/audit.ts';
import { CAST, CAST_SEED, CUSTOMERS } from './support/cast.ts';
import {
  type CrowdMember,
  crowdMember,
  crowdPeople,
  internalErrorPrefixes,
  say,
  setLocales,
  translate,
  type Way,
} from './support/crowd.ts';
import { type ReliabilityBot, startBot } from './support/harness.ts';

// People act at once: approvers press Approve on one request together, collectors log
// contacts on one customer together, look-ups run while an import is being written. Each
// must come out as if they had queued: one decision, every contact, no half-written import.

const DECIDERS: readonly CrowdMember[] = [
  crowdMember('credit_manager', 'Kenji Sato', 11, 'ja'),
  crowdMember('credit_manager', 'Li Wei', 12, 'zh'),
  crowdMember('credit_manager', 'Emma Clark', 13, 'en'),
  crowdMember('director', 'Yuki Tanaka', 14, 'ja'),
  crowdMember('director', 'Zhang Min', 15, 'zh'),
];
const COLLECTORS: readonly CrowdMember[] = [
  crowdMember('collector', 'Haruto Ito', 21, 'ja'),
  crowdMember('collector', 'Chen Jing', 22, 'zh'),
  crowdMember('collector', 'Olivia Brown', 23, 'en'),
  crowdMember('collector', 'Aoi Suzuki', 24, 'ja'),
  crowdMember('collector', 'Wang Fang', 25, 'zh'),
];
const CROWD = [...DECIDERS, ...COLLECTORS];
const WAYS: readonly Way[] = ['slack', 'line', 'telegram'];
const ANSWER_MS = 60_000;
/** RELIABILITY_FULL=1: the same checks with a bigger import. */
const FULL = process.env.RELIABILITY_FULL === '1';

let bot: ReliabilityBot;

beforeAll(async () => {
  bot = await startBot({
    seed: {
      people: [...(CAST_SEED.people ?? []), ...crowdPeople(CROWD)],
      customers: CUSTOMERS,
      extra: (db) => setLocales(db, CROWD),
    },
  });
});
afterAll(async () => {
  await bot?.close();
});

const internalErrors = internalErrorPrefixes();
const isInternalError = (answer: string) => internalErrors.some((p) => answer.includes(p));

/** The request the approvers press on, and who got the deciding answer (the decision's). */
let requestId = '';
let winner = '';

describe('20 approvals of one request at once', () => {
  let answers: { who: CrowdMember; way: Way | 'slack-button'; status: number; text: string }[] = [];

  beforeAll(async () => {
    const asked = await say(bot, CAST.collector, 'slack', 'limit C002 3500000 busier season');
    const card = await asked.answer;
    requestId = /#(\d+)/.exec(card)?.[1] ?? '';
    expect(requestId, card).not.toBe('');
    // Each approver has the list open, with its Approve button, before anyone presses.
    const tokens = new Map<string, string>();
    for (const who of DECIDERS) {
      const list = await (await say(bot, who, 'slack', 'approvals')).answer;
      const label = translate(who.locale)('approval.action.approve_id', { id: requestId });
      const buttons = [...list.matchAll(/"text":"((?:[^"\\]|\\.)*)"[^{}]*?\},"value":"([^"]+)"/g)];
      const button = buttons.find((b) => b[1] === label);
      expect(button, list).toBeDefined();
      tokens.set(who.name, button?.[2] ?? '');
    }
    const presses = DECIDERS.flatMap((who) =>
      (['slack-button', ...WAYS] as const).map((way) => ({ who, way })),
    );
    const sent = await Promise.all(
      presses.map(({ who, way }) =>
        say(bot, who, way, `approve ${requestId}`, {
          token: tokens.get(who.name) ?? '',
          timeoutMs: ANSWER_MS,
        }),
      ),
    );
    answers = await Promise.all(
      sent.map(async (s, i) => ({
        who: presses[i]?.who as CrowdMember,
        way: presses[i]?.way as Way,
        status: s.status,
        text: await s.answer,
      })),
    );
  });

  it('every press is acknowledged and answered', () => {
    expect(answers).toHaveLength(20);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(answers.filter((a) => isInternalError(a.text))).toEqual([]);
  });

  it('one press decides; everyone else is told, in their language, it was already decided', () => {
    const already = (a: (typeof answers)[number]) => {
      const t = translate(a.who.locale);
      return a.text.includes(
        t('approval.already_decided', { id: requestId, status: t('approval.state.approved') }),
      );
    };
    const deciding = answers.filter((a) => !already(a));
    expect(deciding.map((a) => `${a.who.name} ${a.way}: ${a.text}`)).toHaveLength(1);
    expect(answers.filter(already)).toHaveLength(19);
    winner = deciding[0]?.who.name ?? '';
  });
});

const CONTACTS = 50;

describe('50 contact logs on one customer at once', () => {
  const LOGS = CONTACTS;
  const loggers = [CAST.collector, ...COLLECTORS];
  let answers: { who: (typeof loggers)[number]; status: number; text: string }[] = [];

  beforeAll(async () => {
    const logs = Array.from({ length: LOGS }, (_, i) => ({
      who: loggers[i % loggers.length] as (typeof loggers)[number],
      way: WAYS[i % WAYS.length] as Way,
      note: `[burst ${i + 1}]`,
    }));
    const sent = await Promise.all(
      logs.map((l) =>
        say(bot, l.who, l.way, `log C001 call reached ${l.note}`, { timeoutMs: ANSWER_MS }),
      ),
    );
    answers = await Promise.all(
      sent.map(async (s, i) => ({
        who: logs[i]?.who as (typeof loggers)[number],
        status: s.status,
        text: await s.answer,
      })),
    );
  });

  it('answers each one that it was logged, in the logger’s language', () => {
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const logged = answers.filter((a) => {
      const locale = (a.who as Partial<CrowdMember>).locale ?? 'en';
      const title = translate(locale)('contact.logged.title', { customer: '\u0000' });
      return a.text.includes(title.split('\u0000')[0] ?? title);
    });
    expect(answers.filter((a) => !logged.includes(a)).map((a) => a.text)).toEqual([]);
    expect(logged).toHaveLength(LOGS);
  });
});

/** Someone the bot has never seen, whose first requests arrive together. */
const NEWCOMER = {
  role: 'viewer',
  name: 'Nora Newcomer',
  slack: 'UNEWCOMER1',
  line: `U${'0e'.repeat(16)}`,
  telegram: { id: 43_001, firstName: 'Nora' },
} as const;
const NEWCOMER_REQUESTS = 10;

describe('a newcomer’s first requests at once', () => {
  let answers: { status: number; text: string }[] = [];

  beforeAll(async () => {
    const sent = await Promise.all(
      Array.from({ length: NEWCOMER_REQUESTS }, (_, i) =>
        say(bot, NEWCOMER, WAYS[i % WAYS.length] as Way, 'C003', { timeoutMs: ANSWER_MS }),
      ),
    );
    answers = await Promise.all(
      sent.map(async (s) => ({ status: s.status, text: await s.answer })),
    );
  });

  it('answers every one with the card, not an internal error', () => {
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(answers.filter((a) => isInternalError(a.text) || !a.text.includes('C003'))).toEqual([]);
  });
});

/**
 * An import of invoices for C001 and C002 in batches, each its own commit: per batch every
 * C001 invoice is ¥1,000 and every C002 invoice ¥3,000, so the customers' exposure after any
 * number of whole batches is a multiple of the batch's share, and a batch seen half-written
 * would show an amount between two of them.
 */
const IMPORT = { batches: FULL ? 8 : 4, perBatch: 1_000, yen: { C001: 1_000, C002: 3_000 } };
/** On the server, `creditops import` runs as a second process beside the bot: rows of it. */
const CLI_ROWS = FULL ? 40_000 : 10_000;

function invoiceItems(batch: number, count: number) {
  return Array.from({ length: count }, (_, i) => {
    const code = i % 2 === 0 ? 'C001' : 'C002';
    return {
      externalId: `IMP-${batch}-${i}`,
      customerCode: code,
      issuedOn: '2026-11-02',
      currency: 'JPY',
      amount: String(IMPORT.yen[code]),
    };
  });
}

/** The exposure a look-up card shows, in yen, as the person reads it. */
function exposureOf(answer: string, t: (key: string) => string): number | undefined {
  const at = answer.indexOf(t('card.exposure'));
  if (at < 0) return undefined;
  const figure = /[0-9][0-9,]*/.exec(answer.slice(at + t('card.exposure').length))?.[0];
  return figure === undefined ? undefined : Number(figure.replaceAll(',', ''));
}

describe('look-ups while an import is written', () => {
  const reader = DECIDERS.find((d) => d.locale === 'en') as CrowdMember;
  const t = translate(reader.locale);
  const seen: { code: 'C001' | 'C002'; way: Way; exposure: number | undefined; text: string }[] =
    [];
  /** Per customer, the exposure after each whole commit, in order. */
  const committed = { C001: [] as number[], C002: [] as number[] };
  const imported = { batches: 0, cli: undefined as Finished | undefined };

  const look = async (code: 'C001' | 'C002', way: Way) => {
    const text = await (await say(bot, reader, way, code, { timeoutMs: ANSWER_MS })).answer;
    return { code, way, exposure: exposureOf(text, t), text };
  };

  beforeAll(async () => {
    for (const code of ['C001', 'C002'] as const) {
      const before = await look(code, 'slack');
      expect(before.exposure, before.text).toBeTypeOf('number');
      committed[code].push(before.exposure ?? 0);
    }
    const share = (code: 'C001' | 'C002', rows: number) => (rows / 2) * IMPORT.yen[code];
    let importing = true;
    const readers = (['C001', 'C002'] as const).flatMap((code) =>
      WAYS.map(async (way) => {
        while (importing) seen.push(await look(code, way));
      }),
    );
    try {
      for (let b = 1; b <= IMPORT.batches; b += 1) {
        const response = await bot.api('/invoices', {
          body: { items: invoiceItems(b, IMPORT.perBatch) },
        });
        expect(response.status, await response.clone().text()).toBe(200);
        for (const code of ['C001', 'C002'] as const) {
          committed[code].push((committed[code].at(-1) ?? 0) + share(code, IMPORT.perBatch));
        }
        imported.batches = b;
      }
      // A second process on the same database needs the server: an embedded data directory
      // is the bot's alone while it runs.
      if (bot.engine === 'server') {
        const file = join(mkdtempSync(join(tmpdir(), 'creditops-import-')), 'invoices.csv');
        const header = 'externalId,customerCode,issuedOn,currency,amount';
        const rows = invoiceItems(0, CLI_ROWS).map(
          (r) => `${r.externalId},${r.customerCode},${r.issuedOn},${r.currency},${r.amount}`,
        );
        writeFileSync(file, `${header}\n${rows.join('\n')}\n`);
        imported.cli = await finish(start('src/cli.ts', ['import', 'invoices', file], bot.env));
        rmSync(dirname(file), { recursive: true, force: true });
        for (const code of ['C001', 'C002'] as const) {
          committed[code].push((committed[code].at(-1) ?? 0) + share(code, CLI_ROWS));
        }
      }
    } finally {
      importing = false;
      await Promise.all(readers);
    }
    for (const code of ['C001', 'C002'] as const) seen.push(await look(code, 'slack'));
  });

  it('writes every batch', () => {
    expect(imported.batches).toBe(IMPORT.batches);
    if (imported.cli) expect(imported.cli, imported.cli.stderr).toMatchObject({ code: 0 });
  });

  it('answers every look-up with the customer as some whole commit left it', () => {
    expect(seen.length).toBeGreaterThan(IMPORT.batches);
    const odd = seen.filter(
      (s) => s.exposure === undefined || !committed[s.code].includes(s.exposure),
    );
    const states = new Set(seen.map((s) => `${s.code} ${s.exposure}`)).size;
    console.info(
      `${seen.length} look-ups during the import saw ${states} of ${committed.C001.length + committed.C002.length} committed states`,
    );
    expect(odd.map((s) => `${s.code} ${s.way}: ${s.exposure} — ${s.text.slice(0, 400)}`)).toEqual(
      [],
    );
    // The last look, after the import, shows all of it.
    for (const code of ['C001', 'C002'] as const) {
      expect(seen.findLast((s) => s.code === code)?.exposure).toBe(committed[code].at(-1));
    }
  });
});

describe('in the database', () => {
  let found: Awaited<ReturnType<typeof readEffects>>;
  beforeAll(async () => {
    found = await bot.read(readEffects);
  });

  it('holds one decision on the request, the decider’s, and the limit changed once', () => {
    expect(found.request).toMatchObject({ status: 'approved', decider: winner });
    expect(found.decisions).toEqual([{ decision: 'approve', decider: winner }]);
    expect(found.limit).toBe(3_500_000);
    const limits = found.entries.filter((e) => e.action === 'customer.limit');
    expect(limits).toHaveLength(1);
    expect(limits[0]?.before).toMatchObject({ creditLimitMinor: 3_000_000 });
    expect(limits[0]?.after).toMatchObject({ creditLimitMinor: 3_500_000 });
    expect(found.entries.filter((e) => e.action === 'approval.approved')).toHaveLength(1);
  });

  it('holds all fifty contacts, each audited once', () => {
    expect(found.contacts).toHaveLength(CONTACTS);
    expect(new Set(found.contacts.map((c) => c.note)).size).toBe(CONTACTS);
    const ids = new Set(found.contacts.map((c) => String(c.id)));
    expect(
      found.entries.filter((e) => e.action === 'contact.log' && ids.has(e.entity_id)),
    ).toHaveLength(CONTACTS);
  });

  it('makes the newcomer one user per platform, each audited once', () => {
    expect(found.newcomers).toHaveLength(WAYS.length);
    const ids = new Set(found.newcomers.map((n) => String(n.user_id)));
    expect(
      found.entries.filter((e) => e.action === 'user.create' && ids.has(e.entity_id)),
    ).toHaveLength(WAYS.length);
  });

  it('holds every imported invoice, each REST batch and the file audited once', () => {
    const cli = bot.engine === 'server' ? CLI_ROWS : 0;
    expect(found.invoices).toBe(IMPORT.batches * IMPORT.perBatch + cli);
    expect(found.entries.filter((e) => e.action === 'api.upsert')).toHaveLength(IMPORT.batches);
    const cliEntries = found.entries.filter((e) => e.action === 'import.upsert');
    expect(cliEntries.map((e) => e.after)).toEqual(
      cli
        ? [
            {
              file: 'invoices.csv',
              read: cli,
              inserted: cli,
              updated: 0,
              unchanged: 0,
              rejected: 0,
            },
          ]
        : [],
    );
  });

  it('audits every change with its actor, before and after', () => {
    expect(found.gaps).toEqual([]);
  });
});

describe('the logs', () => {
  it('hold no token, signing secret or API key, and no error', () => {
    expect(bot.leakedSecrets()).toEqual([]);
    expect(bot.logRecords().filter((r) => r.level === 'error')).toEqual([]);
    expect(bot.exits.filter((e) => e.code !== 0)).toEqual([]);
  });
});

/** Everything the crowd could have written wrongly, in one read. */
async function readEffects(db: Kysely<DB>) {
  const id = Number(requestId);
  return {
    request: await db
      .selectFrom('approval_requests as r')
      .leftJoin('users as u', 'u.id', 'r.decided_by_user_id')
      .select(['r.status', 'u.display_name as decider'])
      .where('r.id', '=', id)
      .executeTakeFirst(),
    decisions: await db
      .selectFrom('approval_decisions as d')
      .innerJoin('users as u', 'u.id', 'd.user_id')
      .select(['d.decision', 'u.display_name as decider'])
      .where('d.request_id', '=', id)
      .execute(),
    limit: (
      await db
        .selectFrom('customers')
        .select('credit_limit_minor')
        .where('code', '=', 'C002')
        .executeTakeFirstOrThrow()
    ).credit_limit_minor,
    contacts: await db
      .selectFrom('contacts')
      .select(['id', 'note'])
      .where('note', 'like', '[burst %')
      .execute(),
    invoices: Number(
      (
        await db
          .selectFrom('invoices')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('external_id', 'like', 'IMP-%')
          .executeTakeFirstOrThrow()
      ).n,
    ),
    newcomers: await db
      .selectFrom('platform_identities')
      .select(['user_id', 'platform'])
      .where('external_id', 'in', [NEWCOMER.slack, NEWCOMER.line, String(NEWCOMER.telegram.id)])
      .execute(),
    entries: await auditEntries(db),
    gaps: await auditGaps(db),
  };
}
