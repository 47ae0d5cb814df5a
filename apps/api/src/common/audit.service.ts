import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { recordAudit, type AuditRecord } from '#store';
import type { Principal } from './auth/principal.js';

export type { AuditRecord };

/** Writes audit entries inside the caller's transaction (see recordAudit in the store). */
@Injectable()
export class AuditService {
  record(manager: EntityManager, actor: Principal | null, entry: AuditRecord): Promise<void> {
    return recordAudit(manager, actor, entry);
  }
}
