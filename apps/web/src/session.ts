import { computed, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { api, ApiProblem, ok, type Schemas } from './api/client';
import { has, locale, t } from './i18n';

export type Context = Schemas['ConsoleContextView'];
export type Product = Schemas['ProductView'];

/** Who is signed in, their zone and organization, and the zone's "today" by the server's clock. */
export const ctx = ref<Context | null>(null);
export const products = ref<Product[]>([]);
export const tz = computed(() => ctx.value?.zone?.timeZone ?? 'Asia/Shanghai');

export async function loadContext(): Promise<Context | null> {
  try {
    ctx.value = await ok(api.GET('/console/context'));
    if (ctx.value.zone) products.value = await ok(api.GET('/zones/{zoneId}/products', { params: { path: { zoneId: ctx.value.zone.id } } }));
  } catch (e) {
    if (e instanceof ApiProblem && e.status === 401) ctx.value = null;
    else throw e;
  }
  return ctx.value;
}

export function productOf(code: string): Product | undefined {
  return products.value.find((p) => p.code === code);
}

export function homeOf(role: string | undefined): string {
  if (role === 'enterprise') return '/app/enterprise/report';
  if (role === 'supplier') return '/app/maker/pickups';
  if (role === 'coordinator' || role === 'admin') return '/app/coord/day';
  return '/app/sign-in';
}

/** A field path from the API (lines[0].statedQuantity) in words. */
export function fieldText(field: string): string {
  const m = /^(\w+)\[(\d+)\]\.(\w+)$/.exec(field);
  if (m) return t('field.line', { n: Number(m[2]) + 1, field: t(`field.${m[3]}`) });
  return has(`field.${field}`) ? t(`field.${field}`) : field;
}

/** A problem in the current language: Chinese texts by its stable code, the API's own detail in English. */
export function problemText(e: unknown): string {
  if (!(e instanceof ApiProblem)) return t('problem.UNEXPECTED');
  if (locale.value === 'en') return e.detail;
  const main = has(`problem.${e.code}`) ? t(`problem.${e.code}`) : t('problem.UNKNOWN', { status: e.status });
  const fields = [...new Set(e.fields.map((f) => fieldText(f.field)))];
  return fields.length ? `${main}（${fields.join('、')}）` : main;
}

export function showProblem(e: unknown): void {
  ElMessage({ type: 'error', message: problemText(e), duration: 6000, showClose: true, customClass: 'problem-message' });
}

export function showDone(key: string, params: Record<string, string | number> = {}): void {
  // A refusal still on screen from the previous try would contradict the success.
  ElMessage.closeAll('error');
  ElMessage({ type: 'success', message: t(key, params) });
}
