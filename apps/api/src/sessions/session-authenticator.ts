import { Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { Clock, DomainError } from '#domain';
import { SessionStore } from '#store';
import { AuthFailureLimiter } from '../rate-limit/auth-failure.limiter.js';
import { hashToken } from '../common/auth/tokens.js';
import type { Principal } from '../common/auth/principal.js';
import { CSRF_HEADER, csrfTokenOf, readCookies, SESSION_COOKIE } from './cookies.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CookieRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
}

/**
 * Resolves the console's session cookie to a principal (the AuthGuard asks it when a request has
 * no bearer token). A change (any method but GET/HEAD/OPTIONS) must carry the session's CSRF token
 * in X-CSRF-Token: a cross-site form can send the cookie but cannot read the token.
 */
@Injectable()
export class SessionAuthenticator {
  constructor(
    private readonly store: SessionStore,
    private readonly clock: Clock,
    private readonly failures: AuthFailureLimiter,
  ) {}

  /** The session secret of a request, if it carries the cookie. */
  secretOf(req: CookieRequest): string | null {
    const cookie = readCookies(typeof req.headers.cookie === 'string' ? req.headers.cookie : undefined)[SESSION_COOKIE];
    return cookie && /^[A-Za-z0-9_-]{20,200}$/.test(cookie) ? cookie : null;
  }

  async authenticate(req: CookieRequest, secret: string): Promise<Principal> {
    const address = req.ip ?? 'unknown';
    await this.failures.assertAllowed(address);
    const principal = await this.store.authenticate(hashToken(secret), this.clock.now());
    if (!principal) {
      await this.failures.recordFailure(address);
      throw new DomainError('unauthenticated', 'SESSION_EXPIRED', 'Your session has ended (signed out, revoked or expired): open a new sign-in link');
    }
    if (!SAFE_METHODS.has(req.method.toUpperCase())) {
      const sent = req.headers[CSRF_HEADER];
      const expected = Buffer.from(csrfTokenOf(secret));
      const got = Buffer.from(typeof sent === 'string' ? sent : '');
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
        throw new DomainError('forbidden', 'CSRF_TOKEN_INVALID', 'A change made with the session cookie must carry its CSRF token in X-CSRF-Token');
      }
    }
    const { userId, role, zoneId, organizationId } = principal;
    return { userId, role, zoneId, organizationId };
  }
}
