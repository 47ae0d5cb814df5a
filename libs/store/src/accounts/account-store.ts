import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, type Actor, type Role } from '#domain';
import { recordAudit } from '../audit/audit-log.js';
import { ApiCredential } from '../entities/api-credential.entity.js';
import { User } from '../entities/user.entity.js';
import { Zone } from '../entities/zone.entity.js';

/** A credential with its holder, never its token or hash; the zone is the coordinator's or the member organization's. */
export interface Credential {
  id: string;
  userId: string;
  name: string;
  role: Role;
  zoneId: string | null;
  organizationId: string | null;
  tokenPrefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface CredentialFilter {
  /** Only member credentials of this zone's organizations (what a coordinator may see). */
  memberZoneId?: string | null;
  zoneId?: string;
  organizationId?: string;
  includeRevoked: boolean;
}

/** The holder of a new credential, and the credential as stored: the token's hash and its first characters. */
export type NewHolder = Pick<User, 'name' | 'role' | 'zoneId' | 'organizationId'>;
export interface NewCredential {
  tokenHash: string;
  tokenPrefix: string;
}

export interface IssuedCredential {
  userId: string;
  role: Role;
  zoneId: string | null;
  organizationId: string | null;
  tokenPrefix: string;
}

interface CredentialRow {
  id: string;
  user_id: string;
  name: string;
  role: Role;
  zone_id: string | null;
  organization_id: string | null;
  token_prefix: string;
  created_at: Date;
  revoked_at: Date | null;
  token_hash: string;
}

const FROM_CREDENTIALS = `FROM api_credentials c
    JOIN users u ON u.id = c.user_id
    LEFT JOIN organizations o ON o.id = u.organization_id`;

const CREDENTIALS_SQL = `
  SELECT c.id, c.user_id, u.name, u.role, coalesce(o.zone_id, u.zone_id) AS zone_id, u.organization_id,
         c.token_prefix, c.created_at, c.revoked_at, c.token_hash
    ${FROM_CREDENTIALS}`;

const toCredential = (r: CredentialRow): Credential => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  role: r.role,
  zoneId: r.zone_id,
  organizationId: r.organization_id,
  tokenPrefix: r.token_prefix,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

/**
 * Users and their API credentials: issuing, listing, revoking, and the token lookup behind every
 * request. Callers pass SHA-256 hashes of tokens, never tokens; issuing and revoking are audited in
 * their transaction.
 */
@Injectable()
export class AccountStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Who holds this live (unrevoked) credential, or null. */
  async actorByTokenHash(tokenHash: string): Promise<Actor | null> {
    const [row]: { user_id: string; role: Role; zone_id: string | null; organization_id: string | null; org_zone_id: string | null }[] = await this.dataSource.query(
      `SELECT u.id AS user_id, u.role, u.zone_id, u.organization_id, o.zone_id AS org_zone_id
         ${FROM_CREDENTIALS}
        WHERE c.token_hash = $1 AND c.revoked_at IS NULL`,
      [tokenHash],
    );
    return row ? { userId: row.user_id, role: row.role, zoneId: row.org_zone_id ?? row.zone_id, organizationId: row.organization_id } : null;
  }

  /** A new user with their first credential; a staff member's zone must exist (422 ZONE_NOT_FOUND). */
  async issue(actor: Actor | null, holder: NewHolder, credential: NewCredential): Promise<IssuedCredential> {
    return this.dataSource.transaction(async (m) => {
      if (holder.zoneId && !holder.organizationId && !(await m.existsBy(Zone, { id: holder.zoneId }))) {
        throw DomainError.rule('ZONE_NOT_FOUND', 'zoneId', 'No zone with this id');
      }
      return this.insert(m, actor, holder, credential);
    });
  }

  /** Issues the credential unless one with this hash exists (the bootstrap admin, at every start); true if it was issued. */
  async issueOnce(holder: NewHolder, credential: NewCredential): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      if (await m.existsBy(ApiCredential, { tokenHash: credential.tokenHash })) return false;
      await this.insert(m, null, holder, credential);
      return true;
    });
  }

  /** A page of credentials, newest first. */
  async page(filter: CredentialFilter, window: { skip: number; take: number }): Promise<{ items: Credential[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (filter.memberZoneId !== undefined) {
      where.push('u.organization_id IS NOT NULL');
      add('o.zone_id = ?', filter.memberZoneId);
    }
    if (filter.zoneId) add('coalesce(o.zone_id, u.zone_id) = ?', filter.zoneId);
    if (filter.organizationId) add('u.organization_id = ?', filter.organizationId);
    if (!filter.includeRevoked) where.push('c.revoked_at IS NULL');
    const sqlWhere = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows: CredentialRow[] = await this.dataSource.query(
      `${CREDENTIALS_SQL} ${sqlWhere} ORDER BY c.created_at DESC, c.id LIMIT ${window.take} OFFSET ${window.skip}`,
      params,
    );
    const [{ total }]: { total: number }[] = await this.dataSource.query(`SELECT count(*)::int AS total ${FROM_CREDENTIALS} ${sqlWhere}`, params);
    return { items: rows.map(toCredential), total };
  }

  /**
   * Revokes a credential under a row lock, audited; revoking again changes nothing. `visible` says
   * whether the actor may reach it: 404 CREDENTIAL_NOT_FOUND otherwise, as for a missing one.
   * Returns the token hash too, so the caller can drop it from its cache.
   */
  async revoke(actor: Actor, credentialId: string, visible: (c: Credential) => boolean, now: Date): Promise<{ credential: Credential; tokenHash: string }> {
    return this.dataSource.transaction(async (m) => {
      const [row]: CredentialRow[] = await m.query(`${CREDENTIALS_SQL} WHERE c.id = $1 FOR UPDATE OF c`, [credentialId]);
      if (!row || !visible(toCredential(row))) throw DomainError.notFound('Credential', 'CREDENTIAL_NOT_FOUND');
      if (!row.revoked_at) {
        row.revoked_at = now;
        await m.update(ApiCredential, { id: row.id }, { revokedAt: now });
        await recordAudit(m, actor, {
          action: 'credential.revoke',
          entityType: 'api_credential',
          entityId: row.id,
          zoneId: row.zone_id,
          before: { revokedAt: null },
          after: { revokedAt: now, userId: row.user_id, tokenPrefix: row.token_prefix },
        });
      }
      return { credential: toCredential(row), tokenHash: row.token_hash };
    });
  }

  private async insert(m: EntityManager, actor: Actor | null, holder: NewHolder, credential: NewCredential): Promise<IssuedCredential> {
    const user = await m.save(m.create(User, holder));
    const saved = await m.save(m.create(ApiCredential, { userId: user.id, tokenHash: credential.tokenHash, tokenPrefix: credential.tokenPrefix }));
    await recordAudit(m, actor, {
      action: 'credential.issue',
      entityType: 'user',
      entityId: user.id,
      zoneId: user.zoneId,
      // Never the token's hash: the audit log is readable by admins.
      after: { ...holder, credentialId: saved.id, tokenPrefix: saved.tokenPrefix },
    });
    return { userId: user.id, role: user.role, zoneId: user.zoneId, organizationId: user.organizationId, tokenPrefix: saved.tokenPrefix };
  }
}
