import { Body, Controller, Get, Param, Post, Query, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrganizationKind, REPORT_KINDS, Role, type ReportKindName } from '#domain';
import type { StoredReport } from '#store';
import { Roles, STAFF } from '../common/auth/decorators.js';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { PageQuery, type Page } from '../common/pagination.js';
import { ServiceDateParam, UuidParam } from '../common/param.pipes.js';
import { PostCapacityDto } from './dto/post-capacity.dto.js';
import { PostDemandDto } from './dto/post-demand.dto.js';
import { ReportRangeQuery } from './dto/report-range.query.js';
import { CapacityReportPageView, CapacityReportView, DemandReportPageView, DemandReportView } from './report.views.js';
import { ReportsService, type PostReportDtos } from './reports.service.js';

/**
 * The routes of one kind of report under its organization (`/enterprises/{enterpriseId}/demand-reports`,
 * `/suppliers/{supplierId}/capacity-reports`): post a version, the latest per date, the versions of a date.
 */
function reportRoutes<K extends ReportKindName>(kind: K, body: Type<PostReportDtos[K]>, view: Type<unknown>, pageView: Type<unknown>) {
  const { organizationKind, afterCutoffCode } = REPORT_KINDS[kind];
  const member = organizationKind === OrganizationKind.Enterprise ? Role.Enterprise : Role.Supplier;
  const idParam = `${organizationKind}Id`;
  // One class serves both kinds, so its operation ids name the kind (postDemandReport, listCapacityReports…).
  const Kind = kind.charAt(0).toUpperCase() + kind.slice(1);

  @ApiTags(kind)
  @ApiBearerAuth()
  @Roles(member, ...STAFF)
  @Controller(`${organizationKind}s/:${idParam}/${kind}-reports`)
  class ReportRoutes {
    constructor(readonly reports: ReportsService) {}

    @Post()
    @ApiOperation({ operationId: `post${Kind}Report`, summary: `Post a ${kind} report (a new version for its date)` })
    @ApiCreatedResponse({ type: view, description: `A new version; 409 ${afterCutoffCode} after the zone cutoff (staff may still post, marked late)` })
    async post(@CurrentPrincipal() p: Principal, @Param(idParam, UuidParam) id: string, @Body() dto: PostReportDtos[K]): Promise<StoredReport<K>> {
      return this.reports.post(kind, p, id, dto);
    }

    @Get()
    @ApiOperation({ operationId: `list${Kind}Reports`, summary: `The latest ${kind} report of each service date` })
    @ApiOkResponse({ type: pageView, description: 'Latest version per service date, newest date first' })
    async latest(@CurrentPrincipal() p: Principal, @Param(idParam, UuidParam) id: string, @Query() q: ReportRangeQuery): Promise<Page<StoredReport<K>>> {
      return this.reports.latest(kind, p, id, q);
    }

    @Get(':serviceDate/versions')
    @ApiOperation({ operationId: `list${Kind}ReportVersions`, summary: `Every version of a date’s ${kind} report` })
    @ApiOkResponse({ type: pageView, description: 'Every version for the date, oldest first' })
    async versions(
      @CurrentPrincipal() p: Principal,
      @Param(idParam, UuidParam) id: string,
      @Param('serviceDate', ServiceDateParam) serviceDate: string,
      @Query() q: PageQuery,
    ): Promise<Page<StoredReport<K>>> {
      return this.reports.versions(kind, p, id, serviceDate, q);
    }
  }
  // TypeScript records a generic parameter's type as Object; the body's class is what the validation
  // pipe checks the body against and what the OpenAPI description shows, so it is set here.
  const postParams: unknown[] = Reflect.getMetadata('design:paramtypes', ReportRoutes.prototype, 'post');
  Reflect.defineMetadata('design:paramtypes', [...postParams.slice(0, 2), body], ReportRoutes.prototype, 'post');
  return ReportRoutes;
}

export class DemandController extends reportRoutes('demand', PostDemandDto, DemandReportView, DemandReportPageView) {}

export class CapacityController extends reportRoutes('capacity', PostCapacityDto, CapacityReportView, CapacityReportPageView) {}
