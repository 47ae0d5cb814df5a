import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, type Actor } from '#domain';
import { recordAudit } from '../audit/audit-log.js';
import { Product } from '../entities/product.entity.js';

/** A zone's product catalogue: the products, their codes unique within the zone, every change audited. */
@Injectable()
export class CatalogueStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The zone's products by code. */
  products(zoneId: string): Promise<Product[]> {
    return this.dataSource.getRepository(Product).find({ where: { zoneId }, order: { code: 'ASC' } });
  }

  /** Adds a product; 409 PRODUCT_CODE_TAKEN when the zone has one with that code. */
  async add(actor: Actor, fields: Partial<Product> & { zoneId: string; code: string }): Promise<Product> {
    return this.dataSource.transaction(async (m) => {
      if (await m.existsBy(Product, { zoneId: fields.zoneId, code: fields.code })) {
        throw new DomainError('conflict', 'PRODUCT_CODE_TAKEN', `Product code ${fields.code} already exists in this zone`, [
          { field: 'code', reason: 'already exists in this zone' },
        ], { productCode: fields.code });
      }
      const product = await m.save(m.create(Product, fields));
      await recordAudit(m, actor, { action: 'product.create', entityType: 'product', entityId: product.id, zoneId: product.zoneId, after: product });
      return product;
    });
  }

  /** Changes a product of the zone under a row lock; 404 PRODUCT_NOT_FOUND for a product of another zone. */
  async update(actor: Actor, zoneId: string, productId: string, changes: Partial<Product>): Promise<Product> {
    return this.dataSource.transaction(async (m) => {
      const product = await m.findOne(Product, { where: { id: productId, zoneId }, lock: { mode: 'pessimistic_write' } });
      if (!product) throw DomainError.notFound('Product', 'PRODUCT_NOT_FOUND');
      const before = { ...product };
      Object.assign(product, changes);
      await m.save(product);
      await recordAudit(m, actor, { action: 'product.update', entityType: 'product', entityId: product.id, zoneId, before, after: product });
      return product;
    });
  }
}
