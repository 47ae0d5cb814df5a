import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import QRCode from 'qrcode';
import { addDays, Clock, DomainError, OrganizationKind, Role, zoneToday } from '#domain';
import { ShareLinkStore, ZoneStore, type ShareLinkRow } from '#store';
import type { Principal } from '../common/auth/principal.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { SchedulesService } from '../schedules/schedules.service.js';
import { renderCalendar, type CalendarPickup } from './calendar.js';
import { DEFAULT_SLIP_LINK_HOURS } from './dto/share-slip.dto.js';
import type { SharedLinkView, ShareLinkView } from './share-link.views.js';
import { SlipsService } from './slips.service.js';

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Published pickups a calendar shows: the past week and the coming two. */
const CALENDAR_DAYS_BACK = 7;
const CALENDAR_DAYS_AHEAD = 14;

const view = (l: ShareLinkRow): ShareLinkView => ({
  id: l.id,
  kind: l.kind,
  appointmentId: l.slipId,
  serviceDate: l.serviceDate,
  createdAt: l.createdAt,
  expiresAt: l.expiresAt,
  revokedAt: l.revokedAt,
});

/**
 * Read-only links an enterprise hands out: a pickup slip for its driver, a calendar of its
 * pickups for its phone. The link is a random 256-bit secret (only its hash is stored), so it
 * works in any browser without a credential and can be revoked; a slip link also expires.
 * Opening one acts as the enterprise that shared it, through the same reads as its own calls,
 * so a link shows exactly what that enterprise sees and nothing of anyone else.
 */
@Injectable()
export class ShareLinksService {
  constructor(
    private readonly links: ShareLinkStore,
    private readonly zones: ZoneStore,
    private readonly organizations: OrganizationsService,
    private readonly schedules: SchedulesService,
    private readonly slips: SlipsService,
    private readonly clock: Clock,
  ) {}

  /** A link to one appointment of the enterprise's published schedule: 404 for anything it cannot see itself. */
  async shareSlip(actor: Principal, enterpriseId: string, serviceDate: string, appointmentId: string, validForHours = DEFAULT_SLIP_LINK_HOURS, baseUrl: string): Promise<SharedLinkView> {
    const enterprise = await this.organizations.get(actor, enterpriseId, OrganizationKind.Enterprise);
    const schedule = await this.schedules.enterpriseSchedule(actor, enterpriseId, serviceDate);
    if (!schedule.pickups.some((p) => p.appointmentId === appointmentId)) throw DomainError.notFound('Pickup', 'PICKUP_NOT_FOUND');
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.now().getTime() + validForHours * 3_600_000);
    const link = await this.links.createSlipLink(actor, enterprise.zoneId, { enterpriseId, slipId: appointmentId, serviceDate, secretHash: hash(secret), expiresAt });
    return { ...view(link), url: `${baseUrl}/s/${secret}`, qrUrl: `${baseUrl}/s/${secret}/qr.svg` };
  }

  /** A new calendar subscription URL of the enterprise; the previous one stops working. */
  async shareCalendar(actor: Principal, enterpriseId: string, baseUrl: string): Promise<SharedLinkView> {
    const enterprise = await this.organizations.get(actor, enterpriseId, OrganizationKind.Enterprise);
    const secret = randomBytes(32).toString('base64url');
    const link = await this.links.replaceCalendarLink(actor, enterprise.zoneId, enterpriseId, hash(secret), this.clock.now());
    return { ...view(link), url: `${baseUrl}/calendars/${secret}.ics`, qrUrl: null };
  }

  /** Revokes a link of an organization the caller reaches (the enterprise, its coordinators); 404 otherwise. */
  async revoke(actor: Principal, linkId: string): Promise<ShareLinkView> {
    const link = await this.links.get(linkId);
    if (!link) throw DomainError.notFound('Share link', 'SHARE_LINK_NOT_FOUND');
    const enterprise = await this.organizations.get(actor, link.enterpriseId, OrganizationKind.Enterprise).catch((err: unknown) => {
      throw err instanceof DomainError && err.kind === 'not_found' ? DomainError.notFound('Share link', 'SHARE_LINK_NOT_FOUND') : err;
    });
    return view(await this.links.revoke(actor, enterprise.zoneId, linkId, this.clock.now()));
  }

  /** The slip page a slip link opens (404 when the link is unknown or the pickup is no longer published; 410 revoked or expired). */
  async openSlip(secret: string): Promise<string> {
    const { link, as } = await this.open(secret, 'slip');
    return this.slips.slip(as, link.enterpriseId, link.serviceDate!, link.slipId!);
  }

  /** The QR code (SVG) of a slip link's own URL. */
  async slipQr(secret: string, url: string): Promise<string> {
    await this.open(secret, 'slip');
    return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  }

  /** The enterprise's published pickups from a week ago to two weeks ahead, as iCalendar. */
  async openCalendar(secret: string): Promise<string> {
    const { link, as, zoneId } = await this.open(secret, 'calendar');
    const enterprise = await this.organizations.get(as, link.enterpriseId, OrganizationKind.Enterprise);
    const zone = await this.zones.get(zoneId);
    const now = this.clock.now();
    const today = zoneToday(now, zone.timeZone);
    const dates = await this.links.publishedDates(zoneId, addDays(today, -CALENDAR_DAYS_BACK), addDays(today, CALENDAR_DAYS_AHEAD));
    const pickups: CalendarPickup[] = [];
    for (const date of dates) {
      const schedule = await this.schedules.enterpriseSchedule(as, link.enterpriseId, date);
      for (const p of schedule.pickups) {
        pickups.push({
          slipId: p.appointmentId,
          serviceDate: date,
          slotStart: p.slotStart,
          slotEnd: p.slotEnd,
          supplierName: p.supplier.name,
          address: p.supplier.address,
          pickupCode: p.pickupCode,
          lines: p.lines,
          publishedAt: schedule.publishedAt,
        });
      }
    }
    return renderCalendar(`${enterprise.name} 防护物资领取`, zone.timeZone, pickups, now);
  }

  private async open(secret: string, kind: ShareLinkRow['kind']): Promise<{ link: ShareLinkRow; as: Principal; zoneId: string }> {
    const link = /^[A-Za-z0-9_-]{43}$/.test(secret) ? await this.links.open(hash(secret), this.clock.now()) : null;
    if (!link || link.kind !== kind) throw new DomainError('not_found', 'SHARE_LINK_NOT_FOUND', 'This link is unknown');
    const as: Principal = { userId: link.enterpriseId, role: Role.Enterprise, zoneId: link.zoneId, organizationId: link.enterpriseId };
    return { link, as, zoneId: link.zoneId };
  }
}
