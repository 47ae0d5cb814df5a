import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { DEFAULT_TIER_MAPPING, DomainError, Role, Zone } from '#domain';
import { AuditService } from '../common/audit.service.js';
import { AccessPolicy } from '../common/auth/access-policy.js';
import type { Principal } from '../common/auth/principal.js';
import type { CreateZoneDto } from './dto/create-zone.dto.js';
import type { UpdateZoneDto } from './dto/update-zone.dto.js';

@Injectable()
export class ZonesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly access: AccessPolicy,
  ) {}

  async create(actor: Principal, dto: CreateZoneDto): Promise<Zone> {
    return this.dataSource.transaction(async (m) => {
      const zone = m.create(Zone, { ...dto, tierMapping: dto.tierMapping ?? { ...DEFAULT_TIER_MAPPING } });
      await m.save(zone);
      await this.audit.record(m, actor, { action: 'zone.create', entityType: 'zone', entityId: zone.id, zoneId: zone.id, after: zone });
      return zone;
    });
  }

  async list(actor: Principal): Promise<Zone[]> {
    if (actor.role === Role.Admin) return this.dataSource.getRepository(Zone).find({ order: { name: 'ASC' } });
    return this.dataSource.getRepository(Zone).findBy({ id: In(actor.zoneId ? [actor.zoneId] : []) });
  }

  /** The zone if the caller may read it; 404 otherwise. */
  async get(actor: Principal, zoneId: string): Promise<Zone> {
    this.access.assertCanReadZone(actor, zoneId);
    const zone = await this.dataSource.getRepository(Zone).findOneBy({ id: zoneId });
    if (!zone) throw DomainError.notFound('Zone', 'ZONE_NOT_FOUND');
    return zone;
  }

  async update(actor: Principal, zoneId: string, dto: UpdateZoneDto): Promise<Zone> {
    this.access.assertCanManageZone(actor, zoneId);
    return this.dataSource.transaction(async (m) => {
      const zone = await m.findOne(Zone, { where: { id: zoneId }, lock: { mode: 'pessimistic_write' } });
      if (!zone) throw DomainError.notFound('Zone', 'ZONE_NOT_FOUND');
      const before = { ...zone };
      Object.assign(zone, dto);
      await m.save(zone);
      await this.audit.record(m, actor, { action: 'zone.update', entityType: 'zone', entityId: zone.id, zoneId: zone.id, before, after: zone });
      return zone;
    });
  }
}
