import { registerDecorator, Matches, type ValidationOptions } from 'class-validator';
import { isCalendarDate, isValidCreditCode, isValidTimeZone, MAX_TIER, PRIORITY_CATEGORIES } from '#domain';

export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

export const IsTimeOfDay = (options?: ValidationOptions) =>
  Matches(TIME_OF_DAY, { message: '$property must be a local time HH:MM (00:00–23:59)', ...options });

function custom(name: string, message: string, test: (value: unknown) => boolean) {
  return (options?: ValidationOptions) => (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options: { message, ...options },
      validator: { validate: test },
    });
}

/**
 * Text with something visible in it: a name of spaces, tabs, zero-width or other format characters
 * would pass MinLength(1) and show as nothing in lists, exports and slips.
 */
export const IsNotBlank = custom('isNotBlank', '$property must not be blank', (v) => typeof v === 'string' && /[^\s\p{Z}\p{Cc}\p{Cf}]/u.test(v));

export const IsTimeZone = custom('isTimeZone', '$property must be an IANA time zone such as Asia/Shanghai', (v) => typeof v === 'string' && v.length <= 64 && isValidTimeZone(v));

export const IsServiceDate = custom('isServiceDate', '$property must be a calendar date YYYY-MM-DD', (v) => typeof v === 'string' && isCalendarDate(v));

export const IsCreditCode = custom(
  'isCreditCode',
  '$property must be an 18-character unified social credit code with a valid GB 32100-2015 check character',
  (v) => typeof v === 'string' && isValidCreditCode(v),
);

export const IsTierMapping = custom(
  'isTierMapping',
  `$property must map priority categories (${PRIORITY_CATEGORIES.join(', ')}) to tiers 1–${MAX_TIER}`,
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.keys(v).length > 0 &&
    Object.entries(v).every(
      ([k, t]) => (PRIORITY_CATEGORIES as readonly string[]).includes(k) && Number.isInteger(t) && (t as number) >= 1 && (t as number) <= MAX_TIER,
    ),
);
