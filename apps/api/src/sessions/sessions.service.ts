import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Clock, DomainError, OrganizationKind, Role } from '#domain';
import { SessionStore, type InviteRow, type UserScope } from '#store';
import type { Principal } from '../common/auth/principal.js';
import { readPage, type Page, type PageQuery } from '../common/pagination.js';
import { hashToken } from '../common/auth/tokens.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { INVITE_TTL_MS, SESSION_TTL_MS } from './cookies.js';
import type { InviteView, IssuedInviteView, OpenedSessionView, SessionView } from './session.views.js';

const newSecret = () => randomBytes(32).toString('base64url');
const inviteView = (r: InviteRow): InviteView => ({
  id: r.id,
  userId: r.userId,
  name: r.name,
  role: r.role,
  organizationId: r.organizationId,
  createdAt: r.createdAt,
  expiresAt: r.expiresAt,
  usedAt: r.usedAt,
  revokedAt: r.revokedAt,
});

/**
 * Sign-in without pasting tokens: a coordinator invites an organization's member (or re-invites any
 * user of their zone, themselves included) and hands over a single-use, expiring link; opening it
 * exchanges it for a web session. Coordinators see and revoke only their zone's organizations'
 * sessions and invites; anything else answers 404, like every object outside the caller's reach.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly store: SessionStore,
    private readonly organizations: OrganizationsService,
    private readonly clock: Clock,
  ) {}

  async inviteMember(actor: Principal, organizationId: string, name: string): Promise<IssuedInviteView> {
    const org = await this.organizations.get(actor, organizationId);
    this.assertStaff(actor);
    const secret = newSecret();
    const role = org.kind === OrganizationKind.Enterprise ? Role.Enterprise : Role.Supplier;
    const { user, invite } = await this.store.createMemberWithInvite(
      actor,
      { name, role, zoneId: org.zoneId, organizationId: org.id },
      { secretHash: hashToken(secret), expiresAt: new Date(this.clock.now().getTime() + INVITE_TTL_MS) },
    );
    return this.issued(user, invite, secret);
  }

  async inviteUser(actor: Principal | null, userId: string): Promise<IssuedInviteView> {
    const user = await this.store.user(userId);
    if (!user || (actor && !this.canReach(actor, user))) throw DomainError.notFound('User', 'USER_NOT_FOUND');
    const secret = newSecret();
    const invite = await this.store.createInvite(actor, user, { secretHash: hashToken(secret), expiresAt: new Date(this.clock.now().getTime() + INVITE_TTL_MS) });
    return this.issued(user, invite, secret);
  }

  async open(invite: string, userAgent: string | null): Promise<{ view: OpenedSessionView; secret: string }> {
    const secret = newSecret();
    const now = this.clock.now();
    const { session, user } = await this.store.exchange(hashToken(invite), { secretHash: hashToken(secret), expiresAt: new Date(now.getTime() + SESSION_TTL_MS), userAgent: userAgent?.slice(0, 200) ?? null }, now);
    return { view: { userId: user.id, role: user.role, zoneId: user.zoneId, organizationId: user.organizationId, expiresAt: session.expiresAt }, secret };
  }

  async signOut(secret: string | null): Promise<void> {
    if (secret) await this.store.signOut(hashToken(secret), this.clock.now());
  }

  async sessionsOf(actor: Principal, organizationId: string, includeEnded: boolean, q: PageQuery): Promise<Page<SessionView>> {
    await this.organizations.get(actor, organizationId);
    this.assertStaff(actor);
    return readPage(q, (window) => this.store.sessionsOf(organizationId, includeEnded, this.clock.now(), window));
  }

  async invitesOf(actor: Principal, organizationId: string, q: PageQuery): Promise<Page<InviteView>> {
    await this.organizations.get(actor, organizationId);
    this.assertStaff(actor);
    const page = await readPage(q, (window) => this.store.invitesOf(organizationId, window));
    return { ...page, items: page.items.map(inviteView) };
  }

  async revoke(actor: Principal, kind: 'session' | 'invite', id: string): Promise<void> {
    const owner = await this.store.ownerOf(kind, id);
    const visible = owner && (actor.role === Role.Admin || (owner.organizationId !== null && owner.zoneId === actor.zoneId));
    if (!visible) throw DomainError.notFound(kind === 'session' ? 'Session' : 'Invite', kind === 'session' ? 'SESSION_NOT_FOUND' : 'INVITE_NOT_FOUND');
    await this.store.revoke(actor, kind, id, this.clock.now());
  }

  /** Admins reach everyone; coordinators their zone's members and themselves. */
  private canReach(actor: Principal, user: UserScope): boolean {
    if (actor.role === Role.Admin) return true;
    if (actor.role !== Role.Coordinator) return false;
    return user.id === actor.userId || (user.organizationId !== null && user.zoneId === actor.zoneId);
  }

  private assertStaff(actor: Principal): void {
    if (actor.role !== Role.Admin && actor.role !== Role.Coordinator) {
      throw new DomainError('forbidden', 'ROLE_NOT_ALLOWED', `This action is not available to the ${actor.role} role`);
    }
  }

  private issued(user: UserScope, invite: { id: string; createdAt: Date; expiresAt: Date }, secret: string): IssuedInviteView {
    return {
      id: invite.id,
      userId: user.id,
      name: user.name,
      role: user.role,
      organizationId: user.organizationId,
      createdAt: invite.createdAt,
      expiresAt: invite.expiresAt,
      usedAt: null,
      revokedAt: null,
      invitePath: `/app/invite#${secret}`,
    };
  }
}
