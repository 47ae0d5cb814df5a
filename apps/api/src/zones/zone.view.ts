import { ApiProperty } from '@nestjs/swagger';
import { DEFAULT_TIER_MAPPING } from '#domain';

/** Response schema of a zone. */
export class ZoneView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '常州经开区' }) name: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone: string;
  @ApiProperty({ example: '20:00' }) cutoffTime: string;
  @ApiProperty({ example: '01:00' }) runTime: string;
  @ApiProperty({ example: '06:00', nullable: true, type: String }) autoPublishTime: string | null;
  @ApiProperty({ example: '18:00', nullable: true, type: String, description: 'Local time on D−1 of the reminder to organizations that have not reported' }) reminderTime: string | null;
  @ApiProperty({ example: 30 }) maxPickupDistanceKm: number;
  @ApiProperty({ example: 3 }) maxSuppliersPerEnterprise: number;
  @ApiProperty({ example: DEFAULT_TIER_MAPPING, type: 'object', additionalProperties: { type: 'integer' } }) tierMapping: Record<string, number>;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}
