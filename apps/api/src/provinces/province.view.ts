import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageMetaView } from '../common/pagination.js';

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
  @ApiProperty({ example: 'draft', description: 'The run’s status when the summary was taken' }) status: string;
  @ApiProperty({ example: 'written', description: 'What the zone’s job came to: written, already_done, invalid, failed, or finished_before (computed before the night started)' }) outcome: string;
  @ApiPropertyOptional({ example: 'injected fault' }) failureReason?: string;
  @ApiProperty({ example: 120 }) lines: number;
  @ApiProperty({ example: 3 }) unmet: number;
  @ApiProperty({ example: 40 }) appointments: number;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: 'The run’s timings (snapshot, solve, write, total ms; rows; worker)' }) timings: object | null;
}

/** Response schema of a province night. */
export class ProvinceNightView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) provinceId: string;
  @ApiProperty({ example: '2026-03-03' }) serviceDate: string;
  @ApiProperty({ enum: ['running', 'done'] }) status: string;
  @ApiProperty({ type: [NightRunView] }) runs: NightRunView[];
  @ApiProperty({ type: [ZoneResultView], nullable: true, description: 'Per zone, once every zone’s run has finished; null before' }) zoneResults: ZoneResultView[] | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    example: { zones: 2, outcomes: { written: 2 }, lines: 240, unmet: 6, appointments: 80, zoneMs: 900, slowest: { zoneId: '6f1c…', totalMs: 500 }, wallMs: 700, workers: { 'host:123': 2 } },
    description: 'Zones by outcome, rows written, the sum of zone times, the slowest zone, the night’s wall time and zones per worker; null before the summary',
  })
  totals: object | null;
  @ApiProperty() startedAt: Date;
  @ApiProperty({ nullable: true, type: Date }) finishedAt: Date | null;
}

export class ProvinceNightPageView extends PageMetaView {
  @ApiProperty({ type: [ProvinceNightView], description: 'Latest service date first' }) items: ProvinceNightView[];
}
