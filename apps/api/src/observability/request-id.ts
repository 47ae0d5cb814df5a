import { randomUUID } from 'node:crypto';

/** What we accept as a caller's X-Request-Id: short, printable, no spaces or quotes, so it is safe in logs and headers. */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:@\/+=-]{0,127}$/;

/** The caller's X-Request-Id if it is sane (a proxy or client may have set it), else a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}
