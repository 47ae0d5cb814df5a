import { DomainError } from '#domain';

/** A run's ETag is its version: `"7"`. */
export const etagOf = (version: number) => `"${version}"`;

/** Parses If-Match; a change to a draft without one is refused (428), so lost updates cannot happen silently. */
export function requireIfMatch(header: string | undefined): number {
  if (!header) throw new DomainError('precondition_required', 'IF_MATCH_REQUIRED', 'Send If-Match with the run’s ETag (from GET /runs/{id})');
  // Strong comparison (RFC 9110 §13.1.1): a weak ETag never matches.
  const m = /^"(\d{1,9})"$/.exec(header.trim());
  if (!m) throw new DomainError('precondition_failed', 'STALE_ETAG', 'If-Match does not match the run’s current ETag');
  return Number(m[1]);
}
