import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Matches } from 'class-validator';

/**
 * What a gate keeper types or scans, as the code: the QR's whole text (`PPE1|code|slip|date`)
 * gives its code; case, spaces and dashes typed between characters do not matter.
 */
export function normalisePickupCode(value: unknown): unknown {
  if (typeof value !== 'string' || value.length > 200) return value;
  const text = value.trim();
  const code = text.toUpperCase().startsWith('PPE1|') ? (text.split('|')[1] ?? '') : text;
  return code.replace(/[\s-]/g, '').toUpperCase();
}

export class ConfirmPickupDto {
  @ApiProperty({
    example: 'K7M2QX9P',
    description: 'The code the enterprise shows at the gate, as typed (any case, spaces or dashes) or the whole text scanned from its QR code',
  })
  @Transform(({ value }) => normalisePickupCode(value))
  @Matches(/^[2-9A-HJ-NP-Z]{8}$/, { message: 'pickupCode must be the 8-character code from the pickup slip' })
  pickupCode: string;
}
