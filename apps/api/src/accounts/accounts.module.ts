import { Module } from '@nestjs/common';
import { AccountStore, AuditTrail } from '#store';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { AccountsController } from './accounts.controller.js';
import { AccountsService } from './accounts.service.js';

@Module({ imports: [OrganizationsModule], controllers: [AccountsController], providers: [AccountsService, AccountStore, AuditTrail], exports: [AccountsService] })
export class AccountsModule {}
