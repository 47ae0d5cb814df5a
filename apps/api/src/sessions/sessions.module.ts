import { Module } from '@nestjs/common';
import { SessionStore } from '#store';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { RateLimitModule } from '../rate-limit/rate-limit.module.js';
import { SessionAuthenticator } from './session-authenticator.js';
import { SessionsController } from './sessions.controller.js';
import { SessionsService } from './sessions.service.js';

/** The web console's sign-in: invite links, cookie sessions (with CSRF), their listing and revocation. */
@Module({
  imports: [OrganizationsModule, RateLimitModule],
  controllers: [SessionsController],
  providers: [SessionStore, SessionAuthenticator, SessionsService],
  exports: [SessionAuthenticator, SessionsService],
})
export class SessionsModule {}
