import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { ApiCredential, AuditEntry, DomainError, OrganizationKind, Role, User, Zone } from '#domain';
import { AuditService } from '../common/audit.service.js';
import type { Principal } from '../common/auth/principal.js';
import { hashToken, newToken, tokenPrefix } from '../common/auth/tokens.js';
import { pageWindow, type Page } from '../common/pagination.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import type { IssuedCredentialView } from './account.views.js';
import type { CreateUserDto, IssueCredentialDto } from './dto/create-user.dto.js';
import type { ListAuditQuery } from './dto/list-audit.query.js';

@Injectable()
export class AccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly organizations: OrganizationsService,
  ) {}

  /** Admin creates staff: another admin, or a coordinator of a zone. */
  async createStaff(actor: Principal, dto: CreateUserDto): Promise<IssuedCredentialView> {
    return this.dataSource.transaction(async (m) => {
      const zoneId = dto.role === Role.Coordinator ? dto.zoneId! : null;
      if (zoneId && !(await m.existsBy(Zone, { id: zoneId }))) {
        throw DomainError.rule('ZONE_NOT_FOUND', 'zoneId', 'No zone with this id');
      }
      return this.issue(m, actor, { name: dto.name, role: dto.role, zoneId, organizationId: null });
    });
  }

  /** A coordinator (or admin) issues a member credential for an organization of their zone. */
  async issueForOrganization(actor: Principal, organizationId: string, dto: IssueCredentialDto): Promise<IssuedCredentialView> {
    const org = await this.organizations.get(actor, organizationId);
    const role = org.kind === OrganizationKind.Enterprise ? Role.Enterprise : Role.Supplier;
    return this.dataSource.transaction((m) => this.issue(m, actor, { name: dto.name, role, zoneId: org.zoneId, organizationId: org.id }));
  }

  /** Creates the first admin with a chosen token; does nothing if that token already exists. */
  async ensureBootstrapAdmin(token: string): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      if (await m.existsBy(ApiCredential, { tokenHash: hashToken(token) })) return false;
      await this.issue(m, null, { name: 'bootstrap admin', role: Role.Admin, zoneId: null, organizationId: null }, token);
      return true;
    });
  }

  async auditLog(q: ListAuditQuery): Promise<Page<AuditEntry>> {
    const { page, pageSize, skip } = pageWindow(q);
    const where: FindOptionsWhere<AuditEntry> = {};
    if (q.zoneId) where.zoneId = q.zoneId;
    if (q.entityType) where.entityType = q.entityType;
    if (q.entityId) where.entityId = q.entityId;
    const [items, total] = await this.dataSource.getRepository(AuditEntry).findAndCount({ where, order: { id: 'DESC' }, skip, take: pageSize });
    return { items, page, pageSize, total };
  }

  private async issue(
    m: EntityManager,
    actor: Principal | null,
    user: Pick<User, 'name' | 'role' | 'zoneId' | 'organizationId'>,
    token = newToken(),
  ): Promise<IssuedCredentialView> {
    const saved = await m.save(m.create(User, user));
    const credential = await m.save(m.create(ApiCredential, { userId: saved.id, tokenHash: hashToken(token), tokenPrefix: tokenPrefix(token) }));
    await this.audit.record(m, actor, {
      action: 'credential.issue',
      entityType: 'user',
      entityId: saved.id,
      zoneId: saved.zoneId,
      // Never the token or its hash: the audit log is readable by admins.
      after: { ...user, credentialId: credential.id, tokenPrefix: credential.tokenPrefix },
    });
    return { userId: saved.id, role: saved.role, zoneId: saved.zoneId, organizationId: saved.organizationId, token, tokenPrefix: credential.tokenPrefix };
  }
}
