import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsNumber,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { DomainError, PROBLEM_CODES, PROBLEM_TEXTS_ZH, type FieldProblem } from '#domain';
import { toProblem } from './problem-details.filter.js';
import { problemLanguage } from './problem-language.js';
import { createValidationPipe } from './validation.js';
import { IsCreditCode, IsNotBlank, IsServiceDate, IsTimeOfDay, IsTimeZone } from './validators.js';

/** Every code written at a throw site of the API, the store or the domain, read from the source. */
function codesInSource(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') && !p.endsWith('.spec.ts') ? [p] : [];
    });
  const codes = new Set<string>();
  for (const file of [...walk('apps/api/src'), ...walk('libs/store/src'), ...walk('libs/domain/src')]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:new DomainError\(\s*'[a-z_]+',\s*|DomainError\.rule\(\s*|DomainError\.notFound\([^,()]+,\s*)'([A-Z][A-Z0-9_]+)'/g)) codes.add(m[1]);
    for (const m of text.matchAll(/\bconflict: \{ code: '([A-Z][A-Z0-9_]+)'|^\s+code: '([A-Z][A-Z0-9_]+)',$/gm)) codes.add(m[1] ?? m[2]);
  }
  for (const m of readFileSync('libs/matching/src/override-fit.ts', 'utf8').matchAll(/\| '([A-Z][A-Z0-9_]+)'/g)) codes.add(m[1]);
  return [...codes].sort();
}

const hasChinese = (s: string) => /\p{Script=Han}/u.test(s);

describe('problem language', () => {
  it('honours Accept-Language q-values; any zh tag is Chinese, English otherwise', () => {
    expect(problemLanguage(undefined)).toBe('en');
    expect(problemLanguage('zh-CN')).toBe('zh-CN');
    expect(problemLanguage('zh')).toBe('zh-CN');
    expect(problemLanguage('zh-Hans-CN,zh;q=0.9')).toBe('zh-CN');
    expect(problemLanguage('en;q=0.5, zh-CN;q=0.8')).toBe('zh-CN');
    expect(problemLanguage('zh-CN;q=0.3, en-US;q=0.9')).toBe('en');
    expect(problemLanguage('zh;q=0, en')).toBe('en');
    expect(problemLanguage('fr, zh-Hans;q=0.2')).toBe('zh-CN');
    expect(problemLanguage('fr-FR, de')).toBe('en');
    expect(problemLanguage('*')).toBe('en');
  });

  it('every code the API can raise is in the one list, and every listed code has a Chinese text', () => {
    const listed = new Set<string>(PROBLEM_CODES);
    expect(codesInSource().filter((c) => !listed.has(c))).toEqual([]);
    for (const http of [new NotFoundException(), new PayloadTooLargeException(), new UnsupportedMediaTypeException(), { status: 400 }]) {
      expect(listed.has(toProblem(http).code)).toBe(true);
    }
    for (const code of PROBLEM_CODES) {
      const texts = PROBLEM_TEXTS_ZH[code];
      for (const text of typeof texts === 'string' ? [texts] : texts) expect([code, hasChinese(text)]).toEqual([code, true]);
    }
  });

  it('a Chinese problem keeps its code and status and names the error’s values', () => {
    const err = DomainError.rule('HEADCOUNT_ABOVE_REGISTERED', 'headcount', 'Headcount 120 exceeds the 100 registered employees', { headcount: 120, registered: 100 });
    const en = toProblem(err);
    const zh = toProblem(err, 'zh-CN');
    expect([zh.code, zh.status, zh.type]).toEqual([en.code, en.status, en.type]);
    expect(zh.detail).toBe('在岗人数 120 超过登记的员工人数 100');
    expect(zh.errors).toEqual([{ field: 'headcount', reason: '在岗人数 120 超过登记的员工人数 100' }]);
    // Without its values the sentence stays true rather than showing placeholders.
    expect(toProblem(DomainError.rule('HEADCOUNT_ABOVE_REGISTERED', 'headcount', 'too many'), 'zh-CN').detail).toBe('在岗人数不能超过登记的员工人数');
  });

  it('an import row’s problem is translated by its own code, and never sent with it', () => {
    const rows: FieldProblem[] = [{ field: 'row 3: productCode', reason: 'Product X is not in this zone’s catalogue', code: 'UNKNOWN_PRODUCT', params: { productCode: 'X' } }];
    const err = new DomainError('unprocessable', 'IMPORT_ROWS_INVALID', '1 row of the file is invalid', rows, { badRows: 1 });
    expect(toProblem(err).errors).toEqual([{ field: 'row 3: productCode', reason: 'Product X is not in this zone’s catalogue' }]);
    expect(toProblem(err, 'zh-CN')).toMatchObject({ detail: '导入文件中有 1 行错误，未导入任何内容', errors: [{ field: 'row 3: productCode', reason: '物资 X 不在本园区的目录中' }] });
  });

  it('translates the field reasons of the constraints the API uses', async () => {
    class Line {
      @IsInt() @Min(0) @Max(10) units!: number;
    }
    class Body {
      @IsString() @MinLength(2) @MaxLength(3) name!: string;
      @IsNotBlank() label!: string;
      @IsUUID() id!: string;
      @IsIn(['a', 'b']) kind!: string;
      @IsEnum({ X: 'x' }) mode!: string;
      @IsNumber() ratio!: number;
      @IsBoolean() flag!: boolean;
      @IsLatitude() latitude!: number;
      @IsLongitude() longitude!: number;
      @IsServiceDate() serviceDate!: string;
      @IsTimeOfDay() cutoffTime!: string;
      @IsTimeZone() timeZone!: string;
      @IsCreditCode() creditCode!: string;
      @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1) @ValidateNested({ each: true }) @Type(() => Line) lines!: Line[];
    }
    const body = {
      name: 'x', label: ' ', id: 'no', kind: 'c', mode: 'y', ratio: 'n', flag: 'n', latitude: 200, longitude: 200,
      serviceDate: '2026-02-30', cutoffTime: '25:00', timeZone: 'Mars/Base', creditCode: '123', lines: [{ units: 1.5 }, { units: -1 }], extra: 1,
    };
    const err = await createValidationPipe()
      .transform(body, { type: 'body', metatype: Body })
      .then(() => null, (e: unknown) => e);
    const zh = toProblem(err, 'zh-CN');
    expect(zh.code).toBe('VALIDATION_FAILED');
    const untranslated = (zh.errors ?? []).filter((e) => !hasChinese(e.reason) || e.reason.startsWith('取值无效'));
    expect(untranslated).toEqual([]);
    expect(zh.errors).toEqual(expect.arrayContaining([
      { field: 'name', reason: '长度不能少于 2 个字符' },
      { field: 'lines[1].units', reason: '不能小于 0' },
      { field: 'lines', reason: '最多 1 项' },
      { field: 'extra', reason: '不允许的字段' },
    ]));
    expect(zh.detail).toMatch(/^请求内容有误，请按字段说明修改：/);
  });
});
