import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '#domain';

/** Deeper than any body the API accepts; class-transformer recurses per level and overflows the stack near 2,000. */
export const MAX_JSON_DEPTH = 32;

/** Keys that reach object prototypes when copied by class-transformer or Object.assign. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The first thing in a parsed body or query that no endpoint accepts, as `path: reason`, or null.
 * Strings with NUL (PostgreSQL refuses 0x00 in text) or lone surrogates (not UTF-8) are refused
 * rather than stored mangled. Iterative, so a deep document cannot exhaust the stack here.
 * @example findUnsafeInput({ name: 'a\u0000b' }) // 'name: contains a NUL character'
 */
export function findUnsafeInput(root: unknown): string | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) return `${path || 'value'}: ${problem}`;
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return `${path || 'body'}: nested deeper than ${MAX_JSON_DEPTH} levels`;
    for (const key of Object.keys(value)) {
      const at = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) return `${at}: this key is not accepted`;
      const problem = textProblem(key);
      if (problem) return `${path || 'body'}: a key ${problem}`;
      stack.push({ value: (value as Record<string, unknown>)[key], path: at, depth: depth + 1 });
    }
  }
  return null;
}

function textProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'contains a NUL character';
  // With the u flag a surrogate pair is one code point, so only a lone surrogate matches Cs.
  if (/\p{Cs}/u.test(s)) return 'contains a lone UTF-16 surrogate';
  return null;
}

/**
 * Express middleware after the body parsers: refuses unsafe bodies, query strings and paths with
 * 400 INVALID_INPUT before any route, pipe or database sees them.
 */
export function inputGuard(req: Request, _res: Response, next: NextFunction): void {
  const problem =
    (/%00/.test(req.originalUrl) ? 'url: contains a NUL character' : null) ??
    findUnsafeInput(req.query) ??
    findUnsafeInput(req.body);
  if (!problem) return next();
  const [field, reason] = problem.split(/: (.*)/s);
  next(new DomainError('invalid', 'INVALID_INPUT', `Invalid request: ${problem}`, [{ field, reason }]));
}
