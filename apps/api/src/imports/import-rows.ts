import { checkHeadcount, DomainError, isValidCreditCode, needFor, OrganizationKind, type FieldProblem, type ReportKindName } from '#domain';
import { type DemandLine, type Product, type ReportContent } from '#store';
import { MAX_QUANTITY } from '../reports/dto/post-demand.dto.js';
import { parseCount, type ColumnSpec, type TableRow } from './csv-table.js';

/** Same bound as PostDemandDto.headcount. */
export const MAX_HEADCOUNT = 1_000_000;

export const CREDIT_CODE_HEADERS = ['creditCode', '统一社会信用代码', 'credit code', 'unifiedSocialCreditCode', '社会信用代码', '信用代码'];
const PRODUCT_CODE_HEADERS = ['productCode', '产品编码', 'product code', '产品代码', '物资编码'];

export type DemandColumn = 'creditCode' | 'headcount' | 'productCode' | 'statedQuantity' | 'stockOnHand';
export type CapacityColumn = 'creditCode' | 'productCode' | 'quantity';

/** Demand: one row per (enterprise, product). The first two headers of each column are the documented ones. */
export const DEMAND_COLUMNS: readonly ColumnSpec<DemandColumn>[] = [
  { key: 'creditCode', required: true, headers: CREDIT_CODE_HEADERS },
  { key: 'headcount', required: true, headers: ['headcount', '在岗人数', '返岗员工数', '返岗员工数量', '返岗人数', 'on-site headcount'] },
  { key: 'productCode', required: true, headers: PRODUCT_CODE_HEADERS },
  { key: 'statedQuantity', required: false, headers: ['statedQuantity', '申报数量', 'stated quantity', '需求数量', '需求量'] },
  { key: 'stockOnHand', required: false, headers: ['stockOnHand', '库存', 'stock on hand', 'stock', '库存数量', '现有库存'] },
];

/** Capacity: one row per (supplier, product). */
export const CAPACITY_COLUMNS: readonly ColumnSpec<CapacityColumn>[] = [
  { key: 'creditCode', required: true, headers: CREDIT_CODE_HEADERS },
  { key: 'productCode', required: true, headers: PRODUCT_CODE_HEADERS },
  { key: 'quantity', required: true, headers: ['quantity', '可供数量', 'available quantity', '供应数量', '可供应数量'] },
];

/** What row validation needs to know about an organization named by credit code. */
export interface OrgRef {
  id: string;
  kind: OrganizationKind;
  zoneId: string;
  registeredEmployees: number | null;
}

export type CatalogueProduct = Pick<Product, 'id' | 'code' | 'normPerWorker' | 'capFactor'>;

export interface ImportContext {
  zoneId: string;
  /** The zone's catalogue by product code. */
  products: ReadonlyMap<string, CatalogueProduct>;
  /** Organizations (of any zone) whose credit code appears in the file. */
  orgs: ReadonlyMap<string, OrgRef>;
}

/** One organization's report as the file states it, ready for the ledger. */
export interface ReportDraft<K extends ReportKindName> {
  organizationId: string;
  creditCode: string;
  /** The organization's first row in the file, where a problem with its report as a whole is named. */
  row: number;
  content: ReportContent<K>;
}

export interface Validated<T> {
  reports: T[];
  problems: FieldProblem[];
  badRows: number;
}

/** Collects problems per row, so the answer lists them in the file's order. */
export class Problems {
  private readonly list: { row: number; order: number; problem: FieldProblem }[] = [];

  /** A problem of one cell; `as` names the API problem it is, so its Chinese text can say it. */
  add(row: number, column: string, reason: string, as?: Pick<FieldProblem, 'code' | 'params'>): void {
    this.list.push({ row, order: this.list.length, problem: { field: `row ${row}: ${column}`, reason, ...as } });
  }

  /** Runs a rule of the single-report API on a row: its value, or undefined with the refusal's fields recorded. */
  check<T>(row: number, rule: () => T): T | undefined {
    try {
      return rule();
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      for (const problem of err.fields) this.list.push({ row, order: this.list.length, problem: { code: err.code, params: err.params, ...problem } });
      return undefined;
    }
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  get count(): number {
    return this.list.length;
  }

  result<T>(reports: T[], extra: readonly FieldProblem[]): Validated<T> {
    const rowOf = (field: string) => Number(/^row (\d+)/.exec(field)?.[1] ?? 0);
    const all = [...this.list, ...extra.map((problem, i) => ({ row: rowOf(problem.field), order: -1 - i, problem }))];
    all.sort((a, b) => a.row - b.row || a.order - b.order);
    return { reports: this.empty && extra.length === 0 ? reports : [], problems: all.map((p) => p.problem), badRows: new Set(all.map((p) => p.row)).size };
  }
}

/** The organization a row names, or a reason it cannot be used. */
function resolveOrg(raw: string, kind: OrganizationKind, ctx: ImportContext): { org?: OrgRef; code: string; problem?: string } {
  const code = raw.toUpperCase();
  const what = kind === OrganizationKind.Enterprise ? 'enterprise' : 'supplier';
  if (code === '') return { code, problem: `the ${what}'s unified social credit code is required` };
  if (!isValidCreditCode(code)) return { code, problem: `${raw} is not a valid unified social credit code (18 characters, GB 32100-2015 check character)` };
  const org = ctx.orgs.get(code);
  // Another zone's organization is answered like an unknown one, as the API answers 404 for it.
  if (!org || org.zoneId !== ctx.zoneId) return { code, problem: `no ${what} with credit code ${code} is registered in this zone` };
  if (org.kind !== kind) return { code, problem: `${code} is registered as ${org.kind === OrganizationKind.Enterprise ? 'an enterprise, not a supplier' : 'a supplier, not an enterprise'}` };
  return { code, org };
}

function resolveProduct(raw: string, ctx: ImportContext) {
  const code = raw.toUpperCase();
  if (code === '') return { code, problem: 'the product code is required' };
  const product = ctx.products.get(code);
  return product ? { code, product } : { code, problem: `product ${code} is not in this zone’s catalogue` };
}

interface DemandRow {
  row: number;
  headcount: number | null;
  headcountBlank: boolean;
  product?: CatalogueProduct;
  statedQuantity: number | null;
  stockOnHand: number;
}

/**
 * Checks every demand row with the single-report rules (headcount ≤ registered employees, whole
 * numbers ≥ 0, known products, stated quantity ≤ headcount × norm × cap factor, the enterprise in
 * this zone) plus the file's own (one headcount per enterprise, no product twice for one enterprise),
 * and groups the rows into one report per enterprise. Reports are returned only when no row is bad.
 */
export function validateDemandRows(rows: readonly TableRow<DemandColumn>[], ctx: ImportContext, fileProblems: readonly FieldProblem[] = []): Validated<ReportDraft<'demand'>> {
  const problems = new Problems();
  const groups = new Map<string, { org: OrgRef; code: string; rows: DemandRow[] }>();
  const firstRowOf = new Map<string, number>();
  for (const { row, cells } of rows) {
    const { org, code, problem: orgProblem } = resolveOrg(cells.creditCode, OrganizationKind.Enterprise, ctx);
    if (orgProblem) problems.add(row, 'creditCode', orgProblem);
    const headcount = parseCount(cells.headcount, MAX_HEADCOUNT);
    if (headcount.problem) problems.add(row, 'headcount', headcount.problem);
    const { product, code: productCode, problem: productProblem } = resolveProduct(cells.productCode, ctx);
    if (productProblem) problems.add(row, 'productCode', productProblem);
    const stated = parseCount(cells.statedQuantity, MAX_QUANTITY);
    if (stated.problem) problems.add(row, 'statedQuantity', stated.problem);
    const stock = parseCount(cells.stockOnHand, MAX_QUANTITY);
    if (stock.problem) problems.add(row, 'stockOnHand', stock.problem);

    if (code && productCode) {
      const key = `${code}|${productCode}`;
      const first = firstRowOf.get(key);
      if (first !== undefined) problems.add(row, 'productCode', `product ${productCode} appears again for ${code} (first on row ${first})`);
      else firstRowOf.set(key, row);
    }
    if (!org) continue;
    const group = groups.get(org.id) ?? { org, code, rows: [] };
    group.rows.push({ row, headcount: headcount.value, headcountBlank: cells.headcount === '', product, statedQuantity: stated.value, stockOnHand: stock.value ?? 0 });
    groups.set(org.id, group);
  }

  const reports: ReportDraft<'demand'>[] = [];
  for (const { org, code, rows: own } of groups.values()) {
    const stating = own.find((r) => r.headcount !== null);
    if (!stating) {
      const blank = own.find((r) => r.headcountBlank);
      if (blank) problems.add(blank.row, 'headcount', 'the on-site headcount is required on at least one row of the enterprise');
      continue;
    }
    const headcount = stating.headcount!;
    for (const r of own) {
      if (r.headcount !== null && r.headcount !== headcount) {
        problems.add(r.row, 'headcount', `headcount ${r.headcount} differs from ${headcount} on row ${stating.row}; give one headcount per enterprise`);
      }
    }
    if (problems.check(stating.row, () => checkHeadcount(headcount, org.registeredEmployees, `row ${stating.row}: headcount`)) === undefined) continue;
    const lines: DemandLine[] = [];
    for (const r of own) {
      if (!r.product) continue;
      const need = problems.check(r.row, () => needFor(headcount, r.product!, { statedQuantity: r.statedQuantity, stockOnHand: r.stockOnHand }, `row ${r.row}: statedQuantity`));
      if (need !== undefined) lines.push({ productId: r.product.id, productCode: r.product.code, statedQuantity: r.statedQuantity, stockOnHand: r.stockOnHand, need });
    }
    reports.push({ organizationId: org.id, creditCode: code, row: own[0].row, content: { headcount, lines } });
  }
  return problems.result(reports, fileProblems);
}

/** Checks every capacity row (the supplier in this zone, a known product, a whole quantity ≥ 0, no product twice per supplier) and groups them per supplier. */
export function validateCapacityRows(rows: readonly TableRow<CapacityColumn>[], ctx: ImportContext, fileProblems: readonly FieldProblem[] = []): Validated<ReportDraft<'capacity'>> {
  const problems = new Problems();
  const reports = new Map<string, ReportDraft<'capacity'>>();
  const firstRowOf = new Map<string, number>();
  for (const { row, cells } of rows) {
    const { org, code, problem: orgProblem } = resolveOrg(cells.creditCode, OrganizationKind.Supplier, ctx);
    if (orgProblem) problems.add(row, 'creditCode', orgProblem);
    const { product, code: productCode, problem: productProblem } = resolveProduct(cells.productCode, ctx);
    if (productProblem) problems.add(row, 'productCode', productProblem);
    const quantity = parseCount(cells.quantity, MAX_QUANTITY);
    if (quantity.problem) problems.add(row, 'quantity', quantity.problem);
    else if (quantity.value === null) problems.add(row, 'quantity', 'the quantity is required');
    if (code && productCode) {
      const key = `${code}|${productCode}`;
      const first = firstRowOf.get(key);
      if (first !== undefined) problems.add(row, 'productCode', `product ${productCode} appears again for ${code} (first on row ${first})`);
      else firstRowOf.set(key, row);
    }
    if (!org || !product || quantity.value === null) continue;
    const report = reports.get(org.id) ?? { organizationId: org.id, creditCode: code, row, content: { lines: [] } };
    report.content.lines.push({ productId: product.id, productCode: product.code, quantity: quantity.value });
    reports.set(org.id, report);
  }
  return problems.result([...reports.values()], fileProblems);
}
