import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { AlertRepository, AlertView } from '../app/alert-ports.ts';
import type { SubscriptionFilters } from '../app/channel-ports.ts';
import type { AlertKind, AlertSeverity } from '../domain/alerts.ts';
import { alertFacts } from './alert-facts.ts';
import type { DB } from './schema.ts';
import { unnest } from './sql-arrays.ts';

interface ViewRow {
  id: number;
  customer_id: number;
  code: string;
  legal_name: string;
  owner_name: string | null;
  kind: string;
  period_key: string;
  severity: string;
  payload: Record<string, unknown>;
  created_at: Date;
}

const toView = (r: ViewRow): AlertView => ({
  id: r.id,
  customerId: r.customer_id,
  code: r.code,
  legalName: r.legal_name,
  ownerName: r.owner_name,
  kind: r.kind as AlertKind,
  periodKey: r.period_key,
  severity: r.severity as AlertSeverity,
  facts: r.payload,
  createdAt: r.created_at,
});

const VIEW_COLUMNS = sql`a.id, a.customer_id, c.code, c.legal_name, u.display_name as owner_name,
  a.kind, a.period_key, a.severity, a.payload, a.created_at`;
const VIEW_FROM = sql`alerts a join customers c on c.id = a.customer_id
  left join users u on u.id = c.owner_user_id`;
/** Red first: a summary cut short keeps the alerts that matter most. */
const SEVERITY_RANK = sql`case a.severity when 'critical' then 0 when 'warning' then 1 else 2 end`;

/** The filters of a subscription, as conditions on the customer `c` and its owner `u`. */
function filterSql(filters: SubscriptionFilters): RawBuilder<unknown> {
  const parts = [
    sql`true`,
    ...(filters.segment ? [sql`c.segment = ${filters.segment}`] : []),
    ...(filters.currency ? [sql`c.currency = ${filters.currency}`] : []),
    ...(filters.owner
      ? [sql`(u.display_name = ${filters.owner} or u.id::text = ${filters.owner})`]
      : []),
  ];
  return sql.join(parts, sql` and `);
}

const CHUNK = 1_000;

export function createAlertRepository(db: Kysely<DB>): AlertRepository {
  const views = async (ids: readonly number[]): Promise<AlertView[]> => {
    if (ids.length === 0) return [];
    const { rows } = await sql<ViewRow>`
      select ${VIEW_COLUMNS} from ${VIEW_FROM}
      where a.id = any(${sql.val([...ids])}::int8[]) order by a.id`.execute(db);
    return rows.map(toView);
  };

  return {
    facts: (input) => alertFacts(db, input),

    async insert(alerts, at) {
      const ids: number[] = [];
      // One key order for every evaluation: two running at once (the daily run and an
      // import's) wait on each other's keys in the same order and never deadlock.
      const sorted = [...alerts].sort(
        (a, b) =>
          a.customerId - b.customerId ||
          a.kind.localeCompare(b.kind) ||
          a.periodKey.localeCompare(b.periodKey),
      );
      for (let i = 0; i < sorted.length; i += CHUNK) {
        const chunk = sorted.slice(i, i + CHUNK);
        // The unique (customer, kind, period) key makes a second sighting a no-op, and a
        // concurrent evaluation waits on the first one's row and then inserts nothing.
        const { rows } = await sql<{ id: number }>`
          insert into alerts (customer_id, kind, period_key, severity, payload, created_at)
          select customer_id, kind, period_key, severity, payload, ${at}::timestamptz
          from ${unnest([
            ['int8', chunk.map((a) => a.customerId)],
            ['text', chunk.map((a) => a.kind)],
            ['text', chunk.map((a) => a.periodKey)],
            ['text', chunk.map((a) => a.severity)],
            ['jsonb', chunk.map((a) => JSON.stringify(a.facts))],
          ])} as n(customer_id, kind, period_key, severity, payload)
          on conflict do nothing
          returning id`.execute(db);
        ids.push(...rows.map((r) => r.id));
      }
      return views(ids);
    },

    async clearConditions(alertIds, on) {
      if (alertIds.length === 0) return;
      await db
        .updateTable('alerts')
        .set({ cleared_on: on })
        .where('id', 'in', [...alertIds])
        .where('cleared_on', 'is', null)
        .execute();
    },

    async takeDue({ customerIds, limit }) {
      if (customerIds) {
        if (customerIds.length === 0) return [];
        const { rows } = await sql<{ id: number }>`
          update customers set alerts_due = false
          where id = any(${sql.val([...customerIds])}::int8[]) and alerts_due
          returning id`.execute(db);
        return rows.map((r) => r.id);
      }
      // SKIP LOCKED: a row an import is marking right now is left for the next run.
      const { rows } = await sql<{ id: number }>`
        update customers set alerts_due = false
        where id in (
          select id from customers where alerts_due order by id limit ${limit}
          for update skip locked)
        returning id`.execute(db);
      return rows.map((r) => r.id).sort((a, b) => a - b);
    },

    async anyDue() {
      const { rows } = await sql<{ due: boolean }>`
        select exists (select 1 from customers where alerts_due) as due`.execute(db);
      return rows[0]?.due === true;
    },

    async audience(customerIds) {
      if (customerIds.length === 0) return [];
      const rows = await db
        .selectFrom('customers as c')
        .leftJoin('users as u', 'u.id', 'c.owner_user_id')
        .select(['c.id', 'c.segment', 'c.currency', 'c.owner_user_id', 'u.display_name'])
        .where('c.id', 'in', [...customerIds])
        .execute();
      return rows.map((r) => ({
        customerId: r.id,
        segment: r.segment,
        currency: r.currency.trim(),
        ownerUserId: r.owner_user_id,
        ownerName: r.display_name,
      }));
    },

    async find(alertId) {
      const [view] = await views([alertId]);
      return view;
    },

    async hold(items, at) {
      if (items.length === 0) return;
      await db
        .insertInto('alert_holds')
        .values(
          items.map((h) => ({
            platform: h.channel.platform,
            channel_external_id: h.channel.externalId,
            alert_id: h.alertId,
            held_at: at,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    },

    async heldChannels() {
      const { rows } = await sql<{ platform: string; channel_external_id: string }>`
        select distinct h.platform, h.channel_external_id
        from alert_holds h
        where h.batch_key is null and exists (
          select 1 from subscriptions s join channels c on c.id = s.channel_id
          where s.kind = 'alerts' and c.platform = h.platform
            and c.external_id = h.channel_external_id)
        order by h.platform, h.channel_external_id`.execute(db);
      return rows.map((r) => ({ platform: r.platform, externalId: r.channel_external_id }));
    },

    async takeBatch({ channel, batch }) {
      const result = await db
        .updateTable('alert_holds')
        .set({ batch_key: batch })
        .where('platform', '=', channel.platform)
        .where('channel_external_id', '=', channel.externalId)
        .where('batch_key', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async batch({ channel, batch }) {
      const { rows } = await sql<ViewRow>`
        select ${VIEW_COLUMNS}
        from alert_holds h join ${VIEW_FROM} on a.id = h.alert_id
        where h.batch_key = ${batch} and h.platform = ${channel.platform}
          and h.channel_external_id = ${channel.externalId}
        order by ${SEVERITY_RANK}, a.created_at, a.id`.execute(db);
      return rows.map(toView);
    },

    async createdBetween({ from, to, filters, limit }) {
      const where = sql`a.created_at >= ${from} and a.created_at < ${to} and ${filterSql(filters)}`;
      const counted = await sql<{ severity: string; n: number }>`
        select a.severity, count(*)::int4 as n from ${VIEW_FROM}
        where ${where} group by a.severity`.execute(db);
      const counts: Record<AlertSeverity, number> = { critical: 0, warning: 0, info: 0 };
      for (const r of counted.rows) counts[r.severity as AlertSeverity] = r.n;
      const { rows } = await sql<ViewRow>`
        select ${VIEW_COLUMNS} from ${VIEW_FROM}
        where ${where}
        order by ${SEVERITY_RANK}, a.created_at desc, a.id desc
        limit ${limit}`.execute(db);
      return { counts, alerts: rows.map(toView) };
    },
  };
}
