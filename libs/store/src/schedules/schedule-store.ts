import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { assertPickupConfirmable, DomainError, PickupStatus, RunStatus, type Actor } from '#domain';
import { recordAudit } from '../audit/audit-log.js';
import { AllocationRun } from '../entities/allocation-run.entity.js';
import { Organization } from '../entities/organization.entity.js';
import { PickupAppointment } from '../entities/pickup-appointment.entity.js';

/** One product of an enterprise–supplier pair in a run, with the catalogue's name and unit. */
export interface ScheduleLine {
  enterpriseId: string;
  supplierId: string;
  productCode: string;
  /** The catalogue's name, or the code when the product is no longer in the catalogue. */
  nameZh: string;
  unit: string;
  units: number;
  packs: number;
}

/** One side's pickups of a run: its appointments by slot, their lines, and the organizations on the other side. */
export interface Pickups {
  appointments: PickupAppointment[];
  lines: ScheduleLine[];
  counterparts: Map<string, Organization>;
}

export interface ConfirmedPickup {
  appointment: PickupAppointment;
  serviceDate: string;
}

const SIDES = {
  enterprise: { column: 'enterprise_id', own: 'enterpriseId', other: 'supplierId' },
  supplier: { column: 'supplier_id', own: 'supplierId', other: 'enterpriseId' },
} as const;

/** Published schedules as enterprises and suppliers act on them, and the confirmation of a pickup at the gate. */
@Injectable()
export class ScheduleStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The zone's published run of the date, or null before the first publish. */
  publishedRun(zoneId: string, serviceDate: string): Promise<Pick<AllocationRun, 'id' | 'publishedAt'> | null> {
    return this.dataSource.getRepository(AllocationRun).findOne({
      where: { zoneId, serviceDate, status: RunStatus.Published },
      select: { id: true, publishedAt: true },
    });
  }

  /** The pickups of one enterprise or one supplier in a run, by slot. */
  async pickups(runId: string, side: keyof typeof SIDES, organizationId: string, zoneId: string): Promise<Pickups> {
    const { column, own, other } = SIDES[side];
    const appointments = await this.dataSource.getRepository(PickupAppointment).find({ where: { runId, [own]: organizationId }, order: { slotStart: 'ASC', id: 'ASC' } });
    const lines: ScheduleLine[] = await this.dataSource.query(
      `SELECT l.enterprise_id AS "enterpriseId", l.supplier_id AS "supplierId", l.product_code AS "productCode",
              coalesce(p.name_zh, l.product_code) AS "nameZh", coalesce(p.unit, '') AS unit, l.units, l.packs
         FROM allocation_lines l
         LEFT JOIN products p ON p.zone_id = $3 AND p.code = l.product_code
        WHERE l.run_id = $1 AND l.${column} = $2
        ORDER BY l.product_code`,
      [runId, organizationId, zoneId],
    );
    const ids = [...new Set(appointments.map((a) => a[other]))];
    const orgs = ids.length ? await this.dataSource.getRepository(Organization).findBy({ id: In(ids) }) : [];
    return { appointments, lines, counterparts: new Map(orgs.map((o) => [o.id, o])) };
  }

  /** Whether the enterprise posted any demand report for the date. */
  async reported(zoneId: string, serviceDate: string, enterpriseId: string): Promise<boolean> {
    const [{ reported }]: { reported: boolean }[] = await this.dataSource.query(
      'SELECT EXISTS (SELECT 1 FROM demand_reports WHERE zone_id = $1 AND service_date = $2 AND enterprise_id = $3) AS reported',
      [zoneId, serviceDate, enterpriseId],
    );
    return reported;
  }

  /**
   * Confirms the supplier's pickup with this code under a row lock, audited; confirming again
   * changes nothing. The code is looked up in the supplier's published and superseded runs, the
   * latest date first; 404 PICKUP_NOT_FOUND when it is none of them, and the rules of
   * assertPickupConfirmable (`today` is the zone's date) otherwise.
   */
  async confirm(actor: Actor, supplierId: string, pickupCode: string, today: string, now: Date): Promise<ConfirmedPickup> {
    return this.dataSource.transaction(async (m) => {
      const [found]: { id: string; service_date: string; run_status: RunStatus }[] = await m.query(
        `SELECT a.id, r.service_date::text, r.status AS run_status FROM pickup_appointments a JOIN allocation_runs r ON r.id = a.run_id
          WHERE a.supplier_id = $1 AND a.pickup_code = $2 AND r.published_at IS NOT NULL AND r.status IN ('published', 'superseded')
          ORDER BY r.service_date DESC, r.status = 'published' DESC LIMIT 1 FOR UPDATE OF a`,
        [supplierId, pickupCode],
      );
      if (!found) throw DomainError.notFound('Pickup', 'PICKUP_NOT_FOUND');
      const a = await m.findOneByOrFail(PickupAppointment, { id: found.id });
      assertPickupConfirmable({ runStatus: found.run_status, serviceDate: found.service_date, status: a.status }, today);
      if (a.status === PickupStatus.Scheduled) {
        a.status = PickupStatus.Confirmed;
        a.confirmedAt = now;
        a.confirmedBy = actor.userId;
        await m.save(a);
        await recordAudit(m, actor, { action: 'pickup.confirm', entityType: 'pickup_appointment', entityId: a.id, zoneId: actor.zoneId, after: { status: a.status, pickupCode, slipId: a.slipId } });
      }
      return { appointment: a, serviceDate: found.service_date };
    });
  }
}
