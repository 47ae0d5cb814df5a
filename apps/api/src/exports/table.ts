import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';

export type Cell = string | number | null;

export interface TableColumn {
  /** Chinese then English, e.g. `企业名称 Enterprise`. */
  header: string;
  /** Column width in characters (XLSX). */
  width: number;
  /** Excel number format (XLSX), e.g. `0.0%`. */
  numFmt?: string;
}

/** A report as rows of cells, rendered to CSV or XLSX from the same data. */
export interface Table {
  /** Worksheet name (at most 31 characters). */
  sheet: string;
  columns: readonly TableColumn[];
  rows: readonly Cell[][];
}

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Blanks a spreadsheet skips before deciding a cell is a formula: spaces of any kind, controls, zero-width and other format characters. */
const LEADING_BLANKS = /^[\s\p{Z}\p{Cc}\p{Cf}]*/u;

/** Formula triggers after NFKC folding, which turns full-width ＝＋－＠ and small-form variants into ASCII. */
const TRIGGERS = new Set(['=', '+', '-', '@', '\u2212']);

/**
 * Text a spreadsheet would run as a formula gets a leading apostrophe, so a name such as
 * `=HYPERLINK(…)`, ` =1+1`, `＝1+1` or `\u200B=1` typed into the registry stays text when a
 * coordinator opens the file.
 */
export function inert(cell: Cell): Cell {
  if (typeof cell !== 'string') return cell;
  if (/^[\t\r]/.test(cell)) return `'${cell}`; // OWASP lists a leading tab or CR as triggers themselves
  const first = cell.replace(LEADING_BLANKS, '').codePointAt(0);
  if (first === undefined) return cell;
  const folded = String.fromCodePoint(first).normalize('NFKC');
  return TRIGGERS.has(folded[0]) ? `'${cell}` : cell;
}

/**
 * UTF-8 with a BOM and CRLF line ends, so Excel opens Chinese text correctly. Every field holding
 * a CR or LF is quoted too (csv-stringify alone quotes only the CRLF record delimiter), so a bare
 * LF cannot start a new row.
 */
export function toCsv(table: Table): Buffer {
  const text = stringify([table.columns.map((c) => c.header), ...table.rows.map((r) => r.map(inert))], {
    bom: true,
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
  });
  return Buffer.from(text, 'utf8');
}

/** One worksheet: bold frozen header with a filter, typed numeric cells. */
export async function toXlsx(table: Table): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'ppe-matching';
  const sheet = workbook.addWorksheet(table.sheet.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
  sheet.addRows(table.rows.map((r) => [...r]));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
