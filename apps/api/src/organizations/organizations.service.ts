import { Injectable } from '@nestjs/common';
import { checkPickupWindows, DEFAULT_SLOT_MINUTES, DEFAULT_VEHICLES_PER_SLOT, DomainError, OrganizationKind, organizationNotFound } from '#domain';
import { OrganizationStore, type Organization, type Zone } from '#store';
import { AccessPolicy } from '../common/auth/access-policy.js';
import type { Principal } from '../common/auth/principal.js';
import { pageWindow, type Page } from '../common/pagination.js';
import { TtlCache } from '../common/ttl-cache.js';
import { ZONE_CACHE_MS } from '../common/zone-settings.cache.js';
import { ZonesService } from '../zones/zones.service.js';
import type { CreateEnterpriseDto } from './dto/create-enterprise.dto.js';
import type { CreateSupplierDto } from './dto/create-supplier.dto.js';
import type { ListOrganizationsQuery } from './dto/list-organizations.query.js';
import type { PickupWindowsDto } from './dto/pickup-windows.dto.js';
import type { UpdateEnterpriseDto, UpdateSupplierDto } from './dto/update-organization.dto.js';

@Injectable()
export class OrganizationsService {
  /**
   * Organizations as report posts read them (zone, kind, registered employees), on every one of
   * the morning's thousands of posts: cached like a zone's settings, forgotten at once when this
   * process changes the organization, within ZONE_CACHE_MS when another process does.
   */
  private readonly forReports = new TtlCache<string, Organization | null>(ZONE_CACHE_MS);

  constructor(
    private readonly store: OrganizationStore,
    private readonly access: AccessPolicy,
    private readonly zones: ZonesService,
  ) {}

  async registerEnterprise(actor: Principal, zoneId: string, dto: CreateEnterpriseDto): Promise<Organization> {
    this.access.assertCanManageZone(actor, zoneId);
    const zone = await this.zones.get(actor, zoneId);
    this.assertCategoryMapped(zone, dto.priorityCategory);
    return this.store.register(actor, { ...dto, aboveScale: dto.aboveScale ?? false, zoneId, kind: OrganizationKind.Enterprise });
  }

  async registerSupplier(actor: Principal, zoneId: string, dto: CreateSupplierDto): Promise<Organization> {
    this.access.assertCanManageZone(actor, zoneId);
    await this.zones.get(actor, zoneId);
    const slotMinutes = dto.slotMinutes ?? DEFAULT_SLOT_MINUTES;
    return this.store.register(actor, {
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
    const { items, total } = await this.store.page(zoneId, { kind: q.kind, priorityCategory: q.priorityCategory, q: q.q }, { skip, take: pageSize });
    return { items, page, pageSize, total };
  }

  /** The organization if the caller may see it (of the given kind, when named); 404 otherwise. */
  async get(actor: Principal, organizationId: string, kind?: OrganizationKind): Promise<Organization> {
    const org = await this.store.find(organizationId);
    if (!org) throw organizationNotFound(kind);
    this.access.assertCanAccessOrganization(actor, org, kind);
    return org;
  }

  /** As `get`, from the report posts' cache. */
  async getForReport(actor: Principal, organizationId: string, kind: OrganizationKind): Promise<Organization> {
    const org = await this.forReports.get(organizationId, () => this.store.find(organizationId));
    if (!org) throw organizationNotFound(kind);
    this.access.assertCanAccessOrganization(actor, org, kind);
    return org;
  }

  async updateEnterprise(actor: Principal, id: string, dto: UpdateEnterpriseDto): Promise<Organization> {
    return this.update(actor, id, OrganizationKind.Enterprise, async (org) => {
      if (dto.priorityCategory) this.assertCategoryMapped(await this.zones.get(actor, org.zoneId), dto.priorityCategory);
      Object.assign(org, dto);
    });
  }

  async updateSupplier(actor: Principal, id: string, dto: UpdateSupplierDto): Promise<Organization> {
    return this.update(actor, id, OrganizationKind.Supplier, (org) => {
      Object.assign(org, dto);
    });
  }

  /** Suppliers edit their own pickup windows; coordinators may too. */
  async setPickupWindows(actor: Principal, id: string, dto: PickupWindowsDto): Promise<Organization> {
    return this.update(
      actor,
      id,
      OrganizationKind.Supplier,
      (org) => {
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
      throw DomainError.rule('PRIORITY_CATEGORY_UNMAPPED', 'priorityCategory', `Priority category ${category} has no tier in this zone’s tier mapping`, { category });
    }
  }

  /** Changes an organization of `kind` the actor may reach (404 otherwise), audited as `action`. */
  private async update(
    actor: Principal,
    id: string,
    kind: OrganizationKind,
    change: (org: Organization) => void | Promise<void>,
    action = `${kind}.update`,
  ): Promise<Organization> {
    const updated = await this.store.update(actor, id, kind, action, async (org) => {
      this.access.assertCanAccessOrganization(actor, org, kind);
      await change(org);
    });
    this.forReports.delete(id);
    return updated;
  }
}
