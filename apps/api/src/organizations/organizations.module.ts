import { Module } from '@nestjs/common';
import { OrganizationStore } from '#store';
import { ZonesModule } from '../zones/zones.module.js';
import { OrganizationsController } from './organizations.controller.js';
import { OrganizationsService } from './organizations.service.js';

@Module({ imports: [ZonesModule], controllers: [OrganizationsController], providers: [OrganizationsService, OrganizationStore], exports: [OrganizationsService] })
export class OrganizationsModule {}
