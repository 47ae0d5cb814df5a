import { applyDecorators, Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AllocationLine, AllocationRun, RunOverride } from '#store';
import { Roles, STAFF } from '../common/auth/decorators.js';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { PageQuery, type Page } from '../common/pagination.js';
import { ApiEtag } from '../common/openapi.js';
import { UuidParam } from '../common/param.pipes.js';
import { CreateOverrideDto, WithdrawOverrideDto } from './dto/override.dto.js';
import { ChangesQuery, DiffQuery, ExplanationsQuery, LinesQuery, ListRunsQuery, RerunDto, RunReadQuery, StartRunDto } from './dto/start-run.dto.js';
import { etagOf, requireIfMatch } from './etag.js';
import { AppointmentChangesView, ExplanationPageView, LinePageView, OverridePageView, OverrideView, RunDiffPageView, RunPageView, RunView } from './run.views.js';
import { RunsService, type AppointmentChanges, type RunDiffRow } from './runs.service.js';

/** Changes to a run carry its ETag: optimistic concurrency between coordinators. */
const IF_MATCH = applyDecorators(
  ApiHeader({ name: 'If-Match', required: true, description: 'The run’s ETag from GET /runs/{id}' }),
  ApiResponse({ status: 412, description: 'If-Match is stale: reload the run' }),
  ApiResponse({ status: 428, description: 'If-Match is missing' }),
);

@ApiTags('runs')
@ApiBearerAuth()
@Roles(...STAFF)
@Controller()
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Get('zones/:zoneId/runs')
  @ApiOkResponse({ type: RunPageView })
  @ApiOperation({ summary: 'List a zone’s runs' })
  async listRuns(@CurrentPrincipal() p: Principal, @Param('zoneId', UuidParam) zoneId: string, @Query() q: ListRunsQuery): Promise<Page<TaggedRun>> {
    const page = await this.runs.list(p, zoneId, q);
    return { ...page, items: page.items.map(tagged) };
  }

  @Post('zones/:zoneId/runs')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: RunView, description: 'Queued; the worker computes it into a draft' })
  @ApiOperation({ summary: 'Start a run now' })
  @ApiEtag()
  async startRun(@CurrentPrincipal() p: Principal, @Param('zoneId', UuidParam) zoneId: string, @Body() dto: StartRunDto, @Res({ passthrough: true }) res: Response): Promise<TaggedRun> {
    return withEtag(res, await this.runs.start(p, zoneId, dto.serviceDate));
  }

  @Get('runs/:runId')
  @ApiOkResponse({ type: RunView, description: 'With figures, input snapshot and explanations; the ETag header carries its version' })
  @ApiOperation({ summary: 'Read a run' })
  @ApiEtag()
  async getRun(@CurrentPrincipal() p: Principal, @Param('runId', UuidParam) runId: string, @Query() q: RunReadQuery, @Res({ passthrough: true }) res: Response): Promise<TaggedRun> {
    return withEtag(res, await this.runs.get(p, runId, { withInput: q.inputSnapshot !== false }));
  }

  @Get('runs/:runId/explanations')
  @ApiOkResponse({ type: ExplanationPageView, description: 'Per enterprise: tier, fair share, allocated and why short, a page at a time (GET /runs/{id} carries them all)' })
  @ApiOperation({ summary: 'List a run’s per-enterprise explanations' })
  async listExplanations(@CurrentPrincipal() p: Principal, @Param('runId', UuidParam) runId: string, @Query() q: ExplanationsQuery): Promise<Page<object>> {
    return this.runs.explanations(p, runId, q);
  }

  @Get('runs/:runId/lines')
  @ApiOkResponse({ type: LinePageView })
  @ApiOperation({ summary: 'List a run’s allocation lines' })
  async listRunLines(@CurrentPrincipal() p: Principal, @Param('runId', UuidParam) runId: string, @Query() q: LinesQuery): Promise<Page<AllocationLine>> {
    return this.runs.lines(p, runId, q);
  }

  @Get('runs/:runId/diff')
  @ApiOkResponse({ type: RunDiffPageView, description: 'Enterprises and products whose units differ from the other run' })
  @ApiOperation({ summary: 'Compare a run with another' })
  async diffRuns(@CurrentPrincipal() p: Principal, @Param('runId', UuidParam) runId: string, @Query() q: DiffQuery): Promise<Page<RunDiffRow>> {
    return this.runs.diff(p, runId, q);
  }

  @Get('runs/:runId/changes')
  @ApiOkResponse({ type: AppointmentChangesView, description: 'Each appointment kept (same slip and code), changed (new code), cancelled or new against the other run: counts of all, a page of all but the kept' })
  @ApiOperation({ summary: 'How each appointment changes against another run' })
  async listAppointmentChanges(@CurrentPrincipal() p: Principal, @Param('runId', UuidParam) runId: string, @Query() q: ChangesQuery): Promise<AppointmentChanges> {
    return this.runs.changes(p, runId, q);
  }

  @Get('runs/:runId/overrides')
  @ApiOkResponse({ type: OverridePageView, description: 'Every override of the run’s date, whichever run it was made on, withdrawn ones included' })
  @ApiOperation({ summary: 'List the overrides of a run’s date' })
  async listOverrides(@CurrentPrincipal() p: Principal, @Param('runId', UuidParam) runId: string, @Query() q: PageQuery): Promise<Page<RunOverride>> {
    return this.runs.overrides(p, runId, q);
  }

  @Post('runs/:runId/overrides')
  @IF_MATCH
  @ApiCreatedResponse({ type: OverrideView, description: 'A standing instruction for the date, checked against this run’s inputs (422 if it cannot stand); made on a draft, published or failed run' })
  @ApiOperation({ summary: 'Add an override' })
  async addOverride(
    @CurrentPrincipal() p: Principal,
    @Param('runId', UuidParam) runId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: CreateOverrideDto,
  ): Promise<RunOverride> {
    return this.runs.addOverride(p, runId, requireIfMatch(ifMatch), dto);
  }

  @Post('runs/:runId/overrides/:overrideId/withdraw')
  @HttpCode(200)
  @IF_MATCH
  @ApiOkResponse({ type: OverrideView })
  @ApiOperation({ summary: 'Withdraw an override' })
  async withdrawOverride(
    @CurrentPrincipal() p: Principal,
    @Param('runId', UuidParam) runId: string,
    @Param('overrideId', UuidParam) overrideId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: WithdrawOverrideDto,
  ): Promise<RunOverride> {
    return this.runs.withdrawOverride(p, runId, overrideId, requireIfMatch(ifMatch), dto.reason);
  }

  @Post('runs/:runId/rerun')
  @HttpCode(202)
  @IF_MATCH
  @ApiAcceptedResponse({ type: RunView, description: 'The new run, queued; its draft supersedes this one' })
  @ApiOperation({ summary: 'Re-run with today’s inputs and overrides' })
  @ApiEtag()
  async rerunRun(
    @CurrentPrincipal() p: Principal,
    @Param('runId', UuidParam) runId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: RerunDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TaggedRun> {
    return withEtag(res, await this.runs.rerun(p, runId, requireIfMatch(ifMatch), dto));
  }

  @Post('runs/:runId/publish')
  @HttpCode(200)
  @IF_MATCH
  @ApiOkResponse({ type: RunView, description: 'Published; a previously published run of the date is superseded and webhooks are sent' })
  @ApiOperation({ summary: 'Publish a draft run' })
  @ApiEtag()
  async publishRun(@CurrentPrincipal() p: Principal, @Param('runId', UuidParam) runId: string, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<TaggedRun> {
    return withEtag(res, await this.runs.publish(p, runId, requireIfMatch(ifMatch)));
  }
}

/** A run as answered: its entity tag in the body too, since generated clients type a body field but not a response header. */
type TaggedRun = AllocationRun & { etag: string };
const tagged = (run: AllocationRun): TaggedRun => Object.assign(run, { etag: etagOf(run.version) });

function withEtag(res: Response, run: AllocationRun): TaggedRun {
  res.setHeader('ETag', etagOf(run.version));
  return tagged(run);
}
