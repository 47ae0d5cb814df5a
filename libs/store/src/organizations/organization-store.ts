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

/** The fields an import writes, as registration and PATCH would set them (kind-specific ones null for the other kind). */
export type ImportedOrganization = Pick<
  Organization,
  | 'kind'
  | 'name'
  | 'creditCode'
  | 'address'
  | 'latitude'
  | 'longitude'
  | 'contactName'
  | 'contactPhone'
  | 'registeredEmployees'
  | 'priorityCategory'
  | 'aboveScale'
  | 'pickupSiteAddress'
  | 'pickupWindows'
  | 'slotMinutes'
  | 'vehiclesPerSlot'
>;

/** What an import does, decided from the organizations its credit codes already name (locked until it commits). */
export interface OrganizationImportPlan {
  creates: ImportedOrganization[];
  updates: (ImportedOrganization & { id: string })[];
  /** Registered organizations the import names without changing them. */
  unchanged: number;
}

/** The imported columns with their SQL types, in the JSON property names the rows are sent with. */
const IMPORT_COLUMNS: readonly (readonly [property: keyof ImportedOrganization, column: string, type: string])[] = [
  ['kind', 'kind', 'organization_kind'],
  ['name', 'name', 'varchar'],
  ['creditCode', 'credit_code', 'char(18)'],
  ['address', 'address', 'varchar'],
  ['latitude', 'latitude', 'numeric'],
  ['longitude', 'longitude', 'numeric'],
  ['contactName', 'contact_name', 'varchar'],
  ['contactPhone', 'contact_phone', 'varchar'],
  ['registeredEmployees', 'registered_employees', 'integer'],
  ['priorityCategory', 'priority_category', 'varchar'],
  ['aboveScale', 'above_scale', 'boolean'],
  ['pickupSiteAddress', 'pickup_site_address', 'varchar'],
  ['pickupWindows', 'pickup_windows', 'jsonb'],
  ['slotMinutes', 'slot_minutes', 'integer'],
  ['vehiclesPerSlot', 'vehicles_per_slot', 'integer'],
];
const RECORD_TYPE = IMPORT_COLUMNS.map(([p, , type]) => `"${p}" ${type}`).join(', ');

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

  /**
   * A zone's organizations imported at once: the organizations named by `creditCodes` are read
   * and locked, `plan` decides from them what to create and update (it throws to refuse, and
   * nothing is written), then every row goes in with one INSERT and one UPDATE over the rows sent
   * as JSON, and one audit entry records the import. A code registered by someone else between the
   * read and the insert is a conflict and the whole import is undone.
   */
  async importMany(
    actor: Actor,
    zoneId: string,
    creditCodes: readonly string[],
    plan: (existing: ReadonlyMap<string, Organization>) => OrganizationImportPlan,
    audit: { entityId: string; after: object },
  ): Promise<{ created: number; updated: number; unchanged: number }> {
    return this.dataSource.transaction(async (m) => {
      const found = await m
        .getRepository(Organization)
        .createQueryBuilder('o')
        .where('o.creditCode = ANY(:codes)', { codes: [...new Set(creditCodes)] })
        .setLock('pessimistic_write')
        .getMany();
      const { creates, updates, unchanged } = plan(new Map(found.map((o) => [o.creditCode, o])));
      const columns = IMPORT_COLUMNS.map(([, column]) => column).join(', ');
      const values = IMPORT_COLUMNS.map(([p]) => `d."${p}"`).join(', ');
      if (creates.length) {
        const inserted: unknown[] = await m.query(
          `INSERT INTO organizations (zone_id, ${columns})
           SELECT $1, ${values} FROM jsonb_to_recordset($2::jsonb) AS d(${RECORD_TYPE})
           ON CONFLICT (credit_code) DO NOTHING RETURNING id`,
          [zoneId, JSON.stringify(creates)],
        );
        if (inserted.length < creates.length) {
          throw new DomainError('conflict', 'CREDIT_CODE_TAKEN', 'Some credit codes of the file were registered while it was imported; nothing was imported, import it again', []);
        }
      }
      if (updates.length) {
        const assignments = IMPORT_COLUMNS.map(([p, column]) => `${column} = d."${p}"`).join(', ');
        await m.query(
          `UPDATE organizations o SET ${assignments}, updated_at = now()
             FROM jsonb_to_recordset($2::jsonb) AS d(id uuid, ${RECORD_TYPE})
            WHERE o.id = d.id AND o.zone_id = $1`,
          [zoneId, JSON.stringify(updates)],
        );
      }
      const counts = { created: creates.length, updated: updates.length, unchanged };
      await recordAudit(m, actor, { action: 'organization.import', entityType: 'organization_import', entityId: audit.entityId, zoneId, after: { ...audit.after, ...counts } });
      return counts;
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
