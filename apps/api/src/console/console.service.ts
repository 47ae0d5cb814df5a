import { Injectable } from '@nestjs/common';
import { addDays, Clock, DomainError, OrganizationKind, reportCutoff, zoneToday } from '#domain';
import { ConsoleReads, JobCatalogue } from '#store';
import { AccessPolicy } from '../common/auth/access-policy.js';
import type { Principal } from '../common/auth/principal.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { ZonesService } from '../zones/zones.service.js';
import type { ConsoleContextView, RunMapView, RunProgressView, ScheduleExplanationView } from './console.views.js';

/** What the web console needs beyond the REST resources: who and when am I, a run's map, a schedule's "why". */
@Injectable()
export class ConsoleService {
  constructor(
    private readonly reads: ConsoleReads,
    private readonly jobs: JobCatalogue,
    private readonly zones: ZonesService,
    private readonly organizations: OrganizationsService,
    private readonly access: AccessPolicy,
    private readonly clock: Clock,
  ) {}

  async context(p: Principal): Promise<ConsoleContextView> {
    const now = this.clock.now();
    const zone = p.zoneId ? await this.zones.get(p, p.zoneId) : null;
    const { userName, organization } = await this.reads.names(p.userId, p.organizationId);
    const timeZone = zone?.timeZone ?? 'Asia/Shanghai';
    const today = zoneToday(now, timeZone);
    let next = addDays(today, 1);
    if (zone && reportCutoff(next, zone.cutoffTime, timeZone) <= now) next = addDays(next, 1);
    return {
      userId: p.userId,
      name: userName,
      role: p.role,
      zone,
      organization,
      now,
      today,
      nextServiceDate: next,
      cutoffAt: reportCutoff(next, zone?.cutoffTime ?? '20:00', timeZone),
    };
  }

  async runMap(p: Principal, runId: string): Promise<RunMapView> {
    const run = await this.runHeader(p, runId);
    const [organizations, lines] = await Promise.all([this.reads.zoneOrganizations(run.zoneId), this.reads.runLines(runId)]);
    return { runId, organizations, lines };
  }

  async runProgress(p: Principal, runId: string): Promise<RunProgressView> {
    const run = await this.runHeader(p, runId);
    const job = await this.jobs.runProgress(runId);
    const done = !['queued', 'running'].includes(run.status);
    return { runId, status: run.status, jobState: job.state, stage: job.stage, percent: done ? 100 : job.percent, attemptsMade: job.attemptsMade };
  }

  async explanation(p: Principal, enterpriseId: string, serviceDate: string): Promise<ScheduleExplanationView> {
    const org = await this.organizations.get(p, enterpriseId, OrganizationKind.Enterprise);
    const found = await this.reads.publishedExplanation(org.zoneId, serviceDate, org.id);
    if (!found) throw new DomainError('not_found', 'SCHEDULE_NOT_PUBLISHED', `No schedule is published for ${serviceDate} yet`);
    return found;
  }

  private async runHeader(p: Principal, runId: string): Promise<{ zoneId: string; status: string }> {
    const run = await this.reads.runHeader(runId);
    if (!run) throw DomainError.notFound('Run', 'RUN_NOT_FOUND');
    try {
      this.access.assertCanManageZone(p, run.zoneId);
    } catch (err) {
      if (err instanceof DomainError && err.kind === 'not_found') throw DomainError.notFound('Run', 'RUN_NOT_FOUND');
      throw err;
    }
    return run;
  }
}
