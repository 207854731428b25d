import { parseArgs } from 'node:util';
import { type ApprovalDeps, requestProposals } from './app/approvals.ts';
import type { Translate } from './chat/i18n.ts';
import { EXIT, UsageError, withDatabase } from './cli-support.ts';
import type { Config } from './config.ts';
import { createStore } from './db/store.ts';
import { isIsoDate } from './domain/dates.ts';
import { loadPolicy } from './policy-files.ts';

// `npx creditops approvals propose [--as-of YYYY-MM-DD] [--json]`: every move the phase
// rules propose goes to the approvers, with the system as requester and the rules as the
// reason. Nothing moves until someone with authority approves it.

export async function runApprovals(config: Config, t: Translate, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { 'as-of': { type: 'string' }, json: { type: 'boolean' } },
  });
  const [action, ...extra] = positionals;
  if (action !== 'propose' || extra.length > 0) throw new UsageError(t('cli.approvals.usage'));
  const asOf = values['as-of'];
  if (asOf !== undefined && !isIsoDate(asOf)) {
    throw new UsageError(t('errors.date.invalid', { value: asOf, format: 'YYYY-MM-DD' }));
  }
  const result = await withDatabase(config, 'creditops approvals', async ({ db }) => {
    const deps: ApprovalDeps = {
      store: createStore(db),
      policy: loadPolicy(config.policyDir),
      clock: { now: () => new Date() },
      timeZone: config.defaultTimeZone,
    };
    return requestProposals(deps, asOf === undefined ? {} : { asOf });
  });
  const line = (v: (typeof result.requested)[number]) => ({
    id: v.id,
    code: v.customer.code,
    legalName: v.customer.legalName,
    from: v.change.kind === 'phase' ? v.change.from : undefined,
    to: v.change.kind === 'phase' ? v.change.to : undefined,
  });
  if (values.json) {
    console.log(
      JSON.stringify(
        { requested: result.requested.map(line), waiting: result.waiting.map(line) },
        null,
        2,
      ),
    );
    return EXIT.ok;
  }
  for (const v of result.requested) {
    const l = line(v);
    console.log(
      t('cli.approvals.requested', {
        id: l.id,
        code: l.code,
        name: l.legalName,
        from: t(`phase.${l.from}`),
        to: t(`phase.${l.to}`),
      }),
    );
  }
  console.log(
    t('cli.approvals.done', { count: result.requested.length, waiting: result.waiting.length }),
  );
  return EXIT.ok;
}
