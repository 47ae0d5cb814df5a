import { Injectable } from '@nestjs/common';
import { DomainError } from '#domain';
import { type Product, type Zone } from '#store';
import { ZoneSettingsCache } from '../common/zone-settings.cache.js';

/** What demand and capacity reports, posted one by one or imported, read of their zone: its settings and catalogue. */
@Injectable()
export class ReportingRules {
  constructor(private readonly zoneSettings: ZoneSettingsCache) {}

  /** The zone's settings (cached for a few seconds: read on every report). */
  zone(zoneId: string): Promise<Zone> {
    return this.zoneSettings.zone(zoneId);
  }

  /** The zone's catalogue by product code (cached likewise). */
  catalogue(zoneId: string): Promise<Map<string, Product>> {
    return this.zoneSettings.catalogue(zoneId);
  }

  /** Resolves each line's product code in the zone's catalogue; duplicates and unknown codes are refused. */
  async resolveProducts(zoneId: string, codes: readonly string[]): Promise<Product[]> {
    const catalogue = await this.catalogue(zoneId);
    const seen = new Set<string>();
    return codes.map((code, i) => {
      if (seen.has(code)) throw DomainError.rule('DUPLICATE_PRODUCT', `lines[${i}].productCode`, `Product ${code} appears more than once`, { productCode: code });
      seen.add(code);
      const product = catalogue.get(code);
      if (!product) throw DomainError.rule('UNKNOWN_PRODUCT', `lines[${i}].productCode`, `Product ${code} is not in this zone’s catalogue`, { productCode: code });
      return product;
    });
  }
}
