import { Injectable } from '@nestjs/common';
import { CatalogueStore, type Product } from '#store';
import { AccessPolicy } from '../common/auth/access-policy.js';
import type { Principal } from '../common/auth/principal.js';
import { ZonesService } from '../zones/zones.service.js';
import { ZoneSettingsCache } from '../common/zone-settings.cache.js';
import type { CreateProductDto } from './dto/create-product.dto.js';
import type { UpdateProductDto } from './dto/update-product.dto.js';

const DEFAULT_CAP_FACTOR = 1.5;

@Injectable()
export class ProductsService {
  constructor(
    private readonly catalogue: CatalogueStore,
    private readonly access: AccessPolicy,
    private readonly zones: ZonesService,
    private readonly zoneSettings: ZoneSettingsCache,
  ) {}

  async create(actor: Principal, zoneId: string, dto: CreateProductDto): Promise<Product> {
    this.access.assertCanManageZone(actor, zoneId);
    await this.zones.get(actor, zoneId);
    const product = await this.catalogue.add(actor, { ...dto, capFactor: dto.capFactor ?? DEFAULT_CAP_FACTOR, zoneId });
    this.zoneSettings.forget(zoneId);
    return product;
  }

  async list(actor: Principal, zoneId: string): Promise<Product[]> {
    await this.zones.get(actor, zoneId);
    return this.catalogue.products(zoneId);
  }

  async update(actor: Principal, zoneId: string, productId: string, dto: UpdateProductDto): Promise<Product> {
    this.access.assertCanManageZone(actor, zoneId);
    const updated = await this.catalogue.update(actor, zoneId, productId, dto);
    this.zoneSettings.forget(zoneId);
    return updated;
  }
}
