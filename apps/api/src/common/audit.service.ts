import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditEntry } from '#store';
import type { Principal } from './auth/principal.js';

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  zoneId: string | null;
  before?: object | null;
  after?: object | null;
}

/** Writes audit entries inside the caller's transaction, so a change and its record land together or not at all. */
@Injectable()
export class AuditService {
  async record(manager: EntityManager, actor: Principal | null, entry: AuditRecord): Promise<void> {
    await manager.insert(AuditEntry, {
      actorId: actor?.userId ?? null,
      actorRole: actor?.role ?? 'system',
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      zoneId: entry.zoneId,
      before: entry.before ?? null,
      after: entry.after ?? null,
    });
  }
}
