import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service.js';
import { AccessPolicy } from './auth/access-policy.js';
import { Clock, SystemClock } from '#domain';

@Global()
@Module({
  providers: [AuditService, AccessPolicy, { provide: Clock, useClass: SystemClock }],
  exports: [AuditService, AccessPolicy, Clock],
})
export class CommonModule {}
