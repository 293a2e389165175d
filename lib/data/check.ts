/**
 * Argument checks shared by the data functions, built on lib/validate.ts. Internal: not part
 * of the public API.
 */
import { checkInteger, checkKnownKeys, rangeError, typeError } from '../validate';

/** Checks a file path: a non-empty string. */
export function checkPath(name: string, value: unknown): string {
  if (typeof value !== 'string') throw typeError(name, 'a file path (string)', value);
  if (value.length === 0) throw rangeError(name, 'a non-empty file path', value);
  return value;
}

/** Checks an options argument: undefined (meaning {}) or a plain object with known keys. */
export function checkOptions<T extends object>(
  context: string,
  value: unknown,
  known: readonly string[],
): Partial<T> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw typeError(`the options of ${context}`, 'an object', value);
  }
  checkKnownKeys(context, value, known);
  return value as Partial<T>;
}

/** Checks an optional boolean option, returning fallback when it is undefined. */
export function optionalBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw typeError(name, 'a boolean', value);
  return value;
}

/** Checks an optional integer option within [min, max], returning fallback when undefined. */
export function optionalInteger(
  name: string,
  value: unknown,
  fallback: number,
  min?: number,
  max?: number,
): number {
  return value === undefined ? fallback : checkInteger(name, value, min, max);
}

/** Checks an optional string option, returning fallback when it is undefined. */
export function optionalString(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw typeError(name, 'a string', value);
  return value;
}
