import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DomainError, Role } from '#domain';
import type { Principal } from '../common/auth/principal.js';
import { TokenAuthenticator } from '../common/auth/token-authenticator.js';
import { setRouteLabel } from '../observability/http-observability.js';

export const DASHBOARD_ROUTE = '/queues';

/**
 * The dashboard is Express middleware, outside Nest's guards, so it authenticates here with the
 * same token lookup as the AuthGuard: admins only, because the board lists every zone's jobs (their
 * ids and payloads name zones and runs) and cannot be filtered per zone. Errors thrown here reach the
 * problem-details filter like any route's. The board is read-only (see DashboardModule), and
 * anything but reading is refused before it reaches bull-board.
 */
@Injectable()
export class DashboardAuthMiddleware implements NestMiddleware {
  constructor(private readonly tokens: TokenAuthenticator) {}

  async use(req: Request & { principal?: Principal }, res: Response, next: NextFunction): Promise<void> {
    setRouteLabel(res, DASHBOARD_ROUTE);
    const principal = await this.tokens.authenticate(req.headers.authorization, req.ip ?? 'unknown');
    req.principal = principal;
    this.tokens.assertRole(principal, [Role.Admin]);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new DomainError('forbidden', 'DASHBOARD_READ_ONLY', 'The queue dashboard is read-only; re-run or publish through the API');
    }
    next();
  }
}
