import { SetMetadata } from '@nestjs/common';
import { Role } from '#domain';

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';

/** Roles allowed to call a route; a route without @Roles is open to every authenticated caller. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Routes that need no credential (health checks, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const STAFF = [Role.Admin, Role.Coordinator];
