import { Module } from '@nestjs/common';
import { CatalogueStore } from '#store';
import { ZonesModule } from '../zones/zones.module.js';
import { ProductsController } from './products.controller.js';
import { ProductsService } from './products.service.js';

@Module({ imports: [ZonesModule], controllers: [ProductsController], providers: [ProductsService, CatalogueStore] })
export class ProductsModule {}
