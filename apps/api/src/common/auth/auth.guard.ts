import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role } from '#domain';
import type { Principal } from './principal.js';
import { PUBLIC_KEY, ROLES_KEY } from './decorators.js';
import { TokenAuthenticator } from './token-authenticator.js';

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
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; ip?: string; principal?: Principal }>();
    const principal = await this.tokens.authenticate(request.headers.authorization, request.ip ?? 'unknown');
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles) this.tokens.assertRole(principal, roles);
    return true;
  }
}
