import { ApiProperty } from '@nestjs/swagger';
import { DeliveryStatus } from '#domain';

export class WebhookView {
  @ApiProperty() url: string;
  @ApiProperty({ description: 'HMAC-SHA256 secret for X-PPE-Signature; shown only when set' }) secret: string;
}

export class WebhookDeliveryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty({ example: 'schedule.published' }) event: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: Object }) payload: object;
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
