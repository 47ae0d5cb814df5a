import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Role } from '#domain';
import { type DemandReport } from '#store';
import { Roles, STAFF } from '../common/auth/decorators.js';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { ApiProblems } from '../common/openapi.js';
import { ServiceDateParam, UuidParam } from '../common/param.pipes.js';
import { PostDemandDto } from './dto/post-demand.dto.js';
import { ReportRangeQuery } from './dto/report-range.query.js';
import { DemandService } from './demand.service.js';
import { DemandReportView } from './report.views.js';

@ApiTags('demand')
@ApiBearerAuth()
@ApiProblems()
@Roles(Role.Enterprise, ...STAFF)
@Controller('enterprises/:enterpriseId/demand-reports')
export class DemandController {
  constructor(private readonly demand: DemandService) {}

  @Post()
  @ApiCreatedResponse({ type: DemandReportView, description: 'A new version; 409 DEMAND_AFTER_CUTOFF after the zone cutoff (staff may still post, marked late)' })
  async post(@CurrentPrincipal() p: Principal, @Param('enterpriseId', UuidParam) id: string, @Body() dto: PostDemandDto): Promise<DemandReport> {
    return this.demand.post(p, id, dto);
  }

  @Get()
  @ApiOkResponse({ type: [DemandReportView], description: 'Latest version per service date' })
  async latest(@CurrentPrincipal() p: Principal, @Param('enterpriseId', UuidParam) id: string, @Query() q: ReportRangeQuery): Promise<DemandReport[]> {
    return this.demand.latest(p, id, q.from, q.to);
  }

  @Get(':serviceDate/versions')
  @ApiOkResponse({ type: [DemandReportView], description: 'Every version for the date, oldest first' })
  async versions(
    @CurrentPrincipal() p: Principal,
    @Param('enterpriseId', UuidParam) id: string,
    @Param('serviceDate', ServiceDateParam) serviceDate: string,
  ): Promise<DemandReport[]> {
    return this.demand.versions(p, id, serviceDate);
  }
}
