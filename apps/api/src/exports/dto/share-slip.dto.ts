import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const DEFAULT_SLIP_LINK_HOURS = 72;
export const MAX_SLIP_LINK_HOURS = 24 * 14;

export class ShareSlipDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_SLIP_LINK_HOURS, default: DEFAULT_SLIP_LINK_HOURS, description: 'How long the link works, in hours' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_SLIP_LINK_HOURS)
  validForHours?: number;
}
