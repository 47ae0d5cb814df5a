import { ApiProperty } from '@nestjs/swagger';
import { IsUrl, Matches, MaxLength } from 'class-validator';

export class ConfirmPickupDto {
  @ApiProperty({ example: 'K7M2QX9P', description: 'The code the enterprise shows at the gate (or scanned from its QR code)' })
  @Matches(/^[2-9A-HJ-NP-Z]{8}$/, { message: 'pickupCode must be the 8-character code from the pickup slip' })
  pickupCode: string;
}

export class SetWebhookDto {
  @ApiProperty({ example: 'https://erp.example.com/ppe-webhook', description: 'http(s) URL that receives signed POSTs' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http(s) URL' })
  @MaxLength(2000)
  url: string;
}
