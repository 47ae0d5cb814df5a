import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role } from '#domain';
import type { Principal } from './principal.js';
import { PUBLIC_KEY, ROLES_KEY } from './decorators.js';
import { TokenAuthenticator } from './token-authenticator.js';
import { SessionAuthenticator } from '../../sessions/session-authenticator.js';

/**
 * The one place credentials are checked on Nest routes: resolves the bearer token to a principal
 * (TokenAuthenticator) and enforces the route's @Roles. Object-level scoping (which zone or
 * organization) is AccessPolicy's job.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenAuthenticator,
    private readonly sessions: SessionAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<{ method: string; headers: Record<string, string | undefined>; ip?: string; principal?: Principal }>();
    // A bearer token (integrations) wins; without one, the web console's session cookie (with CSRF checks on changes).
    const sessionSecret = request.headers.authorization ? null : this.sessions.secretOf(request);
    const principal = sessionSecret
      ? await this.sessions.authenticate(request, sessionSecret)
      : await this.tokens.authenticate(request.headers.authorization, request.ip ?? 'unknown');
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles) this.tokens.assertRole(principal, roles);
    return true;
  }
}
