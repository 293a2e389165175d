/**
 * Numeric comparison for tests: every check states its tolerance and, when it fails, prints
 * the largest difference and where it was.
 */
import * as assert from 'assert';

export interface Difference {
  max: number;
  index: number;
  actual: number;
  expected: number;
}

/** Largest |actual - expected| / (1 + |expected|) over the arrays. */
export function largestDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): Difference {
  assert.strictEqual(actual.length, expected.length, 'arrays differ in length');
  let worst: Difference = { max: 0, index: -1, actual: NaN, expected: NaN };
  for (let i = 0; i < actual.length; i++) {
    const difference = Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i]));
    if (!(difference <= worst.max)) {
      worst = { max: Number.isNaN(difference) ? Infinity : difference, index: i, actual: actual[i], expected: expected[i] };
    }
  }
  return worst;
}

/** Asserts the arrays agree within tolerance (relative to 1 + |expected|). */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  what = 'values',
): void {
  const worst = largestDifference(actual, expected);
  assert.ok(
    worst.max <= tolerance,
    `${what}: largest difference ${worst.max.toExponential(3)} > tolerance ` +
      `${tolerance.toExponential(1)} at index ${worst.index} ` +
      `(actual ${worst.actual}, expected ${worst.expected})`,
  );
}

/** Deterministic test data in [-1, 1). */
export function randomArray(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2147483648 - 1;
  }
  return out;
}
