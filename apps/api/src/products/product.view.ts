import { ApiProperty } from '@nestjs/swagger';

export class ProductView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) zoneId: string;
  @ApiProperty({ example: 'MASK-MED' }) code: string;
  @ApiProperty({ example: '一次性医用口罩' }) nameZh: string;
  @ApiProperty({ example: 'Disposable medical mask' }) nameEn: string;
  @ApiProperty({ example: 'piece' }) unit: string;
  @ApiProperty({ example: 50 }) packSize: number;
  @ApiProperty({ example: 2 }) normPerWorker: number;
  @ApiProperty({ example: 1.5 }) capFactor: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}
