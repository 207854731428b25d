// The demo ledger, planned in memory from a seed and an as-of date before anything is
// written: pure and deterministic, so docs and tests can name its customers.
import type { Insertable } from 'kysely';
import type { Phase } from '../domain/credit.ts';
import { addDays, daysBetween } from '../domain/dates.ts';
import { type DemoAssessment, demoAssessments } from './demo-assessments.ts';
import {
  type Behaviour,
  CONTACT_NOTES,
  createRandom,
  drawUniqueName,
  LOCALE_OF,
  NAMED_CUSTOMERS,
  type NamedCustomer,
  nameKeys,
  type Origin,
  ownersFor,
  type Random,
  type ScriptedContact,
  UTC_OFFSET,
} from './demo-data.ts';
import type {
  CreditAssessmentsTable,
  CreditReportsTable,
  OrdersTable,
  PaymentTerms,
} from './schema.ts';

const CUSTOMER_SHARE: Readonly<Record<Origin, number>> = { JP: 90, CN: 60, EN: 50 };
const HISTORY_DAYS = 540;
const PENDING_WINDOW_DAYS = 14;

export type Currency = 'JPY' | 'CNY' | 'USD';
const CURRENCY: Readonly<Record<Origin, Currency>> = { JP: 'JPY', CN: 'CNY', EN: 'USD' };
// Minor units: ¥1M–¥200M in ¥100k steps, CN¥50k–10M in CN¥10k steps, $10k–2M in $5k steps.
const LIMITS: Readonly<Record<Currency, { min: number; max: number; step: number }>> = {
  JPY: { min: 1_000_000, max: 200_000_000, step: 100_000 },
  CNY: { min: 5_000_000, max: 1_000_000_000, step: 1_000_000 },
  USD: { min: 1_000_000, max: 200_000_000, step: 500_000 },
};
/** Amounts are whole multiples of this: ¥100, CN¥1, 1 cent. */
const UNIT: Readonly<Record<Currency, number>> = { JPY: 100, CNY: 100, USD: 1 };
const CLOSING_DAY_TERMS = { kind: 'closing_day', closingDay: 31, payMonthOffset: 1, payDay: 31 };

export interface CustomerPlan extends NamedCustomer {
  readonly code: string;
  readonly currency: Currency;
  readonly segment: string;
  readonly limitMinor: number;
  readonly scaleMinor: number;
  readonly terms: PaymentTerms;
  readonly termsDays: number;
  readonly nextReviewOn: string;
}

export interface InvoiceDraft {
  readonly issuedOn: string;
  readonly dueOn: string;
  readonly amountMinor: number;
  readonly openMinor: number;
  readonly disputed: boolean;
  /** When the (only) payment against it came in; undefined when nothing is paid. */
  readonly paidOn: string | undefined;
}

export interface InvoicePlan extends InvoiceDraft {
  readonly code: string;
  readonly currency: Currency;
  readonly externalId: string;
  readonly number: string;
}

type UnnumberedInvoice = Omit<InvoicePlan, 'number'>;

export interface PromisePlan {
  readonly promisedOn: string;
  readonly amountMinor: number;
  readonly status: 'pending' | 'kept' | 'broken';
  readonly resolvedOn: string | null;
}

export interface ContactPlan extends ScriptedContact {
  readonly customer: CustomerPlan;
  readonly note: string;
  readonly invoiceRefs: readonly string[];
  readonly contactedAt: string;
  readonly promised: PromisePlan | undefined;
}

// Rows are planned before customers have ids, so they name their customer by code.
export type Coded<T> = Omit<Insertable<T>, 'customer_id'> & { readonly code: string };

export interface Ledger {
  readonly customers: CustomerPlan[];
  readonly invoices: InvoicePlan[];
  readonly assessments: Coded<CreditAssessmentsTable>[];
  readonly creditReports: Coded<CreditReportsTable>[];
  readonly orders: Coded<OrdersTable>[];
  readonly contacts: ContactPlan[];
}

const roundDown = (minor: number, unit: number) => Math.floor(minor / unit) * unit;

function drawBehaviour(random: Random, phase: Phase): Behaviour {
  if (phase === 'incident') return 'delinquent';
  if (phase === 'watch') return random.pick(['slow', 'delinquent'] as const);
  return random.weighted({ prompt: 65, slow: 27, delinquent: 8 });
}

function drawCustomer(random: Random, origin: Origin, used: Set<string>): NamedCustomer {
  const identity = drawUniqueName(random, origin, used);
  const phase = random.weighted({ screening: 8, ongoing: 74, watch: 12, incident: 6 });
  const troubled = phase === 'watch' || phase === 'incident';
  return {
    ...identity,
    owner: random.pick(ownersFor(origin)),
    phase,
    behaviour: drawBehaviour(random, phase),
    strategic: phase === 'ongoing' && random.chance(0.06),
    blacklisted: troubled && random.chance(0.1),
    creditHold: phase === 'incident' || (phase === 'watch' && random.chance(0.3)),
  };
}

function planCustomer(random: Random, spec: NamedCustomer, index: number, today: string) {
  const currency = CURRENCY[spec.origin];
  const { min, max, step } = LIMITS[currency];
  // Cubing a uniform draw gives a few large accounts and a long tail of small ones.
  const drawn = min + Math.floor((random.next() ** 3 * (max - min)) / step) * step;
  const scaleMinor = spec.scaleMinor ?? spec.limitMinor ?? drawn;
  const size = (scaleMinor - min) / (max - min);
  const closingDay = spec.origin === 'JP' && random.chance(0.4);
  const termsDays = closingDay || random.chance(0.7) ? 30 : 60;
  const plan: CustomerPlan = {
    ...spec,
    code: `C${String(index + 1).padStart(4, '0')}`,
    currency,
    segment: size > 0.3 ? 'enterprise' : size > 0.05 ? 'mid_market' : 'small_business',
    limitMinor: spec.limitMinor ?? scaleMinor,
    scaleMinor,
    terms: closingDay ? CLOSING_DAY_TERMS : { kind: 'days_after_issue', days: termsDays },
    termsDays,
    // Replaced by the latest assessment's review date; drawn so the ledger's stream stays put.
    nextReviewOn: addDays(today, random.int(-60, 180)),
  };
  return plan;
}

function planCustomers(random: Random, today: string): CustomerPlan[] {
  const origins = (Object.keys(CUSTOMER_SHARE) as Origin[]).flatMap((origin) => {
    const named = NAMED_CUSTOMERS.filter((c) => c.origin === origin).length;
    return Array.from({ length: CUSTOMER_SHARE[origin] - named }, () => origin);
  });
  const shuffled = origins
    .map((origin) => ({ origin, key: random.next() }))
    .sort((a, b) => a.key - b.key);
  const used = new Set(NAMED_CUSTOMERS.flatMap(nameKeys));
  const drawn = shuffled.map(({ origin }) => drawCustomer(random, origin, used));
  const specs = [...NAMED_CUSTOMERS, ...drawn];
  return specs.map((spec, index) => planCustomer(random, spec, index, today));
}

function invoiceAmount(random: Random, c: CustomerPlan): number {
  const unit = UNIT[c.currency];
  const low = Math.max(1, Math.floor((c.scaleMinor * 3) / 100 / unit));
  const high = Math.max(low, Math.floor((c.scaleMinor * 12) / 100 / unit));
  return random.int(low, high) * unit;
}

/** Days after the due date a customer of this kind pays; undefined: not paid at all. */
function lateness(random: Random, behaviour: Behaviour): number | undefined {
  if (behaviour === 'prompt') return random.chance(0.92) ? random.int(-7, 3) : random.int(10, 45);
  if (behaviour === 'slow') return random.chance(0.75) ? random.int(0, 30) : random.int(30, 100);
  return random.chance(0.15) ? undefined : random.int(15, 120);
}

function unpaid(issuedOn: string, dueOn: string, amountMinor: number): InvoiceDraft {
  return {
    issuedOn,
    dueOn,
    amountMinor,
    openMinor: amountMinor,
    disputed: false,
    paidOn: undefined,
  };
}

function historyInvoice(random: Random, c: CustomerPlan, today: string, issuedOn: string) {
  const dueOn = addDays(issuedOn, c.termsDays);
  const draft = unpaid(issuedOn, dueOn, invoiceAmount(random, c));
  const late = lateness(random, c.behaviour);
  const paidOn = late === undefined ? undefined : addDays(dueOn, late);
  if (paidOn !== undefined && paidOn > issuedOn && paidOn <= today) {
    return { ...draft, openMinor: 0, paidOn };
  }
  const age = daysBetween(issuedOn, today);
  const unit = UNIT[c.currency];
  if (age >= 2 && draft.amountMinor >= 2 * unit && random.chance(0.25)) {
    const share = roundDown((draft.amountMinor * random.int(20, 80)) / 100, unit);
    const paidMinor = Math.min(Math.max(share, unit), draft.amountMinor - unit);
    const partlyOn = addDays(issuedOn, random.int(1, Math.min(age, c.termsDays + 10)));
    return { ...draft, openMinor: draft.amountMinor - paidMinor, paidOn: partlyOn };
  }
  return { ...draft, disputed: dueOn < today && random.chance(0.04) };
}

/** An unpaid invoice `daysPastDue` days past due today (negative: not yet due). */
function tailInvoice(c: CustomerPlan, today: string, daysPastDue: number, amountMinor: number) {
  const dueOn = addDays(today, -daysPastDue);
  return unpaid(addDays(dueOn, -c.termsDays), dueOn, amountMinor);
}

function planInvoices(random: Random, c: CustomerPlan, today: string): UnnumberedInvoice[] {
  const drafts = Array.from({ length: random.int(15, 40) }, () =>
    historyInvoice(random, c, today, addDays(today, -random.int(0, HISTORY_DAYS - 1))),
  );
  for (const days of c.tails ?? []) {
    const amountMinor =
      c.tailPct === undefined
        ? invoiceAmount(random, c)
        : roundDown((c.scaleMinor * c.tailPct) / 100, UNIT[c.currency]);
    drafts.push(tailInvoice(c, today, days, amountMinor));
  }
  if (c.disputedAt !== undefined) {
    const disputed = tailInvoice(c, today, c.disputedAt, invoiceAmount(random, c));
    drafts.push({ ...disputed, disputed: true });
  }
  drafts.sort((a, b) => a.issuedOn.localeCompare(b.issuedOn));
  return drafts.map((draft, i) => ({
    ...draft,
    code: c.code,
    currency: c.currency,
    externalId: `DEMO-INV-${c.code}-${i + 1}`,
  }));
}

/** Numbers invoices in issue order across the whole ledger, the way an ERP hands them out. */
function numberInvoices(invoices: readonly UnnumberedInvoice[]): InvoicePlan[] {
  const byIssue = [...invoices].sort(
    (a, b) => a.issuedOn.localeCompare(b.issuedOn) || a.externalId.localeCompare(b.externalId),
  );
  return byIssue.map((invoice, i) => ({
    ...invoice,
    number: `INV-${invoice.issuedOn.slice(0, 4)}-${String(i + 1).padStart(6, '0')}`,
  }));
}

/** The bureau's one-year probability of default, in basis points, by the score's rating band. */
const RATING_BANDS = [
  { rating: 'A', from: 80, pdBp: [20, 60] },
  { rating: 'B', from: 65, pdBp: [60, 150] },
  { rating: 'C', from: 50, pdBp: [150, 300] },
  { rating: 'D', from: 35, pdBp: [300, 550] },
  { rating: 'E', from: 0, pdBp: [550, 800] },
] as const;

const SCORE_RANGE: Readonly<Record<Behaviour, readonly [number, number]>> = {
  prompt: [62, 95],
  slow: [45, 80],
  delinquent: [18, 55],
};

function drawScore(random: Random, c: CustomerPlan): number {
  const [low, high] = SCORE_RANGE[c.behaviour];
  let score = random.int(low, high);
  if (c.phase === 'incident') score = Math.min(score, 34);
  if (c.blacklisted) score = Math.min(score, 30);
  return score;
}

function pdFor(random: Random, score: number): number {
  const band = RATING_BANDS.find((b) => score >= b.from) ?? RATING_BANDS[4];
  return random.int(band.pdBp[0], band.pdBp[1]) / 10_000;
}

/**
 * One to three assessments over the past two years, the latest first, each scored by the
 * product's scorecard from bureau reports and the customer's own invoices (`demoAssessments`
 * draws the report figures from `profile`, a stream apart from the ledger's).
 */
function planAssessments(
  random: Random,
  profile: Random,
  c: CustomerPlan,
  invoices: readonly UnnumberedInvoice[],
  today: string,
): DemoAssessment[] {
  const latest = c.score ?? drawScore(random, c);
  const count = c.phase === 'screening' ? 1 : random.int(1, 3);
  let daysAgo = random.int(5, 150);
  const targets: { on: string; target: number; pd: number }[] = [];
  for (let i = 0; i < count; i += 1) {
    const score = i === 0 ? latest : Math.min(100, Math.max(0, latest + random.int(-10, 10)));
    targets.push({ on: addDays(today, -daysAgo), target: score, pd: pdFor(random, score) });
    daysAgo += random.int(120, 240);
  }
  const customer = {
    code: c.code,
    legalName: c.legalName,
    currency: c.currency,
    strategic: c.strategic ?? false,
    scaleMinor: c.scaleMinor,
  };
  return demoAssessments({ random: profile, customer, invoices, targets });
}

function assessmentRows(c: CustomerPlan, assessed: readonly DemoAssessment[]) {
  const assessments = assessed.map(
    ({ on, evaluation: e }): Coded<CreditAssessmentsTable> => ({
      code: c.code,
      assessed_at: `${on}T01:00:00Z`,
      scorecard_version: e.assessment.scorecardVersion,
      score: e.assessment.score,
      rating: e.assessment.rating,
      pd: e.inputs.pd ?? null,
      currency: c.currency,
      recommended_limit_minor: e.recommendation.recommendedMinor,
      limit_components: JSON.stringify(e.limit),
      inputs: JSON.stringify(e.inputs),
      contributions: JSON.stringify(e.assessment.contributions),
      source: 'demo',
      actor: 'demo',
    }),
  );
  const reports = assessed.map(
    ({ report: r }): Coded<CreditReportsTable> => ({
      code: c.code,
      source: r.source,
      source_report_id: r.sourceReportId,
      reported_on: r.reportedOn,
      bureau_score: r.bureauScore,
      grade: null,
      pd: r.pd,
      currency: r.currency,
      capital_minor: r.capitalMinor,
      revenue_minor: r.revenueMinor,
      employees: null,
      founded_on: r.foundedOn,
    }),
  );
  return { assessments, reports };
}

function planOrders(random: Random, c: CustomerPlan, today: string): Coded<OrdersTable>[] {
  if (c.creditHold || c.blacklisted || !random.chance(0.37)) return [];
  const unit = UNIT[c.currency];
  return Array.from({ length: random.int(1, 3) }, (_, i) => {
    const amountMinor = invoiceAmount(random, c);
    const partlyInvoiced = roundDown((amountMinor * random.int(30, 80)) / 100, unit);
    return {
      code: c.code,
      external_id: `DEMO-ORD-${c.code}-${i + 1}`,
      number: `SO-${c.code}-${i + 1}`,
      ordered_on: addDays(today, -random.int(0, 30)),
      currency: c.currency,
      amount_minor: amountMinor,
      open_amount_minor: random.chance(0.7) ? amountMinor : Math.max(unit, partlyInvoiced),
      status: 'open',
    };
  });
}

function randomScript(random: Random, c: CustomerPlan): ScriptedContact[] {
  const days = new Set<number>();
  const count = random.int(1, 4);
  while (days.size < count) days.add(random.int(1, 59));
  const refused = c.behaviour === 'delinquent' ? 20 : 5;
  return [...days].map((daysAgo) => ({
    daysAgo,
    method: random.weighted({ call: 45, email: 35, visit: 8, letter: 5, chat: 7 }),
    outcome: random.weighted({ reached: 30, no_answer: 25, promise: 30, refused }),
  }));
}

/** The customer's script, plus a contact that records the dispute when an invoice has one. */
function contactScript(random: Random, c: CustomerPlan, disputed: boolean): ScriptedContact[] {
  const script = c.contacts ? [...c.contacts] : randomScript(random, c);
  if (!disputed || script.some((s) => s.outcome === 'dispute')) return script;
  const taken = new Set(script.map((s) => s.daysAgo));
  let daysAgo = random.int(1, 59);
  while (taken.has(daysAgo)) daysAgo = (daysAgo % 59) + 1;
  return [...script, { daysAgo, method: 'email', outcome: 'dispute' }];
}

function planPromise(
  random: Random,
  s: ScriptedContact,
  c: CustomerPlan,
  overdueMinor: number,
  today: string,
): PromisePlan {
  const unit = UNIT[c.currency];
  const amountMinor = Math.max(unit, roundDown((overdueMinor * random.int(30, 100)) / 100, unit));
  if (s.daysAgo <= PENDING_WINDOW_DAYS) {
    const promisedOn = addDays(today, random.int(1, PENDING_WINDOW_DAYS));
    return { promisedOn, amountMinor, status: 'pending', resolvedOn: null };
  }
  const promisedOn = addDays(today, -s.daysAgo + random.int(3, 10));
  const status = s.promise ?? (random.chance(0.55) ? 'kept' : 'broken');
  const resolvedOn = status === 'kept' ? promisedOn : addDays(promisedOn, 1);
  return { promisedOn, amountMinor, status, resolvedOn };
}

function planContacts(
  random: Random,
  c: CustomerPlan,
  invoices: readonly UnnumberedInvoice[],
  today: string,
): ContactPlan[] {
  const overdue = invoices.filter((i) => i.openMinor > 0 && i.dueOn < today);
  if (overdue.length === 0) return [];
  const overdueMinor = overdue.reduce((sum, i) => sum + i.openMinor, 0);
  const disputed = overdue.filter((i) => i.disputed).map((i) => i.externalId);
  const chased = overdue.filter((i) => !i.disputed).map((i) => i.externalId);
  const notes = CONTACT_NOTES[LOCALE_OF[c.origin]];
  return contactScript(random, c, disputed.length > 0).map((s): ContactPlan => {
    const hour = String(random.int(9, 17)).padStart(2, '0');
    const minute = String(random.int(0, 11) * 5).padStart(2, '0');
    const day = addDays(today, -s.daysAgo);
    return {
      ...s,
      customer: c,
      note: random.pick(notes[s.outcome]),
      invoiceRefs: s.outcome === 'dispute' ? disputed : chased.slice(0, 3),
      contactedAt: `${day}T${hour}:${minute}:00${UTC_OFFSET[c.country] ?? 'Z'}`,
      promised:
        s.outcome === 'promise' ? planPromise(random, s, c, overdueMinor, today) : undefined,
    };
  });
}

export function planLedger(today: string, seed: number): Ledger {
  const random = createRandom(seed);
  const profile = createRandom((seed ^ 0x2545f491) >>> 0);
  const planned = planCustomers(random, today);
  const customers: CustomerPlan[] = [];
  const invoices: UnnumberedInvoice[] = [];
  const assessments: Coded<CreditAssessmentsTable>[] = [];
  const creditReports: Coded<CreditReportsTable>[] = [];
  const orders: Coded<OrdersTable>[] = [];
  const contacts: ContactPlan[] = [];
  for (const drawn of planned) {
    const own = planInvoices(random, drawn, today);
    invoices.push(...own);
    const assessed = planAssessments(random, profile, drawn, own, today);
    // The next review follows from the latest assessment and its rating's cadence.
    const next = assessed[0]?.evaluation.nextReviewOn;
    const c = next === undefined ? drawn : { ...drawn, nextReviewOn: next };
    customers.push(c);
    const rows = assessmentRows(c, assessed);
    assessments.push(...rows.assessments);
    creditReports.push(...rows.reports);
    orders.push(...planOrders(random, c, today));
    contacts.push(...planContacts(random, c, own, today));
  }
  return {
    customers,
    invoices: numberInvoices(invoices),
    assessments,
    creditReports,
    orders,
    contacts,
  };
}
