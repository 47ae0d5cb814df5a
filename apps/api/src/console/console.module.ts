import { Module } from '@nestjs/common';
import { ConsoleReads } from '#store';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { ZonesModule } from '../zones/zones.module.js';
import { ConsoleController } from './console.controller.js';
import { ConsoleService } from './console.service.js';

/** Reads for the web console (apps/web) that the REST resources would need many calls for. */
@Module({ imports: [OrganizationsModule, ZonesModule], controllers: [ConsoleController], providers: [ConsoleReads, ConsoleService] })
export class ConsoleModule {}
