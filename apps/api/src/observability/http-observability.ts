import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Principal } from '../common/auth/principal.js';
import { withLogContext } from '#store';
import type { MetricsService } from './metrics.service.js';
import { requestIdFrom } from './request-id.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Requests no route matched are counted under one label, so scanners cannot blow up the series count. */
export const UNMATCHED_ROUTE = 'unmatched';

const ROUTE_LABEL = Symbol('routeLabel');
type Labelled = Response & { [ROUTE_LABEL]?: string };

/** For middleware-mounted apps (the queue dashboard), which Express does not report as a route. */
export function setRouteLabel(res: Response, label: string): void {
  (res as Labelled)[ROUTE_LABEL] = label;
}

/** The route template ('/runs/:runId'), never the raw URL, so metrics keep a bounded label set. */
function routeOf(req: Request, res: Response): string {
  const explicit = (res as Labelled)[ROUTE_LABEL];
  if (explicit) return explicit;
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : UNMATCHED_ROUTE;
}

/**
 * The first middleware of the API: gives the request an id (the caller's X-Request-Id if sane),
 * echoes it, runs the rest of the request inside a log context carrying it, and when the response
 * is done writes one access-log line and observes the request duration.
 */
export function httpObservability(logger: Logger, metrics: MetricsService): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(req, res);
      // A response closed before it finished was abandoned by the client (nginx's 499).
      const status = res.writableFinished ? res.statusCode : 499;
      metrics.observeHttp(req.method, route, status, seconds);
      const principal = (req as Request & { principal?: Principal }).principal;
      logger[status >= 500 ? 'warn' : 'info'](
        {
          requestId,
          method: req.method,
          route,
          path: req.originalUrl.split('?')[0],
          status,
          durationMs: Math.round(seconds * 1e4) / 10,
          ...(principal ? { userId: principal.userId, role: principal.role } : {}),
        },
        'request completed',
      );
    });
    withLogContext({ requestId }, next);
  };
}
