import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { Role } from '#domain';

/** Who is calling, resolved once per request from the bearer token. */
export interface Principal {
  userId: string;
  role: Role;
  /** The coordinator's zone, or the member organization's zone; null for admins. */
  zoneId: string | null;
  /** The member's organization; null for admins and coordinators. */
  organizationId: string | null;
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ principal: Principal }>().principal;
});

/** Staff act for the zone; members act for their organization. */
export function isStaff(p: Principal): boolean {
  return p.role === Role.Admin || p.role === Role.Coordinator;
}
