import { type Kysely, sql } from 'kysely';
import type { ApprovalRepository, StoredApproval } from '../app/approval-ports.ts';
import type { Phase, Role } from '../domain/credit.ts';
import type { DB } from './schema.ts';

type Row = {
  id: number;
  kind: string;
  status: string;
  customer_id: number;
  requested_by_user_id: number | null;
  requested_by_label: string;
  payload: Record<string, unknown>;
  reason: string;
  steps: string[][];
  current_step: number;
  notify_owner: boolean;
  source: string;
  created_at: Date;
  expires_at: Date | null;
  decided_at: Date | null;
  decision_reason: string | null;
};

const COLUMNS = [
  'r.id',
  'r.kind',
  'r.status',
  'r.customer_id',
  'r.requested_by_user_id',
  'r.requested_by_label',
  'r.payload',
  'r.reason',
  'r.steps',
  'r.current_step',
  'r.notify_owner',
  'r.source',
  'r.created_at',
  'r.expires_at',
  'r.decided_at',
  'r.decision_reason',
] as const;

export function createApprovalRepository(db: Kysely<DB>): ApprovalRepository {
  async function decisionsOf(ids: readonly number[]) {
    if (ids.length === 0) return [];
    return db
      .selectFrom('approval_decisions as d')
      .innerJoin('users as u', 'u.id', 'd.user_id')
      .select([
        'd.request_id',
        'd.user_id',
        'u.display_name',
        'd.decision',
        'd.reason',
        'd.decided_at',
        'd.step',
      ])
      .where('d.request_id', 'in', ids)
      .orderBy('d.id')
      .execute();
  }

  async function withDecisions(rows: readonly Row[]): Promise<StoredApproval[]> {
    const decisions = await decisionsOf(rows.map((r) => r.id));
    return rows.map((row) => {
      const own = decisions.filter((d) => d.request_id === row.id);
      return {
        id: row.id,
        kind: row.kind as StoredApproval['kind'],
        status: row.status as StoredApproval['status'],
        customerId: row.customer_id,
        requestedByUserId: row.requested_by_user_id,
        requestedByLabel: row.requested_by_label,
        payload: row.payload,
        reason: row.reason,
        steps: row.steps as Role[][],
        currentStep: row.current_step,
        notifyOwner: row.notify_owner,
        source: row.source as StoredApproval['source'],
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        decidedAt: row.decided_at,
        decisionReason: row.decision_reason,
        decisions: own.map((d) => ({
          userLabel: d.display_name,
          decision: d.decision as 'approve' | 'reject',
          reason: d.reason,
          at: d.decided_at,
          step: d.step,
        })),
        decidedUserIds: own.map((d) => d.user_id),
      };
    });
  }

  return {
    async insert(request) {
      const row = await db
        .insertInto('approval_requests')
        .values({
          kind: request.kind,
          customer_id: request.customerId,
          requested_by_user_id: request.requestedByUserId,
          requested_by_label: request.requestedByLabel,
          payload: JSON.stringify(request.payload),
          reason: request.reason,
          steps: JSON.stringify(request.steps),
          required_approvals: request.steps.length,
          notify_owner: request.notifyOwner,
          source: request.source,
          platform: request.platform,
          created_at: request.createdAt,
          updated_at: request.createdAt,
          expires_at: request.expiresAt,
        })
        .onConflict((oc) =>
          oc.columns(['customer_id', 'kind']).where('status', '=', 'pending').doNothing(),
        )
        .returning('id')
        .executeTakeFirst();
      return row?.id;
    },

    async pendingId(customerId, kind) {
      const row = await db
        .selectFrom('approval_requests')
        .select('id')
        .where('customer_id', '=', customerId)
        .where('kind', '=', kind)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return row?.id;
    },

    async find(id) {
      const rows = (await db
        .selectFrom('approval_requests as r')
        .select(COLUMNS)
        .where('r.id', '=', id)
        .execute()) as Row[];
      return (await withDecisions(rows))[0];
    },

    async advance({ id, expectedStep, outcome, userId, reason, at }) {
      const final = outcome !== 'step_approved';
      const status =
        outcome === 'step_approved' ? 'pending' : outcome === 'approved' ? 'approved' : outcome;
      const moved = await db
        .updateTable('approval_requests')
        .set({
          status,
          current_step:
            outcome === 'step_approved' || outcome === 'approved' ? expectedStep + 1 : expectedStep,
          updated_at: at,
          ...(final ? { decided_at: at, decided_by_user_id: userId, decision_reason: reason } : {}),
        })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('current_step', '=', expectedStep)
        .returning('id')
        .executeTakeFirst();
      return moved !== undefined;
    },

    async recordDecision({ id, userId, decision, reason, step, at }) {
      await db
        .insertInto('approval_decisions')
        .values({ request_id: id, user_id: userId, decision, reason, step, decided_at: at })
        .execute();
    },

    async applyLimit({ customerId, fromMinor, toMinor, requestId, actor, at }) {
      const moved = await db
        .updateTable('customers')
        .set({ credit_limit_minor: toMinor, updated_at: at })
        .where('id', '=', customerId)
        .where('credit_limit_minor', '=', fromMinor)
        .returning('id')
        .executeTakeFirst();
      if (!moved) return false;
      // The granted limit joins the assessment history: the latest assessment's findings
      // with the approved limit, so the card and the audit trail show where it came from.
      await sql`
        insert into credit_assessments
          (customer_id, assessed_at, scorecard_version, score, rating, pd, currency,
           recommended_limit_minor, limit_components, inputs, contributions, source, actor)
        select customer_id, ${at}, scorecard_version, score, rating, pd, currency,
               recommended_limit_minor, limit_components,
               inputs || jsonb_build_object('approvedLimitMinor', ${toMinor}::bigint,
                                            'approvalRequestId', ${requestId}::bigint),
               contributions, 'approval', ${actor}
        from credit_assessments
        where customer_id = ${customerId}
        order by assessed_at desc, id desc
        limit 1`.execute(db);
      return true;
    },

    async applyPhase({ customerId, from, to, creditHold, limitMinor }) {
      const moved = await db
        .updateTable('customers')
        .set({
          phase: to,
          updated_at: new Date(),
          ...(creditHold === undefined ? {} : { credit_hold: creditHold }),
          ...(limitMinor === undefined ? {} : { credit_limit_minor: limitMinor }),
        })
        .where('id', '=', customerId)
        .where('phase', '=', from satisfies Phase)
        .returning('id')
        .executeTakeFirst();
      return moved !== undefined;
    },

    async pending() {
      const rows = (await db
        .selectFrom('approval_requests as r')
        .select(COLUMNS)
        .where('r.status', '=', 'pending')
        .orderBy('r.created_at')
        .orderBy('r.id')
        .execute()) as Row[];
      return withDecisions(rows);
    },

    async expire(now) {
      const rows = await db
        .updateTable('approval_requests')
        .set({ status: 'expired', decided_at: now, updated_at: now })
        .where('status', '=', 'pending')
        .where('expires_at', '<=', now)
        .returning('id')
        .execute();
      return rows.map((r) => r.id);
    },

    async remind(now, shareBp) {
      const rows = await db
        .updateTable('approval_requests')
        .set({ reminded_at: now })
        .where('status', '=', 'pending')
        .where('reminded_at', 'is', null)
        .where('expires_at', 'is not', null)
        .where(
          sql<boolean>`created_at + (expires_at - created_at) * ${shareBp / 10_000}::float8 <= ${now}`,
        )
        .returning('id')
        .execute();
      return rows.map((r) => r.id);
    },

    async addresses(userIds) {
      if (userIds.length === 0) return [];
      const rows = await db
        .selectFrom('platform_identities')
        .select(['user_id', 'platform', 'external_id'])
        .where('user_id', 'in', [...userIds])
        .where('platform', 'not in', ['console', 'demo', 'test'])
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        userId: r.user_id,
        platform: r.platform,
        externalId: r.external_id,
      }));
    },

    async ownerOf(customerId) {
      const row = await db
        .selectFrom('customers')
        .select('owner_user_id')
        .where('id', '=', customerId)
        .executeTakeFirst();
      return row?.owner_user_id ?? undefined;
    },
  };
}
