import type { EntityManager } from 'typeorm';
import type { Actor } from '#domain';
import { AuditEntry } from '../entities/audit-entry.entity.js';

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  zoneId: string | null;
  before?: object | null;
  after?: object | null;
}

/**
 * Writes one audit entry inside the caller's transaction, so a change and its record land together
 * or not at all. Store classes call this from the transaction that makes the change; a null actor
 * is the system (the worker, a scheduler).
 */
export async function recordAudit(manager: EntityManager, actor: Actor | null, entry: AuditRecord): Promise<void> {
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
