/**
 * The one argument checker of Lamina. Every public function validates its arguments through
 * these helpers before anything crosses into native code. Messages name the parameter, what
 * was expected and what was received (with its type): TypeError for a wrong type, RangeError
 * for a value out of range.
 */

/** Describes a received value for an error message: `5 (number)`, `"abc" (string)`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `${JSON.stringify(value)} (string)`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${String(value)} (${typeof value})`;
  }
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    const length = (value as unknown as { length?: number }).length;
    return `a ${value.constructor.name} of length ${length ?? value.byteLength}`;
  }
  if (typeof value === 'function') return `a function ${value.name || '(anonymous)'}`;
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

/** Like describe, but writes an array out: `[1, 3]`. */
export function describeList(value: unknown): string {
  return Array.isArray(value) ? `[${value.join(', ')}]` : describe(value);
}

/** Throws a TypeError: expected EXPECTED for NAME but received VALUE. */
export function typeError(name: string, expected: string, value: unknown): TypeError {
  return new TypeError(`Expected ${expected} for ${name} but received ${describe(value)}`);
}

/** Throws a RangeError: expected EXPECTED for NAME but received VALUE. */
export function rangeError(name: string, expected: string, value: unknown): RangeError {
  return new RangeError(`Expected ${expected} for ${name} but received ${describe(value)}`);
}

/** Checks an integer within [min, max]. */
export function checkInteger(
  name: string,
  value: unknown,
  min = -Number.MAX_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw typeError(name, 'an integer', value);
  if (!Number.isInteger(value) || value < min || value > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw rangeError(name, range, value);
  }
  return value;
}

/** Checks a finite number within [min, max]. */
export function checkNumber(name: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw typeError(name, 'a number', value);
  if (!Number.isFinite(value) || value < min || value > max) {
    const range =
      max === Infinity
        ? min === -Infinity
          ? 'a finite number'
          : `a number >= ${min}`
        : `a number in [${min}, ${max}]`;
    throw rangeError(name, range, value);
  }
  return value;
}

/** Checks a fraction in [0, 1): a number from 0 up to but not including 1. */
export function checkFraction(name: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw typeError(name, 'a number', value);
  if (!(value >= 0 && value < 1)) throw rangeError(name, 'a number in [0, 1)', value);
  return value;
}

/** Checks a boolean. */
export function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw typeError(name, 'a boolean', value);
  return value;
}

/** Checks a string that is one of the choices. */
export function checkChoice<T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  const list = choices.map((choice) => `'${choice}'`).join(', ');
  if (typeof value !== 'string') throw typeError(name, `one of ${list}`, value);
  if (!choices.includes(value as T)) throw rangeError(name, `one of ${list}`, value);
  return value as T;
}

/** Checks a Float32Array of at least minLength elements. */
export function checkFloat32Array(name: string, value: unknown, minLength = 0): Float32Array {
  if (!(value instanceof Float32Array)) throw typeError(name, 'a Float32Array', value);
  if (value.length < minLength) {
    throw rangeError(name, `a Float32Array of at least ${minLength} elements`, value);
  }
  return value;
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** The closest of the candidates to name, when it is close enough to be a likely typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(2, Math.floor(name.length / 3));
  return bestDistance <= limit ? best : undefined;
}

/** Throws for keys of options that are not in known, suggesting the closest valid name. */
export function checkKnownKeys(context: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const suggestion = closest(key, known);
    const hint = suggestion ? `; did you mean '${suggestion}'?` : `; valid names: ${known.join(', ')}`;
    throw new TypeError(`Unknown parameter '${key}' for ${context}${hint}`);
  }
}
