import { DomainError } from '#domain';
import { PayloadTooLargeException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { normalizeHeader, parseCount, readTable, type ColumnSpec } from './csv-table.js';
import { readCsvUpload } from './csv-upload.js';

const COLUMNS: ColumnSpec<'code' | 'qty'>[] = [
  { key: 'code', required: true, headers: ['creditCode', '统一社会信用代码'] },
  { key: 'qty', required: false, headers: ['quantity', '可供数量'] },
];

/** A file arriving in chunks of `chunk` bytes, as a request body does. */
const upload = (file: Buffer | string, charset?: string, chunk = 3, limit?: number) => {
  const bytes = Buffer.from(file);
  const chunks = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) => bytes.subarray(i * chunk, (i + 1) * chunk));
  return readCsvUpload(Readable.from(chunks), charset, limit);
};
const records = async (file: Buffer | string, charset?: string) => (await upload(file, charset)).records;

async function refusedWith(read: Promise<unknown>): Promise<unknown> {
  try {
    await read;
  } catch (err) {
    return err;
  }
  throw new Error('expected a refusal');
}

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('csv-table', () => {
  it('matches headers ignoring case, width, spaces, underscores and hyphens', () => {
    expect(normalizeHeader(' Credit_Code ')).toBe(normalizeHeader('credit-code'));
    expect(normalizeHeader('ＱＵＡＮＴＩＴＹ')).toBe('quantity'); // full-width letters
  });

  it('numbers rows as a spreadsheet does: header row 1, blank rows skipped but counted, quoted newlines one row', async () => {
    const { rows, problems } = readTable(await records('\uFEFF统一社会信用代码,"数量 quantity",备注\r\nA,1,x\r\n,,\r\n"B",2,"two\nlines"\r\nC\r\n'), COLUMNS);
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { row: 2, cells: { code: 'A', qty: '1' } },
      { row: 4, cells: { code: 'B', qty: '2' } },
      { row: 5, cells: { code: 'C', qty: '' } },
    ]);
  });

  it('names unknown, repeated and missing columns in the header row', async () => {
    const file = await records('quantity,可供数量,colour\n1,2,3\n');
    const err = refusal(() => readTable(file, COLUMNS));
    expect(err.code).toBe('IMPORT_HEADER_INVALID');
    expect(err.fields.map((f) => f.field)).toEqual(['row 1: 可供数量', 'row 1: colour', 'row 1: code']);
  });

  it('reports a value in a cell without a header as a row problem', async () => {
    expect(readTable(await records('creditCode\nA,,x\n'), COLUMNS).problems).toEqual([{ field: 'row 2', reason: 'cell 3 has a value but no header' }]);
  });

  it('reads UTF-8 (split characters across chunks too), falls back to GB18030, and honours a declared charset', async () => {
    expect(await records(Buffer.from('\uFEFF中文,列\n', 'utf8'))).toEqual([['中文', '列']]); // the BOM is dropped; 3-byte chunks split nothing, 2-byte ones do
    expect((await upload(Buffer.from('中文,列\n', 'utf8'), undefined, 2)).records).toEqual([['中文', '列']]);
    const gbk = Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from('d6d0cec4', 'hex'), Buffer.from('\n')]); // GBK bytes of 中文, after a valid UTF-8 start
    expect(await records(gbk)).toEqual([['a', 'b'], ['1', '中文']]);
    expect(await records(Buffer.from('d6d0cec4', 'hex'), 'GBK')).toEqual([['中文']]);
    expect(((await refusedWith(upload(Buffer.from('d6d0', 'hex'), 'utf-8'))) as DomainError).code).toBe('IMPORT_ENCODING_INVALID');
    expect(((await refusedWith(upload(Buffer.from('a'), 'latin1'))) as DomainError).code).toBe('IMPORT_ENCODING_UNSUPPORTED');
  });

  it('counts, hashes and bounds the bytes as they arrive; a malformed file names its row', async () => {
    const file = await upload('a,b\n1,2\n');
    const sha256 = createHash('sha256').update('a,b\n1,2\n').digest('hex');
    // An Idempotency-Key's request hash is the JSON of the body: for a file, its digest and size.
    expect({ bytes: file.bytes, sha256: file.sha256, json: JSON.stringify(file) }).toEqual({ bytes: 8, sha256, json: JSON.stringify({ file: sha256, bytes: 8 }) });
    expect(await refusedWith(upload('a,b\n1,2\n', undefined, 3, 7))).toBeInstanceOf(PayloadTooLargeException);
    const malformed = (await refusedWith(upload('a,b\n1,2\n"3,4\n'))) as DomainError;
    expect({ code: malformed.code, field: malformed.fields[0]?.field }).toEqual({ code: 'IMPORT_CSV_MALFORMED', field: 'row 3' });
  });

  it('reads whole numbers only', () => {
    expect(parseCount('', 10)).toEqual({ value: null });
    expect(parseCount('7', 10)).toEqual({ value: 7 });
    expect(parseCount('1.5', 10).problem).toContain('not a whole number');
    expect(parseCount('-1', 10).problem).toContain('not a whole number');
    expect(parseCount('11', 10).problem).toContain('exceeds the maximum 10');
  });
});
