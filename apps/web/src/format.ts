import { locale, t } from './i18n';

/** YYYY-MM-DD of an instant in a time zone. */
export function dateIn(timeZone: string, at: Date | string = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));
}

/** HH:MM of an instant in a time zone (the zone's, never the browser's). */
export function timeIn(timeZone: string, at: Date | string | null | undefined): string {
  if (!at) return '—';
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(at));
}

/** Date and time in the zone. */
export function dateTimeIn(timeZone: string, at: Date | string | null | undefined): string {
  if (!at) return '—';
  return `${dateIn(timeZone, at)} ${timeIn(timeZone, at)}`;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function num(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return n.toLocaleString(locale.value === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function pct(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return `${(n * 100).toFixed(1)}%`;
}

/** "3 小时 12 分" until an instant. */
export function countdown(ms: number): string {
  if (ms <= 0) return t('common.closed');
  const minutes = Math.floor(ms / 60000);
  return t('common.countdown', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** The product's name in the current language. */
export function productName(p: { nameZh: string; nameEn?: string; code: string } | undefined, code = ''): string {
  if (!p) return code;
  return locale.value === 'zh' ? p.nameZh : (p.nameEn ?? p.nameZh);
}

/** Units the catalogue names in English (piece, bottle, can…) said in Chinese; a unit typed in Chinese, or unknown, stays as typed. */
const UNITS_ZH: Record<string, string> = { piece: '只', pcs: '只', bottle: '瓶', can: '桶', barrel: '桶', box: '盒', pack: '包', bag: '袋', pair: '副', set: '套', litre: '升', liter: '升', l: '升', kg: '千克' };
export function unitName(unit: string): string {
  return locale.value === 'zh' ? (UNITS_ZH[unit.trim().toLowerCase()] ?? unit) : unit;
}
