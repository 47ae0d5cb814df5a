import { withCheckChar } from '#domain';
import { seeded } from '#matching';

export const PRODUCTS = [
  { code: 'MASK-MED', nameZh: '一次性医用口罩', nameEn: 'Disposable medical mask', unit: 'piece', packSize: 50, normPerWorker: 2, capFactor: 1.5 },
  { code: 'MASK-KN95', nameZh: 'KN95 防护口罩', nameEn: 'KN95 respirator', unit: 'piece', packSize: 20, normPerWorker: 0.2, capFactor: 1.5 },
  // Makers pack sanitizer in cartons of 24 and disinfectant in 4-can cases, but at the door they hand
  // out single bottles and cans: most enterprises need a few a day, far less than a carton.
  { code: 'SANITIZER-500', nameZh: '免洗洗手液 500ml', nameEn: 'Hand sanitizer 500 ml', unit: 'bottle', packSize: 1, normPerWorker: 0.05, capFactor: 1.5 },
  { code: 'DISINFECT-5L', nameZh: '84 消毒液 5L', nameEn: 'Chlorine disinfectant 5 L', unit: 'can', packSize: 1, normPerWorker: 0.01, capFactor: 2 },
];

/** Share of each priority category among resumed enterprises, and typical headcounts. */
const CATEGORIES: { category: string; share: number; medianStaff: number; kind: string }[] = [
  { category: 'epidemic_prevention', share: 0.03, medianStaff: 180, kind: '医疗防护用品' },
  { category: 'medical', share: 0.02, medianStaff: 250, kind: '医药' },
  { category: 'city_operations', share: 0.07, medianStaff: 120, kind: '公用事业' },
  { category: 'daily_life', share: 0.08, medianStaff: 60, kind: '商贸物流' },
  { category: 'above_scale', share: 0.3, medianStaff: 150, kind: '精密机械' },
  { category: 'other', share: 0.5, medianStaff: 30, kind: '科技' },
];

const CENTER = { lat: 31.78, lng: 119.97 }; // 常州 Changzhou

export interface DemoEnterprise {
  body: Record<string, unknown>;
  headcount: number;
  stock: number;
}

export interface DemoSupplier {
  body: Record<string, unknown>;
  capacityShare: Record<string, number>;
}

const CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A tag of 6 credit-code characters, different for every demo run, so codes never collide across runs. */
export function runTag(now: number): string {
  let n = Math.floor(now / 1000);
  let tag = '';
  for (let i = 0; i < 6; i++, n = Math.floor(n / 31)) tag = CODE_ALPHABET[n % 31] + tag;
  return tag;
}

/** '91' (company) + run tag + a 9-digit serial, with its GB 32100-2015 check character. */
function code(tag: string, n: number): string {
  return withCheckChar(`91${tag}${String(n).padStart(9, '0')}`);
}

function near(rand: () => number, km: number): { latitude: number; longitude: number } {
  const r = km * Math.sqrt(rand());
  const a = rand() * 2 * Math.PI;
  return { latitude: +(CENTER.lat + (r / 111) * Math.sin(a)).toFixed(6), longitude: +(CENTER.lng + (r / 95) * Math.cos(a)).toFixed(6) };
}

/** `count` enterprises in four tiers with log-normal headcounts around each category's median. */
export function demoEnterprises(count: number, seed: number, tag: string): DemoEnterprise[] {
  const rand = seeded(seed);
  const out: DemoEnterprise[] = [];
  for (let i = 0; i < count; i++) {
    let pick = rand();
    const cat = CATEGORIES.find((c) => (pick -= c.share) < 0) ?? CATEGORIES[CATEGORIES.length - 1];
    const normal = Math.sqrt(-2 * Math.log(rand() || 1e-9)) * Math.cos(2 * Math.PI * rand());
    const registered = Math.max(5, Math.min(5000, Math.round(cat.medianStaff * Math.exp(0.8 * normal))));
    const headcount = Math.max(1, Math.round(registered * (0.55 + 0.4 * rand())));
    out.push({
      headcount,
      stock: rand() < 0.3 ? Math.round(headcount * rand() * 2) : 0,
      body: {
        name: `常州${cat.kind}企业${String(i + 1).padStart(4, '0')}有限公司`,
        creditCode: code(tag, i),
        address: `常州经开区${['横山桥', '遥观', '横林', '潞城', '丁堰'][i % 5]}镇工业路${(i % 300) + 1}号`,
        ...near(rand, 14),
        contactName: ['王芳', '李强', '张敏', '刘洋', '陈静'][i % 5],
        contactPhone: `+86 519 ${String(80000000 + i).slice(0, 4)} ${String(1000 + i).slice(-4)}`,
        registeredEmployees: registered,
        priorityCategory: cat.category,
        aboveScale: cat.category === 'above_scale',
      },
    });
  }
  return out;
}

/**
 * Six mask makers, four sanitizer makers that also fill disinfectant, and two disinfectant makers,
 * each with pickup windows. Every enterprise needs disinfectant: with two doors only, their slots
 * could not take all the pickups; sanitizer makers filling it too also save enterprises a trip.
 */
export function demoSuppliers(seed: number, tag: string): DemoSupplier[] {
  const rand = seeded(seed);
  const makers = [
    ...Array.from({ length: 6 }, (_, i) => ({ name: `常州康护口罩厂${i + 1}`, products: { 'MASK-MED': 1, 'MASK-KN95': i < 3 ? 1 : 0 } })),
    ...Array.from({ length: 4 }, (_, i) => ({ name: `常州洁康洗手液厂${i + 1}`, products: { 'SANITIZER-500': 1, 'DISINFECT-5L': 1 } })),
    ...Array.from({ length: 2 }, (_, i) => ({ name: `常州清源消毒剂厂${i + 1}`, products: { 'DISINFECT-5L': 1 } })),
  ];
  return makers.map((m, i) => ({
    capacityShare: m.products,
    body: {
      name: `${m.name}有限公司`,
      creditCode: code(tag, 900_000_000 + i),
      address: `常州经开区防疫物资产业园${i + 1}号`,
      ...near(rand, 10),
      contactName: '调度员',
      contactPhone: `+86 519 8666 ${String(1000 + i)}`,
      pickupSiteAddress: `常州经开区防疫物资产业园${i + 1}号 北门`,
      pickupWindows: i % 2 === 0 ? [{ start: '08:00', end: '12:00' }, { start: '13:30', end: '17:30' }] : [{ start: '07:30', end: '11:30' }, { start: '14:00', end: '18:00' }],
      slotMinutes: 15,
      vehiclesPerSlot: 30 + (i % 3) * 5,
    },
  }));
}
