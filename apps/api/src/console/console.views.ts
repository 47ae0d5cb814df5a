import { ApiProperty } from '@nestjs/swagger';
import { Role } from '#domain';
import { ZoneView } from '../zones/zone.view.js';
import { LineView, ProductExplanationView } from '../runs/run.views.js';

class OrganizationRefView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['enterprise', 'supplier'] }) kind: 'enterprise' | 'supplier';
}

export class ConsoleContextView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: Role }) role: Role;
  @ApiProperty({ nullable: true, type: ZoneView, description: 'The caller’s zone (null for admins)' }) zone: ZoneView | null;
  @ApiProperty({ nullable: true, type: OrganizationRefView }) organization: OrganizationRefView | null;
  @ApiProperty({ description: 'The server’s clock' }) now: Date;
  @ApiProperty({ example: '2026-03-02', description: 'Today in the zone’s time zone' }) today: string;
  @ApiProperty({ example: '2026-03-03', description: 'The next service date still open for reports (tomorrow before the cutoff, else the day after)' }) nextServiceDate: string;
  @ApiProperty({ description: 'The reporting cutoff of nextServiceDate' }) cutoffAt: Date;
}

export class OrgPointView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['enterprise', 'supplier'] }) kind: 'enterprise' | 'supplier';
  @ApiProperty() lat: number;
  @ApiProperty() lng: number;
  @ApiProperty({ nullable: true, type: String }) priorityCategory: string | null;
}

export class RunMapView {
  @ApiProperty({ format: 'uuid' }) runId: string;
  @ApiProperty({ type: [OrgPointView], description: 'Every organization of the run’s zone with its position' }) organizations: OrgPointView[];
  @ApiProperty({ type: [LineView], description: 'Every line of the run (not paged)' }) lines: LineView[];
}

export class ScheduleExplanationView {
  @ApiProperty({ format: 'uuid' }) runId: string;
  @ApiProperty({ nullable: true, type: Number }) tier: number | null;
  @ApiProperty({ type: [ProductExplanationView] }) products: ProductExplanationView[];
}

export class RunProgressView {
  @ApiProperty({ format: 'uuid' }) runId: string;
  @ApiProperty({ enum: ['queued', 'running', 'draft', 'published', 'superseded', 'failed'] }) status: string;
  @ApiProperty({ example: 'active', description: 'The run job’s state in the queue (unknown once the job is cleaned up)' }) jobState: string;
  @ApiProperty({ nullable: true, type: String, enum: ['snapshot', 'solve', 'write'], description: 'The stage the worker last reported' }) stage: string | null;
  @ApiProperty({ example: 30 }) percent: number;
  @ApiProperty() attemptsMade: number;
}
