import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ENTITY_KINDS, isEntityKind } from './app/ingest/entities.ts';
import type { Translate } from './chat/i18n.ts';
import { reassessCustomers } from './cli-assess.ts';
import { cliActor, EXIT, UsageError, withDatabase } from './cli-support.ts';
import type { Config } from './config.ts';
import { createStore } from './db/store.ts';
import { DomainError } from './domain/errors.ts';
import { type CsvImportResult, importCsv, type RowProblem } from './io/csv-import.ts';
import { ENCODINGS, type Encoding, loadMapping } from './io/mapping.ts';

const SHOWN_PROBLEMS = 50;

export function explainProblem(t: Translate, p: RowProblem): string {
  const reason = t(p.code, { ...p.params, field: p.field });
  return p.column
    ? t('cli.import.problem', { line: p.line, column: p.column, reason })
    : t('cli.import.problem_row', { line: p.line, reason });
}

/** A bar on stderr while a person watches; nothing in a pipe or a log. */
function progressBar(t: Translate): ((rows: number, fraction: number) => void) | undefined {
  if (!process.stdout.isTTY) return undefined;
  return (rows, fraction) => {
    const width = 30;
    const done = Math.round(fraction * width);
    const bar = `${'█'.repeat(done)}${'░'.repeat(width - done)}`;
    process.stderr.write(
      `\r${bar} ${Math.round(fraction * 100)}% ${t('cli.import.progress', { rows })}`,
    );
  };
}

function summary(t: Translate, kind: string, r: CsvImportResult, dryRun: boolean): string {
  const line = t('cli.import.summary', { kind, ...r.tally, seconds: r.seconds.toFixed(1) });
  if (dryRun) return `${line} ${t('cli.import.dry_run')}`;
  if (!r.applied) return `${line} ${t('cli.import.nothing_written')}`;
  if (r.tally.inserted + r.tally.updated === 0 && r.tally.rejected === 0)
    return `${line} ${t('cli.import.no_change')}`;
  return line;
}

/** `creditops import <kind> FILE [--mapping FILE] [--dry-run] [--skip-invalid] [--encoding X]` */
export async function runImport(config: Config, t: Translate, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      mapping: { type: 'string' },
      encoding: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'skip-invalid': { type: 'boolean' },
    },
  });
  const [kind, file, ...extra] = positionals;
  if (!kind || !isEntityKind(kind) || !file || extra.length > 0) {
    throw new UsageError(t('cli.import.usage', { kinds: ENTITY_KINDS.join('|') }));
  }
  const encoding = values.encoding
    ?.toLowerCase()
    .replace('cp932', 'shift_jis')
    .replace('sjis', 'shift_jis');
  if (encoding && (!(ENCODINGS as readonly string[]).includes(encoding) || encoding === 'auto')) {
    throw new UsageError(
      t('cli.import.bad_encoding', {
        value: values.encoding ?? '',
        choices: 'utf-8, shift_jis, gb18030',
      }),
    );
  }
  if (!existsSync(file)) throw new DomainError('errors.import.no_file', { file });
  const mapping = values.mapping ? await loadMapping(values.mapping, kind) : undefined;
  const dryRun = values['dry-run'] === true;
  const onProgress = progressBar(t);
  const { result, reassessed } = await withDatabase(
    config,
    'creditops import',
    async (database) => {
      const store = createStore(database.db);
      const imported = await importCsv({
        file,
        kind,
        store,
        actor: cliActor(),
        dryRun,
        skipInvalid: values['skip-invalid'] === true,
        explain: (p) => explainProblem(t, p),
        ...(mapping ? { mapping } : {}),
        ...(encoding ? { encoding: encoding as Encoding } : {}),
        ...(onProgress ? { onProgress } : {}),
      });
      // New bureau data or a credit event (an anti-social check hit) changes the score: the
      // customers they concern are re-assessed at once, not at their next review.
      const rescore =
        (kind === 'credit-reports' || kind === 'events') && imported.customerIds.length > 0;
      const assessed = rescore
        ? await reassessCustomers(store, config, imported.customerIds)
        : undefined;
      return { result: imported, reassessed: assessed };
    },
  );
  if (onProgress) process.stderr.write('\n');
  for (const p of result.problems.slice(0, SHOWN_PROBLEMS)) console.error(explainProblem(t, p));
  if (result.problems.length > SHOWN_PROBLEMS) {
    console.error(t('cli.import.more_problems', { count: result.tally.rejected - SHOWN_PROBLEMS }));
  }
  console.log(summary(t, kind, result, dryRun));
  if (reassessed) {
    console.log(t('cli.import.reassessed', { count: reassessed.assessed.length }));
  }
  if (result.rejectsFile)
    console.log(
      t('cli.import.rejects_file', { file: result.rejectsFile, count: result.tally.rejected }),
    );
  return result.applied || dryRun
    ? dryRun && result.tally.rejected > 0
      ? EXIT.failed
      : EXIT.ok
    : EXIT.failed;
}
