import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, type Actor } from '#domain';
import { recordAudit } from '../audit/audit-log.js';
import { Zone } from '../entities/zone.entity.js';

const zoneNotFound = () => DomainError.notFound('Zone', 'ZONE_NOT_FOUND');

/** The zones table: a zone's settings, created and changed with their audit entry. */
@Injectable()
export class ZoneStore {
  constructor(private readonly dataSource: DataSource) {}

  async create(actor: Actor, fields: Partial<Zone>): Promise<Zone> {
    return this.dataSource.transaction(async (m) => {
      const zone = await m.save(m.create(Zone, fields));
      await recordAudit(m, actor, { action: 'zone.create', entityType: 'zone', entityId: zone.id, zoneId: zone.id, after: zone });
      return zone;
    });
  }

  /** Every zone by name (admins see them all). */
  all(): Promise<Zone[]> {
    return this.dataSource.getRepository(Zone).find({ order: { name: 'ASC' } });
  }

  find(zoneId: string): Promise<Zone | null> {
    return this.dataSource.getRepository(Zone).findOneBy({ id: zoneId });
  }

  /** The zone; 404 ZONE_NOT_FOUND when there is none. */
  async get(zoneId: string): Promise<Zone> {
    const zone = await this.find(zoneId);
    if (!zone) throw zoneNotFound();
    return zone;
  }

  /**
   * Changes a zone under a row lock: `change` applies the new settings and checks them against
   * each other (it throws to refuse); the stored zone and its audit entry land together.
   */
  async update(actor: Actor, zoneId: string, change: (zone: Zone) => void): Promise<Zone> {
    return this.dataSource.transaction(async (m) => {
      const zone = await m.findOne(Zone, { where: { id: zoneId }, lock: { mode: 'pessimistic_write' } });
      if (!zone) throw zoneNotFound();
      const before = { ...zone };
      change(zone);
      await m.save(zone);
      await recordAudit(m, actor, { action: 'zone.update', entityType: 'zone', entityId: zone.id, zoneId: zone.id, before, after: zone });
      return zone;
    });
  }
}
