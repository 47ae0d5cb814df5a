import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DomainError, PRIORITY_CATEGORY_ZH, RunStatus, type PriorityCategory } from '#domain';
import type { Explanation, ShortReason } from '#matching';
import { CatalogueStore, ExportStore, ZoneStore, type AllocationRun, type Zone } from '#store';
import type { Principal } from '../common/auth/principal.js';
import { RunsService } from '../runs/runs.service.js';
import type { Table } from './table.js';

/** The matcher's reasons for a shortfall, in both languages. */
const SHORT_REASON: Record<ShortReason, string> = {
  tier_shortage: '本层级供应不足 supply short for the tier',
  unreachable: '可达范围内无供应 no supply within reach',
  excluded: '协调员排除了供应商 supplier excluded by a coordinator',
  pack_rounding: '整包取整 whole-pack rounding',
  capped_by_override: '协调员限量 capped by a coordinator',
};

/** What the export reads from run.explanations (written by the worker from the matcher's result). */
interface StoredExplanations {
  explanations?: Explanation[];
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
    private readonly store: ExportStore,
    private readonly zones: ZoneStore,
    private readonly catalogue: CatalogueStore,
    private readonly runs: RunsService,
  ) {}

  /** Every allocation line with its pickup: who collects what, where, when, with which code. Zone-local times. */
  async schedule(actor: Principal, runId: string): Promise<Export> {
    const { run, zone } = await this.computedRun(actor, runId);
    const rows = await this.store.scheduleRows(run.id, zone.id);
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
    const orgs = await this.store.enterpriseIdentities(short.map((s) => s.enterpriseId));
    const products = new Map((await this.catalogue.products(zone.id)).map((p) => [p.code, p]));
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
            category ? `${PRIORITY_CATEGORY_ZH[category as PriorityCategory] ?? category} ${category}` : null,
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
    const zone = await this.zones.get(run.zoneId);
    return { run, zone };
  }
}
