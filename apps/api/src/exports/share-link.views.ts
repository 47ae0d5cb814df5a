import { ApiProperty } from '@nestjs/swagger';

export class ShareLinkView {
  @ApiProperty({ format: 'uuid', description: 'The link’s id, to revoke it' }) id: string;
  @ApiProperty({ enum: ['slip', 'calendar'] }) kind: 'slip' | 'calendar';
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The slip (appointment) a slip link opens' }) appointmentId: string | null;
  @ApiProperty({ example: '2026-03-03', nullable: true, type: String }) serviceDate: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date, description: 'After this the link answers 410; null: a calendar, valid until revoked' }) expiresAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) revokedAt: Date | null;
}

export class SharedLinkView extends ShareLinkView {
  @ApiProperty({ example: 'https://ppe.example.cn/s/2xS0…', description: 'The link, shown once: whoever has it can open what it shares (no credential needed)' }) url: string;
  @ApiProperty({ example: 'https://ppe.example.cn/s/2xS0…/qr.svg', nullable: true, type: String, description: 'Slip links: an SVG QR code of url, to show on a phone or print' })
  qrUrl: string | null;
}
