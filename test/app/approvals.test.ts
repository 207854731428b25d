import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApprovalDeps,
  cancelApproval,
  decideApproval,
  expireAndRemind,
  listDecidable,
  requestLimitChange,
  requestPhaseChange,
  requestProposals,
} from '../../src/app/approvals.ts';
import type { User } from '../../src/app/ports.ts';
import { approvalCard } from '../../src/chat/approval-card.ts';
import { createI18n } from '../../src/chat/i18n.ts';
import type { Role } from '../../src/domain/credit.ts';
import { TEST_NOW, TEST_TIMEZONE } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { approvalDeps } from './approval-fixture.ts';

// Four-eyes approvals on a real engine: one decision however many click, the change in the
// same transaction as the decision, nothing at all when any part fails.

let database: TestDatabase;
let deps: ApprovalDeps;
let now = TEST_NOW;

beforeAll(async () => {
  database = await createTestDatabase({ base: 'demo' });
  deps = approvalDeps(database.store, { now: () => now });
});
afterAll(async () => {
  await database?.close();
});

let people = 0;
async function person(role: Role, name = `${role}-${people + 1}`): Promise<User> {
  people += 1;
  return database.store.users.create({
    identity: { platform: 'slack', externalId: `U-${role}-${people}` },
    displayName: name,
    role,
  });
}

async function customer(code: string) {
  return database.db
    .selectFrom('customers')
    .select(['id', 'credit_limit_minor', 'phase', 'credit_hold'])
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
}

/** The amount text for the customer's current limit plus `major` units of its currency. */
async function raised(code: string, major: number): Promise<string> {
  const row = await database.db
    .selectFrom('customers')
    .select(['credit_limit_minor', 'currency'])
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  const unit = row.currency === 'JPY' ? 1 : 100;
  return String(row.credit_limit_minor / unit + major);
}

async function count(table: 'approval_decisions' | 'audit_log' | 'credit_assessments' | 'outbox') {
  return Number(
    (
      await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

async function requestFor(code: string, amount: string, requester?: User) {
  const result = await requestLimitChange(deps, requester ?? (await person('sales')), {
    query: code,
    amountText: amount,
    reason: 'Orders up for the new season',
  });
  if (result.kind !== 'requested') throw new Error(`expected a request, got ${result.kind}`);
  return result.view;
}

describe('limit requests', () => {
  it('routes by size, posts the card to the approvals channel, and refuses a second pending one', async () => {
    const before = await count('outbox');
    const view = await requestFor('C0002', '9,990万');
    expect(view.status).toBe('pending');
    expect(view.change).toMatchObject({ kind: 'limit' });
    expect(view.steps.length).toBeGreaterThanOrEqual(1);
    expect(await count('outbox')).toBe(before + 1);
    const again = await requestLimitChange(deps, await person('sales'), {
      query: 'C0002',
      amountText: '2000万',
      reason: 'again',
    });
    expect(again.kind).toBe('already_pending');
  });

  it('asks back an ambiguous amount instead of guessing, and writes nothing', async () => {
    const before = await count('audit_log');
    await expect(
      requestLimitChange(deps, await person('sales'), {
        query: 'C0003',
        amountText: '1.200',
        reason: 'x',
      }),
    ).rejects.toMatchObject({ code: 'errors.amount.ambiguous' });
    expect(await count('audit_log')).toBe(before);
  });
});

describe('a request delivered again', () => {
  it('after its approval is a repeat, not a refusal of a change already made', async () => {
    const code = 'C0020';
    const requester = await person('sales');
    const input = {
      query: code,
      amountText: await raised(code, 500),
      reason: 'Orders up for the new season',
      delivery: { platform: 'slack', eventId: 'trigger:redelivered-after-approval' },
    };
    const first = await requestLimitChange(deps, requester, input);
    if (first.kind !== 'requested') throw new Error(`expected a request, got ${first.kind}`);
    await decideApproval(deps, await person('director'), {
      requestId: first.view.id,
      decision: 'approve',
    });
    expect(await requestLimitChange(deps, requester, input)).toEqual({ kind: 'repeat' });
  });
});

describe('deciding', () => {
  it('gives exactly one decision when 20 approvers click at once', async () => {
    const code = 'C0004';
    const { id: customerId, credit_limit_minor: before } = await customer(code);
    const view = await requestFor(code, await raised(code, 1_000));
    const approvers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => person('credit_manager', `cm-${i}`)),
    );
    const decisions = await count('approval_decisions');
    const audits = await count('audit_log');
    const assessments = await count('credit_assessments');
    const results = await Promise.all(
      approvers.map((user) =>
        decideApproval(deps, user, { requestId: view.id, decision: 'approve' }),
      ),
    );
    const kinds = results.map((r) => r.kind);
    expect(kinds.filter((k) => k === 'approved')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'already_decided')).toHaveLength(19);
    expect(await count('approval_decisions')).toBe(decisions + 1);
    // One decision entry and one limit-change entry.
    expect(await count('audit_log')).toBe(audits + 2);
    expect(await count('credit_assessments')).toBe(assessments + 1);
    expect((await customer(code)).credit_limit_minor).toBeGreaterThan(before);
    const changes = await database.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'customer.limit')
      .where('entity_id', '=', String(customerId))
      .execute();
    expect(changes).toHaveLength(1);
    expect(changes[0]?.before).toEqual({ creditLimitMinor: before });
  });

  it('refuses the requester, a role the step does not name, and a second approval by one person', async () => {
    const requester = await person('sales');
    const view = await requestFor('C0011', '1億', requester);
    await expect(
      decideApproval(deps, requester, { requestId: view.id, decision: 'approve' }),
    ).rejects.toMatchObject({ code: 'errors.approval.self' });
    await expect(
      decideApproval(deps, await person('collector'), { requestId: view.id, decision: 'approve' }),
    ).rejects.toMatchObject({ code: 'errors.approval.role' });
    if (view.steps.length > 1) {
      const director = await person('director');
      const first = await decideApproval(deps, director, {
        requestId: view.id,
        decision: 'approve',
      });
      expect(first.kind).toBe('step_approved');
      await expect(
        decideApproval(deps, director, { requestId: view.id, decision: 'approve' }),
      ).rejects.toMatchObject({ code: 'errors.approval.twice' });
      const second = await decideApproval(deps, await person('director'), {
        requestId: view.id,
        decision: 'approve',
      });
      expect(second.kind).toBe('approved');
    }
  });

  it('needs a reason to reject, and tells a late clicker it was already decided', async () => {
    const view = await requestFor('C0012', '200万');
    const manager = await person('credit_manager');
    await expect(
      decideApproval(deps, manager, { requestId: view.id, decision: 'reject', reason: ' ' }),
    ).rejects.toMatchObject({ code: 'errors.approval.reason_required' });
    const rejected = await decideApproval(deps, manager, {
      requestId: view.id,
      decision: 'reject',
      reason: 'Overdue invoices first',
    });
    expect(rejected.kind).toBe('rejected');
    const late = await decideApproval(deps, await person('director'), {
      requestId: view.id,
      decision: 'approve',
    });
    expect(late.kind).toBe('already_decided');
    if (late.kind === 'already_decided') expect(late.view.status).toBe('rejected');
  });

  it('leaves both the decision and the change undone when the change fails', async () => {
    const code = 'C0013';
    const { credit_limit_minor: before } = await customer(code);
    const view = await requestFor(code, await raised(code, 1_000));
    // A failure between the decision and the change, injected in the database itself.
    await sql`
      create or replace function refuse_limit_change() returns trigger language plpgsql as $$
      begin
        if new.code = 'C0013' and new.credit_limit_minor <> old.credit_limit_minor then
          raise exception 'injected failure';
        end if;
        return new;
      end $$`.execute(database.db);
    await sql`create trigger refuse_limit_change before update on customers
      for each row execute function refuse_limit_change()`.execute(database.db);
    const decisions = await count('approval_decisions');
    const audits = await count('audit_log');
    const outbox = await count('outbox');
    try {
      await expect(
        decideApproval(deps, await person('credit_manager'), {
          requestId: view.id,
          decision: 'approve',
        }),
      ).rejects.toThrow(/injected failure/);
    } finally {
      await sql`drop trigger refuse_limit_change on customers`.execute(database.db);
    }
    expect((await customer(code)).credit_limit_minor).toBe(before);
    expect(await count('approval_decisions')).toBe(decisions);
    expect(await count('audit_log')).toBe(audits);
    expect(await count('outbox')).toBe(outbox);
    const status = await database.db
      .selectFrom('approval_requests')
      .select('status')
      .where('id', '=', view.id)
      .executeTakeFirstOrThrow();
    expect(status.status).toBe('pending');
  });
});

describe('phase moves', () => {
  it('moves to incident with its effects: credit hold and a zero limit, owner notified', async () => {
    const requester = await person('collector');
    const result = await requestPhaseChange(deps, requester, {
      query: 'C0005',
      phaseText: 'incident',
      reason: 'Bankruptcy filing reported',
    });
    expect(result.kind).toBe('requested');
    if (result.kind !== 'requested') return;
    const decided = await decideApproval(deps, await person('credit_manager'), {
      requestId: result.view.id,
      decision: 'approve',
    });
    expect(decided.kind).toBe('approved');
    expect(await customer('C0005')).toMatchObject({
      phase: 'incident',
      credit_hold: true,
      credit_limit_minor: 0,
    });
  });

  it('refuses a move the phase model does not allow', async () => {
    await expect(
      requestPhaseChange(deps, await person('credit_manager'), {
        query: 'C0007',
        phaseText: 'ongoing',
        reason: 'x',
      }),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^errors\.phase\./) });
  });
});

describe('lifecycle', () => {
  it('lets the requester cancel, lists what each approver may decide, and expires late requests', async () => {
    const requester = await person('sales');
    const cancelled = await requestFor('C0014', '300万', requester);
    await expect(cancelApproval(deps, await person('sales'), cancelled.id)).rejects.toMatchObject({
      code: 'errors.approval.cannot_cancel',
    });
    expect((await cancelApproval(deps, requester, cancelled.id)).status).toBe('cancelled');

    const open = await requestFor('C0015', '300万', requester);
    const manager = await person('credit_manager');
    const mine = await listDecidable(deps, manager);
    expect(mine.map((v) => v.id)).toContain(open.id);
    expect(mine.map((v) => v.id)).not.toContain(cancelled.id);
    expect((await listDecidable(deps, requester)).map((v) => v.id)).not.toContain(open.id);
    const created = mine.map((v) => v.createdAt.getTime());
    expect([...created].sort((a, b) => a - b)).toEqual(created);

    now = new Date(TEST_NOW.getTime() + 30 * 86_400_000);
    try {
      const swept = await expireAndRemind(deps);
      expect(swept.expired).toBeGreaterThanOrEqual(1);
      await expect(
        decideApproval(deps, manager, { requestId: open.id, decision: 'approve' }),
      ).resolves.toMatchObject({ kind: 'already_decided', view: { status: 'expired' } });
    } finally {
      now = TEST_NOW;
    }
  });
});

describe('proposals of the phase rules', () => {
  it('go to the approvers with the system as requester and the rules as the reason, once', async () => {
    const first = await requestProposals(deps);
    expect(first.requested.length).toBeGreaterThan(0);
    for (const view of first.requested) {
      expect(view.requester.system).toBe(true);
      expect(view.kind).toBe('phase');
      expect(view.ruleReasons?.length).toBeGreaterThan(0);
    }
    const again = await requestProposals(deps);
    expect(again.requested).toEqual([]);
    expect(again.waiting.map((v) => v.id).sort()).toEqual(
      expect.arrayContaining(first.requested.map((v) => v.id).sort()),
    );
    // The card words the rule in the reader's language.
    const view = first.requested[0];
    if (!view) return;
    const ja = approvalCard(view, {
      t: createI18n().t('ja'),
      locale: 'ja',
      timeZone: TEST_TIMEZONE,
    });
    const reason =
      ja.fields?.find((f) => f.label === '申請理由' || f.label === '理由')?.value ?? '';
    expect(reason).not.toMatch(/^[a-z_, ]+$/);
  });
});
