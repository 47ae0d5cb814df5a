import { Injectable } from '@nestjs/common';
import { DomainError, OrganizationKind, organizationNotFound, Role } from '#domain';
import { type Organization } from '#store';
import type { Principal } from './principal.js';

/**
 * Object-level authorization in one place. A resource outside the caller's reach is answered
 * as not found, so callers cannot probe which ids exist in other organizations or zones.
 */
@Injectable()
export class AccessPolicy {
  /** Anyone belonging to the zone may read it (its catalogue, its settings). */
  assertCanReadZone(p: Principal, zoneId: string): void {
    if (p.role === Role.Admin) return;
    if (p.zoneId !== zoneId) throw DomainError.notFound('Zone', 'ZONE_NOT_FOUND');
  }

  /** Only admins and the zone's coordinators manage it. */
  assertCanManageZone(p: Principal, zoneId: string): void {
    this.assertCanReadZone(p, zoneId);
    if (p.role !== Role.Admin && p.role !== Role.Coordinator) {
      throw new DomainError('forbidden', 'ROLE_NOT_ALLOWED', `This action is not available to the ${p.role} role`);
    }
  }

  /** Admins, and the coordinators of one of its zones, may read a province and its nights; to anyone else it does not exist. */
  assertCanReadProvince(p: Principal, zoneIds: readonly string[]): void {
    if (p.role === Role.Admin) return;
    if (p.role !== Role.Coordinator || !p.zoneId || !zoneIds.includes(p.zoneId)) throw DomainError.notFound('Province', 'PROVINCE_NOT_FOUND');
  }

  /** Members reach only their own organization; coordinators only their zone's. */
  assertCanAccessOrganization(p: Principal, org: Pick<Organization, 'id' | 'zoneId' | 'kind'>, kind?: OrganizationKind): void {
    const visible =
      p.role === Role.Admin ||
      (p.role === Role.Coordinator && p.zoneId === org.zoneId) ||
      p.organizationId === org.id;
    if (!visible || (kind && org.kind !== kind)) {
      throw organizationNotFound(kind);
    }
  }
}
