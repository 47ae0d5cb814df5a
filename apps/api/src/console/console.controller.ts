import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '#domain';
import { Roles, STAFF } from '../common/auth/decorators.js';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { ServiceDateParam, UuidParam } from '../common/param.pipes.js';
import { ConsoleContextView, RunMapView, RunProgressView, ScheduleExplanationView } from './console.views.js';
import { ConsoleService } from './console.service.js';

@ApiTags('console')
@ApiBearerAuth()
@ApiCookieAuth('ppe_session')
@Controller()
export class ConsoleController {
  constructor(private readonly console: ConsoleService) {}

  @Get('console/context')
  @ApiOkResponse({ type: ConsoleContextView, description: 'Who is signed in, their zone and organization, and the zone’s today and next open service date by the server’s clock' })
  @ApiOperation({ summary: 'Who is signed in, and the zone’s dates' })
  getConsoleContext(@CurrentPrincipal() p: Principal): Promise<ConsoleContextView> {
    return this.console.context(p);
  }

  @Get('runs/:runId/map')
  @Roles(...STAFF)
  @ApiOkResponse({ type: RunMapView, description: 'Every line of the run and every organization of its zone with name and position, in one answer (the console’s map and lines table)' })
  @ApiOperation({ summary: 'A run’s lines and its zone’s organizations, for the map' })
  getRunMap(@CurrentPrincipal() p: Principal, @Param('runId', UuidParam) runId: string): Promise<RunMapView> {
    return this.console.runMap(p, runId);
  }

  @Get('runs/:runId/progress')
  @Roles(...STAFF)
  @ApiOkResponse({ type: RunProgressView, description: 'The stage the worker reports for a queued or running run (snapshot, solve, write)' })
  @ApiOperation({ summary: 'How far the worker is with a run' })
  getRunProgress(@CurrentPrincipal() p: Principal, @Param('runId', UuidParam) runId: string): Promise<RunProgressView> {
    return this.console.runProgress(p, runId);
  }

  @Get('enterprises/:enterpriseId/schedules/:serviceDate/explanation')
  @Roles(Role.Enterprise, ...STAFF) // as the schedule it explains: a supplier is refused by role, not by a 404
  @ApiOkResponse({ type: ScheduleExplanationView, description: 'Why the enterprise gets what it gets in the published run: need, fair share, allocation and the reasons for any shortfall, per product' })
  @ApiOperation({ summary: 'Why an enterprise gets what it gets' })
  getScheduleExplanation(@CurrentPrincipal() p: Principal, @Param('enterpriseId', UuidParam) id: string, @Param('serviceDate', ServiceDateParam) date: string): Promise<ScheduleExplanationView> {
    return this.console.explanation(p, id, date);
  }
}
