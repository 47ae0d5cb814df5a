import type { Role } from './enums.js';

/** Who is acting: resolved once per request from a credential (or null for the system itself). */
export interface Actor {
  userId: string;
  role: Role;
  /** The coordinator's zone, or the member organization's zone; null for admins. */
  zoneId: string | null;
  /** The member's organization; null for admins and coordinators. */
  organizationId: string | null;
}
