import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { Role, type Actor } from '#domain';

/** Who is calling, resolved once per request from the bearer token. */
export type Principal = Actor;

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ principal: Principal }>().principal;
});

/** Staff act for the zone; members act for their organization. */
export function isStaff(p: Principal): boolean {
  return p.role === Role.Admin || p.role === Role.Coordinator;
}
