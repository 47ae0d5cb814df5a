import { DomainError } from '#domain';
import { decodeCsv, normalizeHeader, parseCount, readTable, type ColumnSpec } from './csv-table.js';

const COLUMNS: ColumnSpec<'code' | 'qty'>[] = [
  { key: 'code', required: true, headers: ['creditCode', '统一社会信用代码'] },
  { key: 'qty', required: false, headers: ['quantity', '可供数量'] },
];

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

  it('numbers rows as a spreadsheet does: header row 1, blank rows skipped but counted, quoted newlines one row', () => {
    const { rows, problems } = readTable('\uFEFF统一社会信用代码,"数量 quantity",备注\r\nA,1,x\r\n,,\r\n"B",2,"two\nlines"\r\nC\r\n', COLUMNS);
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { row: 2, cells: { code: 'A', qty: '1' } },
      { row: 4, cells: { code: 'B', qty: '2' } },
      { row: 5, cells: { code: 'C', qty: '' } },
    ]);
  });

  it('names unknown, repeated and missing columns in the header row', () => {
    const err = refusal(() => readTable('quantity,可供数量,colour\n1,2,3\n', COLUMNS));
    expect(err.code).toBe('IMPORT_HEADER_INVALID');
    expect(err.fields.map((f) => f.field)).toEqual(['row 1: 可供数量', 'row 1: colour', 'row 1: code']);
  });

  it('reports a value in a cell without a header as a row problem', () => {
    expect(readTable('creditCode\nA,,x\n', COLUMNS).problems).toEqual([{ field: 'row 2', reason: 'cell 3 has a value but no header' }]);
  });

  it('reads UTF-8, falls back to GB18030, and honours a declared charset', () => {
    expect(decodeCsv(Buffer.from('\uFEFF中文', 'utf8'))).toBe('中文'); // the BOM is dropped
    expect(decodeCsv(Buffer.from('d6d0cec4', 'hex'))).toBe('中文'); // GBK bytes of 中文
    expect(decodeCsv(Buffer.from('d6d0cec4', 'hex'), 'GBK')).toBe('中文');
    expect(refusal(() => decodeCsv(Buffer.from('d6d0', 'hex'), 'utf-8')).code).toBe('IMPORT_ENCODING_INVALID');
    expect(refusal(() => decodeCsv(Buffer.from('a'), 'latin1')).code).toBe('IMPORT_ENCODING_UNSUPPORTED');
  });

  it('reads whole numbers only', () => {
    expect(parseCount('', 10)).toEqual({ value: null });
    expect(parseCount('7', 10)).toEqual({ value: 7 });
    expect(parseCount('1.5', 10).problem).toContain('not a whole number');
    expect(parseCount('-1', 10).problem).toContain('not a whole number');
    expect(parseCount('11', 10).problem).toContain('exceeds the maximum 10');
  });
});
