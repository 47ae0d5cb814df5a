import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '#domain';
import { Product } from '#store';
import { AuditService } from '../common/audit.service.js';
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
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly access: AccessPolicy,
    private readonly zones: ZonesService,
    private readonly zoneSettings: ZoneSettingsCache,
  ) {}

  async create(actor: Principal, zoneId: string, dto: CreateProductDto): Promise<Product> {
    this.access.assertCanManageZone(actor, zoneId);
    await this.zones.get(actor, zoneId);
    const product = await this.dataSource.transaction(async (m) => {
      if (await m.existsBy(Product, { zoneId, code: dto.code })) {
        throw new DomainError('conflict', 'PRODUCT_CODE_TAKEN', `Product code ${dto.code} already exists in this zone`, [
          { field: 'code', reason: 'already exists in this zone' },
        ]);
      }
      const product = m.create(Product, { ...dto, capFactor: dto.capFactor ?? DEFAULT_CAP_FACTOR, zoneId });
      await m.save(product);
      await this.audit.record(m, actor, { action: 'product.create', entityType: 'product', entityId: product.id, zoneId, after: product });
      return product;
    });
    this.zoneSettings.forget(zoneId);
    return product;
  }

  async list(actor: Principal, zoneId: string): Promise<Product[]> {
    await this.zones.get(actor, zoneId);
    return this.dataSource.getRepository(Product).find({ where: { zoneId }, order: { code: 'ASC' } });
  }

  async update(actor: Principal, zoneId: string, productId: string, dto: UpdateProductDto): Promise<Product> {
    this.access.assertCanManageZone(actor, zoneId);
    const updated = await this.dataSource.transaction(async (m) => {
      const product = await m.findOne(Product, { where: { id: productId, zoneId }, lock: { mode: 'pessimistic_write' } });
      if (!product) throw DomainError.notFound('Product', 'PRODUCT_NOT_FOUND');
      const before = { ...product };
      Object.assign(product, dto);
      await m.save(product);
      await this.audit.record(m, actor, { action: 'product.update', entityType: 'product', entityId: product.id, zoneId, before, after: product });
      return product;
    });
    this.zoneSettings.forget(zoneId);
    return updated;
  }
}
