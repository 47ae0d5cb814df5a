import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { DomainError, RunStatus } from '#domain';
import { Organization, Product, Zone, type AllocationRun } from '#store';
import type { Principal } from '../common/auth/principal.js';
import { RunsService } from '../runs/runs.service.js';
import type { Table } from './table.js';

/** Chinese labels of the priority categories, shown beside the code. */
const CATEGORY_ZH: Record<string, string> = {
  epidemic_prevention: '防控必需',
  medical: '医疗卫生',
  key_supply: '重点保供',
  city_operations: '城市运行必需',
  daily_life: '生活保障必需',
  above_scale: '规上企业',
  other: '其他',
};

/** The matcher's reasons for a shortfall (libs/matching ShortReason), in both languages. */
const SHORT_REASON: Record<string, string> = {
  tier_shortage: '本层级供应不足 supply short for the tier',
  unreachable: '可达范围内无供应 no supply within reach',
  excluded: '协调员排除了供应商 supplier excluded by a coordinator',
  pack_rounding: '整包取整 whole-pack rounding',
  capped_by_override: '协调员限量 capped by a coordinator',
};

/** What the export reads from run.explanations (written by the worker from the matcher's result). */
interface StoredExplanations {
  explanations?: {
    enterpriseId: string;
    tier: number;
    products: { productCode: string; need: number; allocated: number; fillRatio: number; short: string[] }[];
  }[];
}

interface ScheduleRow {
  enterprise_name: string;
  credit_code: string;
  supplier_name: string;
  site: string;
  slot_start: Date | null;
  slot_end: Date | null;
  product_code: string;
  name_zh: string | null;
  unit: string | null;
  units: number;
  packs: number;
  pickup_code: string | null;
}

export interface Export {
  table: Table;
  /** Without extension, e.g. `schedule_2026-03-03_run2`. */
  filename: string;
}

/** Coordinators' spreadsheets of a computed run: the pickup schedule and the shortage report. */
@Injectable()
export class ExportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: RunsService,
  ) {}

  /** Every allocation line with its pickup: who collects what, where, when, with which code. Zone-local times. */
  async schedule(actor: Principal, runId: string): Promise<Export> {
    const { run, zone } = await this.computedRun(actor, runId);
    const rows: ScheduleRow[] = await this.dataSource.query(
      `SELECT e.name AS enterprise_name, e.credit_code, s.name AS supplier_name, coalesce(s.pickup_site_address, s.address) AS site,
              a.slot_start, a.slot_end, l.product_code, p.name_zh, p.unit, l.units, l.packs, a.pickup_code
         FROM allocation_lines l
         JOIN organizations e ON e.id = l.enterprise_id
         JOIN organizations s ON s.id = l.supplier_id
         LEFT JOIN pickup_appointments a ON a.run_id = l.run_id AND a.enterprise_id = l.enterprise_id AND a.supplier_id = l.supplier_id
         LEFT JOIN products p ON p.zone_id = $2 AND p.code = l.product_code
        WHERE l.run_id = $1
        ORDER BY e.name, e.credit_code, a.slot_start NULLS LAST, s.name, l.product_code, l.id`,
      [run.id, zone.id],
    );
    const local = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone: zone.timeZone }).toFormat('yyyy-MM-dd HH:mm') : null);
    return {
      filename: `schedule_${run.serviceDate}_run${run.sequence}`,
      table: {
        sheet: `取货计划 Schedule ${run.serviceDate}`,
        columns: [
          { header: '企业名称 Enterprise', width: 32 },
          { header: '统一社会信用代码 Credit code', width: 22 },
          { header: '供应商 Supplier', width: 28 },
          { header: '取货地址 Pickup site', width: 36 },
          { header: `开始时间 Slot start (${zone.timeZone})`, width: 20 },
          { header: `结束时间 Slot end (${zone.timeZone})`, width: 20 },
          { header: '产品编码 Product code', width: 18 },
          { header: '产品名称 Product name', width: 24 },
          { header: '数量 Units', width: 10 },
          { header: '单位 Unit', width: 8 },
          { header: '包装数 Packs', width: 10 },
          { header: '取货码 Pickup code', width: 14 },
        ],
        rows: rows.map((r) => [
          r.enterprise_name,
          r.credit_code,
          r.supplier_name,
          r.site,
          local(r.slot_start) ?? '未排定 not slotted',
          local(r.slot_end),
          r.product_code,
          r.name_zh ?? r.product_code,
          Number(r.units),
          r.unit,
          Number(r.packs),
          r.pickup_code,
        ]),
      },
    };
  }

  /** Each (enterprise, product) left short in the run: need, allocated, unmet, fill ratio and why, lowest tier and fill first. */
  async shortages(actor: Principal, runId: string): Promise<Export> {
    const { run, zone } = await this.computedRun(actor, runId);
    const explanations = (run.explanations as StoredExplanations | null)?.explanations ?? [];
    const short = explanations.flatMap((e) =>
      e.products.filter((p) => p.need - p.allocated > 0).map((p) => ({ enterpriseId: e.enterpriseId, tier: e.tier, ...p, unmet: p.need - p.allocated })),
    );
    const orgIds = [...new Set(short.map((s) => s.enterpriseId))];
    const orgs = new Map(
      (orgIds.length
        ? await this.dataSource
            .getRepository(Organization)
            .createQueryBuilder('o')
            .select(['o.id', 'o.name', 'o.creditCode', 'o.priorityCategory'])
            .where('o.id = ANY(:ids)', { ids: orgIds })
            .getMany()
        : []
      ).map((o) => [o.id, o]),
    );
    const products = new Map((await this.dataSource.getRepository(Product).findBy({ zoneId: zone.id })).map((p) => [p.code, p]));
    const rows = short
      .map((s) => ({ ...s, org: orgs.get(s.enterpriseId) }))
      .sort(
        (a, b) =>
          a.tier - b.tier ||
          a.fillRatio - b.fillRatio ||
          (a.org?.name ?? '').localeCompare(b.org?.name ?? '', 'zh') ||
          a.enterpriseId.localeCompare(b.enterpriseId) ||
          a.productCode.localeCompare(b.productCode),
      );
    return {
      filename: `shortages_${run.serviceDate}_run${run.sequence}`,
      table: {
        sheet: `短缺 Shortages ${run.serviceDate}`,
        columns: [
          { header: '企业名称 Enterprise', width: 32 },
          { header: '统一社会信用代码 Credit code', width: 22 },
          { header: '优先类别 Priority category', width: 26 },
          { header: '优先层级 Tier', width: 10 },
          { header: '产品编码 Product code', width: 18 },
          { header: '产品名称 Product name', width: 24 },
          { header: '需求 Need', width: 10 },
          { header: '已分配 Allocated', width: 12 },
          { header: '缺口 Unmet', width: 10 },
          { header: '满足率 Fill ratio', width: 12, numFmt: '0.0%' },
          { header: '短缺原因 Why short', width: 48 },
        ],
        rows: rows.map((r) => {
          const category = r.org?.priorityCategory ?? null;
          return [
            r.org?.name ?? r.enterpriseId,
            r.org?.creditCode ?? null,
            category ? `${CATEGORY_ZH[category] ?? category} ${category}` : null,
            r.tier,
            r.productCode,
            products.get(r.productCode)?.nameZh ?? r.productCode,
            r.need,
            r.allocated,
            r.unmet,
            Math.round(r.fillRatio * 10_000) / 10_000,
            r.short.map((code) => SHORT_REASON[code] ?? code).join('; '),
          ];
        }),
      },
    };
  }

  /** The run (404 outside the caller's zone) once the worker has computed it; queued, running and failed runs have nothing to export. */
  private async computedRun(actor: Principal, runId: string): Promise<{ run: AllocationRun; zone: Zone }> {
    const run = await this.runs.get(actor, runId);
    if (run.status === RunStatus.Queued || run.status === RunStatus.Running || run.status === RunStatus.Failed) {
      throw new DomainError('conflict', 'RUN_NOT_COMPUTED', `This run is ${run.status}; only draft, published or superseded runs have schedules to export`);
    }
    const zone = await this.dataSource.getRepository(Zone).findOneByOrFail({ id: run.zoneId });
    return { run, zone };
  }
}
