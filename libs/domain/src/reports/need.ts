import { DomainError } from '../errors.js';

/** What the need rule reads of a catalogue product. */
export interface NormedProduct {
  code: string;
  /** Units one worker on site uses in a day. */
  normPerWorker: number;
  /** How far above headcount × norm a stated quantity may go. */
  capFactor: number;
}

// Guards float noise such as 0.1 × 30 = 3.0000000000000004 before rounding.
const EPSILON = 1e-9;

/** Units the headcount uses in a day: ceil(headcount × norm). */
export function normNeed(headcount: number, product: Pick<NormedProduct, 'normPerWorker'>): number {
  return Math.ceil(headcount * product.normPerWorker - EPSILON);
}

/** The largest quantity an enterprise may state: floor(headcount × norm × cap factor). */
export function statedLimit(headcount: number, product: Pick<NormedProduct, 'normPerWorker' | 'capFactor'>): number {
  return Math.floor(headcount * product.normPerWorker * product.capFactor + EPSILON);
}

/**
 * The need allocation uses: the stated quantity when given (refused above the cap, since nothing
 * else stops an inflated request), otherwise headcount × norm − stock on hand, never below 0.
 */
export function needFor(headcount: number, product: NormedProduct, line: { statedQuantity?: number | null; stockOnHand?: number }, field: string): number {
  if (line.statedQuantity === undefined || line.statedQuantity === null) {
    return Math.max(0, normNeed(headcount, product) - (line.stockOnHand ?? 0));
  }
  const limit = statedLimit(headcount, product);
  if (line.statedQuantity > limit) {
    throw DomainError.rule(
      'STATED_QUANTITY_ABOVE_CAP',
      field,
      `Stated quantity ${line.statedQuantity} of ${product.code} exceeds the limit ${limit} (headcount ${headcount} × norm ${product.normPerWorker} × cap factor ${product.capFactor})`,
      { productCode: product.code, statedQuantity: line.statedQuantity, limit, headcount, norm: product.normPerWorker, capFactor: product.capFactor },
    );
  }
  return line.statedQuantity;
}

/**
 * An enterprise cannot have more people on site than it registered: the headcount drives the
 * derived need and the cap on stated quantities, so an inflated one would inflate both. Returns
 * the headcount, accepted.
 */
export function checkHeadcount(headcount: number, registeredEmployees: number | null, field: string): number {
  const registered = registeredEmployees ?? 0;
  if (headcount > registered) {
    throw DomainError.rule('HEADCOUNT_ABOVE_REGISTERED', field, `Headcount ${headcount} exceeds the ${registered} registered employees`, { headcount, registered });
  }
  return headcount;
}
