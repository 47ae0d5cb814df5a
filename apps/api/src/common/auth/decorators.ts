import { applyDecorators, SetMetadata } from '@nestjs/common';
import { Role } from '#domain';
import { ApiPublic, ApiRoles } from '../openapi.js';

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';

/** Roles allowed to call a route; a route without @Roles is open to every authenticated caller. The API description says so too. */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES_KEY, roles), ApiRoles(roles));

/** Routes that need no credential (health checks, docs); described with `security: []`. */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiPublic());

export const STAFF = [Role.Admin, Role.Coordinator];
