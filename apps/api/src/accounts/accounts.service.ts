import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { Clock, DomainError, OrganizationKind, Role } from '#domain';
import { ApiCredential, AuditEntry, User, Zone } from '#store';
import { AuditService } from '../common/audit.service.js';
import type { Principal } from '../common/auth/principal.js';
import { TokenAuthenticator } from '../common/auth/token-authenticator.js';
import { hashToken, newToken, tokenPrefix } from '../common/auth/tokens.js';
import { pageWindow, type Page } from '../common/pagination.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import type { CredentialView, IssuedCredentialView } from './account.views.js';
import type { CreateUserDto, IssueCredentialDto } from './dto/create-user.dto.js';
import type { ListAuditQuery } from './dto/list-audit.query.js';
import type { ListCredentialsQuery } from './dto/list-credentials.query.js';

interface CredentialRow {
  id: string;
  user_id: string;
  name: string;
  role: Role;
  zone_id: string | null;
  organization_id: string | null;
  token_prefix: string;
  created_at: Date;
  revoked_at: Date | null;
  token_hash: string;
}

/** A credential with its holder; the zone is the coordinator's or the member organization's. */
const CREDENTIALS_SQL = `
  SELECT c.id, c.user_id, u.name, u.role, coalesce(o.zone_id, u.zone_id) AS zone_id, u.organization_id,
         c.token_prefix, c.created_at, c.revoked_at, c.token_hash
    FROM api_credentials c
    JOIN users u ON u.id = c.user_id
    LEFT JOIN organizations o ON o.id = u.organization_id`;

const credentialView = (r: CredentialRow): CredentialView => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  role: r.role,
  zoneId: r.zone_id,
  organizationId: r.organization_id,
  tokenPrefix: r.token_prefix,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

@Injectable()
export class AccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly organizations: OrganizationsService,
    private readonly tokens: TokenAuthenticator,
    private readonly clock: Clock,
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

  /**
   * Credentials without their tokens. Admins see every credential; coordinators only the member
   * credentials of their zone's organizations (never staff credentials).
   */
  async listCredentials(actor: Principal, q: ListCredentialsQuery): Promise<Page<CredentialView>> {
    const { page, pageSize, skip } = pageWindow(q);
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (actor.role !== Role.Admin) {
      where.push('u.organization_id IS NOT NULL');
      add('o.zone_id = ?', actor.zoneId);
    }
    if (q.zoneId) add('coalesce(o.zone_id, u.zone_id) = ?', q.zoneId);
    if (q.organizationId) add('u.organization_id = ?', q.organizationId);
    if (q.includeRevoked !== 'true') where.push('c.revoked_at IS NULL');
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows: CredentialRow[] = await this.dataSource.query(`${CREDENTIALS_SQL} ${filter} ORDER BY c.created_at DESC, c.id LIMIT ${pageSize} OFFSET ${skip}`, params);
    const [{ total }]: { total: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM api_credentials c JOIN users u ON u.id = c.user_id LEFT JOIN organizations o ON o.id = u.organization_id ${filter}`,
      params,
    );
    return { items: rows.map(credentialView), page, pageSize, total };
  }

  /**
   * Revokes a credential at once: audited, and dropped from this process's credential cache (other
   * API processes stop accepting it within CREDENTIAL_CACHE_MS). Revoking again answers the same.
   * Coordinators revoke member credentials of their zone's organizations; admins any credential.
   */
  async revokeCredential(actor: Principal, credentialId: string): Promise<CredentialView> {
    const revoked = await this.dataSource.transaction(async (m) => {
      const [row]: CredentialRow[] = await m.query(`${CREDENTIALS_SQL} WHERE c.id = $1 FOR UPDATE OF c`, [credentialId]);
      const visible = row && (actor.role === Role.Admin || (row.organization_id !== null && row.zone_id === actor.zoneId));
      if (!visible) throw DomainError.notFound('Credential', 'CREDENTIAL_NOT_FOUND');
      if (row.revoked_at) return row;
      row.revoked_at = this.clock.now();
      await m.update(ApiCredential, { id: row.id }, { revokedAt: row.revoked_at });
      await this.audit.record(m, actor, {
        action: 'credential.revoke',
        entityType: 'api_credential',
        entityId: row.id,
        zoneId: row.zone_id,
        before: { revokedAt: null },
        after: { revokedAt: row.revoked_at, userId: row.user_id, tokenPrefix: row.token_prefix },
      });
      return row;
    });
    this.tokens.forget(revoked.token_hash);
    return credentialView(revoked);
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
