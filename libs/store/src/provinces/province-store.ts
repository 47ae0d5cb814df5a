import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { DomainError, ProvinceNightStatus, RunTrigger, type Actor } from '#domain';
import { recordAudit } from '../audit/audit-log.js';
import { AllocationRun } from '../entities/allocation-run.entity.js';
import { ProvinceNight, type ProvinceTotals, type ProvinceZoneResult } from '../entities/province-night.entity.js';
import { Province, ProvinceZone } from '../entities/province.entity.js';
import { Zone } from '../entities/zone.entity.js';
import { createRun } from '../runs/run-lifecycle.js';
import type { PageSlice, PageWindow } from '../database/page-window.js';

/** A province with the ids of its zones, in id order. */
export type ProvinceWithZones = Province & { zoneIds: string[] };

export interface NewProvince {
  code: string;
  name: string;
  timeZone?: string;
  runTime?: string;
  zoneIds: string[];
}

/** What a zone's run looked like when a night's summary was taken. */
export type NightRunRow = Pick<AllocationRun, 'id' | 'zoneId' | 'status' | 'failureReason' | 'timings'>;

const provinceNotFound = () => DomainError.notFound('Province', 'PROVINCE_NOT_FOUND');

/**
 * Provinces (sets of zones whose nights run together) and their nights: registering one, the
 * night's zone runs and row, and its summary. The queue side (the flow, the scheduler) is the
 * job catalogue's.
 */
@Injectable()
export class ProvinceStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Registers a province over existing zones, in one transaction with its audit entry. A zone
   * belongs to at most one province; a code is taken once.
   */
  async register(actor: Actor, input: NewProvince): Promise<ProvinceWithZones> {
    const zoneIds = [...new Set(input.zoneIds)].sort();
    if (zoneIds.length !== input.zoneIds.length) throw DomainError.rule('DUPLICATE_ZONE', 'zoneIds', 'a zone is listed more than once');
    return this.dataSource.transaction(async (m) => {
      // One registration at a time: the code and the zones' membership are checked, then taken.
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('provinces', 0))`);
      const zones = await m.find(Zone, { select: { id: true }, where: { id: In(zoneIds) } });
      const missing = zoneIds.filter((id) => !zones.some((z) => z.id === id));
      if (missing.length) throw DomainError.rule('UNKNOWN_ZONE', `zoneIds[${input.zoneIds.indexOf(missing[0])}]`, `zone ${missing[0]} does not exist`);
      const taken = await m.findBy(ProvinceZone, { zoneId: In(zoneIds) });
      if (taken.length) {
        const message = `zone ${taken[0].zoneId} already belongs to a province`;
        throw new DomainError('conflict', 'ZONE_IN_PROVINCE', message, [{ field: `zoneIds[${input.zoneIds.indexOf(taken[0].zoneId)}]`, reason: message }]);
      }
      if (await m.existsBy(Province, { code: input.code })) {
        const message = `a province with code ${input.code} exists`;
        throw new DomainError('conflict', 'PROVINCE_CODE_TAKEN', message, [{ field: 'code', reason: message }]);
      }
      const province = m.create(Province, { code: input.code, name: input.name, timeZone: input.timeZone, runTime: input.runTime });
      await m.save(province);
      await m.insert(ProvinceZone, zoneIds.map((zoneId) => ({ provinceId: province.id, zoneId })));
      const registered = { ...province, zoneIds };
      await recordAudit(m, actor, { action: 'province.create', entityType: 'province', entityId: province.id, zoneId: null, after: registered });
      return registered;
    });
  }

  /** Every province (admins), or the one holding the given zone (its coordinators). */
  async list(zoneId?: string | null): Promise<ProvinceWithZones[]> {
    const where = zoneId === undefined ? {} : { id: In(zoneId ? await this.provinceIdsOfZone(zoneId) : []) };
    const provinces = await this.dataSource.getRepository(Province).find({ where, order: { code: 'ASC' } });
    return this.withZones(provinces);
  }

  async get(provinceId: string): Promise<ProvinceWithZones> {
    const province = await this.dataSource.getRepository(Province).findOneBy({ id: provinceId });
    if (!province) throw provinceNotFound();
    return (await this.withZones([province]))[0];
  }

  /** Every province's id, run time and time zone, for its scheduler. */
  schedules(): Promise<Pick<Province, 'id' | 'runTime' | 'timeZone'>[]> {
    return this.dataSource.getRepository(Province).find({ select: { id: true, runTime: true, timeZone: true } });
  }

  find(provinceId: string): Promise<Province | null> {
    return this.dataSource.getRepository(Province).findOneBy({ id: provinceId });
  }

  /**
   * The night of a province and date, with the scheduled run of each of its zones, created if
   * missing, in one transaction. Idempotent: a second call (the API's start and the worker's job,
   * or two deliveries) finds the same runs and row. A zone's scheduled run is the one its own
   * nightly job computes (unique per zone and date), so the two never compute a date twice.
   */
  async openNight(actor: Actor | null, provinceId: string, serviceDate: string, now: Date): Promise<ProvinceNight> {
    return this.dataSource.transaction(async (m) => {
      const province = await m.findOneBy(Province, { id: provinceId });
      if (!province) throw provinceNotFound();
      const existing = await m.findOneBy(ProvinceNight, { provinceId, serviceDate });
      if (existing) return existing;
      const zones = await m.find(ProvinceZone, { where: { provinceId }, order: { zoneId: 'ASC' } });
      const runs: { zoneId: string; runId: string }[] = [];
      for (const { zoneId } of zones) runs.push({ zoneId, runId: await this.scheduledRun(m, zoneId, serviceDate, now) });
      // A concurrent start that got here first wins; this one then returns its row.
      const inserted: { id: string }[] = await m.query(
        `INSERT INTO province_nights (province_id, service_date, status, runs, started_at) VALUES ($1, $2, 'running', $3, $4)
         ON CONFLICT (province_id, service_date) DO NOTHING RETURNING id`,
        [provinceId, serviceDate, JSON.stringify(runs), now],
      );
      const night = await m.findOneByOrFail(ProvinceNight, { provinceId, serviceDate });
      if (inserted.length) await recordAudit(m, actor, { action: 'province.night.start', entityType: 'province_night', entityId: night.id, zoneId: null, after: night });
      return night;
    });
  }

  /** One page of a province's nights, latest service date first, optionally within [from, to]. */
  async nights(provinceId: string, range: { from?: string; to?: string }, window: PageWindow): Promise<PageSlice<ProvinceNight>> {
    const q = this.dataSource.getRepository(ProvinceNight).createQueryBuilder('n').where('n.provinceId = :provinceId', { provinceId });
    if (range.from) q.andWhere('n.serviceDate >= :from', { from: range.from });
    if (range.to) q.andWhere('n.serviceDate <= :to', { to: range.to });
    const [items, total] = await q.orderBy('n.serviceDate', 'DESC').offset(window.skip).limit(window.take).getManyAndCount();
    return { items, total };
  }

  night(nightId: string): Promise<ProvinceNight | null> {
    return this.dataSource.getRepository(ProvinceNight).findOneBy({ id: nightId });
  }

  async nightOn(provinceId: string, serviceDate: string): Promise<ProvinceNight> {
    const night = await this.dataSource.getRepository(ProvinceNight).findOneBy({ provinceId, serviceDate });
    if (!night) throw DomainError.notFound('Province night', 'PROVINCE_NIGHT_NOT_FOUND');
    return night;
  }

  /** Nights started but not summarised, for the worker to make sure their flow exists. */
  runningNights(): Promise<Pick<ProvinceNight, 'id' | 'provinceId' | 'serviceDate'>[]> {
    return this.dataSource.getRepository(ProvinceNight).find({ select: { id: true, provinceId: true, serviceDate: true }, where: { status: ProvinceNightStatus.Running } });
  }

  /** Of the given runs, those still queued or running, in id order. */
  async pendingRunIds(runIds: readonly string[]): Promise<string[]> {
    if (!runIds.length) return [];
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM allocation_runs WHERE id = ANY($1) AND status IN ('queued', 'running') ORDER BY id`, [runIds]);
    return rows.map((r) => r.id);
  }

  /** The night's runs as written now. */
  async runsOf(runIds: readonly string[]): Promise<NightRunRow[]> {
    if (!runIds.length) return [];
    return this.dataSource.getRepository(AllocationRun).find({
      select: { id: true, zoneId: true, status: true, failureReason: true, timings: true },
      where: { id: In([...runIds]) },
    });
  }

  /** Records the summary once: false when it was recorded already (a redelivered parent). */
  async recordSummary(nightId: string, zoneResults: ProvinceZoneResult[], totals: ProvinceTotals, finishedAt: Date): Promise<boolean> {
    const [, updated]: [unknown, number] = await this.dataSource.query(
      `UPDATE province_nights SET status = 'done', zone_results = $2, totals = $3, finished_at = $4 WHERE id = $1 AND status = 'running'`,
      [nightId, JSON.stringify(zoneResults), JSON.stringify(totals), finishedAt],
    );
    return updated > 0;
  }

  private async provinceIdsOfZone(zoneId: string): Promise<string[]> {
    return (await this.dataSource.getRepository(ProvinceZone).findBy({ zoneId })).map((pz) => pz.provinceId);
  }

  private async withZones(provinces: Province[]): Promise<ProvinceWithZones[]> {
    if (!provinces.length) return [];
    const members = await this.dataSource.getRepository(ProvinceZone).find({ where: { provinceId: In(provinces.map((p) => p.id)) }, order: { zoneId: 'ASC' } });
    return provinces.map((p) => ({ ...p, zoneIds: members.filter((z) => z.provinceId === p.id).map((z) => z.zoneId) }));
  }

  /**
   * The zone's scheduled run for the date. The run series' lock is taken before looking, so the
   * zone's own nightly job (findOrCreateScheduledRun) either finds this run or waits and finds it.
   */
  private async scheduledRun(m: EntityManager, zoneId: string, serviceDate: string, now: Date): Promise<string> {
    await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`allocation_runs:${zoneId}:${serviceDate}`]);
    const found = await m.findOneBy(AllocationRun, { zoneId, serviceDate, trigger: RunTrigger.Schedule });
    if (found) return found.id;
    return (await createRun(m, { zoneId, serviceDate, trigger: RunTrigger.Schedule, startedBy: null, now })).id;
  }
}
