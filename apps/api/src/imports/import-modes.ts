import { DomainError, needFor, type FieldProblem, type ReportKindName } from '#domain';
import type { DemandLine, ReportContent } from '#store';
import { MAX_LISTED_PROBLEMS, rowsInvalid } from './csv-table.js';
import { Problems, type CatalogueProduct, type ReportDraft } from './import-rows.js';

/**
 * What a file means for an organization that already reported for the date:
 * - `replace`: the file's rows are its whole report (products it leaves out are dropped);
 * - `merge`: the file's products replace or add lines of its latest version, the other lines are kept.
 */
export const IMPORT_MODES = ['replace', 'merge'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

type Line<K extends ReportKindName> = ReportContent<K>['lines'][number];

/** The latest version's lines whose product the file does not name for the organization. */
function leftOut<K extends ReportKindName>(draft: ReportDraft<K>, latest: ReportContent<K> | undefined): Line<K>[] {
  if (!latest) return [];
  const inFile = new Set(draft.content.lines.map((l) => l.productId));
  return (latest.lines as Line<K>[]).filter((l) => !inFile.has(l.productId));
}

/**
 * Without a mode a file may not drop lines silently: when it leaves out products that an
 * organization's latest version for the date has (a file split by product, say), it is refused
 * naming each such organization, since replacing and merging would both be plausible readings.
 */
export function assertNothingLeftOut<K extends ReportKindName>(drafts: readonly ReportDraft<K>[], latest: ReadonlyMap<string, ReportContent<K>>, serviceDate: string): void {
  const fields: FieldProblem[] = [];
  const codes: string[] = [];
  for (const draft of drafts) {
    const omitted = leftOut(draft, latest.get(draft.organizationId));
    if (omitted.length) {
      codes.push(draft.creditCode);
      fields.push({ field: `row ${draft.row}: creditCode`, reason: `${draft.creditCode}: the latest version for the date also has ${omitted.map((l) => l.productCode).join(', ')}` });
    }
  }
  if (!fields.length) return;
  const named = codes.slice(0, 5);
  const more = fields.length > named.length ? ` and ${fields.length - named.length} more` : '';
  throw new DomainError(
    'unprocessable',
    'IMPORT_MODE_REQUIRED',
    `${fields.length} organization${fields.length === 1 ? '' : 's'} of the file (${named.join(', ')}${more}) already reported products for ${serviceDate} that the file leaves out; ` +
      'send mode=merge to keep those lines or mode=replace to make the file their whole report. Nothing was imported',
    fields.slice(0, MAX_LISTED_PROBLEMS),
    { count: fields.length },
  );
}

/** Capacity merged into the latest versions: the file's lines replace those of their product, the others stay. */
export function mergeCapacity(drafts: readonly ReportDraft<'capacity'>[], latest: ReadonlyMap<string, ReportContent<'capacity'>>): ReportDraft<'capacity'>[] {
  return drafts.map((d) => ({ ...d, content: { lines: [...d.content.lines, ...leftOut(d, latest.get(d.organizationId))] } }));
}

/**
 * Demand merged into the latest versions. The file states the headcount, and a kept line's need
 * follows the headcount, so each kept line is worked out again with it (and refused, on the
 * enterprise's first row, when its stated quantity is above the new cap).
 */
export function mergeDemand(
  drafts: readonly ReportDraft<'demand'>[],
  latest: ReadonlyMap<string, ReportContent<'demand'>>,
  catalogue: ReadonlyMap<string, CatalogueProduct>,
): ReportDraft<'demand'>[] {
  const problems = new Problems();
  const merged = drafts.map((d) => {
    const { headcount } = d.content;
    const kept = leftOut(d, latest.get(d.organizationId)).map((line): DemandLine => {
      const product = catalogue.get(line.productCode);
      // A product since taken out of the catalogue has no norm to work the need out with: its line stays as stated.
      if (!product) return line;
      try {
        return { ...line, need: needFor(headcount, product, line, 'headcount') };
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const reason = `${err.message}; that line is kept from the latest version: put ${line.productCode} in the file or use mode=replace`;
        problems.add(d.row, 'headcount', reason, { code: err.code, params: err.params });
        return line;
      }
    });
    return { ...d, content: { headcount, lines: [...d.content.lines, ...kept] } };
  });
  const { problems: listed, badRows } = problems.result([], []);
  if (listed.length) throw rowsInvalid(listed, badRows);
  return merged;
}
