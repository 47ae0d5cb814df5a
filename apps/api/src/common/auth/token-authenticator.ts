import { Injectable } from '@nestjs/common';
import { DomainError, Role } from '#domain';
import { AccountStore, AppConfig } from '#store';
import { AuthFailureLimiter } from '../../rate-limit/auth-failure.limiter.js';
import type { Principal } from './principal.js';
import { TtlCache } from '../ttl-cache.js';
import { hashToken } from './tokens.js';

/** `Bearer <token>`; the scheme is case-insensitive (RFC 9110 §11.1), the token is not. */
const BEARER = /^bearer +([A-Za-z0-9_\-]{16,200}) *$/i;

/**
 * The one place a bearer token becomes a principal: used by the AuthGuard for Nest routes and by
 * Express middleware outside Nest's guards (the queue dashboard). A credential is cached for
 * CREDENTIAL_CACHE_MS: a revocation stops it at once in the process that revoked it (forget) and
 * within that time in the others.
 */
@Injectable()
export class TokenAuthenticator {
  private readonly cache: TtlCache<string, Principal>;

  constructor(
    private readonly accounts: AccountStore,
    private readonly failures: AuthFailureLimiter,
    config: AppConfig,
  ) {
    this.cache = new TtlCache<string, Principal>(config.CREDENTIAL_CACHE_MS);
  }

  /**
   * Resolves `Authorization: Bearer <token>`; 401 problems (UNAUTHENTICATED, INVALID_TOKEN) otherwise,
   * and 429 TOO_MANY_AUTH_FAILURES for an address that sent too many unknown tokens.
   */
  async authenticate(header: string | undefined, clientAddress: string): Promise<Principal> {
    const match = BEARER.exec(header ?? '');
    if (!match) {
      throw new DomainError('unauthenticated', 'UNAUTHENTICATED', 'Send a bearer API token: Authorization: Bearer <token>');
    }
    const hash = hashToken(match[1]);
    return this.cache.get(hash, async () => {
      await this.failures.assertAllowed(clientAddress);
      try {
        return await this.lookup(hash);
      } catch (err) {
        if (err instanceof DomainError && err.code === 'INVALID_TOKEN') await this.failures.recordFailure(clientAddress);
        throw err;
      }
    });
  }

  /** Drops one credential from this process's cache (it was just revoked). */
  forget(tokenHash: string): void {
    this.cache.delete(tokenHash);
  }

  /** Forgets every cached credential (tests that recreate users under the same token). */
  forgetAll(): void {
    this.cache.clear();
  }

  private async lookup(tokenHash: string): Promise<Principal> {
    const principal = await this.accounts.actorByTokenHash(tokenHash);
    // Unknown tokens are not cached: the error leaves the cache untouched.
    if (!principal) throw new DomainError('unauthenticated', 'INVALID_TOKEN', 'The API token is unknown or revoked');
    return principal;
  }

  /** 403 ROLE_NOT_ALLOWED unless the principal has one of `roles`. */
  assertRole(principal: Principal, roles: readonly Role[]): void {
    if (!roles.includes(principal.role)) {
      throw new DomainError('forbidden', 'ROLE_NOT_ALLOWED', `This action is not available to the ${principal.role} role`, [], { role: principal.role });
    }
  }
}
