import { Injectable, Logger } from '@nestjs/common';
import { DEFAULT_TIER_MAPPING, DomainError, Role } from '#domain';
import { JobCatalogue, ZoneStore, type Zone } from '#store';
import { AccessPolicy } from '../common/auth/access-policy.js';
import { ZoneSettingsCache } from '../common/zone-settings.cache.js';
import type { Principal } from '../common/auth/principal.js';
import type { CreateZoneDto } from './dto/create-zone.dto.js';
import type { UpdateZoneDto } from './dto/update-zone.dto.js';

/** The runTime column's default. */
const DEFAULT_RUN_TIME = '01:00';
const DEFAULT_CUTOFF_TIME = '20:00';

/**
 * Both are local times on the service date: an auto-publish at or before the run's start would
 * find no draft to publish, every day, silently.
 */
function assertPublishAfterRun(runTime: string, autoPublishTime: string | null | undefined): void {
  if (autoPublishTime != null && autoPublishTime <= runTime) {
    throw DomainError.rule('AUTO_PUBLISH_BEFORE_RUN', 'autoPublishTime', `autoPublishTime ${autoPublishTime} must be later than runTime ${runTime}: both are local times on the service date`, { autoPublishTime, runTime });
  }
}

/** The reminder goes out on D−1 before reports for D close: at or after the cutoff it would be too late. */
function assertReminderBeforeCutoff(cutoffTime: string, reminderTime: string | null | undefined): void {
  if (reminderTime != null && reminderTime >= cutoffTime) {
    throw DomainError.rule('REMINDER_AFTER_CUTOFF', 'reminderTime', `reminderTime ${reminderTime} must be earlier than cutoffTime ${cutoffTime}: both are local times on the day before the service date`, { reminderTime, cutoffTime });
  }
}

@Injectable()
export class ZonesService {
  private readonly logger = new Logger('ZonesService');

  constructor(
    private readonly store: ZoneStore,
    private readonly access: AccessPolicy,
    private readonly zoneSettings: ZoneSettingsCache,
    private readonly jobs: JobCatalogue,
  ) {}

  async create(actor: Principal, dto: CreateZoneDto): Promise<Zone> {
    assertPublishAfterRun(dto.runTime ?? DEFAULT_RUN_TIME, dto.autoPublishTime);
    assertReminderBeforeCutoff(dto.cutoffTime ?? DEFAULT_CUTOFF_TIME, dto.reminderTime);
    const zone = await this.store.create(actor, { ...dto, tierMapping: dto.tierMapping ?? { ...DEFAULT_TIER_MAPPING } });
    await this.syncSchedulers(zone);
    return zone;
  }

  async list(actor: Principal): Promise<Zone[]> {
    if (actor.role === Role.Admin) return this.store.all();
    const zone = actor.zoneId ? await this.store.find(actor.zoneId) : null;
    return zone ? [zone] : [];
  }

  /** The zone if the caller may read it; 404 otherwise. */
  async get(actor: Principal, zoneId: string): Promise<Zone> {
    this.access.assertCanReadZone(actor, zoneId);
    return this.store.get(zoneId);
  }

  async update(actor: Principal, zoneId: string, dto: UpdateZoneDto): Promise<Zone> {
    this.access.assertCanManageZone(actor, zoneId);
    const zone = await this.store.update(actor, zoneId, (zone) => {
      Object.assign(zone, dto);
      assertPublishAfterRun(zone.runTime, zone.autoPublishTime);
      assertReminderBeforeCutoff(zone.cutoffTime, zone.reminderTime);
    });
    this.zoneSettings.forget(zone.id);
    await this.syncSchedulers(zone);
    return zone;
  }

  /**
   * Keeps the zone's nightly and auto-publish schedulers in step with its settings. A Redis outage
   * must not lose the settings change: the worker upserts every zone's schedulers when it starts.
   */
  private async syncSchedulers(zone: Zone): Promise<void> {
    try {
      await this.jobs.upsertZoneSchedulers(zone);
    } catch (err) {
      this.logger.error(`schedulers of zone ${zone.id} not updated: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
