import { type Kysely, sql } from 'kysely';
import type { DB } from '../../../src/db/schema.ts';

// The audit promise, checked against the rows themselves: every contact, promise, approval
// request and decision has exactly one audit entry, naming who did it, with what was there
// before (null for something new) and what is there after.

/** The audit action that records the making of a row of each audited table. */
export const AUDITED = {
  contacts: { entityType: 'contact', actions: ['contact.log'] },
  promises: { entityType: 'promise', actions: ['promise.create'] },
  approval_requests: { entityType: 'approval_request', actions: ['approval.request'] },
} as const;

export interface AuditEntry {
  readonly id: number;
  readonly actor: string;
  readonly action: string;
  readonly entity_type: string;
  readonly entity_id: string;
  readonly before: unknown;
  readonly after: unknown;
}

export async function auditEntries(db: Kysely<DB>): Promise<AuditEntry[]> {
  return db
    .selectFrom('audit_log')
    .select(['id', 'actor', 'action', 'entity_type', 'entity_id', 'before', 'after'])
    .orderBy('id')
    .execute();
}

/**
 * What breaks the promise, in words ("contact 3: 2 audit entries"); empty when it holds.
 * Decisions are audited per request: one `approval.<outcome>` entry per decision row.
 */
export async function auditGaps(db: Kysely<DB>): Promise<string[]> {
  const entries = await auditEntries(db);
  const gaps: string[] = [];
  for (const [table, { entityType, actions }] of Object.entries(AUDITED)) {
    const { rows } = await sql<{
      id: number;
    }>`select id from ${sql.table(table)} order by id`.execute(db);
    for (const { id } of rows) {
      const made = entries.filter(
        (e) =>
          e.entity_type === entityType &&
          e.entity_id === String(id) &&
          (actions as readonly string[]).includes(e.action),
      );
      if (made.length !== 1) gaps.push(`${entityType} ${id}: ${made.length} audit entries`);
    }
  }
  const decisions = await db
    .selectFrom('approval_decisions')
    .select(['request_id', 'decision'])
    .execute();
  const requests = new Set(decisions.map((d) => d.request_id));
  for (const requestId of requests) {
    const made = decisions.filter((d) => d.request_id === requestId).length;
    const audited = entries.filter(
      (e) =>
        e.entity_type === 'approval_request' &&
        e.entity_id === String(requestId) &&
        /^approval\.(approved|rejected|step_approved)$/.test(e.action),
    ).length;
    if (made !== audited) gaps.push(`approval ${requestId}: ${made} decisions, ${audited} audited`);
  }
  for (const e of entries) {
    if (!e.actor.trim()) gaps.push(`audit ${e.id} (${e.action}): no actor`);
    if (e.after === null || e.after === undefined)
      gaps.push(`audit ${e.id} (${e.action}): no after`);
    // Only a row made anew has nothing before it.
    const creates = /\.(log|create|request|upsert)$/.test(e.action);
    if (!creates && (e.before === null || e.before === undefined)) {
      gaps.push(`audit ${e.id} (${e.action}): no before`);
    }
  }
  return gaps;
}
