export {
  createLineAdapter,
  LINE_WEBHOOK_PATH,
  type LineAdapter,
  type LineAdapterOptions,
} from './line-adapter.ts';
export { type LineQuotaStatus, QUOTA_WARN_SHARE, readLineQuota } from './line-quota.ts';
