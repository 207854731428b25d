import { describe, expect, it } from 'vitest';
import type { EntityKind } from '../../src/app/ingest/entities.ts';
import { createItemPreparer, type IngestItem } from '../../src/app/ingest/ingest.ts';
import type { CustomerRef } from '../../src/app/ingest/records.ts';
import { ISO_FORMAT } from '../../src/app/ingest/validate.ts';
import { DomainError } from '../../src/domain/errors.ts';
import {
  deserializeError,
  packItems,
  serializeError,
  unpackItems,
} from '../../src/io/prepare-thread.ts';

const customers = new Map<string, CustomerRef>([
  ['C-1', { id: 1, currency: 'USD', paymentTerms: { kind: 'days_after_issue', days: 30 } }],
  [
    'C-2',
    {
      id: 2,
      currency: 'JPY',
      paymentTerms: { kind: 'closing_day', closingDay: 20, payMonthOffset: 1, payDay: 10 },
    },
  ],
]);

function prepared(kind: EntityKind, raws: Record<string, unknown>[]) {
  const items: IngestItem[] = raws.map((raw, i) => ({ ref: i + 2, raw }));
  return createItemPreparer({ kind, format: ISO_FORMAT }).prepare(items, customers);
}

describe('items posted by the import worker', () => {
  it.each([
    [
      'invoices',
      [
        { externalId: 'I-1', customerCode: 'C-1', issuedOn: '2026-01-01', amount: '10.00' },
        { externalId: 'I-1', customerCode: 'C-1', issuedOn: '2026-01-01', amount: '10.00' },
        { externalId: 'I-1', customerCode: 'C-1', issuedOn: '2026-01-01', amount: '11.00' },
        { externalId: 'I-2', customerCode: 'C-2', issuedOn: '2026-01-05', dueOn: '2026-01-01' },
        {
          externalId: 'I-3',
          customerCode: 'C-2',
          issuedOn: '2026-01-05',
          amount: '500',
          openAmount: '600',
          disputed: 'yes',
          settledOn: '2026-02-01',
        },
        { externalId: 'I-4', customerCode: 'NOPE', issuedOn: '2026-01-05', amount: '1' },
      ],
    ],
    [
      'customers',
      [
        { code: 'C-3', legalName: 'Three', aliases: 'Tri|III', country: 'gb', currency: 'GBP' },
        { code: 'C-4', legalName: 'Four', country: 'XX1', currency: 'EUR' },
      ],
    ],
    [
      'events',
      [
        {
          source: 'tdb',
          sourceEventId: 'E-1',
          customerCode: 'C-1',
          kind: 'news',
          severity: 'low',
          occurredAt: '2026-01-01T09:30:00+09:00',
        },
        { source: 'tdb', sourceEventId: 'E-1', customerCode: 'C-1', kind: 'news' },
      ],
    ],
    [
      'orders',
      [
        {
          externalId: 'O-1',
          customerCode: 'C-1',
          orderedOn: '2026-01-01',
          amount: '5',
          openAmount: '6',
        },
      ],
    ],
  ] as const)('come out of their columns as they went in (%s)', (kind, raws) => {
    const items = prepared(kind, [...raws]);
    const back = unpackItems(structuredClone(packItems(items)));
    expect(back).toEqual(items);
  });

  it('carry errors across as the same errors', () => {
    const domain = deserializeError(
      structuredClone(serializeError(new DomainError('errors.import.no_file', { file: 'x' }))),
    );
    expect(domain).toBeInstanceOf(DomainError);
    expect(domain).toMatchObject({ code: 'errors.import.no_file', params: { file: 'x' } });
    const system = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', errno: -2 });
    expect(deserializeError(structuredClone(serializeError(system)))).toMatchObject({
      message: 'ENOENT: no such file',
      code: 'ENOENT',
      errno: -2,
    });
  });
});

describe('a row without a due date', () => {
  it("is due by the customer's terms: net 30, or closing on the 20th and paid on the 10th of the next month", () => {
    const [net, closing] = prepared('invoices', [
      { externalId: 'N-1', customerCode: 'C-1', issuedOn: '2026-12-21', amount: '1.00' },
      { externalId: 'N-2', customerCode: 'C-2', issuedOn: '2026-12-21', amount: '100' },
    ]);
    expect(net).toMatchObject({ input: { dueOn: '2027-01-20' } });
    // 12/21 is after the 20th: it closes on 2027-01-20 and is paid on 2027-02-10.
    expect(closing).toMatchObject({ input: { dueOn: '2027-02-10' } });
  });
});
