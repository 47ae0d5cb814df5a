/** How big a synthetic zone is, and how far its enterprises may travel for a pickup. */
export interface SyntheticSize {
  seed: number;
  enterprises: number;
  workers: number;
  suppliers: number;
  maxPickupDistanceKm: number;
}

/** Where a synthetic zone's organisations sit: industrial parks and the spread around them, km. */
export interface ClusteredArea {
  clusters: number;
  widthKm: number;
  heightKm: number;
  clusterSigmaKm: number;
  /** The area's south-west corner on the map. */
  origin: { lat: number; lng: number };
}

/**
 * Normal draws and places for a synthetic zone, from one seeded stream: 80% of places around a
 * park (Gaussian spread), 20% anywhere in the area, in degrees rounded to 1e-6. The park centres
 * are drawn at once, so calls must come in the same order for the same instance.
 */
export function clusteredArea(rnd: () => number, area: ClusteredArea) {
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const kmLat = 1 / 111.2;
  const kmLng = 1 / (111.2 * Math.cos((area.origin.lat * Math.PI) / 180));
  const centres = Array.from({ length: area.clusters }, () => [rnd() * area.widthKm, rnd() * area.heightKm]);
  const place = () => {
    let x: number;
    let y: number;
    if (rnd() < 0.8) {
      const c = centres[Math.floor(rnd() * centres.length)];
      x = c[0] + gauss() * area.clusterSigmaKm;
      y = c[1] + gauss() * area.clusterSigmaKm;
    } else {
      x = rnd() * area.widthKm;
      y = rnd() * area.heightKm;
    }
    return { lat: Math.round((area.origin.lat + y * kmLat) * 1e6) / 1e6, lng: Math.round((area.origin.lng + x * kmLng) * 1e6) / 1e6 };
  };
  /** Heavy-tailed (log-normal) headcounts of `n` enterprises, scaled to `workers` in all, at least 3 each. */
  const headcounts = (n: number, workers: number) => {
    const raw = Array.from({ length: n }, () => Math.exp(gauss() * 1.1));
    const rawSum = raw.reduce((a, b) => a + b, 0);
    return raw.map((r) => Math.max(3, Math.round((r / rawSum) * workers)));
  };
  return { place, headcounts };
}
