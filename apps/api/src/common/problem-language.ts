import { DomainError, fieldReasonZh, PROBLEM_TEXTS_ZH, problemTextZh, type FieldProblem, type ProblemCode } from '#domain';

/** The languages a problem is written in: English unless the caller prefers Chinese. */
export type ProblemLanguage = 'en' | 'zh-CN';

/**
 * The language of a problem from `Accept-Language` (RFC 9110: the highest q-value wins, q=0 is
 * "not this one", equal q keep their order). Any `zh` tag (zh, zh-CN, zh-Hans, zh-Hans-CN, …)
 * gets Simplified Chinese, the only Chinese written; `en`, `*`, anything else or nothing gets English.
 * @example problemLanguage('en;q=0.5, zh-CN') // 'zh-CN'
 */
export function problemLanguage(acceptLanguage: string | undefined): ProblemLanguage {
  if (!acceptLanguage) return 'en';
  const ranges = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.tag && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranges) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-') || tag === '*') return 'en';
  }
  return 'en';
}

/** Codes whose detail is a list of field problems: in Chinese the detail lists them too. */
const LISTS_FIELDS = new Set<ProblemCode>(['VALIDATION_FAILED', 'INVALID_INPUT', 'IMPORT_HEADER_INVALID']);

function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEM_TEXTS_ZH, code);
}

/**
 * The Chinese title, detail and field reasons of a problem the API answers (its `code` unchanged).
 * A field reason that is another problem's (an import row) is that problem's text; a validation
 * reason is translated by what it says; any other is the error's own detail, which is about it.
 */
export function problemInChinese(
  code: string,
  err: unknown,
  english: { title: string; detail: string; errors?: FieldProblem[] },
): { title: string; detail: string; errors?: FieldProblem[] } {
  if (!isProblemCode(code)) return english;
  const params = err instanceof DomainError ? err.params : {};
  const { title, detail } = problemTextZh(code, params);
  if (!(err instanceof DomainError) || err.fields.length === 0) return { title, detail, ...(english.errors ? { errors: english.errors } : {}) };
  const errors = err.fields.map((f) => ({ field: f.field, reason: reasonInChinese(f, err, detail) }));
  const listed = LISTS_FIELDS.has(code) ? `${title}：${errors.map((e) => `${e.field}：${e.reason}`).join('；')}` : detail;
  return { title, detail: listed, errors: english.errors ? errors.slice(0, english.errors.length) : undefined };
}

function reasonInChinese(f: FieldProblem, err: DomainError, detail: string): string {
  if (f.code) return problemTextZh(f.code, f.params).detail;
  if (f.reason === err.message) return detail;
  return fieldReasonZh(f.reason) ?? (LISTS_FIELDS.has(err.code) ? `取值无效（${f.reason}）` : detail);
}
