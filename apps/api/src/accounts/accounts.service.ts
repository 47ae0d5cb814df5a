import { Injectable } from '@nestjs/common';
import { Clock, OrganizationKind, Role } from '#domain';
import { AccountStore, AuditTrail, type AuditEntry, type NewHolder } from '#store';
import type { Principal } from '../common/auth/principal.js';
import { TokenAuthenticator } from '../common/auth/token-authenticator.js';
import { hashToken, newToken, tokenPrefix } from '../common/auth/tokens.js';
import { pageWindow, type Page } from '../common/pagination.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import type { CredentialView, IssuedCredentialView } from './account.views.js';
import type { CreateUserDto, IssueCredentialDto } from './dto/create-user.dto.js';
import type { ListAuditQuery } from './dto/list-audit.query.js';
import type { ListCredentialsQuery } from './dto/list-credentials.query.js';

@Injectable()
export class AccountsService {
  constructor(
    private readonly accounts: AccountStore,
    private readonly auditTrail: AuditTrail,
    private readonly organizations: OrganizationsService,
    private readonly tokens: TokenAuthenticator,
    private readonly clock: Clock,
  ) {}

  /** Admin creates staff: another admin, or a coordinator of a zone. */
  async createStaff(actor: Principal, dto: CreateUserDto): Promise<IssuedCredentialView> {
    const zoneId = dto.role === Role.Coordinator ? dto.zoneId! : null;
    return this.issue(actor, { name: dto.name, role: dto.role, zoneId, organizationId: null });
  }

  /** A coordinator (or admin) issues a member credential for an organization of their zone. */
  async issueForOrganization(actor: Principal, organizationId: string, dto: IssueCredentialDto): Promise<IssuedCredentialView> {
    const org = await this.organizations.get(actor, organizationId);
    const role = org.kind === OrganizationKind.Enterprise ? Role.Enterprise : Role.Supplier;
    return this.issue(actor, { name: dto.name, role, zoneId: org.zoneId, organizationId: org.id });
  }

  /** Creates the first admin with a chosen token; does nothing if that token already exists. */
  async ensureBootstrapAdmin(token: string): Promise<boolean> {
    return this.accounts.issueOnce({ name: 'bootstrap admin', role: Role.Admin, zoneId: null, organizationId: null }, { tokenHash: hashToken(token), tokenPrefix: tokenPrefix(token) });
  }

  /**
   * Credentials without their tokens. Admins see every credential; coordinators only the member
   * credentials of their zone's organizations (never staff credentials).
   */
  async listCredentials(actor: Principal, q: ListCredentialsQuery): Promise<Page<CredentialView>> {
    const { page, pageSize, skip } = pageWindow(q);
    const { items, total } = await this.accounts.page(
      {
        memberZoneId: actor.role === Role.Admin ? undefined : actor.zoneId,
        zoneId: q.zoneId,
        organizationId: q.organizationId,
        includeRevoked: q.includeRevoked === 'true',
      },
      { skip, take: pageSize },
    );
    return { items, page, pageSize, total };
  }

  /**
   * Revokes a credential at once: audited, and dropped from this process's credential cache (other
   * API processes stop accepting it within CREDENTIAL_CACHE_MS). Revoking again answers the same.
   * Coordinators revoke member credentials of their zone's organizations; admins any credential.
   */
  async revokeCredential(actor: Principal, credentialId: string): Promise<CredentialView> {
    const visible = (c: CredentialView) => actor.role === Role.Admin || (c.organizationId !== null && c.zoneId === actor.zoneId);
    const { credential, tokenHash } = await this.accounts.revoke(actor, credentialId, visible, this.clock.now());
    this.tokens.forget(tokenHash);
    return credential;
  }

  async auditLog(q: ListAuditQuery): Promise<Page<AuditEntry>> {
    const { page, pageSize, skip } = pageWindow(q);
    const { items, total } = await this.auditTrail.page({ zoneId: q.zoneId, entityType: q.entityType, entityId: q.entityId }, { skip, take: pageSize });
    return { items, page, pageSize, total };
  }

  /** A new user with a new token, shown once in the response; only its hash is stored. */
  private async issue(actor: Principal, holder: NewHolder): Promise<IssuedCredentialView> {
    const token = newToken();
    const issued = await this.accounts.issue(actor, holder, { tokenHash: hashToken(token), tokenPrefix: tokenPrefix(token) });
    return { userId: issued.userId, role: issued.role, zoneId: issued.zoneId, organizationId: issued.organizationId, token, tokenPrefix: issued.tokenPrefix };
  }
}
