import type { RawItem } from '../../../src/app/ingest/validate.ts';
import type { Role } from '../../../src/domain/credit.ts';
import type { TelegramPerson } from '../../support/telegram-bot.ts';
import type { Seed, SeedPerson } from './seed.ts';

// The people and customers the reliability checks use: one person per role that matters, each
// reachable on Slack, LINE and Telegram, and three customers in three languages.

export interface CastMember {
  readonly role: Role;
  readonly name: string;
  readonly slack: string;
  /** LINE user ids are U + 32 hex digits. */
  readonly line: string;
  readonly telegram: TelegramPerson;
}

const member = (role: Role, name: string, n: number): CastMember => ({
  role,
  name,
  slack: `U0${role.toUpperCase().replace('_', '')}`,
  line: `U${String(n).repeat(32)}`,
  telegram: { id: 41_000 + n, firstName: name },
});

export const CAST = {
  /** May only look customers up: whatever they type, nothing of theirs is a write. */
  viewer: member('viewer', 'Vera Viewer', 1),
  /** Logs contacts and asks for limit changes. */
  collector: member('collector', 'Colin Collector', 2),
  /** Decides limit changes. */
  manager: member('credit_manager', 'Mana Manager', 3),
} as const;

export const CUSTOMERS: readonly RawItem[] = [
  {
    code: 'C001',
    legalName: 'Acme Trading Co., Ltd.',
    country: 'JP',
    currency: 'JPY',
    creditLimit: '5000000',
  },
  {
    code: 'C002',
    legalName: '株式会社さくら商事',
    nameKana: 'サクラショウジ',
    country: 'JP',
    currency: 'JPY',
    creditLimit: '3000000',
  },
  {
    code: 'C003',
    legalName: '艾克美贸易有限公司',
    country: 'CN',
    currency: 'CNY',
    creditLimit: '200000',
  },
];

export function seedPerson(m: CastMember): SeedPerson {
  return {
    role: m.role,
    name: m.name,
    identities: [
      { platform: 'slack', externalId: m.slack },
      { platform: 'line', externalId: m.line },
      { platform: 'telegram', externalId: String(m.telegram.id) },
    ],
  };
}

/** The whole cast and the three customers, as a bot's seed. */
export const CAST_SEED: Seed = {
  people: Object.values(CAST).map(seedPerson),
  customers: CUSTOMERS,
};
