import { Module } from '@nestjs/common';
import { JobCatalogue, ZoneStore } from '#store';
import { ZonesController } from './zones.controller.js';
import { ZonesService } from './zones.service.js';

@Module({ controllers: [ZonesController], providers: [ZonesService, ZoneStore, JobCatalogue], exports: [ZonesService] })
export class ZonesModule {}
