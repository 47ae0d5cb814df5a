import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { REPORT_KINDS, type Actor, type ReportKindName } from '#domain';
import { CapacityReport, type CapacityLine } from '../entities/capacity-report.entity.js';
import { DemandReport, type DemandLine } from '../entities/demand-report.entity.js';
import type { PickupWindow } from '../entities/organization.entity.js';
import type { PageSlice, PageWindow } from '../database/page-window.js';

/** What a poster states in a report of each kind, and the report as stored. */
export interface ReportTypes {
  demand: { content: { headcount: number; lines: DemandLine[] }; report: DemandReport; latest: LatestDemand };
  capacity: { content: { lines: CapacityLine[] }; report: CapacityReport; latest: LatestCapacity };
}
export type ReportContent<K extends ReportKindName> = ReportTypes[K]['content'];
export type StoredReport<K extends ReportKindName> = ReportTypes[K]['report'];

/** An enterprise's latest demand for a date, with what allocation needs to know of the enterprise. */
export interface LatestDemand {
  id: string;
  latitude: string;
  longitude: string;
  priorityCategory: string | null;
  headcount: number;
  lines: DemandLine[];
}

/** A supplier's latest capacity for a date, with its door: where, when, how many vehicles at a time. */
export interface LatestCapacity {
  id: string;
  latitude: string;
  longitude: string;
  pickupWindows: PickupWindow[] | null;
  vehiclesPerSlot: number | null;
  slotMinutes: number | null;
  lines: CapacityLine[];
}

/** One report to append: whose, for which zone and date, what it states, when. */
export interface ReportEntry<K extends ReportKindName> {
  organizationId: string;
  zoneId: string;
  serviceDate: string;
  content: ReportContent<K>;
  submittedAt: Date;
  /** Posted by staff after the cutoff. */
  late: boolean;
}

/** Reports of one zone and date appended together (an import), one per organization. */
export interface ReportBatch<K extends ReportKindName> {
  zoneId: string;
  serviceDate: string;
  submittedAt: Date;
  late: boolean;
  reports: { organizationId: string; content: ReportContent<K> }[];
}

/** Who has reported for a date among a zone's organizations of the kind. */
export interface ReportingStatus {
  registered: number;
  reported: number;
  /** Those who have not, by name, at most the limit asked for. */
  missing: { id: string; name: string; priorityCategory: string | null }[];
}

const STORAGE = {
  demand: {
    entity: DemandReport,
    table: 'demand_reports',
    orgColumn: 'enterprise_id',
    orgProperty: 'enterpriseId',
    orgKind: 'enterprise',
    latestColumns: 'o.priority_category AS "priorityCategory", r.headcount',
    reportColumns: 'headcount, lines',
  },
  capacity: {
    entity: CapacityReport,
    table: 'capacity_reports',
    orgColumn: 'supplier_id',
    orgProperty: 'supplierId',
    orgKind: 'supplier',
    latestColumns: 'o.pickup_windows AS "pickupWindows", o.vehicles_per_slot AS "vehiclesPerSlot", o.slot_minutes AS "slotMinutes"',
    reportColumns: 'lines',
  },
} as const;

/**
 * The latest version per organization of a zone and date ($1 zone, $2 service date), with the
 * organization's placement: read from the one partition of the date through the (zone, date,
 * organization, version) index (plans in docs/query-plans.md). Organizations are read through their
 * zone's index rather than the whole table, which holds every zone of a province.
 */
export const LATEST_IN_ZONE_SQL: { readonly [K in ReportKindName]: string } = {
  demand: latestInZoneSql('demand'),
  capacity: latestInZoneSql('capacity'),
};

function latestInZoneSql(kind: ReportKindName): string {
  const s = STORAGE[kind];
  return `SELECT o.id, o.latitude, o.longitude, ${s.latestColumns}, r.lines
  FROM (SELECT DISTINCT ON (${s.orgColumn}) ${s.orgColumn}, ${s.reportColumns} FROM ${s.table}
         WHERE zone_id = $1 AND service_date = $2 ORDER BY ${s.orgColumn} DESC, version DESC) r
  JOIN organizations o ON o.id = r.${s.orgColumn} AND o.zone_id = $1 AND o.kind = '${s.orgKind}'`;
}

/** In PostgreSQL's uuid order: lowercase hex strings of one layout compare as the bytes do. */
const byId = <T extends { id: string }>(rows: T[]): T[] => rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

const auditActor = (actor: Actor) => ({ actorId: actor.userId, actorRole: actor.role });

/**
 * The owner of demand and capacity reports: every version ever posted, numbered per
 * (organization, service date), the latest counting. Appends go through the database functions of
 * migrations/*-ReportLedger.ts, one round trip each, under one locking scheme for single posts and
 * imports (described there); reads answer the questions the API and the nightly run ask.
 */
@Injectable()
export class ReportLedger {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends the next version of an organization's report for a date, with its audit entry. */
  async append<K extends ReportKindName>(kind: K, actor: Actor, entry: ReportEntry<K>): Promise<StoredReport<K>> {
    const report = {
      zoneId: entry.zoneId,
      [STORAGE[kind].orgProperty]: entry.organizationId,
      serviceDate: entry.serviceDate,
      ...entry.content,
      submittedBy: actor.userId,
      submittedAt: entry.submittedAt,
      late: entry.late,
    };
    const audit = { ...auditActor(actor), action: `${REPORT_KINDS[kind].entityType}.post`, entityType: REPORT_KINDS[kind].entityType };
    const [{ appended }]: { appended: { id: string; version: number } }[] = await this.dataSource.query(`SELECT append_${kind}_report($1::jsonb, $2::jsonb) AS appended`, [
      JSON.stringify(report),
      JSON.stringify(audit),
    ]);
    return { id: appended.id, ...report, version: appended.version } as unknown as StoredReport<K>;
  }

  /**
   * Appends one new version for each organization of the batch, all or none, with one audit entry
   * for the batch (`after` with the count of organizations that already had a report added).
   * Returns that count.
   *
   * With `complete`, the batch's reports are decided from each organization's latest version for
   * the date (an import that merges into them, or refuses to drop their lines silently): the batch's
   * (zone, date) lock is taken first, so no post lands between that read and the append; `complete`
   * throws to refuse, and nothing is written.
   */
  async appendMany<K extends ReportKindName>(
    kind: K,
    actor: Actor,
    batch: ReportBatch<K>,
    audit: { entityId: string; after: object },
    complete?: (latest: ReadonlyMap<string, ReportContent<K>>) => ReportBatch<K>['reports'],
  ): Promise<{ reposted: number }> {
    if (!complete) return this.appendBatch(kind, actor, batch, audit, this.dataSource.manager);
    const s = STORAGE[kind];
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(report_lock_key($1, $2, $3))', [s.table, batch.zoneId, batch.serviceDate]);
      const latest: ({ organizationId: string } & ReportContent<K>)[] = await m.query(
        `SELECT DISTINCT ON (${s.orgColumn}) ${s.orgColumn} AS "organizationId", ${s.reportColumns} FROM ${s.table}
          WHERE zone_id = $1 AND service_date = $2 AND ${s.orgColumn} = ANY($3::uuid[])
          ORDER BY ${s.orgColumn}, version DESC`,
        [batch.zoneId, batch.serviceDate, batch.reports.map((r) => r.organizationId)],
      );
      const reports = complete(new Map(latest.map(({ organizationId, ...content }) => [organizationId, content as unknown as ReportContent<K>])));
      return this.appendBatch(kind, actor, { ...batch, reports }, audit, m);
    });
  }

  /** One call of append_<kind>_reports (which takes the batch's lock again: advisory locks nest within a transaction). */
  private async appendBatch<K extends ReportKindName>(kind: K, actor: Actor, batch: ReportBatch<K>, audit: { entityId: string; after: object }, m: EntityManager): Promise<{ reposted: number }> {
    const rows = {
      zoneId: batch.zoneId,
      serviceDate: batch.serviceDate,
      submittedBy: actor.userId,
      submittedAt: batch.submittedAt,
      late: batch.late,
      reports: batch.reports.map((r) => ({ [STORAGE[kind].orgProperty]: r.organizationId, ...r.content })),
    };
    const entry = { ...auditActor(actor), action: `${REPORT_KINDS[kind].entityType}.import`, entityType: `${kind}_import`, ...audit };
    const [{ reposted }]: { reposted: number }[] = await m.query(`SELECT append_${kind}_reports($1::jsonb, $2::jsonb) AS reposted`, [JSON.stringify(rows), JSON.stringify(entry)]);
    return { reposted };
  }

  /** Every version an organization posted for one date, oldest first. */
  async versions<K extends ReportKindName>(kind: K, organizationId: string, serviceDate: string, window: PageWindow): Promise<PageSlice<StoredReport<K>>> {
    const s = STORAGE[kind];
    const [items, total] = await this.dataSource
      .getRepository<StoredReport<K>>(s.entity)
      .createQueryBuilder('r')
      .where(`r.${s.orgProperty} = :organizationId AND r.serviceDate = :serviceDate`, { organizationId, serviceDate })
      .orderBy('r.version', 'ASC')
      .offset(window.skip)
      .limit(window.take)
      .getManyAndCount();
    return { items, total };
  }

  /** One page of an organization's latest version for each date in [from, to], newest date first, and how many dates have one. */
  async history<K extends ReportKindName>(kind: K, organizationId: string, range: { from: string; to: string }, window: PageWindow): Promise<PageSlice<StoredReport<K>>> {
    const s = STORAGE[kind];
    const inRange = this.dataSource
      .getRepository<StoredReport<K>>(s.entity)
      .createQueryBuilder('r')
      .where(`r.${s.orgProperty} = :organizationId AND r.serviceDate BETWEEN :from AND :to`, { organizationId, ...range });
    const [items, counted] = await Promise.all([
      inRange.clone().distinctOn(['r.serviceDate']).orderBy('r.serviceDate', 'DESC').addOrderBy('r.version', 'DESC').offset(window.skip).limit(window.take).getMany(),
      // One item per date that has a version, whatever the page.
      inRange.clone().select('count(DISTINCT r.serviceDate)::int', 'n').getRawOne<{ n: number }>(),
    ]);
    return { items, total: counted?.n ?? 0 };
  }

  /**
   * The latest version of every organization of the zone that reported for the date, in
   * organization id order (sorted here, which saves PostgreSQL a second sort of the wide rows).
   * `manager` reads inside a caller's transaction, e.g. the nightly snapshot's single point in time.
   */
  async latestInZone<K extends ReportKindName>(kind: K, zoneId: string, serviceDate: string, manager: EntityManager = this.dataSource.manager): Promise<ReportTypes[K]['latest'][]> {
    return byId(await manager.query(LATEST_IN_ZONE_SQL[kind], [zoneId, serviceDate]));
  }

  /** How many of the zone's organizations of the kind have reported for the date, and who has not (up to `listLimit`, by name). */
  async reportingStatus(kind: ReportKindName, zoneId: string, serviceDate: string, listLimit: number): Promise<ReportingStatus> {
    const s = STORAGE[kind];
    const reportedBy = `EXISTS (SELECT 1 FROM ${s.table} r WHERE r.${s.orgColumn} = o.id AND r.service_date = $3)`;
    const [[counts], missing] = await Promise.all([
      this.dataSource.query(
        `SELECT count(*)::int AS registered, (count(*) FILTER (WHERE ${reportedBy}))::int AS reported
           FROM organizations o WHERE o.zone_id = $1 AND o.kind = $2`,
        [zoneId, s.orgKind, serviceDate],
      ),
      this.dataSource.query(
        `SELECT o.id, o.name, o.priority_category AS "priorityCategory"
           FROM organizations o
          WHERE o.zone_id = $1 AND o.kind = $2 AND NOT ${reportedBy}
          ORDER BY o.name, o.id LIMIT $4`,
        [zoneId, s.orgKind, serviceDate, listLimit],
      ),
    ]);
    return { registered: counts.registered, reported: counts.reported, missing };
  }
}
