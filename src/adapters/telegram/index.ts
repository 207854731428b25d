export {
  createTelegramAdapter,
  normaliseApiRoot,
  type TelegramAdapter,
  type TelegramAdapterOptions,
} from './telegram-adapter.ts';
export { TELEGRAM_WEBHOOK_PATH } from './telegram-webhook.ts';
