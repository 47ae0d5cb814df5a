import { Injectable } from '@nestjs/common';
import { Clock, DomainError, OrganizationKind, zoneToday } from '#domain';
import { ScheduleStore, ZoneStore, type AllocationRun, type Organization, type ScheduleLine } from '#store';
import type { Principal } from '../common/auth/principal.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import type { ConfirmedPickupView, EnterpriseScheduleView, ScheduleLineView, SlotView, SupplierScheduleView } from './schedule.views.js';

const party = (o: Organization, address = o.address) => ({ id: o.id, name: o.name, address, contactName: o.contactName, contactPhone: o.contactPhone });

/** Lines by enterprise–supplier pair (`enterpriseId|supplierId`). */
function linesByPair(lines: readonly ScheduleLine[]): Map<string, ScheduleLineView[]> {
  const out = new Map<string, ScheduleLineView[]>();
  for (const l of lines) {
    const key = `${l.enterpriseId}|${l.supplierId}`;
    out.set(key, [...(out.get(key) ?? []), { productCode: l.productCode, nameZh: l.nameZh, unit: l.unit, units: l.units, packs: l.packs }]);
  }
  return out;
}

/** What enterprises and suppliers act on: published schedules only, never drafts. */
@Injectable()
export class SchedulesService {
  constructor(
    private readonly store: ScheduleStore,
    private readonly zones: ZoneStore,
    private readonly organizations: OrganizationsService,
    private readonly clock: Clock,
  ) {}

  async enterpriseSchedule(actor: Principal, enterpriseId: string, serviceDate: string): Promise<EnterpriseScheduleView> {
    const enterprise = await this.organizations.get(actor, enterpriseId, OrganizationKind.Enterprise);
    const run = await this.publishedRun(enterprise.zoneId, serviceDate);
    const { appointments, lines, counterparts: suppliers } = await this.store.pickups(run.id, 'enterprise', enterpriseId, enterprise.zoneId);
    const reported = await this.store.reported(enterprise.zoneId, serviceDate, enterpriseId);
    const { timeZone } = await this.zones.get(enterprise.zoneId);
    const pairLines = linesByPair(lines);
    return {
      serviceDate,
      timeZone,
      runId: run.id,
      publishedAt: run.publishedAt!,
      reported,
      pickups: appointments.map((a) => {
        const s = suppliers.get(a.supplierId)!;
        return {
          appointmentId: a.slipId,
          supplier: party(s, s.pickupSiteAddress ?? s.address),
          slotStart: a.slotStart,
          slotEnd: a.slotEnd,
          pickupCode: a.pickupCode,
          qrPayload: `PPE1|${a.pickupCode}|${a.slipId}|${serviceDate}`,
          status: a.status,
          lines: pairLines.get(`${a.enterpriseId}|${a.supplierId}`) ?? [],
        };
      }),
    };
  }

  /** The supplier's pickups slot by slot. Codes are not shown: the enterprise presents its code at the gate. */
  async supplierSchedule(actor: Principal, supplierId: string, serviceDate: string): Promise<SupplierScheduleView> {
    const supplier = await this.organizations.get(actor, supplierId, OrganizationKind.Supplier);
    const run = await this.publishedRun(supplier.zoneId, serviceDate);
    const { appointments, lines, counterparts: enterprises } = await this.store.pickups(run.id, 'supplier', supplierId, supplier.zoneId);
    const pairLines = linesByPair(lines);
    const slots = new Map<string, SlotView>();
    for (const a of appointments) {
      const key = a.slotStart?.toISOString() ?? 'unslotted';
      const slot = slots.get(key) ?? { slotStart: a.slotStart, slotEnd: a.slotEnd, pickups: [] };
      slot.pickups.push({
        appointmentId: a.slipId,
        enterprise: party(enterprises.get(a.enterpriseId)!),
        status: a.status,
        confirmedAt: a.confirmedAt,
        lines: pairLines.get(`${a.enterpriseId}|${a.supplierId}`) ?? [],
      });
      slots.set(key, slot);
    }
    const { timeZone } = await this.zones.get(supplier.zoneId);
    return { serviceDate, timeZone, runId: run.id, slots: [...slots.values()] };
  }

  /**
   * Confirms a pickup by the code shown at the gate, on or after its service date. Confirming
   * again answers the same; a code of another supplier's pickup is not found; a code that a
   * published correction replaced answers 410 with where to look for the new one.
   */
  async confirm(actor: Principal, supplierId: string, pickupCode: string): Promise<ConfirmedPickupView> {
    const supplier = await this.organizations.get(actor, supplierId, OrganizationKind.Supplier);
    const zone = await this.zones.get(supplier.zoneId);
    const now = this.clock.now();
    const { appointment: a, serviceDate } = await this.store.confirm(actor, supplierId, pickupCode, zoneToday(now, zone.timeZone), now);
    return { appointmentId: a.slipId, status: a.status, confirmedAt: a.confirmedAt!, enterpriseId: a.enterpriseId, serviceDate };
  }

  private async publishedRun(zoneId: string, serviceDate: string): Promise<Pick<AllocationRun, 'id' | 'publishedAt'>> {
    const run = await this.store.publishedRun(zoneId, serviceDate);
    if (!run) throw new DomainError('not_found', 'SCHEDULE_NOT_PUBLISHED', `No schedule has been published for ${serviceDate} yet`, [], { serviceDate });
    return run;
  }
}
