import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OverrideKind, RunStatus, RunTrigger } from '#domain';
import { PageMetaView } from '../common/pagination.js';

/** Per tier (key: the tier number as a string), a ratio between 0 and 1. */
const TIER_RATIOS = { type: 'object', additionalProperties: { type: 'number' }, example: { '1': 1, '3': 0.625 } } as const;

/** libs/matching's ProductFigures. */
export class ProductFiguresView {
  @ApiProperty({ example: 'MASK-MED' }) productCode: string;
  @ApiProperty({ example: 2000 }) demand: number;
  @ApiProperty({ example: 1500 }) supply: number;
  @ApiProperty({ example: 1500 }) allocated: number;
  @ApiProperty({ example: 500, description: 'Σ max(0, need − allocated)' }) unmet: number;
  @ApiProperty({ example: 0, description: 'Σ max(0, allocated − need): units beyond need in a last pack' }) surplus: number;
  @ApiProperty({ ...TIER_RATIOS, description: 'Σ min(allocated, need) / demand per tier' }) fillRatioByTier: Record<string, number>;
  @ApiProperty({ ...TIER_RATIOS, description: 'Lowest enterprise fill ratio per tier' }) minFillRatioByTier: Record<string, number>;
  @ApiProperty({ example: 0.98, description: 'Jain’s index over enterprise fill ratios' }) jainIndex: number;
  @ApiProperty({ example: 4200.5, description: 'Σ units × km over lines' }) unitKm: number;
  @ApiProperty({ example: 1, description: 'Enterprises served by more than one supplier' }) splits: number;
}

class RunRowCountsView {
  @ApiProperty({ example: 3120 }) lines: number;
  @ApiProperty({ example: 240 }) unmet: number;
  @ApiProperty({ example: 2980 }) appointments: number;
}

/** Where a computed run's time went, recorded by the worker that wrote it (libs/domain RunTimings). */
export class RunTimingsView {
  @ApiProperty({ example: 120 }) snapshotMs: number;
  @ApiProperty({ example: 850 }) solveMs: number;
  @ApiProperty({ example: 300 }) writeMs: number;
  @ApiProperty({ example: 1290, description: 'From the worker picking the run up to the write’s last statement' }) totalMs: number;
  @ApiProperty({ type: RunRowCountsView }) rows: RunRowCountsView;
  @ApiProperty({ example: 'worker-1:4312', description: 'The worker process that computed the run' }) worker: string;
  @ApiProperty({ example: 512000, description: 'Peak resident set size of that worker process, KiB' }) maxRssKb: number;
}

class PickupsPerEnterpriseView {
  @ApiProperty({ example: 1.2 }) mean: number;
  @ApiProperty({ example: 3 }) max: number;
}

/** libs/matching's Figures: the run as a whole and per product. */
export class RunFiguresView {
  @ApiProperty({ example: 2400 }) demand: number;
  @ApiProperty({ example: 1980 }) supply: number;
  @ApiProperty({ example: 1980 }) allocated: number;
  @ApiProperty({ example: 420 }) unmet: number;
  @ApiProperty({ example: 0 }) surplus: number;
  @ApiProperty({ example: 0.825, description: 'Σ min(allocated, need) / demand' }) fillRatio: number;
  @ApiProperty({ type: [ProductFiguresView] }) byProduct: ProductFiguresView[];
  @ApiProperty({ ...TIER_RATIOS, description: 'Lowest enterprise fill ratio per tier over all products' }) minFillRatioByTier: Record<string, number>;
  @ApiProperty({ example: 0.97 }) jainIndex: number;
  @ApiProperty({ example: 5200.1, description: 'Σ units × km (the transportation objective)' }) unitKm: number;
  @ApiProperty({ example: 104.3, description: 'Σ pack × km' }) packKm: number;
  @ApiProperty({ example: 12, description: 'Pickups (enterprise–supplier pairs)' }) trips: number;
  @ApiProperty({ example: 38.4, description: 'km of one trip per pickup' }) tripKm: number;
  @ApiProperty({ type: PickupsPerEnterpriseView }) pickupsPerEnterprise: PickupsPerEnterpriseView;
  @ApiProperty({ example: 2 }) splits: number;
  @ApiProperty({ example: 0, description: 'Enterprises visiting more suppliers than the zone allows' }) overSupplierLimit: number;
}

class OrgIdsView {
  @ApiProperty({ type: [String], format: 'uuid' }) supplierIds: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) enterpriseIds: string[];
}

export class ChangeCountsView {
  @ApiProperty({ example: 14890, description: 'Unchanged: same slip id and pickup code' }) kept: number;
  @ApiProperty({ example: 96, description: 'Same enterprise and maker, other slot or quantities: new code' }) changed: number;
  @ApiProperty({ example: 3 }) cancelled: number;
  @ApiProperty({ example: 11 }) new: number;
}

export class RunCorrectionView {
  @ApiProperty({ enum: ['minimal', 'full'] }) mode: 'minimal' | 'full';
  @ApiProperty({ type: OrgIdsView, description: 'Named by the coordinator for re-planning' }) named: OrgIdsView;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The published run corrected' }) basedOnRunId?: string | null;
  @ApiPropertyOptional({ type: OrgIdsView, description: 'Re-planned by a minimal correction' }) touched?: OrgIdsView;
  @ApiPropertyOptional({ type: [String], description: 'Why something nobody named was re-planned' }) notes?: string[];
  @ApiPropertyOptional({ type: ChangeCountsView }) changes?: ChangeCountsView;
}

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
  @ApiProperty({ nullable: true, type: RunCorrectionView, description: 'Set on a run of a date that had a published schedule: it corrects that schedule' })
  correction: RunCorrectionView | null;
  @ApiProperty({ nullable: true, type: RunFiguresView, description: 'null until the worker has computed the run' })
  figures: RunFiguresView | null;
  @ApiPropertyOptional({ nullable: true, type: Object, description: 'The matcher input as solved (GET /runs/{id} only)' }) inputSnapshot?: object | null;
  @ApiPropertyOptional({ nullable: true, type: Object, description: 'Per-enterprise explanations (GET /runs/{id} only)' }) explanations?: object | null;
  @ApiPropertyOptional({ nullable: true, type: Object }) policy?: object | null;
  @ApiProperty({ nullable: true, type: String }) failureReason: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty() queuedAt: Date;
  @ApiProperty({ nullable: true, type: Date }) startedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) finishedAt: Date | null;
  @ApiProperty({ nullable: true, type: Number }) solveMs: number | null;
  @ApiPropertyOptional({ nullable: true, type: RunTimingsView, description: 'GET /runs/{id} and publish only' }) timings?: RunTimingsView | null;
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

class AppointmentStateView {
  @ApiProperty({ format: 'uuid', description: 'The slip’s identity (appointmentId in schedules)' }) slipId: string;
  @ApiProperty({ example: 'K7M4Q2XP' }) pickupCode: string;
  @ApiProperty({ nullable: true, type: Date }) slotStart: Date | null;
  @ApiProperty({ nullable: true, type: Date }) slotEnd: Date | null;
  @ApiProperty({ example: 'scheduled' }) status: string;
  @ApiProperty({ example: { 'MASK-MED': 550 }, description: 'Units per product' }) units: Record<string, number>;
}

export class AppointmentChangeView {
  @ApiProperty({ enum: ['changed', 'cancelled', 'new'] }) change: 'changed' | 'cancelled' | 'new';
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty({ nullable: true, type: AppointmentStateView }) before: AppointmentStateView | null;
  @ApiProperty({ nullable: true, type: AppointmentStateView }) after: AppointmentStateView | null;
}

export class AppointmentChangesView {
  @ApiProperty({ format: 'uuid' }) runId: string;
  @ApiProperty({ format: 'uuid' }) againstRunId: string;
  @ApiProperty({ type: ChangeCountsView }) counts: ChangeCountsView;
  @ApiProperty({ type: [AppointmentChangeView], description: 'Every appointment that is not kept' }) items: AppointmentChangeView[];
}
