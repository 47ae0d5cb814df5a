import {
  checkPickupWindows,
  DEFAULT_SLOT_MINUTES,
  DomainError,
  DEFAULT_VEHICLES_PER_SLOT,
  isValidCreditCode,
  OrganizationKind,
  PRIORITY_CATEGORIES,
  PRIORITY_CATEGORY_ZH,
  type FieldProblem,
  type PickupWindow,
} from '#domain';
import type { ImportedOrganization, Organization, OrganizationImportPlan } from '#store';
import { TIME_OF_DAY } from '../common/validators.js';
import { parseCount, type ColumnSpec, type TableRow } from './csv-table.js';
import { CREDIT_CODE_HEADERS, Problems } from './import-rows.js';

export type OrganizationColumn = keyof ImportedOrganization;

/**
 * An organization file: one row per organization, the fields of the single registration (POST
 * /zones/{id}/enterprises and /suppliers). The first two headers of each column are the documented ones.
 */
export const ORGANIZATION_COLUMNS: readonly ColumnSpec<OrganizationColumn>[] = [
  { key: 'creditCode', required: true, headers: CREDIT_CODE_HEADERS },
  { key: 'kind', required: true, headers: ['kind', '类型', '单位类型', 'organization kind'] },
  { key: 'name', required: false, headers: ['name', '名称', '企业名称', '单位名称', '供应商名称'] },
  { key: 'address', required: false, headers: ['address', '地址', '注册地址', '企业地址'] },
  { key: 'latitude', required: false, headers: ['latitude', '纬度', 'lat'] },
  { key: 'longitude', required: false, headers: ['longitude', '经度', 'lng', 'lon'] },
  { key: 'contactName', required: false, headers: ['contactName', '联系人', 'contact'] },
  { key: 'contactPhone', required: false, headers: ['contactPhone', '联系电话', 'phone', '电话'] },
  { key: 'registeredEmployees', required: false, headers: ['registeredEmployees', '登记员工数', '员工人数', '职工人数'] },
  { key: 'priorityCategory', required: false, headers: ['priorityCategory', '优先类别', 'category'] },
  { key: 'aboveScale', required: false, headers: ['aboveScale', '规模以上', '规上企业'] },
  { key: 'pickupSiteAddress', required: false, headers: ['pickupSiteAddress', '取货地址', '提货地址'] },
  { key: 'pickupWindows', required: false, headers: ['pickupWindows', '取货时段', '提货时段'] },
  { key: 'slotMinutes', required: false, headers: ['slotMinutes', '时段分钟数', '每时段分钟数'] },
  { key: 'vehiclesPerSlot', required: false, headers: ['vehiclesPerSlot', '每时段车辆数', '每时段车辆'] },
];

const KIND_NAMES: ReadonlyMap<string, OrganizationKind> = new Map([
  ['enterprise', OrganizationKind.Enterprise],
  ['企业', OrganizationKind.Enterprise],
  ['supplier', OrganizationKind.Supplier],
  ['供应商', OrganizationKind.Supplier],
]);
const CATEGORY_NAMES: ReadonlyMap<string, string> = new Map(PRIORITY_CATEGORIES.flatMap((c) => [[c, c] as const, [PRIORITY_CATEGORY_ZH[c], c] as const]));
const YES_NO: ReadonlyMap<string, boolean> = new Map([
  ['true', true], ['yes', true], ['1', true], ['是', true],
  ['false', false], ['no', false], ['0', false], ['否', false],
]);
const ENTERPRISE_ONLY: readonly OrganizationColumn[] = ['registeredEmployees', 'priorityCategory', 'aboveScale'];
const SUPPLIER_ONLY: readonly OrganizationColumn[] = ['pickupSiteAddress', 'pickupWindows', 'slotMinutes', 'vehiclesPerSlot'];
const PHONE = /^\+?[0-9 ()-]{5,40}$/;
/** Same bounds as the registration DTOs. */
const TEXT_LIMITS: Partial<Record<OrganizationColumn, number>> = { name: 200, address: 300, contactName: 100, pickupSiteAddress: 300 };

export interface OrganizationImportContext {
  zoneId: string;
  /** Categories the zone's tier mapping places. */
  mappedCategories: ReadonlySet<string>;
}

/** A validated file: the plan for the store, or every problem by row. */
export interface ValidatedOrganizations {
  plan: OrganizationImportPlan;
  problems: FieldProblem[];
  badRows: number;
}

/**
 * Checks every row as registration (a new credit code) or PATCH (a code registered in this zone)
 * would, and says what to create and update. A blank cell of a registered organization keeps its
 * value; a new one needs every field its kind registers with. A code registered in another zone,
 * or as the other kind, is a row problem, as is a code twice in the file.
 */
export function planOrganizations(
  rows: readonly TableRow<OrganizationColumn>[],
  existing: ReadonlyMap<string, Organization>,
  ctx: OrganizationImportContext,
  fileProblems: readonly FieldProblem[],
): ValidatedOrganizations {
  const problems = new Problems();
  const firstRowOf = new Map<string, number>();
  const plan: OrganizationImportPlan = { creates: [], updates: [], unchanged: 0 };
  for (const { row, cells } of rows) {
    const before = problems.count;
    const code = cells.creditCode.toUpperCase();
    const kind = KIND_NAMES.get(cells.kind.toLowerCase());
    if (code === '') problems.add(row, 'creditCode', 'the unified social credit code is required');
    else if (!isValidCreditCode(code)) problems.add(row, 'creditCode', `${cells.creditCode} is not a valid unified social credit code (18 characters, GB 32100-2015 check character)`);
    else if (firstRowOf.has(code)) problems.add(row, 'creditCode', `${code} appears again in the file (first on row ${firstRowOf.get(code)})`);
    else firstRowOf.set(code, row);
    if (!kind) problems.add(row, 'kind', `"${cells.kind}" must be enterprise or supplier (企业 or 供应商)`);

    const current = existing.get(code);
    if (current && current.zoneId !== ctx.zoneId) problems.add(row, 'creditCode', `${code} is registered in another zone`);
    else if (current && kind && current.kind !== kind) problems.add(row, 'kind', `${code} is registered as ${current.kind === OrganizationKind.Enterprise ? 'an enterprise' : 'a supplier'}`);
    if (!kind || problems.count > before) continue;

    const fields = readFields(row, cells, kind, current, ctx, problems);
    if (!fields || problems.count > before) continue;
    if (!current) plan.creates.push(fields);
    else if (changes(current, fields)) plan.updates.push({ ...fields, id: current.id });
    else plan.unchanged++;
  }
  const { problems: listed, badRows } = problems.result([], fileProblems);
  return { plan, problems: listed, badRows };
}

/** The organization's fields after this row: its current ones overlaid with the row's non-blank cells, each checked. */
function readFields(
  row: number,
  cells: Record<OrganizationColumn, string>,
  kind: OrganizationKind,
  current: Organization | undefined,
  ctx: OrganizationImportContext,
  problems: Problems,
): ImportedOrganization | undefined {
  const other = kind === OrganizationKind.Enterprise ? SUPPLIER_ONLY : ENTERPRISE_ONLY;
  for (const column of other) if (cells[column] !== '') problems.add(row, column, `${column} is only for ${kind === OrganizationKind.Enterprise ? 'suppliers' : 'enterprises'}; leave it blank`);

  /** Records a problem of the cell; its value is then unknown. */
  const refuse = (column: OrganizationColumn, reason: string): null => {
    problems.add(row, column, reason);
    return null;
  };
  const text = (column: OrganizationColumn): string | null => {
    const value = cells[column];
    if (value === '') return null;
    if (value.includes('\u0000')) return refuse(column, 'contains a NUL character');
    if (!/[^\s\p{Z}\p{Cc}\p{Cf}]/u.test(value)) return refuse(column, `${column} must not be blank`);
    const max = TEXT_LIMITS[column];
    if (max && [...value].length > max) return refuse(column, `${column} must be shorter than or equal to ${max} characters`);
    return value;
  };
  const coordinate = (column: 'latitude' | 'longitude', limit: number): number | null => {
    const value = cells[column];
    if (value === '') return null;
    const n = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
    if (!(Math.abs(n) <= limit)) return refuse(column, `${column} must be a ${column} (${value})`);
    return n;
  };
  const count = (column: OrganizationColumn, min: number, max: number): number | null => {
    const { value, problem } = parseCount(cells[column], max);
    if (problem) return refuse(column, problem);
    if (value !== null && value < min) return refuse(column, `${column} must not be less than ${min}`);
    return value;
  };
  const phone = (): string | null => {
    const value = text('contactPhone');
    return value === null || PHONE.test(value) ? value : refuse('contactPhone', 'contactPhone must be a phone number of digits, spaces, dashes or parentheses');
  };

  const fields: ImportedOrganization = {
    kind,
    creditCode: cells.creditCode.toUpperCase(),
    name: text('name') ?? current?.name ?? '',
    address: text('address') ?? current?.address ?? '',
    latitude: coordinate('latitude', 90) ?? current?.latitude ?? NaN,
    longitude: coordinate('longitude', 180) ?? current?.longitude ?? NaN,
    contactName: text('contactName') ?? current?.contactName ?? '',
    contactPhone: phone() ?? current?.contactPhone ?? '',
    registeredEmployees: null,
    priorityCategory: null,
    aboveScale: null,
    pickupSiteAddress: null,
    pickupWindows: null,
    slotMinutes: null,
    vehiclesPerSlot: null,
  };
  const required = (column: OrganizationColumn, present: boolean) => {
    if (!present && cells[column] === '') problems.add(row, column, `${column} is required for a new ${kind}`);
  };
  required('name', fields.name !== '');
  required('address', fields.address !== '');
  required('latitude', !Number.isNaN(fields.latitude));
  required('longitude', !Number.isNaN(fields.longitude));
  required('contactName', fields.contactName !== '');
  required('contactPhone', fields.contactPhone !== '');

  if (kind === OrganizationKind.Enterprise) {
    fields.registeredEmployees = count('registeredEmployees', 1, 1_000_000) ?? current?.registeredEmployees ?? null;
    required('registeredEmployees', fields.registeredEmployees !== null);
    const category = cells.priorityCategory === '' ? null : CATEGORY_NAMES.get(cells.priorityCategory.toLowerCase());
    if (category === undefined) problems.add(row, 'priorityCategory', `priorityCategory must be one of the following values: ${PRIORITY_CATEGORIES.join(', ')}`);
    else if (category !== null && !ctx.mappedCategories.has(category)) {
      problems.add(row, 'priorityCategory', `Priority category ${category} has no tier in this zone’s tier mapping`, { code: 'PRIORITY_CATEGORY_UNMAPPED', params: { category } });
    }
    fields.priorityCategory = category ?? current?.priorityCategory ?? null;
    required('priorityCategory', fields.priorityCategory !== null);
    const aboveScale = cells.aboveScale === '' ? null : YES_NO.get(cells.aboveScale.toLowerCase());
    if (aboveScale === undefined) problems.add(row, 'aboveScale', 'aboveScale must be a boolean value (是/否, true/false)');
    fields.aboveScale = aboveScale ?? current?.aboveScale ?? false;
  } else {
    fields.slotMinutes = count('slotMinutes', 5, 240) ?? current?.slotMinutes ?? DEFAULT_SLOT_MINUTES;
    fields.vehiclesPerSlot = count('vehiclesPerSlot', 1, 100) ?? current?.vehiclesPerSlot ?? DEFAULT_VEHICLES_PER_SLOT;
    fields.pickupSiteAddress = text('pickupSiteAddress') ?? current?.pickupSiteAddress ?? (fields.address || null);
    const windows = cells.pickupWindows === '' ? current?.pickupWindows ?? null : readWindows(cells.pickupWindows);
    if (windows === undefined) problems.add(row, 'pickupWindows', `"${cells.pickupWindows}" must be 1–8 windows HH:MM-HH:MM separated by ; (e.g. 08:00-12:00;14:00-17:00)`);
    else if (windows === null) required('pickupWindows', false);
    else {
      try {
        fields.pickupWindows = checkPickupWindows(windows, fields.slotMinutes);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        for (const p of err.fields) problems.add(row, p.field, p.reason, { code: err.code, params: err.params });
      }
    }
  }
  return fields;
}

/** Windows written as `08:00-12:00;14:00-17:00` (；、, and ～ – — ~ also separate); undefined when not so written. */
function readWindows(value: string): PickupWindow[] | undefined {
  const parts = value.split(/[;；、,，]/).map((p) => p.trim()).filter(Boolean);
  if (parts.length < 1 || parts.length > 8) return undefined;
  const windows = parts.map((p) => p.split(/\s*[-~～–—]\s*/));
  if (!windows.every((w) => w.length === 2 && TIME_OF_DAY.test(w[0]) && TIME_OF_DAY.test(w[1]))) return undefined;
  return windows.map(([start, end]) => ({ start, end }));
}

/**
 * Whether the row changes anything of the registered organization: coordinates as stored (6
 * decimals), windows by their times (jsonb keeps an object's keys in its own order).
 */
function changes(current: Organization, fields: ImportedOrganization): boolean {
  const round = (n: number) => Math.round(n * 1e6) / 1e6;
  const times = (windows: PickupWindow[] | null) => windows?.map((w) => `${w.start}-${w.end}`).join(';') ?? null;
  return (Object.keys(fields) as OrganizationColumn[]).some((k) => {
    if (k === 'latitude' || k === 'longitude') return round(Number(current[k])) !== round(fields[k]);
    if (k === 'pickupWindows') return times(current.pickupWindows) !== times(fields.pickupWindows);
    return (current[k] ?? null) !== fields[k];
  });
}
