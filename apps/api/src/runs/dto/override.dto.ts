import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsInt, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { OverrideKind } from '#domain';
import { IsNotBlank } from '../../common/validators.js';

/** A coordinator's constraint on the runs of this run's date. Each needs a reason; all are audited. */
export class CreateOverrideDto {
  @ApiProperty({ enum: OverrideKind, example: OverrideKind.Pin, description: 'pin: E gets `units` of P from S; exclude: S does not serve E; set_quantity: E’s need of P becomes `units`' })
  @IsEnum(OverrideKind)
  kind: OverrideKind;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  enterpriseId: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for pin and exclude' })
  @ValidateIf((o: CreateOverrideDto) => o.kind !== OverrideKind.SetQuantity)
  @IsUUID()
  supplierId?: string;

  @ApiPropertyOptional({ example: 'MASK-MED', description: 'Required for pin and set_quantity' })
  @ValidateIf((o: CreateOverrideDto) => o.kind !== OverrideKind.Exclude)
  @Matches(/^[A-Z0-9][A-Z0-9-]{0,39}$/, { message: 'productCode must be a product code of the zone’s catalogue' })
  productCode?: string;

  @ApiPropertyOptional({ example: 500, description: 'Units; required for pin and set_quantity' })
  @ValidateIf((o: CreateOverrideDto) => o.kind !== OverrideKind.Exclude)
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  units?: number;

  @ApiProperty({ example: '定点医院急需，区指挥部批示', description: 'Why; kept in the audit log' })
  @IsString()
  @IsNotBlank()
  @MinLength(3)
  @MaxLength(500)
  reason: string;
}

export class WithdrawOverrideDto {
  @ApiProperty({ example: 'Enterprise received a donation' })
  @IsString()
  @IsNotBlank()
  @MinLength(3)
  @MaxLength(500)
  reason: string;
}
