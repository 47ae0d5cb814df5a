import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, STAFF } from '../common/auth/decorators.js';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { ServiceDateParam, UuidParam } from '../common/param.pipes.js';
import { DaySummaryService } from './day-summary.service.js';
import { DaySummaryView } from './day-summary.views.js';

@ApiTags('zones')
@ApiBearerAuth()
@Controller('zones/:zoneId/days')
export class DaySummaryController {
  constructor(private readonly days: DaySummaryService) {}

  @Get(':serviceDate')
  @Roles(...STAFF)
  @ApiOkResponse({ type: DaySummaryView, description: 'Demand (derived and stated) versus capacity per product, and who has not reported' })
  @ApiOperation({ summary: 'A zone’s day: demand against capacity and who has not reported' })
  async getZoneDay(
    @CurrentPrincipal() p: Principal,
    @Param('zoneId', UuidParam) zoneId: string,
    @Param('serviceDate', ServiceDateParam) serviceDate: string,
  ): Promise<DaySummaryView> {
    return this.days.summary(p, zoneId, serviceDate);
  }
}
