import { type Kysely, sql } from 'kysely';
import type { AuditRepository, Store } from '../app/ports.ts';
import { createAlertRepository } from './alert-repository.ts';
import { createApprovalRepository } from './approval-repository.ts';
import { createAssessmentRepository } from './assessment-repository.ts';
import { createSubscriptionRepository } from './channel-subscriptions.ts';
import {
  createActionTokenRepository,
  createChannelRepository,
  createInboundEventRepository,
} from './chat-repositories.ts';
import { createCollectionsRepository } from './collections-repository.ts';
import { createContactRepository } from './contact-repository.ts';
import { createCustomerRepository } from './customer-repository.ts';
import { createDigestRepository } from './digest-repository.ts';
import { createHomeRepository } from './home-repository.ts';
import { createIdempotencyRepository } from './idempotency-repository.ts';
import { createKpiRepository } from './kpi-repository.ts';
import { createLedgerWriter } from './ledger-writer.ts';
import { createOutboxRepository } from './outbox-repository.ts';
import { createReportRepository } from './report-repository.ts';
import type { DB } from './schema.ts';
import { createUserRepository } from './user-repository.ts';

function createAuditRepository(db: Kysely<DB>): AuditRepository {
  return {
    async record(entry) {
      await db
        .insertInto('audit_log')
        .values({
          actor: entry.actor,
          action: entry.action,
          entity_type: entry.entityType,
          entity_id: entry.entityId,
          before: JSON.stringify(entry.before ?? null),
          after: JSON.stringify(entry.after ?? null),
          correlation_id: entry.correlationId ?? null,
        })
        .execute();
    },
  };
}

/**
 * The repositories over one executor. Inside `transaction`, every repository runs on the
 * transaction's connection: nothing a use case writes there escapes a rollback.
 */
export function createStore(db: Kysely<DB>): Store {
  return {
    customers: createCustomerRepository(db),
    users: createUserRepository(db),
    audit: createAuditRepository(db),
    ledger: createLedgerWriter(db),
    reports: createReportRepository(db),
    idempotency: createIdempotencyRepository(db),
    assessments: createAssessmentRepository(db),
    kpis: createKpiRepository(db),
    contacts: createContactRepository(db),
    collections: createCollectionsRepository(db),
    outbox: createOutboxRepository(db),
    approvals: createApprovalRepository(db),
    actionTokens: createActionTokenRepository(db),
    inbound: createInboundEventRepository(db),
    channels: createChannelRepository(db),
    subscriptions: createSubscriptionRepository(db),
    home: createHomeRepository(db),
    digests: createDigestRepository(db),
    alerts: createAlertRepository(db),
    async ping() {
      await sql`select 1`.execute(db);
    },
    transaction(work) {
      if (db.isTransaction) return work(createStore(db));
      return db.transaction().execute((trx) => work(createStore(trx)));
    },
  };
}
