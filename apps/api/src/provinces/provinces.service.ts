import { Injectable, Logger } from '@nestjs/common';
import { addDays, Clock, DomainError, Role, zoneToday } from '#domain';
import { JobCatalogue, ProvinceStore, type ProvinceNight, type ProvinceWithZones } from '#store';
import { AccessPolicy } from '../common/auth/access-policy.js';
import type { Principal } from '../common/auth/principal.js';
import { readPage, type Page } from '../common/pagination.js';
import type { CreateProvinceDto, NightsQuery } from './dto/province.dto.js';

/** As for a zone's runs: a night can be started for a date within a week of today. */
const NIGHT_DATE_WINDOW_DAYS = 7;

/**
 * Provinces and their nights: admins register a province over existing zones and start a night
 * for a date; admins and the coordinators of its zones read it, its nights and their summaries.
 * The worker starts a night every day at the province's run time on its own (its scheduler).
 */
@Injectable()
export class ProvincesService {
  private readonly logger = new Logger('ProvincesService');

  constructor(
    private readonly provinces: ProvinceStore,
    private readonly jobs: JobCatalogue,
    private readonly access: AccessPolicy,
    private readonly clock: Clock,
  ) {}

  async create(actor: Principal, dto: CreateProvinceDto): Promise<ProvinceWithZones> {
    const province = await this.provinces.register(actor, dto);
    try {
      await this.jobs.upsertProvinceScheduler(province);
    } catch (err) {
      // Registered all the same: the worker upserts every province's scheduler when it (re)syncs.
      this.logger.error(`scheduler of province ${province.id} not created: ${err instanceof Error ? err.message : String(err)}`);
    }
    return province;
  }

  /** Every province for admins; the one holding a coordinator's zone (if any) otherwise. */
  list(actor: Principal): Promise<ProvinceWithZones[]> {
    return this.provinces.list(actor.role === Role.Admin ? undefined : actor.zoneId);
  }

  async get(actor: Principal, provinceId: string): Promise<ProvinceWithZones> {
    const province = await this.provinces.get(provinceId);
    this.access.assertCanReadProvince(actor, province.zoneIds);
    return province;
  }

  /**
   * Opens the night now (each zone's scheduled run and the night's row, so the answer names them)
   * and queues its start, which adds the flow. Starting a night again returns the same night.
   */
  async startNight(actor: Principal, provinceId: string, serviceDate: string): Promise<ProvinceNight> {
    const province = await this.get(actor, provinceId);
    const today = zoneToday(this.clock.now(), province.timeZone);
    if (serviceDate < addDays(today, -NIGHT_DATE_WINDOW_DAYS) || serviceDate > addDays(today, NIGHT_DATE_WINDOW_DAYS)) {
      throw DomainError.rule('SERVICE_DATE_OUT_OF_RANGE', 'serviceDate', `A night can be started for dates within ${NIGHT_DATE_WINDOW_DAYS} days of today (${today})`);
    }
    const night = await this.provinces.openNight(actor, province.id, serviceDate, this.clock.now());
    try {
      await this.jobs.enqueue('province-night', { provinceId: province.id, serviceDate });
    } catch (err) {
      // The night is recorded as running; the worker's resync adds the flow of a running night that has none.
      this.logger.error(`province night ${night.id} recorded but not enqueued: ${err instanceof Error ? err.message : String(err)}`);
    }
    return night;
  }

  async nights(actor: Principal, provinceId: string, q: NightsQuery): Promise<Page<ProvinceNight>> {
    await this.get(actor, provinceId);
    return readPage(q, (window) => this.provinces.nights(provinceId, q, window));
  }

  async night(actor: Principal, provinceId: string, serviceDate: string): Promise<ProvinceNight> {
    await this.get(actor, provinceId);
    return this.provinces.nightOn(provinceId, serviceDate);
  }
}
