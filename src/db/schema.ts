import type { ColumnType, Generated, JSONColumnType } from 'kysely';

// Table types as both engines return them, given the type parsers in `connection.ts`:
// int8 → number (safe integers only), date → 'YYYY-MM-DD' string, timestamptz → Date.
type Id = Generated<number>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type DateColumn = string;
type Json<T extends object | null> = JSONColumnType<T, T | string, T | string>;
type JsonDefault<T> = ColumnType<T, T | string | undefined, T | string>;

export interface SettingsTable {
  key: string;
  value: Json<object>;
  updated_at: UpdatedAt;
}

export interface UsersTable {
  id: Id;
  display_name: string;
  role: Generated<string>;
  locale: string | null;
  timezone: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PlatformIdentitiesTable {
  id: Id;
  user_id: number;
  platform: string;
  external_id: string;
  created_at: CreatedAt;
}

export interface PaymentTerms {
  readonly kind: string;
  readonly days?: number;
  readonly [key: string]: unknown;
}

export interface CustomersTable {
  id: Id;
  code: string;
  external_id: string | null;
  legal_name: string;
  name_kana: string | null;
  name_romaji: string | null;
  name_pinyin: string | null;
  country: string;
  currency: string;
  segment: Generated<string>;
  owner_user_id: number | null;
  payment_terms: JsonDefault<PaymentTerms>;
  strategic: Generated<boolean>;
  blacklisted: Generated<boolean>;
  phase: Generated<string>;
  credit_limit_minor: Generated<number>;
  credit_hold: Generated<boolean>;
  next_review_on: DateColumn | null;
  alerts_due: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CustomerNamesTable {
  id: Id;
  customer_id: number;
  kind: string;
  name: string;
  normalized: string;
}

export interface CreditAssessmentsTable {
  id: Id;
  customer_id: number;
  assessed_at: ColumnType<Date, Date | string | undefined, never>;
  scorecard_version: string;
  score: number;
  rating: string;
  pd: number | null;
  currency: string;
  recommended_limit_minor: number | null;
  limit_components: JsonDefault<Record<string, unknown>>;
  inputs: JsonDefault<Record<string, unknown>>;
  contributions: JsonDefault<unknown[]>;
  source: Generated<string>;
  actor: string;
  created_at: CreatedAt;
}

export interface InvoicesTable {
  id: Id;
  external_id: string;
  customer_id: number;
  number: string;
  issued_on: DateColumn;
  due_on: DateColumn;
  currency: string;
  amount_minor: number;
  open_amount_minor: number;
  disputed: Generated<boolean>;
  settled_on: DateColumn | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PaymentsTable {
  id: Id;
  external_id: string;
  customer_id: number;
  received_on: DateColumn;
  currency: string;
  amount_minor: number;
  unallocated_minor: Generated<number>;
  reference: string | null;
  created_at: CreatedAt;
}

export interface PaymentAllocationsTable {
  id: Id;
  payment_id: number;
  invoice_id: number;
  amount_minor: number;
  applied_on: DateColumn;
  created_at: CreatedAt;
}

export interface OrdersTable {
  id: Id;
  external_id: string;
  customer_id: number;
  number: string;
  ordered_on: DateColumn;
  currency: string;
  amount_minor: number;
  open_amount_minor: number;
  status: Generated<string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ContactsTable {
  id: Id;
  customer_id: number;
  actor_user_id: number | null;
  actor_label: string;
  method: string;
  outcome: string;
  note: string | null;
  invoice_ids: ColumnType<number[], number[] | undefined, number[]>;
  corrects_contact_id: number | null;
  contacted_at: ColumnType<Date, Date | string | undefined, never>;
  created_at: CreatedAt;
}

export interface PromisesTable {
  id: Id;
  customer_id: number;
  contact_id: number | null;
  promised_on: DateColumn;
  currency: string;
  amount_minor: number;
  status: Generated<string>;
  resolved_on: DateColumn | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ApprovalRequestsTable {
  id: Id;
  kind: string;
  customer_id: number;
  requested_by_user_id: number | null;
  requested_by_label: string;
  payload: Json<Record<string, unknown>>;
  reason: string;
  status: Generated<string>;
  required_approvals: Generated<number>;
  expires_at: Date | null;
  reminded_at: Date | null;
  decided_at: Date | null;
  decision_reason: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** Steps approved so far. */
  current_step: Generated<number>;
  /** Per step, the roles any one of whom may approve it. */
  steps: JsonDefault<string[][]>;
  notify_owner: Generated<boolean>;
  decided_by_user_id: number | null;
  source: Generated<string>;
  platform: string | null;
}

export interface ApprovalDecisionsTable {
  id: Id;
  request_id: number;
  user_id: number;
  decision: string;
  reason: string | null;
  decided_at: CreatedAt;
  step: Generated<number>;
}

export interface CreditEventsTable {
  id: Id;
  source: string;
  source_event_id: string;
  customer_id: number;
  kind: string;
  severity: string;
  text: string | null;
  url: string | null;
  occurred_at: Date;
  received_at: CreatedAt;
}

export interface AlertsTable {
  id: Id;
  customer_id: number | null;
  kind: string;
  period_key: string;
  severity: string;
  payload: JsonDefault<Record<string, unknown>>;
  created_at: CreatedAt;
  /** For a condition (over limit, …): the day it was found gone; null while it holds. */
  cleared_on: DateColumn | null;
}

/** An alert held for a channel's next batch; `batch_key` once the summary is queued. */
export interface AlertHoldsTable {
  platform: string;
  channel_external_id: string;
  alert_id: number;
  held_at: Date;
  batch_key: string | null;
}

export interface ChannelsTable {
  id: Id;
  platform: string;
  external_id: string;
  name: string | null;
  locale: Generated<string>;
  timezone: Generated<string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SubscriptionsTable {
  id: Id;
  channel_id: number;
  kind: string;
  local_time: Generated<string>;
  business_days_only: Generated<boolean>;
  batched: Generated<boolean>;
  filters: JsonDefault<Record<string, unknown>>;
  created_at: CreatedAt;
}

export interface ActionTokensTable {
  token: string;
  kind: string;
  payload: Json<Record<string, unknown>>;
  created_by_user_id: number | null;
  created_at: CreatedAt;
  expires_at: Date | null;
}

export interface OutboxTable {
  id: Id;
  platform: string;
  channel_external_id: string;
  kind: string;
  payload: Json<Record<string, unknown>>;
  status: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  locked_until: Date | null;
  last_error: string | null;
  platform_ref: string | null;
  subject_type: string | null;
  subject_id: string | null;
  created_at: CreatedAt;
  sent_at: Date | null;
}

export interface JobRunsTable {
  job: string;
  slot: string;
  claimed_by: string;
  claimed_at: CreatedAt;
  finished_at: Date | null;
  status: Generated<string>;
}

export interface InboundEventsTable {
  platform: string;
  event_id: string;
  received_at: CreatedAt;
}

export interface AuditLogTable {
  id: Id;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: Json<object> | null;
  after: Json<object> | null;
  correlation_id: string | null;
  created_at: CreatedAt;
}

export interface PortfolioSnapshotsTable {
  snapshot_on: DateColumn;
  currency: string;
  exposure_minor: number;
  overdue_minor: number;
  buckets: Json<object>;
  customers: number;
  created_at: CreatedAt;
}

export interface CreditReportsTable {
  id: Id;
  source: string;
  source_report_id: string;
  customer_id: number;
  reported_on: DateColumn;
  bureau_score: number | null;
  grade: string | null;
  pd: number | null;
  currency: string | null;
  capital_minor: number | null;
  revenue_minor: number | null;
  employees: number | null;
  founded_on: DateColumn | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface IdempotencyKeysTable {
  actor: string;
  key: string;
  request_hash: string;
  status: number | null;
  /** The JSON answer as sent; jsonb comes back parsed. */
  body: ColumnType<unknown, string | null, string | null>;
  created_at: CreatedAt;
}

export interface DB {
  settings: SettingsTable;
  users: UsersTable;
  platform_identities: PlatformIdentitiesTable;
  customers: CustomersTable;
  customer_names: CustomerNamesTable;
  credit_assessments: CreditAssessmentsTable;
  invoices: InvoicesTable;
  payments: PaymentsTable;
  payment_allocations: PaymentAllocationsTable;
  orders: OrdersTable;
  contacts: ContactsTable;
  promises: PromisesTable;
  approval_requests: ApprovalRequestsTable;
  approval_decisions: ApprovalDecisionsTable;
  credit_events: CreditEventsTable;
  credit_reports: CreditReportsTable;
  alerts: AlertsTable;
  alert_holds: AlertHoldsTable;
  channels: ChannelsTable;
  subscriptions: SubscriptionsTable;
  action_tokens: ActionTokensTable;
  outbox: OutboxTable;
  job_runs: JobRunsTable;
  inbound_events: InboundEventsTable;
  audit_log: AuditLogTable;
  portfolio_snapshots: PortfolioSnapshotsTable;
  idempotency_keys: IdempotencyKeysTable;
}
