import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OrganizationKind } from '#domain';
import { PageMetaView } from '../common/pagination.js';
import { PickupWindowDto } from './dto/pickup-windows.dto.js';

export class OrganizationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) zoneId: string;
  @ApiProperty({ enum: OrganizationKind }) kind: OrganizationKind;
  @ApiProperty({ example: '常州恒源精密机械有限公司' }) name: string;
  @ApiProperty({ example: '91320412MA1N00000M' }) creditCode: string;
  @ApiProperty() address: string;
  @ApiProperty({ example: 31.7456 }) latitude: number;
  @ApiProperty({ example: 120.0523 }) longitude: number;
  @ApiProperty() contactName: string;
  @ApiProperty() contactPhone: string;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Enterprises only' }) registeredEmployees: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Enterprises only' }) priorityCategory: string | null;
  @ApiPropertyOptional({ nullable: true, type: Boolean, description: 'Enterprises only' }) aboveScale: boolean | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Suppliers only' }) pickupSiteAddress: string | null;
  @ApiPropertyOptional({ nullable: true, type: [PickupWindowDto], description: 'Suppliers only' }) pickupWindows: PickupWindowDto[] | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Suppliers only' }) slotMinutes: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Suppliers only' }) vehiclesPerSlot: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Where signed run notifications go (set by PUT /organizations/{id}/webhook)' }) webhookUrl: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class OrganizationPageView extends PageMetaView {
  @ApiProperty({ type: [OrganizationView] }) items: OrganizationView[];
}
