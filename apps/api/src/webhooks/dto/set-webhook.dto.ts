import { ApiProperty } from '@nestjs/swagger';
import { IsUrl, MaxLength } from 'class-validator';

export class SetWebhookDto {
  @ApiProperty({
    example: 'https://erp.example.com/ppe-webhook',
    description: 'https URL that receives signed POSTs; it must resolve to public addresses (see docs/security.md)',
  })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http(s) URL' })
  @MaxLength(2000)
  url: string;
}
