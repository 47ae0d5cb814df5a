import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public, Roles, STAFF } from '../common/auth/decorators.js';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { PageQuery, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/param.pipes.js';
import { clearedCookies, readCookies, SESSION_COOKIE, SESSION_TTL_MS, sessionCookies } from './cookies.js';
import { CreateMemberDto, InvitePageView, IssuedInviteView, ListSessionsQuery, OpenedSessionView, OpenSessionDto, SessionPageView, type InviteView, type SessionView } from './session.views.js';
import { SessionsService } from './sessions.service.js';

@ApiTags('sessions')
@ApiBearerAuth()
@ApiCookieAuth('ppe_session')
@Controller()
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post('organizations/:organizationId/members')
  @Roles(...STAFF)
  @ApiCreatedResponse({ type: IssuedInviteView, description: 'A new member of the organization and their sign-in link (single use, 72 hours); the link is in the response once' })
  @ApiOperation({ summary: 'Add a member and get their sign-in link' })
  async inviteMember(@CurrentPrincipal() p: Principal, @Param('organizationId', UuidParam) id: string, @Body() dto: CreateMemberDto): Promise<IssuedInviteView> {
    return this.sessions.inviteMember(p, id, dto.name);
  }

  @Post('users/:userId/invites')
  @Roles(...STAFF)
  @ApiCreatedResponse({ type: IssuedInviteView, description: 'Another sign-in link for a user: coordinators for their zone’s members and themselves; admins for anyone' })
  @ApiOperation({ summary: 'Issue another sign-in link for a user' })
  async inviteUser(@CurrentPrincipal() p: Principal, @Param('userId', UuidParam) id: string): Promise<IssuedInviteView> {
    return this.sessions.inviteUser(p, id);
  }

  @Get('organizations/:organizationId/invites')
  @Roles(...STAFF)
  @ApiOkResponse({ type: InvitePageView, description: 'The organization’s sign-in links (never their secrets), newest first' })
  @ApiOperation({ summary: 'List an organization’s sign-in links' })
  async listInvites(@CurrentPrincipal() p: Principal, @Param('organizationId', UuidParam) id: string, @Query() q: PageQuery): Promise<Page<InviteView>> {
    return this.sessions.invitesOf(p, id, q);
  }

  @Get('organizations/:organizationId/sessions')
  @Roles(...STAFF)
  @ApiOkResponse({ type: SessionPageView, description: 'The organization’s members’ web sessions, newest first (live ones unless includeEnded)' })
  @ApiOperation({ summary: 'List an organization’s web sessions' })
  async listSessions(@CurrentPrincipal() p: Principal, @Param('organizationId', UuidParam) id: string, @Query() q: ListSessionsQuery): Promise<Page<SessionView>> {
    return this.sessions.sessionsOf(p, id, q.includeEnded === 'true', q);
  }

  @Post('sessions/:sessionId/revoke')
  @HttpCode(204)
  @Roles(...STAFF)
  @ApiNoContentResponse({ description: 'Ended at once (audited); revoking again answers the same. 404 outside the caller’s reach' })
  @ApiOperation({ summary: 'End a web session' })
  async revokeSession(@CurrentPrincipal() p: Principal, @Param('sessionId', UuidParam) id: string): Promise<void> {
    await this.sessions.revoke(p, 'session', id);
  }

  @Post('invites/:inviteId/revoke')
  @HttpCode(204)
  @Roles(...STAFF)
  @ApiNoContentResponse({ description: 'The link stops working at once (audited). 404 outside the caller’s reach' })
  @ApiOperation({ summary: 'Revoke a sign-in link' })
  async revokeInvite(@CurrentPrincipal() p: Principal, @Param('inviteId', UuidParam) id: string): Promise<void> {
    await this.sessions.revoke(p, 'invite', id);
  }

  @Post('sessions')
  @Public()
  @HttpCode(201)
  @ApiCreatedResponse({
    type: OpenedSessionView,
    description:
      'Exchanges an invite link’s secret for a web session: sets the HttpOnly ppe_session cookie (Secure over TLS, SameSite=Lax) and the readable ppe_csrf cookie, whose value cookie-authenticated changes must send in X-CSRF-Token. 404 INVITE_NOT_FOUND, 410 INVITE_USED / INVITE_EXPIRED / INVITE_REVOKED',
  })
  @ApiOperation({ summary: 'Sign in with a link' })
  async openSession(@Body() dto: OpenSessionDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<OpenedSessionView> {
    const { view, secret } = await this.sessions.open(dto.invite, req.headers['user-agent'] ?? null);
    res.setHeader('Set-Cookie', sessionCookies(secret, SESSION_TTL_MS, req.secure));
    res.setHeader('Cache-Control', 'no-store');
    return view;
  }

  @Post('sessions/sign-out')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Ends the cookie’s session and clears the cookies (a bearer caller: nothing to end)' })
  @ApiOperation({ summary: 'Sign out of the web console' })
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const secret = req.headers.authorization ? null : (readCookies(req.headers.cookie)[SESSION_COOKIE] ?? null);
    await this.sessions.signOut(secret);
    res.setHeader('Set-Cookie', clearedCookies(req.secure));
  }
}
