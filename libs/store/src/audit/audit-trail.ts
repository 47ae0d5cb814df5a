import { Injectable } from '@nestjs/common';
import { DataSource, type FindOptionsWhere } from 'typeorm';
import { AuditEntry } from '../entities/audit-entry.entity.js';

export interface AuditFilter {
  zoneId?: string;
  entityType?: string;
  entityId?: string;
}

/** Reads the audit log (entries are written by recordAudit, inside the transaction of each change). */
@Injectable()
export class AuditTrail {
  constructor(private readonly dataSource: DataSource) {}

  /** A page of entries, newest first. */
  async page(filter: AuditFilter, window: { skip: number; take: number }): Promise<{ items: AuditEntry[]; total: number }> {
    const where: FindOptionsWhere<AuditEntry> = {};
    if (filter.zoneId) where.zoneId = filter.zoneId;
    if (filter.entityType) where.entityType = filter.entityType;
    if (filter.entityId) where.entityId = filter.entityId;
    const [items, total] = await this.dataSource.getRepository(AuditEntry).findAndCount({ where, order: { id: 'DESC' }, skip: window.skip, take: window.take });
    return { items, total };
  }
}
