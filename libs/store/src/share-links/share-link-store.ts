import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { DomainError, RunStatus, type Actor } from '#domain';
import { recordAudit } from '../audit/audit-log.js';
import { AllocationRun } from '../entities/allocation-run.entity.js';
import { Organization } from '../entities/organization.entity.js';
import { ShareLink } from '../entities/share-link.entity.js';

/** A share link as its owner sees it; the secret is never stored, so never read back. */
export type ShareLinkRow = Pick<ShareLink, 'id' | 'enterpriseId' | 'kind' | 'slipId' | 'serviceDate' | 'createdAt' | 'expiresAt' | 'revokedAt'>;

const toRow = ({ id, enterpriseId, kind, slipId, serviceDate, createdAt, expiresAt, revokedAt }: ShareLink): ShareLinkRow => ({
  id,
  enterpriseId,
  kind,
  slipId,
  serviceDate,
  createdAt,
  expiresAt,
  revokedAt,
});

/**
 * The one owner of share_links: read-only links an enterprise hands out (one slip, or its pickup
 * calendar). Callers pass SHA-256 hashes of the secrets; every creation and revocation is audited
 * in its transaction. Who may share what is the API's rule; this class stores and resolves.
 */
@Injectable()
export class ShareLinkStore {
  constructor(private readonly dataSource: DataSource) {}

  async createSlipLink(actor: Actor, zoneId: string, link: { enterpriseId: string; slipId: string; serviceDate: string; secretHash: string; expiresAt: Date }): Promise<ShareLinkRow> {
    return this.dataSource.transaction(async (m) => {
      const created = await m.save(m.create(ShareLink, { ...link, kind: 'slip', createdBy: actor.userId }));
      await recordAudit(m, actor, {
        action: 'share_link.create',
        entityType: 'share_link',
        entityId: created.id,
        zoneId,
        after: { kind: 'slip', enterpriseId: link.enterpriseId, slipId: link.slipId, serviceDate: link.serviceDate, expiresAt: link.expiresAt },
      });
      return toRow(created);
    });
  }

  /** A new calendar subscription of the enterprise; the previous one stops working (one URL at a time). */
  async replaceCalendarLink(actor: Actor, zoneId: string, enterpriseId: string, secretHash: string, now: Date): Promise<ShareLinkRow> {
    return this.dataSource.transaction(async (m) => {
      await m.update(ShareLink, { enterpriseId, kind: 'calendar', revokedAt: IsNull() }, { revokedAt: now });
      const created = await m.save(m.create(ShareLink, { enterpriseId, kind: 'calendar', secretHash, createdBy: actor.userId, expiresAt: null }));
      await recordAudit(m, actor, { action: 'share_link.create', entityType: 'share_link', entityId: created.id, zoneId, after: { kind: 'calendar', enterpriseId } });
      return toRow(created);
    });
  }

  get(linkId: string): Promise<ShareLinkRow | null> {
    return this.dataSource.getRepository(ShareLink).findOneBy({ id: linkId }).then((l) => (l ? toRow(l) : null));
  }

  /** Revokes a link (again: unchanged), audited. */
  async revoke(actor: Actor, zoneId: string, linkId: string, now: Date): Promise<ShareLinkRow> {
    return this.dataSource.transaction(async (m) => {
      const link = await m.findOne(ShareLink, { where: { id: linkId }, lock: { mode: 'pessimistic_write' } });
      if (!link) throw DomainError.notFound('Share link', 'SHARE_LINK_NOT_FOUND');
      if (link.revokedAt) return toRow(link);
      link.revokedAt = now;
      await m.save(link);
      await recordAudit(m, actor, { action: 'share_link.revoke', entityType: 'share_link', entityId: link.id, zoneId, after: { kind: link.kind, revokedAt: now } });
      return toRow(link);
    });
  }

  /** The link a secret opens, with its enterprise's zone: 404 when unknown, 410 when revoked or expired. */
  async open(secretHash: string, now: Date): Promise<ShareLinkRow & { zoneId: string }> {
    const link = await this.dataSource.getRepository(ShareLink).findOneBy({ secretHash });
    if (!link) throw new DomainError('not_found', 'SHARE_LINK_NOT_FOUND', 'This link is unknown');
    if (link.revokedAt) throw new DomainError('gone', 'SHARE_LINK_REVOKED', 'This link was withdrawn by the enterprise that shared it');
    if (link.expiresAt && link.expiresAt <= now) throw new DomainError('gone', 'SHARE_LINK_EXPIRED', `This link expired at ${link.expiresAt.toISOString()}`, [], { expiresAt: link.expiresAt.toISOString() });
    const { zoneId } = await this.dataSource.getRepository(Organization).findOneOrFail({ where: { id: link.enterpriseId }, select: { zoneId: true } });
    return { ...toRow(link), zoneId };
  }

  /** The dates of the zone with a published schedule, from `from` to `to`, in order. */
  async publishedDates(zoneId: string, from: string, to: string): Promise<string[]> {
    const runs = await this.dataSource
      .getRepository(AllocationRun)
      .createQueryBuilder('r')
      .select('r.serviceDate', 'serviceDate')
      .where('r.zoneId = :zoneId AND r.status = :status AND r.serviceDate BETWEEN :from AND :to', { zoneId, status: RunStatus.Published, from, to })
      .orderBy('r.serviceDate')
      .getRawMany<{ serviceDate: string }>();
    return runs.map((r) => r.serviceDate);
  }
}
