import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/app/ports.ts';
import type { Bot, ChatRequest } from '../../src/chat/bot.ts';
import type { Card } from '../../src/chat/card.ts';
import { createTestBot } from '../support/bot.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// The card's "why" on the demo ledger, whose assessments the product's scorecard made.

let database: TestDatabase;
let bot: Bot;
const logger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

beforeAll(async () => {
  database = await createTestDatabase({ base: 'demo' });
  bot = createTestBot(database.store, logger);
});
afterAll(async () => {
  await database?.close();
});

const request = (text: string, locale = 'en'): ChatRequest => ({
  identity: { platform: 'test', externalId: `reader-${locale}` },
  displayName: 'reader',
  text,
  defaultRole: 'viewer',
  platformLocale: locale,
});

function section(card: Card, heading: string) {
  return card.sections?.find((s) => s.heading === heading);
}

describe('the customer card’s assessment', () => {
  it('explains the score by its biggest contributions and the limit by its components', async () => {
    const card = await bot.handle(request('/credit C0001'));
    expect(card.sections?.[0]?.heading).toBe('Aging as of Nov 23, 2026');
    expect(section(card, 'Credit assessment')?.lines).toEqual([
      'Pulls the score up: Credit bureau score (TDB/TSR) 60–64 (+8.75), Average days late (12 months) <1 (+7.5), Share of invoices paid late (12 months) 5–15% (+4.5)',
      "Pulls the score down: Credit manager's judgement (1–5) 2 (-3.75)",
      'Recommended credit limit: ¥5,900,000',
      "Customer's capacity (lower of equity and revenue caps) ¥21,000,000 · Trade requirement (monthly sales × months) ¥6,598,575 · Authority cap for the rating ¥50,000,000",
      'Base ¥6,598,575 ×0.90 (PD 1.02%) = ¥5,938,717, rounded down to ¥5,900,000',
      'Proposed: Ongoing → Watch — 70 days overdue (threshold 60)',
    ]);
    // Within what every chat platform shows in one message.
    expect(card.fields?.length).toBeLessThanOrEqual(10);
  });

  it('speaks the reader’s language', async () => {
    const card = await bot.handle(request('/credit C0001', 'ja'));
    const lines = section(card, '与信評価')?.lines ?? [];
    expect(lines).toContain('推奨与信限度額：￥5,900,000');
    expect(lines).toContain(
      'フェーズ変更の提案：途上与信 → 問題案件管理　理由：延滞70日（基準60日）',
    );
    expect(lines[0]).toMatch(/^評点を押し上げた項目：帝国データバンク等の評点 60–64（\+8\.75点）/);
  });

  it('counts exposure with no limit granted as over the limit and flags a PD to look at', async () => {
    const card = await bot.handle(request('/credit C0007'));
    expect(card.status?.colour).toBe('red');
    expect(card.status?.label).toContain('over the credit limit');
    expect(card.fields?.find((f) => f.label === 'Utilisation')?.value).toBe('No limit set');
    expect(section(card, 'Credit assessment')?.lines).toContain(
      "Notes: Probability of default at or above the attention threshold, Needs a credit manager's attention",
    );
  });

  it('proposes nothing for a strategic account, and says what the rules flag', async () => {
    const card = await bot.handle(request('/credit C0056'));
    const lines = section(card, 'Credit assessment')?.lines ?? [];
    expect(lines.some((l) => l.startsWith('Proposed:'))).toBe(false);
    expect(lines.at(-1)).toBe(
      'Strategic account: no automatic proposal (the rules point to Incident (credit hold)) — 238 days overdue (threshold 90)',
    );
  });
});
