import { createHash } from 'node:crypto';

export const SESSION_COOKIE = 'ppe_session';
export const CSRF_COOKIE = 'ppe_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** A session lasts 14 days; an invite link 72 hours. */
export const SESSION_TTL_MS = 14 * 24 * 3600_000;
export const INVITE_TTL_MS = 72 * 3600_000;

/** The request's cookies (RFC 6265 `name=value; …`); later duplicates do not override earlier ones. */
export function readCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 1) continue;
    const name = part.slice(0, i).trim();
    if (name in out) continue;
    try {
      out[name] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      /* a malformed cookie is ignored */
    }
  }
  return out;
}

/**
 * The CSRF token of a session: derived from the session secret, so the server checks the header
 * without storing anything, and a token cannot be forged without the HttpOnly secret. The console
 * reads it from the readable ppe_csrf cookie and sends it back in X-CSRF-Token (double submit).
 */
export function csrfTokenOf(sessionSecret: string): string {
  return createHash('sha256').update(`csrf:${sessionSecret}`).digest('base64url');
}

export function sessionCookies(secret: string, maxAgeMs: number, secure: boolean): string[] {
  const common = `Path=/; Max-Age=${Math.floor(maxAgeMs / 1000)}; SameSite=Lax${secure ? '; Secure' : ''}`;
  return [`${SESSION_COOKIE}=${secret}; ${common}; HttpOnly`, `${CSRF_COOKIE}=${csrfTokenOf(secret)}; ${common}`];
}

export function clearedCookies(secure: boolean): string[] {
  const common = `Path=/; Max-Age=0; SameSite=Lax${secure ? '; Secure' : ''}`;
  return [`${SESSION_COOKIE}=; ${common}; HttpOnly`, `${CSRF_COOKIE}=; ${common}`];
}
