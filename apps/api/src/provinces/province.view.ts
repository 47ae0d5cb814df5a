import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RunStatus, ZONE_OUTCOMES, type ZoneOutcome } from '#domain';
import { PageMetaView } from '../common/pagination.js';
import { RunTimingsView } from '../runs/run.views.js';

/** Response schema of a province. */
export class ProvinceView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'JS' }) code: string;
  @ApiProperty({ example: '江苏省' }) name: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone: string;
  @ApiProperty({ example: '01:00', description: 'Local time of the daily night' }) runTime: string;
  @ApiProperty({ type: [String], format: 'uuid', description: 'Its zones, in id order' }) zoneIds: string[];
  @ApiProperty() createdAt: Date;
}

class NightRunView {
  @ApiProperty({ format: 'uuid' }) zoneId: string;
  @ApiProperty({ format: 'uuid', description: 'The zone’s scheduled run of the date (shared with its own nightly job)' }) runId: string;
}

class ZoneResultView {
  @ApiProperty({ format: 'uuid' }) zoneId: string;
  @ApiProperty({ format: 'uuid' }) runId: string;
  @ApiProperty({ enum: [...Object.values(RunStatus), 'missing'], enumName: 'ZoneRunStatus', description: 'The run’s status when the summary was taken (missing: the run is gone)' }) status: string;
  @ApiProperty({ enum: ZONE_OUTCOMES, enumName: 'ZoneOutcome', description: 'What the zone’s job came to: written, already_done (another worker wrote it), invalid (the matcher refused the input), failed, or finished_before (computed before the night started)' }) outcome: ZoneOutcome;
  @ApiPropertyOptional({ example: 'injected fault' }) failureReason?: string;
  @ApiProperty({ example: 120 }) lines: number;
  @ApiProperty({ example: 3 }) unmet: number;
  @ApiProperty({ example: 40 }) appointments: number;
  @ApiProperty({ type: RunTimingsView, nullable: true, description: 'The run’s timings (snapshot, solve, write, total ms; rows; worker); null if it was not computed' }) timings: RunTimingsView | null;
}

class SlowestZoneView {
  @ApiProperty({ format: 'uuid' }) zoneId: string;
  @ApiProperty({ type: 'integer', example: 500 }) totalMs: number;
}

class ProvinceTotalsView {
  @ApiProperty({ type: 'integer', example: 2 }) zones: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { written: 2 }, description: 'Zones per outcome (ZoneOutcome)' }) outcomes: Partial<Record<ZoneOutcome, number>>;
  @ApiProperty({ type: 'integer', example: 240, description: 'Allocation lines written' }) lines: number;
  @ApiProperty({ type: 'integer', example: 6, description: 'Enterprise-product needs left short' }) unmet: number;
  @ApiProperty({ type: 'integer', example: 80 }) appointments: number;
  @ApiProperty({ type: 'integer', example: 900, description: 'The sum of the zones’ run times' }) zoneMs: number;
  @ApiProperty({ type: SlowestZoneView, nullable: true }) slowest: SlowestZoneView | null;
  @ApiProperty({ type: 'integer', example: 700, description: 'From the night’s start to its summary' }) wallMs: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { 'host:123': 2 }, description: 'Zones per worker process' }) workers: Record<string, number>;
}

/** Response schema of a province night. */
export class ProvinceNightView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) provinceId: string;
  @ApiProperty({ example: '2026-03-03' }) serviceDate: string;
  @ApiProperty({ enum: ['running', 'done'] }) status: string;
  @ApiProperty({ type: [NightRunView] }) runs: NightRunView[];
  @ApiProperty({ type: [ZoneResultView], nullable: true, description: 'Per zone, once every zone’s run has finished; null before' }) zoneResults: ZoneResultView[] | null;
  @ApiProperty({ type: ProvinceTotalsView, nullable: true, description: 'Over the zones; null before the summary' }) totals: ProvinceTotalsView | null;
  @ApiProperty() startedAt: Date;
  @ApiProperty({ nullable: true, type: Date }) finishedAt: Date | null;
}

export class ProvinceNightPageView extends PageMetaView {
  @ApiProperty({ type: [ProvinceNightView], description: 'Latest service date first' }) items: ProvinceNightView[];
}
