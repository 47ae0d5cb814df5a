import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, type EntityManager } from 'typeorm';
import { DomainError, OrganizationKind } from '#domain';
import { Organization, Zone } from '#store';
import { AuditService } from '../common/audit.service.js';
import { AccessPolicy, organizationNotFound } from '../common/auth/access-policy.js';
import type { Principal } from '../common/auth/principal.js';
import { pageWindow, type Page } from '../common/pagination.js';
import { ZonesService } from '../zones/zones.service.js';
import type { CreateEnterpriseDto } from './dto/create-enterprise.dto.js';
import type { CreateSupplierDto } from './dto/create-supplier.dto.js';
import type { ListOrganizationsQuery } from './dto/list-organizations.query.js';
import type { PickupWindowsDto } from './dto/pickup-windows.dto.js';
import type { UpdateEnterpriseDto, UpdateSupplierDto } from './dto/update-organization.dto.js';
import { checkPickupWindows } from './pickup-windows.js';

const DEFAULT_SLOT_MINUTES = 30;
const DEFAULT_VEHICLES_PER_SLOT = 2;

async function assertCreditCodeFree(m: EntityManager, creditCode: string): Promise<void> {
  if (await m.existsBy(Organization, { creditCode })) {
    throw new DomainError('conflict', 'CREDIT_CODE_TAKEN', `An organization with credit code ${creditCode} is already registered`, [
      { field: 'creditCode', reason: 'already registered' },
    ]);
  }
}

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly access: AccessPolicy,
    private readonly zones: ZonesService,
  ) {}

  async registerEnterprise(actor: Principal, zoneId: string, dto: CreateEnterpriseDto): Promise<Organization> {
    this.access.assertCanManageZone(actor, zoneId);
    const zone = await this.zones.get(actor, zoneId);
    this.assertCategoryMapped(zone, dto.priorityCategory);
    return this.insert(actor, { ...dto, aboveScale: dto.aboveScale ?? false, zoneId, kind: OrganizationKind.Enterprise });
  }

  async registerSupplier(actor: Principal, zoneId: string, dto: CreateSupplierDto): Promise<Organization> {
    this.access.assertCanManageZone(actor, zoneId);
    await this.zones.get(actor, zoneId);
    const slotMinutes = dto.slotMinutes ?? DEFAULT_SLOT_MINUTES;
    return this.insert(actor, {
      ...dto,
      pickupSiteAddress: dto.pickupSiteAddress ?? dto.address,
      pickupWindows: checkPickupWindows(dto.pickupWindows, slotMinutes),
      slotMinutes,
      vehiclesPerSlot: dto.vehiclesPerSlot ?? DEFAULT_VEHICLES_PER_SLOT,
      zoneId,
      kind: OrganizationKind.Supplier,
    });
  }

  async list(actor: Principal, zoneId: string, q: ListOrganizationsQuery): Promise<Page<Organization>> {
    this.access.assertCanManageZone(actor, zoneId);
    await this.zones.get(actor, zoneId);
    const { page, pageSize, skip } = pageWindow(q);
    const qb = this.dataSource.getRepository(Organization).createQueryBuilder('o').where('o.zoneId = :zoneId', { zoneId });
    if (q.kind) qb.andWhere('o.kind = :kind', { kind: q.kind });
    if (q.priorityCategory) qb.andWhere('o.priorityCategory = :cat', { cat: q.priorityCategory });
    if (q.q) {
      const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(new Brackets((w) => w.where('o.name ILIKE :like', { like }).orWhere('o.creditCode ILIKE :like', { like })));
    }
    const [items, total] = await qb.orderBy('o.name', 'ASC').addOrderBy('o.id', 'ASC').skip(skip).take(pageSize).getManyAndCount();
    return { items, page, pageSize, total };
  }

  /** The organization if the caller may see it (of the given kind, when named); 404 otherwise. */
  async get(actor: Principal, organizationId: string, kind?: OrganizationKind, manager?: EntityManager): Promise<Organization> {
    const org = await (manager ?? this.dataSource.manager).findOneBy(Organization, { id: organizationId });
    if (!org) throw organizationNotFound(kind);
    this.access.assertCanAccessOrganization(actor, org, kind);
    return org;
  }

  async updateEnterprise(actor: Principal, id: string, dto: UpdateEnterpriseDto): Promise<Organization> {
    return this.update(actor, id, OrganizationKind.Enterprise, async (org, m) => {
      if (dto.priorityCategory) this.assertCategoryMapped(await m.findOneByOrFail(Zone, { id: org.zoneId }), dto.priorityCategory);
      Object.assign(org, dto);
    });
  }

  async updateSupplier(actor: Principal, id: string, dto: UpdateSupplierDto): Promise<Organization> {
    return this.update(actor, id, OrganizationKind.Supplier, async (org) => {
      Object.assign(org, dto);
    });
  }

  /** Suppliers edit their own pickup windows; coordinators may too. */
  async setPickupWindows(actor: Principal, id: string, dto: PickupWindowsDto): Promise<Organization> {
    return this.update(
      actor,
      id,
      OrganizationKind.Supplier,
      async (org) => {
        const slotMinutes = dto.slotMinutes ?? org.slotMinutes ?? DEFAULT_SLOT_MINUTES;
        org.pickupWindows = checkPickupWindows(dto.pickupWindows, slotMinutes);
        org.slotMinutes = slotMinutes;
        org.vehiclesPerSlot = dto.vehiclesPerSlot ?? org.vehiclesPerSlot ?? DEFAULT_VEHICLES_PER_SLOT;
      },
      'supplier.pickup_windows',
    );
  }

  private assertCategoryMapped(zone: Zone, category: string): void {
    if (!(category in zone.tierMapping)) {
      throw DomainError.rule('PRIORITY_CATEGORY_UNMAPPED', 'priorityCategory', `Priority category ${category} has no tier in this zone’s tier mapping`);
    }
  }

  private async insert(actor: Principal, fields: Partial<Organization>): Promise<Organization> {
    return this.dataSource.transaction(async (m) => {
      await assertCreditCodeFree(m, fields.creditCode!);
      const org = m.create(Organization, fields);
      await m.save(org);
      await this.audit.record(m, actor, { action: `${org.kind}.register`, entityType: 'organization', entityId: org.id, zoneId: org.zoneId, after: org });
      return org;
    });
  }

  private async update(
    actor: Principal,
    id: string,
    kind: OrganizationKind,
    change: (org: Organization, m: EntityManager) => Promise<void>,
    action = `${kind}.update`,
  ): Promise<Organization> {
    return this.dataSource.transaction(async (m) => {
      const org = await m.findOne(Organization, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!org) throw organizationNotFound(kind);
      this.access.assertCanAccessOrganization(actor, org, kind);
      const before = { ...org };
      await change(org, m);
      if (org.creditCode !== before.creditCode) await assertCreditCodeFree(m, org.creditCode);
      await m.save(org);
      await this.audit.record(m, actor, { action, entityType: 'organization', entityId: org.id, zoneId: org.zoneId, before, after: org });
      return org;
    });
  }
}
