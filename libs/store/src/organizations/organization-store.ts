import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, In, type EntityManager } from 'typeorm';
import { DomainError, organizationNotFound, type Actor, type OrganizationKind } from '#domain';
import { recordAudit } from '../audit/audit-log.js';
import { Organization } from '../entities/organization.entity.js';

export interface OrganizationFilter {
  kind?: OrganizationKind;
  priorityCategory?: string;
  /** Part of the name or the credit code, matched literally and case-insensitively. */
  q?: string;
}

/** A credit code names one organization in every zone: registering it again is a conflict. */
async function assertCreditCodeFree(m: EntityManager, creditCode: string): Promise<void> {
  if (await m.existsBy(Organization, { creditCode })) {
    throw new DomainError('conflict', 'CREDIT_CODE_TAKEN', `An organization with credit code ${creditCode} is already registered`, [
      { field: 'creditCode', reason: 'already registered' },
    ]);
  }
}

/** Enterprises and suppliers: registration, reads and changes, each change audited in its transaction. */
@Injectable()
export class OrganizationStore {
  constructor(private readonly dataSource: DataSource) {}

  async register(actor: Actor, fields: Partial<Organization> & { creditCode: string }): Promise<Organization> {
    return this.dataSource.transaction(async (m) => {
      await assertCreditCodeFree(m, fields.creditCode);
      const org = await m.save(m.create(Organization, fields));
      await recordAudit(m, actor, { action: `${org.kind}.register`, entityType: 'organization', entityId: org.id, zoneId: org.zoneId, after: org });
      return org;
    });
  }

  find(organizationId: string): Promise<Organization | null> {
    return this.dataSource.getRepository(Organization).findOneBy({ id: organizationId });
  }

  /** Organizations (of any zone) by unified social credit code; unknown codes are left out. */
  async byCreditCodes(codes: readonly string[]): Promise<Map<string, Organization>> {
    if (!codes.length) return new Map();
    const orgs = await this.dataSource.getRepository(Organization).findBy({ creditCode: In([...new Set(codes)]) });
    return new Map(orgs.map((o) => [o.creditCode, o]));
  }

  /** A page of the zone's organizations by name. */
  async page(zoneId: string, filter: OrganizationFilter, window: { skip: number; take: number }): Promise<{ items: Organization[]; total: number }> {
    const qb = this.dataSource.getRepository(Organization).createQueryBuilder('o').where('o.zoneId = :zoneId', { zoneId });
    if (filter.kind) qb.andWhere('o.kind = :kind', { kind: filter.kind });
    if (filter.priorityCategory) qb.andWhere('o.priorityCategory = :cat', { cat: filter.priorityCategory });
    if (filter.q) {
      const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(new Brackets((w) => w.where('o.name ILIKE :like', { like }).orWhere('o.creditCode ILIKE :like', { like })));
    }
    const [items, total] = await qb.orderBy('o.name', 'ASC').addOrderBy('o.id', 'ASC').skip(window.skip).take(window.take).getManyAndCount();
    return { items, total };
  }

  /**
   * Changes an organization of `kind` under a row lock. `change` decides whether the actor may
   * (it throws to refuse) and applies the new fields; a changed credit code must still be free.
   */
  async update(actor: Actor, id: string, kind: OrganizationKind, action: string, change: (org: Organization) => void | Promise<void>): Promise<Organization> {
    return this.dataSource.transaction(async (m) => {
      const org = await m.findOne(Organization, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!org) throw organizationNotFound(kind);
      const before = { ...org };
      await change(org);
      if (org.creditCode !== before.creditCode) await assertCreditCodeFree(m, org.creditCode);
      await m.save(org);
      await recordAudit(m, actor, { action, entityType: 'organization', entityId: org.id, zoneId: org.zoneId, before, after: org });
      return org;
    });
  }
}
