import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DeliveryStatus } from '#domain';
import { PageMetaView } from '../common/pagination.js';

export class WebhookView {
  @ApiProperty() url: string;
  @ApiProperty({ description: 'HMAC-SHA256 secret for X-PPE-Signature; shown only when set' }) secret: string;
}

/** A webhook's body: the fields every event has, and those of schedule.* or report.reminder. */
export class WebhookPayloadView {
  @ApiProperty({ enum: ['schedule.published', 'schedule.corrected', 'report.reminder'], enumName: 'WebhookEvent', description: 'What happened (also the delivery’s event)' }) event: string;
  @ApiProperty({ format: 'uuid' }) zoneId: string;
  @ApiProperty({ example: '2026-03-03' }) serviceDate: string;
  @ApiProperty({ format: 'uuid', description: 'The organization the delivery is for' }) organizationId: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'schedule.*: the published run' }) runId?: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'schedule.*: the run it replaces (schedule.corrected), else null' }) supersededRunId?: string | null;
  @ApiPropertyOptional({ enum: ['demand', 'capacity'], description: 'report.reminder: which report is missing' }) report?: string;
  @ApiPropertyOptional({ description: 'report.reminder: the cutoff' }) cutoffAt?: Date;
  @ApiPropertyOptional({ description: 'report.reminder: a bilingual reminder text' }) message?: string;
}

export class WebhookDeliveryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty({ example: 'schedule.published' }) event: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: WebhookPayloadView, description: 'The JSON body sent, as signed' }) payload: WebhookPayloadView;
  @ApiProperty({ enum: DeliveryStatus }) status: DeliveryStatus;
  @ApiProperty({ example: 1 }) attempts: number;
  @ApiProperty({ nullable: true, type: Number, example: 200 }) lastStatusCode: number | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'could not connect',
    description: 'Generic on purpose (could not connect, timed out, target address not allowed, receiver answered N): details stay in the worker’s log',
  })
  lastError: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) deliveredAt: Date | null;
}

export class WebhookDeliveryPageView extends PageMetaView {
  @ApiProperty({ type: [WebhookDeliveryView], description: 'Newest first' }) items: WebhookDeliveryView[];
}
