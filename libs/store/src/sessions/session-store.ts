import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, Role, type Actor } from '#domain';
import { recordAudit } from '../audit/audit-log.js';
import { InviteLink } from '../entities/invite-link.entity.js';
import { User } from '../entities/user.entity.js';
import { WebSession } from '../entities/web-session.entity.js';
import type { PageSlice, PageWindow } from '../database/page-window.js';

/** A user as the console's access rules need them: the zone is the coordinator's or the member organization's. */
export interface UserScope {
  id: string;
  name: string;
  role: Role;
  zoneId: string | null;
  organizationId: string | null;
}

export interface SessionPrincipal extends Actor {
  sessionId: string;
  name: string;
}

export interface SessionRow {
  id: string;
  userId: string;
  name: string;
  role: Role;
  organizationId: string | null;
  userAgent: string | null;
  createdAt: Date;
  expiresAt: Date;
  lastSeenAt: Date;
  revokedAt: Date | null;
}

export interface InviteRow {
  id: string;
  userId: string;
  name: string;
  role: Role;
  organizationId: string | null;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

const USER_SQL = `SELECT u.id, u.name, u.role, coalesce(o.zone_id, u.zone_id) AS zone_id, u.organization_id
  FROM users u LEFT JOIN organizations o ON o.id = u.organization_id`;

const toScope = (r: { id: string; name: string; role: Role; zone_id: string | null; organization_id: string | null }): UserScope => ({
  id: r.id,
  name: r.name,
  role: r.role,
  zoneId: r.zone_id,
  organizationId: r.organization_id,
});

/** How often a session's last-seen time is written (not on every request). */
const LAST_SEEN_EVERY_MS = 5 * 60_000;

/**
 * Invite links and web sessions of the console: the one owner of the invite_links and web_sessions
 * tables. Callers pass SHA-256 hashes of the secrets, never the secrets; every change is audited in
 * its transaction. Access rules (who may invite or revoke whom) are the API's; this class stores.
 */
/** What a session and a sign-in link both are: a grant to one user, with its life span, as the lists show it. */
function grantOf(r: Record<string, never>) {
  return { id: r.id, userId: r.user_id, name: r.name, role: r.role, organizationId: r.organization_id, createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at };
}

@Injectable()
export class SessionStore {
  constructor(private readonly dataSource: DataSource) {}

  async user(userId: string): Promise<UserScope | null> {
    const [row] = await this.dataSource.query(`${USER_SQL} WHERE u.id = $1`, [userId]);
    return row ? toScope(row) : null;
  }

  /** A new member of an organization (role by the organization's kind) and their first invite link. */
  async createMemberWithInvite(
    actor: Actor,
    member: { name: string; role: Role; zoneId: string; organizationId: string },
    invite: { secretHash: string; expiresAt: Date },
  ): Promise<{ user: UserScope; invite: InviteLink }> {
    return this.dataSource.transaction(async (m) => {
      const user = await m.save(m.create(User, { name: member.name, role: member.role, zoneId: member.zoneId, organizationId: member.organizationId }));
      const link = await m.save(m.create(InviteLink, { userId: user.id, secretHash: invite.secretHash, expiresAt: invite.expiresAt, createdBy: actor.userId }));
      await recordAudit(m, actor, {
        action: 'member.invite',
        entityType: 'user',
        entityId: user.id,
        zoneId: member.zoneId,
        after: { name: member.name, role: member.role, organizationId: member.organizationId, inviteId: link.id, expiresAt: link.expiresAt },
      });
      return { user: { id: user.id, name: user.name, role: user.role, zoneId: member.zoneId, organizationId: member.organizationId }, invite: link };
    });
  }

  /** Another invite link for an existing user. */
  async createInvite(actor: Actor | null, user: UserScope, invite: { secretHash: string; expiresAt: Date }): Promise<InviteLink> {
    return this.dataSource.transaction(async (m) => {
      const link = await m.save(m.create(InviteLink, { userId: user.id, secretHash: invite.secretHash, expiresAt: invite.expiresAt, createdBy: actor?.userId ?? null }));
      await recordAudit(m, actor, {
        action: 'invite.create',
        entityType: 'invite_link',
        entityId: link.id,
        zoneId: user.zoneId,
        after: { userId: user.id, expiresAt: link.expiresAt },
      });
      return link;
    });
  }

  /**
   * Uses an invite link once and opens a session for its user, atomically: of two browsers opening
   * the same link at once, one gets the session and the other INVITE_USED.
   */
  async exchange(
    inviteHash: string,
    session: { secretHash: string; expiresAt: Date; userAgent: string | null },
    now: Date,
  ): Promise<{ session: WebSession; user: UserScope }> {
    return this.dataSource.transaction(async (m) => {
      const used: { id: string; user_id: string }[] = await m.query(
        `UPDATE invite_links SET used_at = $2 WHERE secret_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2 RETURNING id, user_id`,
        [inviteHash, now],
      );
      // TypeORM returns [rows, count] for UPDATE … RETURNING on PostgreSQL.
      const rows = (Array.isArray(used[0]) ? used[0] : used) as unknown as { id: string; user_id: string }[];
      if (!rows.length) {
        const link = await m.findOneBy(InviteLink, { secretHash: inviteHash });
        if (!link) throw new DomainError('not_found', 'INVITE_NOT_FOUND', 'This sign-in link is unknown');
        if (link.revokedAt) throw new DomainError('gone', 'INVITE_REVOKED', 'This sign-in link was withdrawn; ask your coordinator for a new one');
        if (link.usedAt) throw new DomainError('gone', 'INVITE_USED', 'This sign-in link was already used; ask your coordinator for a new one');
        throw new DomainError('gone', 'INVITE_EXPIRED', 'This sign-in link has expired; ask your coordinator for a new one');
      }
      const [row] = await m.query(`${USER_SQL} WHERE u.id = $1`, [rows[0].user_id]);
      const user = toScope(row);
      const created = await m.save(
        m.create(WebSession, { userId: user.id, secretHash: session.secretHash, inviteId: rows[0].id, userAgent: session.userAgent, expiresAt: session.expiresAt, lastSeenAt: now }),
      );
      await recordAudit(m, { userId: user.id, role: user.role, zoneId: user.zoneId, organizationId: user.organizationId }, {
        action: 'session.open',
        entityType: 'web_session',
        entityId: created.id,
        zoneId: user.zoneId,
        after: { inviteId: rows[0].id, expiresAt: created.expiresAt },
      });
      return { session: created, user };
    });
  }

  /** The principal of a live session, or null (unknown, revoked or expired). */
  async authenticate(secretHash: string, now: Date): Promise<SessionPrincipal | null> {
    const [row]: { id: string; last_seen_at: Date; user_id: string; name: string; role: Role; zone_id: string | null; organization_id: string | null }[] =
      await this.dataSource.query(
        `SELECT s.id, s.last_seen_at, u.id AS user_id, u.name, u.role, coalesce(o.zone_id, u.zone_id) AS zone_id, u.organization_id
           FROM web_sessions s JOIN users u ON u.id = s.user_id LEFT JOIN organizations o ON o.id = u.organization_id
          WHERE s.secret_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2`,
        [secretHash, now],
      );
    if (!row) return null;
    if (now.getTime() - new Date(row.last_seen_at).getTime() > LAST_SEEN_EVERY_MS) {
      await this.dataSource.query(`UPDATE web_sessions SET last_seen_at = $2 WHERE id = $1`, [row.id, now]);
    }
    return { sessionId: row.id, userId: row.user_id, name: row.name, role: row.role, zoneId: row.zone_id, organizationId: row.organization_id };
  }

  /** Ends the session of this cookie (sign-out); nothing if it is already gone. */
  async signOut(secretHash: string, now: Date): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const [s] = await m.query(
        `SELECT s.id, coalesce(o.zone_id, u.zone_id) AS zone_id, u.id AS user_id, u.role, u.organization_id FROM web_sessions s JOIN users u ON u.id = s.user_id
           LEFT JOIN organizations o ON o.id = u.organization_id WHERE s.secret_hash = $1 AND s.revoked_at IS NULL FOR UPDATE OF s`,
        [secretHash],
      );
      if (!s) return;
      await m.update(WebSession, { id: s.id }, { revokedAt: now });
      await recordAudit(m, { userId: s.user_id, role: s.role, zoneId: s.zone_id, organizationId: s.organization_id }, {
        action: 'session.sign_out',
        entityType: 'web_session',
        entityId: s.id,
        zoneId: s.zone_id,
      });
    });
  }

  /** One page of the organization's members' sessions, newest first, with how many there are in all. */
  async sessionsOf(organizationId: string, includeEnded: boolean, now: Date, window: PageWindow): Promise<PageSlice<SessionRow>> {
    const rows = await this.dataSource.query(
      `SELECT s.id, s.user_id, u.name, u.role, u.organization_id, s.user_agent, s.created_at, s.expires_at, s.last_seen_at, s.revoked_at, count(*) OVER () AS total
         FROM web_sessions s JOIN users u ON u.id = s.user_id
        WHERE u.organization_id = $1 AND ($4 OR (s.revoked_at IS NULL AND s.expires_at > $5))
        ORDER BY s.created_at DESC, s.id LIMIT $2 OFFSET $3`,
      [organizationId, window.take, window.skip, includeEnded, now],
    );
    const total = rows.length ? Number(rows[0].total) : await this.countOf(`SELECT count(*)::int AS n FROM web_sessions s JOIN users u ON u.id = s.user_id WHERE u.organization_id = $1 AND ($2 OR (s.revoked_at IS NULL AND s.expires_at > $3))`, [organizationId, includeEnded, now]);
    const items = rows.map((r: Record<string, never>) => ({ ...grantOf(r), userAgent: r.user_agent, lastSeenAt: r.last_seen_at }));
    return { items, total };
  }

  /** One page of the organization's sign-in links, newest first, with how many there are in all. */
  async invitesOf(organizationId: string, window: PageWindow): Promise<PageSlice<InviteRow>> {
    const rows = await this.dataSource.query(
      `SELECT i.id, i.user_id, u.name, u.role, u.organization_id, i.created_at, i.expires_at, i.used_at, i.revoked_at, count(*) OVER () AS total
         FROM invite_links i JOIN users u ON u.id = i.user_id WHERE u.organization_id = $1 ORDER BY i.created_at DESC, i.id LIMIT $2 OFFSET $3`,
      [organizationId, window.take, window.skip],
    );
    const total = rows.length ? Number(rows[0].total) : await this.countOf('SELECT count(*)::int AS n FROM invite_links i JOIN users u ON u.id = i.user_id WHERE u.organization_id = $1', [organizationId]);
    const items = rows.map((r: Record<string, never>) => ({ ...grantOf(r), usedAt: r.used_at }));
    return { items, total };
  }

  /** A list's total when its page is past the end (count(*) OVER () rides on the page's rows otherwise). */
  private async countOf(sql: string, parameters: unknown[]): Promise<number> {
    const [{ n }] = await this.dataSource.query(sql, parameters);
    return n;
  }

  /** The zone and organization a session or invite belongs to (for the caller's access check), or null. */
  async ownerOf(kind: 'session' | 'invite', id: string): Promise<{ zoneId: string | null; organizationId: string | null; userId: string } | null> {
    const table = kind === 'session' ? 'web_sessions' : 'invite_links';
    const [row] = await this.dataSource.query(
      `SELECT u.id AS user_id, coalesce(o.zone_id, u.zone_id) AS zone_id, u.organization_id FROM ${table} x JOIN users u ON u.id = x.user_id
         LEFT JOIN organizations o ON o.id = u.organization_id WHERE x.id = $1`,
      [id],
    );
    return row ? { zoneId: row.zone_id, organizationId: row.organization_id, userId: row.user_id } : null;
  }

  /** Revokes a session or an unused invite at once (audited); revoking again changes nothing. */
  async revoke(actor: Actor, kind: 'session' | 'invite', id: string, now: Date): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const entity = kind === 'session' ? WebSession : InviteLink;
      const row = await m.findOne(entity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row || row.revokedAt) return;
      await m.update(entity, { id }, { revokedAt: now });
      const owner = await this.ownerOf(kind, id);
      await recordAudit(m, actor, {
        action: `${kind}.revoke`,
        entityType: kind === 'session' ? 'web_session' : 'invite_link',
        entityId: id,
        zoneId: owner?.zoneId ?? null,
        before: { revokedAt: null },
        after: { revokedAt: now, userId: row.userId },
      });
    });
  }
}
