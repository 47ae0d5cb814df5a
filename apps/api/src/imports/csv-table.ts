import { DomainError, type FieldProblem } from '#domain';

/**
 * Largest CSV file accepted, as a text/csv body or a multipart/form-data file (413 beyond): the only
 * bound on a file's rows. 20 MiB holds a demand file of 14,000 enterprises × 4 products (56,000
 * rows) at up to 374 bytes a row, names and notes included; such a row is about 40–120 bytes.
 */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
export const MAX_IMPORT_SIZE = '20 MiB';
/** Problems listed in one 422 answer; a file this wrong is best fixed from the first ones. */
export const MAX_LISTED_PROBLEMS = 10_000;

/** A column a file may carry: its key, whether it must be present, and the headers (English or Chinese) that name it. */
export interface ColumnSpec<K extends string> {
  key: K;
  required: boolean;
  headers: readonly string[];
}

/** One data row: its number as a spreadsheet shows it (header = row 1) and its trimmed cells by column key. */
export interface TableRow<K extends string> {
  row: number;
  cells: Record<K, string>;
}

/** Headers that may appear and are ignored (names kept beside the codes so a person can read the sheet). */
const IGNORED_HEADERS = ['name', 'enterprisename', 'suppliername', 'productname', 'note', 'notes', 'remark', '企业名称', '单位名称', '供应商名称', '产品名称', '物资名称', '备注'];

/** Case, width (全角/半角), spaces, underscores and hyphens do not matter in a header. */
export function normalizeHeader(header: string): string {
  return header.normalize('NFKC').toLowerCase().replace(/[\s_\-]/g, '');
}

/**
 * Maps a file's records (as csv-upload.ts read them) to rows keyed by column, refusing (422)
 * unknown, repeated or missing columns. Blank rows are skipped but keep their numbers, as a
 * spreadsheet shows them.
 */
export function readTable<K extends string>(
  records: readonly string[][],
  columns: readonly ColumnSpec<K>[],
): { rows: TableRow<K>[]; problems: FieldProblem[] } {
  const isBlank = (r: string[]) => r.every((c) => c === '');
  const headerIndex = records.findIndex((r) => !isBlank(r));
  if (headerIndex < 0) throw DomainError.rule('IMPORT_EMPTY', 'body', 'The file has no header row and no data');

  const keyOfColumn = mapHeader(records[headerIndex], headerIndex + 1, columns);
  const rows: TableRow<K>[] = [];
  const problems: FieldProblem[] = [];
  for (let i = headerIndex + 1; i < records.length; i++) {
    const record = records[i];
    if (isBlank(record)) continue;
    const cells = Object.fromEntries(columns.map((c) => [c.key, ''])) as Record<K, string>;
    record.forEach((value, col) => {
      const key = keyOfColumn[col];
      if (key) cells[key] = value;
      else if (key === undefined && value !== '') problems.push({ field: `row ${i + 1}`, reason: `cell ${col + 1} has a value but no header` });
    });
    rows.push({ row: i + 1, cells });
  }
  return { rows, problems };
}

/** Which column key each header cell names: a key, null for an ignored column, undefined beyond the header. */
function mapHeader<K extends string>(header: string[], rowNumber: number, columns: readonly ColumnSpec<K>[]): (K | null)[] {
  const byAlias = new Map<string, K>();
  for (const c of columns) for (const h of c.headers) byAlias.set(normalizeHeader(h), c.key);
  const ignored = new Set(IGNORED_HEADERS.map(normalizeHeader));
  const problems: FieldProblem[] = [];
  const seen = new Map<K, string>();
  const keys = header.map((cell): K | null => {
    const name = normalizeHeader(cell);
    // A bilingual header such as "统一社会信用代码 creditCode" names its column by either part.
    const parts = [name, ...cell.split(/[\s/|]+/).map(normalizeHeader)].filter(Boolean);
    const key = parts.map((p) => byAlias.get(p)).find((k) => k !== undefined);
    if (key === undefined) {
      if (name === '' || parts.some((p) => ignored.has(p))) return null;
      problems.push({ field: `row ${rowNumber}: ${cell}`, reason: `unknown column; expected ${columns.map((c) => c.headers.slice(0, 2).join(' / ')).join(', ')}` });
      return null;
    }
    if (seen.has(key)) problems.push({ field: `row ${rowNumber}: ${cell}`, reason: `column ${key} appears twice (also as "${seen.get(key)}")` });
    seen.set(key, cell);
    return key;
  });
  for (const c of columns) {
    if (c.required && !seen.has(c.key)) problems.push({ field: `row ${rowNumber}: ${c.key}`, reason: `missing column ${c.headers.slice(0, 2).join(' / ')}` });
  }
  if (problems.length) {
    throw new DomainError('unprocessable', 'IMPORT_HEADER_INVALID', `The header row is not usable: ${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`, problems);
  }
  return keys;
}

/** The 422 for a file with bad rows: every problem named by row and column (up to MAX_LISTED_PROBLEMS), nothing written. */
export function rowsInvalid(problems: FieldProblem[], badRows: number): DomainError {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  const more = problems.length > listed.length ? ` (the first ${listed.length} of ${problems.length} problems are listed)` : '';
  return new DomainError(
    'unprocessable',
    'IMPORT_ROWS_INVALID',
    `${badRows} row${badRows === 1 ? '' : 's'} of the file ${badRows === 1 ? 'is' : 'are'} invalid; nothing was imported${more}`,
    listed,
  );
}

/** A whole number 0…max written as digits; '' when blank. Anything else is a problem for `field`. */
export function parseCount(value: string, max: number): { value: number | null; problem?: string } {
  if (value === '') return { value: null };
  if (!/^\d+$/.test(value)) return { value: null, problem: `"${value}" is not a whole number ≥ 0` };
  const n = Number(value);
  if (n > max) return { value: null, problem: `${value} exceeds the maximum ${max}` };
  return { value: n };
}
