import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OverrideKind, PickupStatus, RunStatus, RunTrigger } from '#domain';
import { OVERRIDE_CUT_CODES, REASON_CODES, type OverrideCut, type ReasonCode } from '#matching';
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

/** libs/matching's ProductExplanation: one product of one enterprise in a run. */
export class ProductExplanationView {
  @ApiProperty({ example: 'MASK-MED' }) productCode: string;
  @ApiProperty({ type: 'integer', example: 600, description: 'Need as reported' }) requested: number;
  @ApiProperty({ type: 'integer', example: 600, description: 'Need after a set_quantity override (what unmet is measured against)' }) need: number;
  @ApiProperty({ example: 700, description: 'Weighted claim: need + min(deficit, deficitCap × need)' }) claim: number;
  @ApiProperty({ example: 512.5, description: 'Fair share in units before whole-pack rounding' }) fairShare: number;
  @ApiProperty({ type: 'integer', example: 500 }) allocated: number;
  @ApiProperty({ example: 12.5, description: 'Rounding credit carried to the next day, in units (fair share minus whole packs received), within ±1 pack' }) roundingCredit: number;
  @ApiProperty({ example: 0.833333, description: 'allocated / need (1 when need is 0)' }) fillRatio: number;
  @ApiProperty({
    enum: ['tier_shortage', 'unreachable', 'excluded', 'pack_rounding', 'capped_by_override'],
    enumName: 'ShortReason',
    isArray: true,
    example: ['tier_shortage'],
    description: 'Why less than the need: tier_shortage (not enough for its tier), unreachable (no stocked maker within reach), excluded (by an override), pack_rounding (a sub-pack remainder), capped_by_override',
  })
  short: string[];
}

/** Why an enterprise still visits more makers than the zone allows. */
class SupplierLimitNoteView {
  @ApiProperty({ type: 'integer', example: 3, description: 'Distinct makers it visits (all products)' }) suppliers: number;
  @ApiProperty({ type: 'integer', example: 2 }) limit: number;
  @ApiProperty({ enum: ['pins', 'capacity'], enumName: 'SupplierLimitReason', description: 'pins: its pinned makers alone exceed the limit; capacity: no smaller set of makers has enough left' }) reason: string;
}

/** libs/matching's Explanation: why one enterprise gets what it gets. */
export class EnterpriseExplanationView {
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty({ type: 'integer', example: 1, description: 'Priority tier (1 is served first)' }) tier: number;
  @ApiProperty({ type: [ProductExplanationView] }) products: ProductExplanationView[];
  @ApiPropertyOptional({ type: SupplierLimitNoteView, description: 'Only when the enterprise is still over the zone’s maker limit' }) overSupplierLimit?: SupplierLimitNoteView;
}

class UnslottedPickupView {
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty({ enum: ['no_windows', 'no_free_slot'], enumName: 'UnslottedReason', description: 'The pickup has a code but no slot: the coordinator arranges one' }) reason: string;
}

class MatcherReasonView {
  @ApiProperty({ enum: REASON_CODES, enumName: 'MatcherReasonCode', description: 'Stable machine code of the matcher' }) code: ReasonCode;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ example: 'overrides.pins[0].units', description: 'JSON path of the input at fault' }) path?: string;
}

class OverrideCutView {
  @ApiProperty({ format: 'uuid', description: 'The override' }) id: string;
  @ApiProperty({ enum: OverrideKind }) kind: OverrideKind;
  @ApiProperty({ enum: OVERRIDE_CUT_CODES, enumName: 'OverrideCutCode', description: 'Why it could not be applied in full against this run’s inputs' }) code: OverrideCut['code'];
  @ApiProperty({ enum: ['enterpriseId', 'supplierId', 'productCode', 'units'], enumName: 'OverrideField', description: 'The override’s field at fault' }) field: string;
  @ApiProperty() message: string;
  @ApiProperty({ type: 'integer', nullable: true, example: 300, description: 'Units applied after the cut; null when dropped altogether' }) appliedUnits: number | null;
}

/** What the matcher says about a computed run besides its lines. */
export class RunExplanationsView {
  @ApiProperty({ type: [EnterpriseExplanationView], description: 'Per enterprise that reported: tier, fair share and why short' }) explanations: EnterpriseExplanationView[];
  @ApiProperty({ type: [UnslottedPickupView], description: 'Pickups without a slot' }) unslotted: UnslottedPickupView[];
  @ApiProperty({ type: [MatcherReasonView], description: 'Why the input was refused or a pickup could not be slotted (empty when all went well)' }) reasons: MatcherReasonView[];
  @ApiPropertyOptional({ type: [OverrideCutView], description: 'Standing overrides the run could apply only in part (its inputs changed since they were made)' }) overrideCuts?: OverrideCutView[];
}

class LocationView {
  @ApiProperty({ example: 31.81, description: 'WGS-84 degrees' }) lat: number;
  @ApiProperty({ example: 119.97, description: 'WGS-84 degrees' }) lng: number;
}

class MinuteWindowView {
  @ApiProperty({ type: 'integer', example: 480, description: 'Minutes of the service day (480 = 08:00)' }) startMinute: number;
  @ApiProperty({ type: 'integer', example: 720 }) endMinute: number;
}

class PickupWindowInputView extends MinuteWindowView {
  @ApiProperty({ type: 'integer', example: 4, description: 'Pickups per slot' }) vehicles: number;
}

/** Units per product code. */
const UNITS_BY_PRODUCT = { type: 'object', additionalProperties: { type: 'number' }, example: { 'MASK-MED': 600 } } as const;

class ProductInputView {
  @ApiProperty({ example: 'MASK-MED' }) code: string;
  @ApiProperty({ type: 'integer', example: 50, description: 'Units per pack' }) packSize: number;
}

class EnterpriseInputView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: LocationView }) location: LocationView;
  @ApiProperty({ type: 'integer', example: 1 }) tier: number;
  @ApiProperty({ ...UNITS_BY_PRODUCT, description: 'Units needed, per product code' }) need: Record<string, number>;
  @ApiPropertyOptional({ ...UNITS_BY_PRODUCT, description: 'Units short on earlier days, per product code' }) deficit?: Record<string, number>;
  @ApiPropertyOptional({ ...UNITS_BY_PRODUCT, description: 'Rounding credit carried from the day before, per product code' }) roundingCredit?: Record<string, number>;
  @ApiPropertyOptional({ type: MinuteWindowView }) preferredWindow?: MinuteWindowView;
}

class SupplierInputView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: LocationView }) location: LocationView;
  @ApiProperty({ type: [PickupWindowInputView] }) windows: PickupWindowInputView[];
  @ApiProperty({ ...UNITS_BY_PRODUCT, description: 'Units released for allocation, per product code' }) capacity: Record<string, number>;
  @ApiPropertyOptional({ type: 'integer', example: 30 }) slotMinutes?: number;
}

class ZoneSettingsInputView {
  @ApiProperty({ example: 30 }) maxPickupDistanceKm: number;
  @ApiProperty({ type: 'integer', example: 2 }) maxSuppliersPerEnterprise: number;
  @ApiPropertyOptional({ type: 'integer', example: 30 }) slotMinutes?: number;
  @ApiPropertyOptional({ example: 30 }) travelSpeedKmh?: number;
  @ApiPropertyOptional({ type: 'integer', example: 10 }) pickupBufferMinutes?: number;
}

class PinInputView {
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty({ example: 'MASK-MED' }) productCode: string;
  @ApiProperty({ type: 'integer', example: 300 }) units: number;
}

class ExcludeInputView {
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
}

class SetQuantityInputView {
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty({ example: 'MASK-MED' }) productCode: string;
  @ApiProperty({ type: 'integer', example: 300 }) units: number;
}

class OverridesInputView {
  @ApiPropertyOptional({ type: [PinInputView] }) pins?: PinInputView[];
  @ApiPropertyOptional({ type: [ExcludeInputView] }) excludes?: ExcludeInputView[];
  @ApiPropertyOptional({ type: [SetQuantityInputView] }) setQuantities?: SetQuantityInputView[];
}

/** libs/matching's Problem: the matcher's input as the run solved it (libs/matching/schema/problem.schema.json). */
export class RunInputView {
  @ApiProperty({ type: [ProductInputView] }) products: ProductInputView[];
  @ApiProperty({ type: [EnterpriseInputView] }) enterprises: EnterpriseInputView[];
  @ApiProperty({ type: [SupplierInputView] }) suppliers: SupplierInputView[];
  @ApiProperty({ type: ZoneSettingsInputView }) settings: ZoneSettingsInputView;
  @ApiPropertyOptional({ type: OverridesInputView, description: 'The standing overrides, cut to what the inputs allow' }) overrides?: OverridesInputView;
}

/** The options the worker ran the matcher with. */
export class RunPolicyView {
  @ApiProperty({ example: 0.5, description: 'claim = need + min(deficit, deficitCap × need)' }) deficitCap: number;
  @ApiProperty({ type: 'integer', example: 8, description: 'Nearest stocked makers that define an enterprise’s fair-share class' }) candidateArcs: number;
  @ApiProperty({ enum: ['up', 'down'], enumName: 'NeedRounding', description: 'How a need that is not whole packs becomes whole packs' }) needRounding: string;
  @ApiProperty({ type: 'integer', example: 7, description: 'Days of earlier shortfall counted as deficit' }) deficitDays: number;
  @ApiProperty({ example: 0.5, description: 'Weight of each older day’s shortfall relative to the next' }) deficitDecay: number;
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
  @ApiProperty({ type: 'integer', example: 3, description: 'Bumped by every change; the ETag is this number quoted' }) version: number;
  @ApiProperty({ example: '"3"', description: 'The run’s entity tag, the same as the ETag response header: send it as If-Match to change the run' }) etag: string;
  @ApiProperty({ nullable: true, type: RunCorrectionView, description: 'Set on a run of a date that had a published schedule: it corrects that schedule' })
  correction: RunCorrectionView | null;
  @ApiProperty({ nullable: true, type: RunFiguresView, description: 'null until the worker has computed the run' })
  figures: RunFiguresView | null;
  @ApiPropertyOptional({ nullable: true, type: RunInputView, description: 'The matcher input as solved (GET /runs/{id} only); null until computed' }) inputSnapshot?: RunInputView | null;
  @ApiPropertyOptional({ nullable: true, type: RunExplanationsView, description: 'Per-enterprise explanations, unslotted pickups, the matcher’s reasons and cut overrides (GET /runs/{id} only); null until computed' })
  explanations?: RunExplanationsView | null;
  @ApiPropertyOptional({ nullable: true, type: RunPolicyView, description: 'The matcher options used; null until computed' }) policy?: RunPolicyView | null;
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

export class ExplanationPageView extends PageMetaView {
  @ApiProperty({ type: [EnterpriseExplanationView], description: 'In the matcher’s order (tier, then enterprise); empty before the run is computed' }) items: EnterpriseExplanationView[];
}

export class RunPageView extends PageMetaView {
  @ApiProperty({ type: [RunView], description: 'Newest service date and sequence first, without inputSnapshot, explanations and timings' }) items: RunView[];
}

export class OverridePageView extends PageMetaView {
  @ApiProperty({ type: [OverrideView], description: 'In standing order (the order they apply in)' }) items: OverrideView[];
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

export class RunDiffPageView extends PageMetaView {
  @ApiProperty({ type: [RunDiffView], description: 'By enterprise, product and maker' }) items: RunDiffView[];
}

class AppointmentStateView {
  @ApiProperty({ format: 'uuid', description: 'The slip’s identity (appointmentId in schedules)' }) slipId: string;
  @ApiProperty({ example: 'K7M4Q2XP' }) pickupCode: string;
  @ApiProperty({ nullable: true, type: Date }) slotStart: Date | null;
  @ApiProperty({ nullable: true, type: Date }) slotEnd: Date | null;
  @ApiProperty({ enum: PickupStatus }) status: PickupStatus;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { 'MASK-MED': 550 }, description: 'Units per product code' }) units: Record<string, number>;
}

export class AppointmentChangeView {
  @ApiProperty({ enum: ['changed', 'cancelled', 'new'] }) change: 'changed' | 'cancelled' | 'new';
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty({ nullable: true, type: AppointmentStateView }) before: AppointmentStateView | null;
  @ApiProperty({ nullable: true, type: AppointmentStateView }) after: AppointmentStateView | null;
}

export class AppointmentChangesView extends PageMetaView {
  @ApiProperty({ format: 'uuid' }) runId: string;
  @ApiProperty({ format: 'uuid' }) againstRunId: string;
  @ApiProperty({ type: ChangeCountsView }) counts: ChangeCountsView;
  @ApiProperty({ type: [AppointmentChangeView], description: 'A page of the appointments that are not kept, by enterprise then maker (total counts them)' }) items: AppointmentChangeView[];
}
