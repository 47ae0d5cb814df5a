import { Injectable } from '@nestjs/common';
import { CatalogueStore, ZoneStore, type Product, type Zone } from '#store';
import { TtlCache } from './ttl-cache.js';

/**
 * A zone's settings and catalogue, read on every report and changed a few times a season. Cached
 * for a few seconds per API process; a change through this process applies at once, one through
 * another process within ZONE_CACHE_MS.
 */
export const ZONE_CACHE_MS = 5_000;

@Injectable()
export class ZoneSettingsCache {
  private readonly zones = new TtlCache<string, Zone>(ZONE_CACHE_MS);
  private readonly catalogues = new TtlCache<string, Map<string, Product>>(ZONE_CACHE_MS);

  constructor(
    private readonly zoneStore: ZoneStore,
    private readonly catalogueStore: CatalogueStore,
  ) {}

  zone(zoneId: string): Promise<Zone> {
    return this.zones.get(zoneId, () => this.zoneStore.get(zoneId));
  }

  /** Product code → product. */
  catalogue(zoneId: string): Promise<Map<string, Product>> {
    return this.catalogues.get(zoneId, async () => new Map((await this.catalogueStore.products(zoneId)).map((p) => [p.code, p])));
  }

  forget(zoneId: string): void {
    this.zones.delete(zoneId);
    this.catalogues.delete(zoneId);
  }

  forgetAll(): void {
    this.zones.clear();
    this.catalogues.clear();
  }
}
