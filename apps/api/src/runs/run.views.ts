import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OverrideKind, RunStatus, RunTrigger } from '#domain';
import { PageMetaView } from '../common/pagination.js';

export class RunView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) zoneId: string;
  @ApiProperty({ example: '2026-02-25' }) serviceDate: string;
  @ApiProperty({ example: 2 }) sequence: number;
  @ApiProperty({ enum: RunStatus }) status: RunStatus;
  @ApiProperty({ enum: RunTrigger }) trigger: RunTrigger;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) startedBy: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) parentRunId: string | null;
  @ApiProperty({ example: 3, description: 'Also the ETag ("3"); send it as If-Match to change the run' }) version: number;
  @ApiProperty({ nullable: true, type: Object, description: 'demand, supply, allocated, fill ratio per tier and product, min fill ratio per tier, Jain’s index, distance, splits, unmet' })
  figures: object | null;
  @ApiPropertyOptional({ nullable: true, type: Object, description: 'The matcher input as solved (GET /runs/{id} only)' }) inputSnapshot?: object | null;
  @ApiPropertyOptional({ nullable: true, type: Object, description: 'Per-enterprise explanations (GET /runs/{id} only)' }) explanations?: object | null;
  @ApiPropertyOptional({ nullable: true, type: Object }) policy?: object | null;
  @ApiProperty({ nullable: true, type: String }) failureReason: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty() queuedAt: Date;
  @ApiProperty({ nullable: true, type: Date }) startedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) finishedAt: Date | null;
  @ApiProperty({ nullable: true, type: Number }) solveMs: number | null;
  @ApiProperty({ nullable: true, type: Date }) publishedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) publishedBy: string | null;
}

export class OverrideView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: OverrideKind }) kind: OverrideKind;
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) supplierId: string | null;
  @ApiProperty({ nullable: true, type: String }) productCode: string | null;
  @ApiProperty({ nullable: true, type: Number }) units: number | null;
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'uuid' }) runId: string;
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) withdrawnAt: Date | null;
}

export class LineView {
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty({ example: 'MASK-MED' }) productCode: string;
  @ApiProperty({ example: 500 }) units: number;
  @ApiProperty({ example: 10 }) packs: number;
  @ApiProperty({ example: 3200 }) distanceM: number;
}

export class LinePageView extends PageMetaView {
  @ApiProperty({ type: [LineView] }) items: LineView[];
}

export class RunDiffView {
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty({ example: 'MASK-MED' }) productCode: string;
  @ApiProperty({ example: 400 }) before: number;
  @ApiProperty({ example: 500 }) after: number;
  @ApiProperty({ example: 100 }) change: number;
}
