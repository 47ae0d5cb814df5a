import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { DomainError, Role } from '#domain';
import type { Principal } from './principal.js';
import { PUBLIC_KEY, ROLES_KEY } from './decorators.js';
import { hashToken } from './tokens.js';

interface CredentialRow {
  user_id: string;
  role: Role;
  zone_id: string | null;
  organization_id: string | null;
  org_zone_id: string | null;
}

/**
 * The one place credentials are checked: resolves the bearer token to a principal and enforces
 * the route's @Roles. Object-level scoping (which zone or organization) is AccessPolicy's job.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const principal = await this.authenticate(request.headers.authorization);
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new DomainError('forbidden', 'ROLE_NOT_ALLOWED', `This action is not available to the ${principal.role} role`);
    }
    return true;
  }

  private async authenticate(header: string | undefined): Promise<Principal> {
    const match = /^Bearer ([A-Za-z0-9_\-]{16,200})$/.exec(header ?? '');
    if (!match) {
      throw new DomainError('unauthenticated', 'UNAUTHENTICATED', 'Send a bearer API token: Authorization: Bearer <token>');
    }
    const rows: CredentialRow[] = await this.dataSource.query(
      `SELECT u.id AS user_id, u.role, u.zone_id, u.organization_id, o.zone_id AS org_zone_id
         FROM api_credentials c
         JOIN users u ON u.id = c.user_id
         LEFT JOIN organizations o ON o.id = u.organization_id
        WHERE c.token_hash = $1 AND c.revoked_at IS NULL`,
      [hashToken(match[1])],
    );
    const row = rows[0];
    if (!row) throw new DomainError('unauthenticated', 'INVALID_TOKEN', 'The API token is unknown or revoked');
    return {
      userId: row.user_id,
      role: row.role,
      zoneId: row.org_zone_id ?? row.zone_id,
      organizationId: row.organization_id,
    };
  }
}
