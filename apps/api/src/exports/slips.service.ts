import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import QRCode from 'qrcode';
import { DomainError, OrganizationKind } from '#domain';
import { ZoneStore } from '#store';
import type { Principal } from '../common/auth/principal.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { SchedulesService } from '../schedules/schedules.service.js';
import { renderSlip } from './slip.js';

/** The printable pickup slip of one appointment of a published schedule. */
@Injectable()
export class SlipsService {
  constructor(
    private readonly zones: ZoneStore,
    private readonly organizations: OrganizationsService,
    private readonly schedules: SchedulesService,
  ) {}

  /**
   * The slip as HTML with the appointment's QR code. The enterprise's own schedule is the source,
   * so a slip exists exactly where the published schedule shows the pickup: 404 for another
   * enterprise's or zone's appointment, for a draft, and for a superseded run's.
   */
  async slip(actor: Principal, enterpriseId: string, serviceDate: string, appointmentId: string): Promise<string> {
    const enterprise = await this.organizations.get(actor, enterpriseId, OrganizationKind.Enterprise);
    const schedule = await this.schedules.enterpriseSchedule(actor, enterpriseId, serviceDate);
    const pickup = schedule.pickups.find((p) => p.appointmentId === appointmentId);
    if (!pickup) throw DomainError.notFound('Pickup', 'PICKUP_NOT_FOUND');
    const zone = await this.zones.get(enterprise.zoneId);
    const local = (d: Date) => DateTime.fromJSDate(d, { zone: zone.timeZone });
    const slot = pickup.slotStart && pickup.slotEnd ? `${local(pickup.slotStart).toFormat('yyyy-MM-dd HH:mm')}–${local(pickup.slotEnd).toFormat('HH:mm')}` : null;
    const qrSvg = await QRCode.toString(pickup.qrPayload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return renderSlip({
      serviceDate,
      enterprise: { name: enterprise.name, creditCode: enterprise.creditCode },
      supplier: pickup.supplier,
      slot,
      timeZone: zone.timeZone,
      pickupCode: pickup.pickupCode,
      status: pickup.status,
      lines: pickup.lines,
      qrSvg,
      qrPayload: pickup.qrPayload,
    });
  }
}
