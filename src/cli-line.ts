import { parseArgs } from 'node:util';
import { type LineQuotaStatus, QUOTA_WARN_SHARE, readLineQuota } from './adapters/line/index.ts';
import { formatDateTime } from './chat/format.ts';
import type { Translate } from './chat/i18n.ts';
import { EXIT, UsageError } from './cli-support.ts';
import type { Config } from './config.ts';

// `npx creditops line quota`: this month's LINE pushes as LINE counts them, against LINE's
// quota and our own cap (LINE_MONTHLY_PUSH_CAP). Replies are free; pushes (the digest,
// approval cards and notices, answers whose reply token ran out) are counted, a group push
// once per member. The admins get a DM at 80 % of the limit and at it; pushes stop there.

function lines(status: LineQuotaStatus, t: Translate, config: Config): string[] {
  const at = status.checkedAt
    ? formatDateTime(status.checkedAt, config.defaultLocale, config.defaultTimeZone)
    : '';
  const out = [
    t('cli.line.used', { n: status.used, at }),
    status.lineQuota === undefined
      ? t('cli.line.quota_none')
      : t('cli.line.quota', { n: status.lineQuota }),
    status.cap === undefined ? t('cli.line.cap_none') : t('cli.line.cap', { n: status.cap }),
  ];
  if (status.limit === undefined) return out;
  const left = Math.max(0, status.limit - status.used);
  out.push(t('cli.line.left', { n: left }));
  if (left === 0) out.push(t('cli.line.spent'));
  else if (status.used >= status.limit * QUOTA_WARN_SHARE) out.push(t('cli.line.low'));
  return out;
}

/** `creditops line quota [--json]` */
export async function runLine(config: Config, t: Translate, args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: { json: { type: 'boolean' } },
  });
  if (verb !== 'quota' || positionals.length > 0) throw new UsageError(t('cli.line.usage'));
  const token = config.line.channelAccessToken;
  if (!token) {
    console.error(t('cli.line.no_token'));
    return EXIT.failed;
  }
  let status: LineQuotaStatus;
  try {
    status = await readLineQuota({
      channelAccessToken: token,
      ...(config.line.apiBaseUrl ? { apiBaseUrl: config.line.apiBaseUrl } : {}),
      ...(config.line.monthlyPushCap ? { monthlyCap: config.line.monthlyPushCap } : {}),
    });
  } catch (error) {
    console.error(t('cli.line.unreachable', { reason: (error as Error).message }));
    return EXIT.failed;
  }
  if (values.json) {
    const left = status.limit === undefined ? null : Math.max(0, status.limit - status.used);
    console.log(JSON.stringify({ ...status, left }, null, 2));
    return EXIT.ok;
  }
  console.log(lines(status, t, config).join('\n'));
  return EXIT.ok;
}
