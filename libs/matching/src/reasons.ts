/**
 * Every machine code a `Reason` can carry: why an input is invalid (`status: 'invalid'`), why a
 * pinned pickup found no slot (`'infeasible'`), or what a correction of a published day notes. Listed so that callers (the API's document) can name
 * them as an enum; the compiler keeps the list whole, since a reason's code must be one of them.
 */
export const REASON_CODES = [
  // The input as a whole and the options
  'NOT_AN_OBJECT',
  'MISSING_FIELD',
  'INVALID_OPTION',
  'INVALID_SETTING',
  // Products, enterprises, suppliers
  'INVALID_PRODUCT',
  'DUPLICATE_PRODUCT',
  'INVALID_PACK_SIZE',
  'INVALID_ENTERPRISE',
  'DUPLICATE_ENTERPRISE',
  'INVALID_TIER',
  'INVALID_LOCATION',
  'INVALID_QUANTITIES',
  'INVALID_QUANTITY',
  'INVALID_SUPPLIER',
  'DUPLICATE_SUPPLIER',
  'INVALID_WINDOW',
  'INVALID_SLOT_MINUTES',
  'INVALID_VEHICLES',
  'UNKNOWN_PRODUCT',
  'UNKNOWN_ENTERPRISE',
  'UNKNOWN_SUPPLIER',
  // Overrides
  'INVALID_OVERRIDES',
  'DUPLICATE_OVERRIDE',
  'PIN_EXCLUDED_CONFLICT',
  'PIN_NOT_WHOLE_PACKS',
  'PIN_ABOVE_CAPACITY',
  'PIN_ABOVE_NEED',
  'PINNED_PICKUP_UNSLOTTED',
  // Corrections of a published day
  'INVALID_CORRECTION',
  'INVALID_PUBLISHED_LINE',
  'DUPLICATE_PUBLISHED_LINE',
  'INVALID_PUBLISHED_APPOINTMENT',
  'DUPLICATE_PUBLISHED_APPOINTMENT',
  'INVALID_CONFIRMED',
  'DUPLICATE_CONFIRMED',
  'CONFIRMED_NOT_PUBLISHED',
  'CONFIRMED_NOT_WHOLE_PACKS',
  'CONFIRMED_ABOVE_CAPACITY',
  // Notes of a correction: what it could not keep or had to change
  'PAIR_EXCLUDED',
  'ABOVE_NEED',
  'CAPACITY_BELOW_PLAN',
  'SLOTS_CHANGED',
  'CONFIRMED_SHORT',
  'PIN_NOT_MET',
  'PIN_AFTER_PICKUP',
  'PIN_CUT',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];
