import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Role } from '#domain';
import { type CapacityReport } from '#store';
import { Roles, STAFF } from '../common/auth/decorators.js';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { ApiProblems } from '../common/openapi.js';
import { ServiceDateParam, UuidParam } from '../common/param.pipes.js';
import { PostCapacityDto } from './dto/post-capacity.dto.js';
import { ReportRangeQuery } from './dto/report-range.query.js';
import { CapacityService } from './capacity.service.js';
import { CapacityReportView } from './report.views.js';

@ApiTags('capacity')
@ApiBearerAuth()
@ApiProblems()
@Roles(Role.Supplier, ...STAFF)
@Controller('suppliers/:supplierId/capacity-reports')
export class CapacityController {
  constructor(private readonly capacity: CapacityService) {}

  @Post()
  @ApiCreatedResponse({ type: CapacityReportView, description: 'A new version; 409 CAPACITY_AFTER_CUTOFF after the zone cutoff (staff may still post, marked late)' })
  async post(@CurrentPrincipal() p: Principal, @Param('supplierId', UuidParam) id: string, @Body() dto: PostCapacityDto): Promise<CapacityReport> {
    return this.capacity.post(p, id, dto);
  }

  @Get()
  @ApiOkResponse({ type: [CapacityReportView], description: 'Latest version per service date' })
  async latest(@CurrentPrincipal() p: Principal, @Param('supplierId', UuidParam) id: string, @Query() q: ReportRangeQuery): Promise<CapacityReport[]> {
    return this.capacity.latest(p, id, q.from, q.to);
  }

  @Get(':serviceDate/versions')
  @ApiOkResponse({ type: [CapacityReportView], description: 'Every version for the date, oldest first' })
  async versions(
    @CurrentPrincipal() p: Principal,
    @Param('supplierId', UuidParam) id: string,
    @Param('serviceDate', ServiceDateParam) serviceDate: string,
  ): Promise<CapacityReport[]> {
    return this.capacity.versions(p, id, serviceDate);
  }
}
