import { ApiProperty } from '@nestjs/swagger';
import { PickupStatus } from '#domain';

export class ScheduleLineView {
  @ApiProperty({ example: 'MASK-MED' }) productCode: string;
  @ApiProperty({ example: '一次性医用口罩' }) nameZh: string;
  @ApiProperty({ example: 'piece' }) unit: string;
  @ApiProperty({ example: 500 }) units: number;
  @ApiProperty({ example: 10 }) packs: number;
}

class PartyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() address: string;
  @ApiProperty() contactName: string;
  @ApiProperty() contactPhone: string;
}

export class EnterprisePickupView {
  @ApiProperty({ format: 'uuid', description: 'The slip’s identity: kept, with the code, by a correction that leaves this pickup unchanged' }) appointmentId: string;
  @ApiProperty({ type: PartyView, description: 'The supplier; address is its pickup site' }) supplier: PartyView;
  @ApiProperty({ nullable: true, type: Date }) slotStart: Date | null;
  @ApiProperty({ nullable: true, type: Date }) slotEnd: Date | null;
  @ApiProperty({ example: 'K7M2QX9P' }) pickupCode: string;
  @ApiProperty({ example: 'PPE1|K7M2QX9P|…', description: 'Text to encode in the QR code shown at the gate' }) qrPayload: string;
  @ApiProperty({ enum: PickupStatus }) status: PickupStatus;
  @ApiProperty({ type: [ScheduleLineView] }) lines: ScheduleLineView[];
}

export class EnterpriseScheduleView {
  @ApiProperty({ example: '2026-02-25' }) serviceDate: string;
  @ApiProperty({ example: 'Asia/Shanghai', description: 'The zone’s IANA time zone: serviceDate and the slots’ local times are in it (slotStart and slotEnd are UTC instants)' }) timeZone: string;
  @ApiProperty({ format: 'uuid' }) runId: string;
  @ApiProperty() publishedAt: Date;
  @ApiProperty({ description: 'Whether the enterprise posted a demand report for this date: without one it has no pickups (未上报需求则无取货安排)' })
  reported: boolean;
  @ApiProperty({ type: [EnterprisePickupView] }) pickups: EnterprisePickupView[];
}

export class SupplierPickupView {
  @ApiProperty({ format: 'uuid' }) appointmentId: string;
  @ApiProperty({ type: PartyView, description: 'The enterprise picking up' }) enterprise: PartyView;
  @ApiProperty({ enum: PickupStatus }) status: PickupStatus;
  @ApiProperty({ nullable: true, type: Date }) confirmedAt: Date | null;
  @ApiProperty({ type: [ScheduleLineView] }) lines: ScheduleLineView[];
}

export class SlotView {
  @ApiProperty({ nullable: true, type: Date, description: 'null: pickups that found no free slot' }) slotStart: Date | null;
  @ApiProperty({ nullable: true, type: Date }) slotEnd: Date | null;
  @ApiProperty({ type: [SupplierPickupView] }) pickups: SupplierPickupView[];
}

export class SupplierScheduleView {
  @ApiProperty({ example: '2026-02-25' }) serviceDate: string;
  @ApiProperty({ example: 'Asia/Shanghai', description: 'The zone’s IANA time zone: serviceDate and the slots’ local times are in it (slotStart and slotEnd are UTC instants)' }) timeZone: string;
  @ApiProperty({ format: 'uuid' }) runId: string;
  @ApiProperty({ type: [SlotView] }) slots: SlotView[];
}

export class ConfirmedPickupView {
  @ApiProperty({ format: 'uuid' }) appointmentId: string;
  @ApiProperty({ enum: PickupStatus }) status: PickupStatus;
  @ApiProperty() confirmedAt: Date;
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty({ example: '2026-02-25' }) serviceDate: string;
}
