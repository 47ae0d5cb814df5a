import { ref } from 'vue';
import { messages, type Locale } from './messages';

const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('ppe.locale') : null;
/** Chinese first; English is a switch kept in the browser. */
export const locale = ref<Locale>(saved === 'en' ? 'en' : 'zh');

export function setLocale(l: Locale): void {
  locale.value = l;
  localStorage.setItem('ppe.locale', l);
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
}

/**
 * The text of a key in the current locale, with {name} placeholders filled. A key missing from
 * the dictionary comes back as itself, which the browser tests look for on every page.
 */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const text = messages[locale.value][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => (name in params ? String(params[name]) : `{${name}}`));
}

/** Whether a key has a text (e.g. a problem code the API may answer). */
export function has(key: string): boolean {
  return key in messages[locale.value];
}
