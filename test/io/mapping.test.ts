import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMapping, resolveColumns } from '../../src/io/mapping.ts';

const dir = mkdtempSync(join(tmpdir(), 'creditops-mapping-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe(loadMapping.name, () => {
  it('reads a mapping with formats, currency and yes/no words', async () => {
    const path = file(
      'ok.json',
      JSON.stringify({
        dateFormat: 'M/D/YYYY',
        defaultCurrency: 'USD',
        booleans: { yes: ['Yes'], no: ['No'] },
        fields: { amount: 'InvoiceAmount' },
      }),
    );
    await expect(loadMapping(path, 'invoices')).resolves.toMatchObject({
      dateFormat: 'M/D/YYYY',
      fields: { amount: 'InvoiceAmount' },
    });
  });

  it('names what is wrong: bad JSON, an unknown option, a field of another entity, another kind', async () => {
    await expect(loadMapping(file('bad.json', '{'), 'invoices')).rejects.toMatchObject({
      code: 'errors.mapping.unreadable',
    });
    await expect(
      loadMapping(file('opt.json', '{"dateformat":"x"}'), 'invoices'),
    ).rejects.toMatchObject({ code: 'errors.mapping.invalid' });
    await expect(
      loadMapping(file('cur.json', '{"defaultCurrency":"YEN"}'), 'invoices'),
    ).rejects.toMatchObject({
      code: 'errors.mapping.invalid',
      params: expect.objectContaining({ path: 'defaultCurrency' }),
    });
    await expect(
      loadMapping(file('field.json', '{"fields":{"legalName":"名前"}}'), 'invoices'),
    ).rejects.toMatchObject({
      code: 'errors.mapping.unknown_field',
      params: expect.objectContaining({ field: 'legalName' }),
    });
    await expect(
      loadMapping(file('kind.json', '{"kind":"payments"}'), 'invoices'),
    ).rejects.toMatchObject({ code: 'errors.mapping.wrong_kind' });
  });
});

describe(resolveColumns.name, () => {
  it('takes columns named like our fields when no mapping names them', () => {
    const columns = resolveColumns(
      'payments',
      ['externalId', 'customerCode', 'receivedOn', 'amount'],
      undefined,
    );
    expect([...columns]).toEqual([
      ['externalId', 0],
      ['customerCode', 1],
      ['receivedOn', 2],
      ['amount', 3],
    ]);
  });

  it('refuses a mapped column the file lacks, and a required field nothing provides', () => {
    expect(() => resolveColumns('payments', ['a'], { fields: { externalId: '入金番号' } })).toThrow(
      expect.objectContaining({ code: 'errors.mapping.missing_column' }),
    );
    expect(() =>
      resolveColumns('payments', ['externalId', 'customerCode', 'amount'], undefined),
    ).toThrow(
      expect.objectContaining({
        code: 'errors.mapping.required_field',
        params: expect.objectContaining({ field: 'receivedOn' }),
      }),
    );
  });
});
