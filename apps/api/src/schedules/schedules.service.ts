import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, DomainError, OrganizationKind, PickupStatus, RunStatus, zoneToday } from '#domain';
import { AllocationRun, Organization, PickupAppointment, Product, Zone } from '#store';
import { AuditService } from '../common/audit.service.js';
import type { Principal } from '../common/auth/principal.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import type { ConfirmedPickupView, EnterpriseScheduleView, ScheduleLineView, SlotView, SupplierScheduleView } from './schedule.views.js';

interface LineRow {
  enterprise_id: string;
  supplier_id: string;
  product_code: string;
  units: number;
  packs: number;
}

const party = (o: Organization, address = o.address) => ({ id: o.id, name: o.name, address, contactName: o.contactName, contactPhone: o.contactPhone });

/** What enterprises and suppliers act on: published schedules only, never drafts. */
@Injectable()
export class SchedulesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organizations: OrganizationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async enterpriseSchedule(actor: Principal, enterpriseId: string, serviceDate: string): Promise<EnterpriseScheduleView> {
    const enterprise = await this.organizations.get(actor, enterpriseId, OrganizationKind.Enterprise);
    const run = await this.publishedRun(enterprise.zoneId, serviceDate);
    const appointments = await this.dataSource.getRepository(PickupAppointment).find({ where: { runId: run.id, enterpriseId }, order: { slotStart: 'ASC' } });
    const lines = await this.lines(run.id, 'enterprise_id', enterpriseId, enterprise.zoneId);
    const suppliers = await this.orgsById(appointments.map((a) => a.supplierId));
    const [{ reported }]: { reported: boolean }[] = await this.dataSource.query(
      'SELECT EXISTS (SELECT 1 FROM demand_reports WHERE zone_id = $1 AND service_date = $2 AND enterprise_id = $3) AS reported',
      [enterprise.zoneId, serviceDate, enterpriseId],
    );
    return {
      serviceDate,
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
          lines: lines.get(`${a.enterpriseId}|${a.supplierId}`) ?? [],
        };
      }),
    };
  }

  /** The supplier's pickups slot by slot. Codes are not shown: the enterprise presents its code at the gate. */
  async supplierSchedule(actor: Principal, supplierId: string, serviceDate: string): Promise<SupplierScheduleView> {
    const supplier = await this.organizations.get(actor, supplierId, OrganizationKind.Supplier);
    const run = await this.publishedRun(supplier.zoneId, serviceDate);
    const appointments = await this.dataSource.getRepository(PickupAppointment).find({ where: { runId: run.id, supplierId }, order: { slotStart: 'ASC', id: 'ASC' } });
    const lines = await this.lines(run.id, 'supplier_id', supplierId, supplier.zoneId);
    const enterprises = await this.orgsById(appointments.map((a) => a.enterpriseId));
    const slots = new Map<string, SlotView>();
    for (const a of appointments) {
      const key = a.slotStart?.toISOString() ?? 'unslotted';
      const slot = slots.get(key) ?? { slotStart: a.slotStart, slotEnd: a.slotEnd, pickups: [] };
      slot.pickups.push({
        appointmentId: a.slipId,
        enterprise: party(enterprises.get(a.enterpriseId)!),
        status: a.status,
        confirmedAt: a.confirmedAt,
        lines: lines.get(`${a.enterpriseId}|${a.supplierId}`) ?? [],
      });
      slots.set(key, slot);
    }
    return { serviceDate, runId: run.id, slots: [...slots.values()] };
  }

  /**
   * Confirms a pickup by the code shown at the gate, on or after its service date. Confirming
   * again answers the same; a code of another supplier's pickup is not found; a code that a
   * published correction replaced answers 410 with where to look for the new one.
   */
  async confirm(actor: Principal, supplierId: string, pickupCode: string): Promise<ConfirmedPickupView> {
    const supplier = await this.organizations.get(actor, supplierId, OrganizationKind.Supplier);
    const zone = await this.dataSource.getRepository(Zone).findOneByOrFail({ id: supplier.zoneId });
    return this.dataSource.transaction(async (m) => {
      const rows: { id: string; service_date: string; status: RunStatus }[] = await m.query(
        `SELECT a.id, r.service_date::text, r.status FROM pickup_appointments a JOIN allocation_runs r ON r.id = a.run_id
          WHERE a.supplier_id = $1 AND a.pickup_code = $2 AND r.published_at IS NOT NULL AND r.status IN ('published', 'superseded')
          ORDER BY r.service_date DESC, r.status = 'published' DESC LIMIT 1 FOR UPDATE OF a`,
        [supplierId, pickupCode],
      );
      if (!rows.length) throw DomainError.notFound('Pickup', 'PICKUP_NOT_FOUND');
      const [found] = rows;
      if (found.status === RunStatus.Superseded) {
        throw new DomainError(
          'gone',
          'PICKUP_CODE_SUPERSEDED',
          `This code was replaced when the schedule of ${found.service_date} was corrected: the enterprise’s new schedule has its new code (此取货码已因排程更正而作废，请查看新排程)`,
        );
      }
      const today = zoneToday(this.clock.now(), zone.timeZone);
      if (today < found.service_date) {
        throw new DomainError('conflict', 'PICKUP_NOT_YET', `This pickup is for ${found.service_date}; it can be confirmed from that day (today is ${today})`);
      }
      const a = await m.findOneByOrFail(PickupAppointment, { id: found.id });
      if (a.status === PickupStatus.NoShow) throw new DomainError('conflict', 'PICKUP_NO_SHOW', 'This pickup was already marked a no-show after the supplier’s last window');
      if (a.status === PickupStatus.Scheduled) {
        a.status = PickupStatus.Confirmed;
        a.confirmedAt = this.clock.now();
        a.confirmedBy = actor.userId;
        await m.save(a);
        await this.audit.record(m, actor, { action: 'pickup.confirm', entityType: 'pickup_appointment', entityId: a.id, zoneId: actor.zoneId, after: { status: a.status, pickupCode, slipId: a.slipId } });
      }
      return { appointmentId: a.slipId, status: a.status, confirmedAt: a.confirmedAt!, enterpriseId: a.enterpriseId, serviceDate: found.service_date };
    });
  }

  private async publishedRun(zoneId: string, serviceDate: string): Promise<AllocationRun> {
    const run = await this.dataSource.getRepository(AllocationRun).findOne({
      where: { zoneId, serviceDate, status: RunStatus.Published },
      select: { id: true, publishedAt: true },
    });
    if (!run) throw new DomainError('not_found', 'SCHEDULE_NOT_PUBLISHED', `No schedule has been published for ${serviceDate} yet`);
    return run;
  }

  private async lines(runId: string, column: 'enterprise_id' | 'supplier_id', orgId: string, zoneId: string): Promise<Map<string, ScheduleLineView[]>> {
    const rows: LineRow[] = await this.dataSource.query(
      `SELECT enterprise_id, supplier_id, product_code, units, packs FROM allocation_lines WHERE run_id = $1 AND ${column} = $2 ORDER BY product_code`,
      [runId, orgId],
    );
    const products = new Map((await this.dataSource.getRepository(Product).findBy({ zoneId })).map((p) => [p.code, p]));
    const out = new Map<string, ScheduleLineView[]>();
    for (const r of rows) {
      const key = `${r.enterprise_id}|${r.supplier_id}`;
      const p = products.get(r.product_code);
      out.set(key, [...(out.get(key) ?? []), { productCode: r.product_code, nameZh: p?.nameZh ?? r.product_code, unit: p?.unit ?? '', units: r.units, packs: r.packs }]);
    }
    return out;
  }

  private async orgsById(ids: string[]): Promise<Map<string, Organization>> {
    if (!ids.length) return new Map();
    const orgs = await this.dataSource.getRepository(Organization).createQueryBuilder('o').where('o.id IN (:...ids)', { ids: [...new Set(ids)] }).getMany();
    return new Map(orgs.map((o) => [o.id, o]));
  }
}
