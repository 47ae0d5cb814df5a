import { Global, Module } from '@nestjs/common';
import { RateLimitModule } from '../rate-limit/rate-limit.module.js';
import { ZoneSettingsCache } from './zone-settings.cache.js';
import { AccessPolicy } from './auth/access-policy.js';
import { TokenAuthenticator } from './auth/token-authenticator.js';
import { Clock, SystemClock } from '#domain';
import { AccountStore, CatalogueStore, ZoneStore } from '#store';

@Global()
@Module({
  imports: [RateLimitModule],
  providers: [AccessPolicy, TokenAuthenticator, ZoneSettingsCache, ZoneStore, CatalogueStore, AccountStore, { provide: Clock, useClass: SystemClock }],
  exports: [AccessPolicy, TokenAuthenticator, ZoneSettingsCache, Clock],
})
export class CommonModule {}
