import type { AgingBucket } from '../domain/aging.ts';
import type { ContactMethod, ContactOutcome, Phase, Rating, Role } from '../domain/credit.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { Money } from '../domain/money.ts';
import type { AlertRepository } from './alert-ports.ts';
import type { ApprovalRepository } from './approval-ports.ts';
import type { AssessmentDetail, AssessmentRepository } from './assessment-ports.ts';
import type { SubscriptionRepository } from './channel-ports.ts';
import type {
  ActionTokenRepository,
  ChannelRepository,
  InboundEventRepository,
} from './chat-ports.ts';
import type { CollectionsRepository, ContactRepository } from './collections-ports.ts';
import type { DigestRepository } from './digest-ports.ts';
import type { HomeRepository } from './home-ports.ts';
import type { LedgerWriter } from './ingest/records.ts';
import type { KpiRepository } from './kpi-ports.ts';
import type { Locale } from './locales.ts';
import type { OutboxRepository } from './outbox-ports.ts';

// The ports the use cases need. `src/db/` implements them over Kysely; tests use the same
// implementation on a real engine.

export interface Clock {
  now(): Date;
}

export type NameKind = 'code' | 'legal' | 'kana' | 'romaji' | 'pinyin' | 'alias';

export interface CustomerMatch {
  readonly customerId: number;
  readonly code: string;
  readonly legalName: string;
  /** The stored name that matched best, in the form it was written. */
  readonly matchedName: string;
  readonly matchedKind: NameKind;
  /** exact: the whole normalized name; partial: prefix or substring; similar: trigram. */
  readonly quality: 'exact' | 'partial' | 'similar';
  readonly similarity: number;
}

export interface AgingRow {
  readonly currency: string;
  /** Open, undisputed amount per bucket, in the order of the buckets asked for. */
  readonly bucketMinor: readonly number[];
  readonly bucketCount: readonly number[];
  readonly disputedMinor: number;
  readonly disputedCount: number;
}

export interface ContactSummary {
  readonly contactedAt: Date;
  readonly method: ContactMethod;
  readonly outcome: ContactOutcome;
  readonly actorLabel: string;
  readonly note: string | null;
}

export interface PromiseSummary {
  readonly promisedOn: IsoDate;
  readonly amount: Money;
  readonly status: 'pending' | 'kept' | 'broken' | 'cancelled';
}

export interface CustomerSnapshot {
  readonly id: number;
  readonly code: string;
  readonly legalName: string;
  readonly nameKana: string | null;
  readonly country: string;
  readonly currency: string;
  readonly segment: string;
  readonly ownerName: string | null;
  readonly phase: Phase;
  readonly creditLimit: Money;
  readonly creditHold: boolean;
  readonly strategic: boolean;
  readonly blacklisted: boolean;
  readonly nextReviewOn: IsoDate | null;
  readonly assessment:
    | {
        readonly score: number;
        readonly rating: Rating;
        readonly pd: number | null;
        readonly assessedAt: Date;
        /** The "why" and the recommended limit with its components. */
        readonly detail: AssessmentDetail;
      }
    | undefined;
  readonly aging: readonly AgingRow[];
  readonly openOrders: Money;
  /** Days past due of the oldest open, undisputed invoice; 0 when nothing is overdue. */
  readonly maxDaysOverdue: number;
  readonly lastContacts: readonly ContactSummary[];
  readonly openPromises: readonly PromiseSummary[];
}

export interface CustomerRepository {
  /** Customers whose names match any of the normalized keys, best first. */
  search(keys: readonly string[], limit: number): Promise<CustomerMatch[]>;
  snapshot(input: {
    readonly customerId: number;
    readonly asOf: IsoDate;
    readonly buckets: readonly AgingBucket[];
  }): Promise<CustomerSnapshot | undefined>;
  /** All customers, or those one person owns. */
  count(filter?: { readonly ownerUserId?: number }): Promise<number>;
}

export interface PaymentBehaviourRow {
  readonly customerCode: string;
  /** Invoices settled in the window. */
  readonly settledCount: number;
  readonly lateCount: number;
  /** Sum over settled invoices of max(0, settled − due), in days. */
  readonly totalDaysLate: number;
}

export interface ReportRepository {
  portfolioAging(input: {
    readonly asOf: IsoDate;
    readonly buckets: readonly AgingBucket[];
    readonly currency?: string;
  }): Promise<AgingRow[]>;
  paymentBehaviour(input: {
    readonly from?: IsoDate;
    readonly to?: IsoDate;
  }): Promise<PaymentBehaviourRow[]>;
}

export interface User {
  readonly id: number;
  readonly displayName: string;
  readonly role: Role;
  readonly locale: Locale | null;
}

export interface Identity {
  readonly platform: string;
  readonly externalId: string;
}

export interface UserRepository {
  findByIdentity(identity: Identity): Promise<User | undefined>;
  create(input: {
    readonly identity: Identity;
    readonly displayName: string;
    readonly role: Role;
  }): Promise<User>;
  setLocale(userId: number, locale: Locale | null): Promise<void>;
  /** Every user with the platform identities that reach them, in id order. */
  list(): Promise<UserWithIdentities[]>;
  update(
    userId: number,
    changes: { readonly role?: Role; readonly displayName?: string },
  ): Promise<void>;
  /**
   * The ids of the admins. Inside a transaction it locks their rows, so two demotions
   * running at once cannot both see another admin left.
   */
  lockAdmins(): Promise<number[]>;
}

export interface UserWithIdentities extends User {
  readonly identities: readonly Identity[];
}

export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly correlationId?: string;
}

export interface AuditRepository {
  record(entry: AuditEntry): Promise<void>;
}

/** What an earlier request with the same Idempotency-Key left behind. */
export interface StoredResponse {
  readonly requestHash: string;
  /** Undefined while that request's transaction has not saved its answer. */
  readonly response: { readonly status: number; readonly body: unknown } | undefined;
}

/**
 * Idempotency keys of the REST API, per actor, in Postgres so every replica sees them.
 * Both calls belong inside the transaction of the effect they guard.
 */
export interface IdempotencyStore {
  /**
   * Takes the key for this request, or returns what holds it already. Waits while a
   * concurrent transaction holds the same key, so two requests never both apply.
   */
  claim(input: {
    readonly actor: string;
    readonly key: string;
    readonly requestHash: string;
  }): Promise<StoredResponse | undefined>;
  save(input: {
    readonly actor: string;
    readonly key: string;
    readonly status: number;
    readonly body: unknown;
  }): Promise<void>;
}

/** Repositories bound to one connection or transaction; use cases own the transactions. */
export interface Store {
  readonly customers: CustomerRepository;
  readonly users: UserRepository;
  readonly audit: AuditRepository;
  readonly ledger: LedgerWriter;
  readonly reports: ReportRepository;
  readonly idempotency: IdempotencyStore;
  readonly assessments: AssessmentRepository;
  readonly kpis: KpiRepository;
  readonly contacts: ContactRepository;
  readonly collections: CollectionsRepository;
  readonly outbox: OutboxRepository;
  readonly approvals: ApprovalRepository;
  readonly actionTokens: ActionTokenRepository;
  readonly inbound: InboundEventRepository;
  readonly channels: ChannelRepository;
  readonly subscriptions: SubscriptionRepository;
  readonly home: HomeRepository;
  readonly digests: DigestRepository;
  readonly alerts: AlertRepository;
  /** A round trip to the database (`select 1`), for health checks. */
  ping(): Promise<void>;
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
}

/** Structured logs. Never pass secrets or message bodies with personal data as fields. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
