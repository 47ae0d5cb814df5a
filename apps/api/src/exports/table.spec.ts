import ExcelJS from 'exceljs';
import { escapeHtml } from './slip.js';
import { toCsv, toXlsx, type Table } from './table.js';

const sut: Table = {
  sheet: '表 Sheet',
  columns: [
    { header: '企业名称 Enterprise', width: 20 },
    { header: '满足率 Fill ratio', width: 10, numFmt: '0.0%' },
  ],
  rows: [
    ['=cmd|"/c calc"!A1', 0.5],
    ['常州, "引号" 公司', null],
  ],
};

describe('export tables', () => {
  it('writes CSV as UTF-8 with a BOM and CRLF, quoting as needed, with formulas made inert', () => {
    const csv = toCsv(sut);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.subarray(3).toString('utf8')).toBe('企业名称 Enterprise,满足率 Fill ratio\r\n"\'=cmd|""/c calc""!A1",0.5\r\n"常州, ""引号"" 公司",\r\n');
  });

  it('writes an XLSX that reads back with the same cells and typed numbers', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await toXlsx(sut)) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('表 Sheet');
    expect(sheet.getRow(2).getCell(1).value).toBe('=cmd|"/c calc"!A1'); // a string cell, never a formula
    expect(sheet.getRow(2).getCell(2).value).toBe(0.5);
    expect(sheet.getRow(2).getCell(2).numFmt).toBe('0.0%');
  });

  it('escapes every HTML-significant character', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
    expect(escapeHtml(null)).toBe('');
  });
});
