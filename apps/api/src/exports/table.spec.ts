import ExcelJS from 'exceljs';
import { escapeHtml } from './slip.js';
import { inert, toCsv, toXlsx, type Table } from './table.js';

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

  it('neutralises a formula trigger after any leading blanks, full-width and zero-width characters included', () => {
    for (const name of ['=1+1', ' =1+1', '\u3000=1', '\t=1', '\r=1', '\n=1+1', '\u200B=1', '\uFEFF@SUM(A1)', '＝1+1', '＋1', '－1', '＠A1', '﹦1', '\u2212 1', '\u00A0+1']) {
      expect(inert(name)).toBe(`'${name}`);
    }
    for (const name of ['常州康护', 'A=1', '1-2', '', '   ', 'MASK-MED']) expect(inert(name)).toBe(name);
    expect(inert(-5)).toBe(-5);
  });

  it('quotes every field holding a CR or LF, so a bare LF cannot start a row', () => {
    const csv = toCsv({ sheet: 's', columns: [{ header: 'h', width: 1 }], rows: [['a\nb'], ['c\rd'], ['\n=1+1']] }).subarray(3).toString('utf8');
    expect(csv).toBe('h\r\n"a\nb"\r\n"c\rd"\r\n"\'\n=1+1"\r\n');
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
