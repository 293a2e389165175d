/**
 * Shared pieces of the parity suite (the JS backend against the native one): loading the
 * native backend or saying why it cannot run, and comparisons that print what they found.
 *
 * The suite skips itself when lib/backend/native cannot be loaded or exports no
 * nativeBackend. LAMINA_PARITY_SELFTEST=1 runs it with the JS backend on both sides, which
 * checks the suite itself (every difference is then 0).
 */
import * as assert from 'assert';
import type { Backend, ParamTensor } from '../../lib/backend/backend';
import { jsBackend } from '../../lib/backend/js';

/** The backend to compare with, or why there is none. */
export function loadOtherBackend(): { backend: Backend | null; reason: string } {
  if (process.env.LAMINA_PARITY_SELFTEST === '1') {
    return { backend: jsBackend, reason: 'self-test: the JS backend on both sides' };
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const module = require('../../lib/backend/native') as { nativeBackend?: Backend };
    if (!module.nativeBackend) {
      return { backend: null, reason: 'lib/backend/native exports no nativeBackend yet' };
    }
    return { backend: module.nativeBackend, reason: '' };
  } catch (error) {
    return {
      backend: null,
      reason: `lib/backend/native cannot be loaded: ${(error as Error).message}`,
    };
  }
}

/** Prints a line under the running test (the suite reports its largest differences). */
export function note(text: string): void {
  console.log(`        ${text}`);
}

export interface Largest {
  value: number;
  where: string;
  actual: number;
  expected: number;
}

/** Largest |a - b| / (1 + |b|) over the arrays. */
export function largestRelative(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  label: string,
): Largest {
  assert.strictEqual(a.length, b.length, `${label}: lengths differ`);
  let worst: Largest = { value: 0, where: `${label} (all equal)`, actual: NaN, expected: NaN };
  for (let i = 0; i < a.length; i++) {
    const difference = Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i]));
    if (!(difference <= worst.value)) {
      worst = {
        value: Number.isNaN(difference) ? Infinity : difference,
        where: `${label}[${i}]`,
        actual: a[i],
        expected: b[i],
      };
    }
  }
  return worst;
}

/**
 * Largest |a - b| / max(|a|, |b|) over the tensor: differences relative to the largest
 * magnitude in either (so a tensor of zeros against a real one reads as 1, not 1e30).
 */
export function largestScaled(a: ArrayLike<number>, b: ArrayLike<number>, label: string): Largest {
  assert.strictEqual(a.length, b.length, `${label}: lengths differ`);
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(a[i]), Math.abs(b[i]));
  let worst: Largest = { value: 0, where: `${label} (all equal)`, actual: NaN, expected: NaN };
  for (let i = 0; i < a.length; i++) {
    const difference = Math.abs(a[i] - b[i]) / Math.max(scale, 1e-30);
    if (!(difference <= worst.value)) {
      worst = {
        value: Number.isNaN(difference) ? Infinity : difference,
        where: `${label}[${i}]`,
        actual: a[i],
        expected: b[i],
      };
    }
  }
  return worst;
}

/** The worse of two findings. */
export function worse(a: Largest, b: Largest): Largest {
  return b.value > a.value ? b : a;
}

/** Asserts a finding is within tolerance; the message names the element and both values. */
export function assertWithin(found: Largest, tolerance: number, what: string): void {
  assert.ok(
    found.value <= tolerance,
    `${what}: largest difference ${found.value.toExponential(3)} > tolerance ` +
      `${tolerance.toExponential(1)} at ${found.where} ` +
      `(js ${found.actual}, other ${found.expected})`,
  );
}

/** Compares two parameter lists tensor by tensor with largestRelative. */
export function compareParams(js: ParamTensor[], other: ParamTensor[]): Largest {
  assert.deepStrictEqual(
    js.map((p) => `${p.layer}.${p.name} [${p.shape.join(', ')}]`),
    other.map((p) => `${p.layer}.${p.name} [${p.shape.join(', ')}]`),
    'parameter lists differ',
  );
  let worst: Largest = { value: 0, where: 'all equal', actual: NaN, expected: NaN };
  js.forEach((p, i) => {
    worst = worse(worst, largestRelative(p.values, other[i].values, `${p.layer}.${p.name}`));
  });
  return worst;
}

/** before - after for each tensor: the gradient, after one sgd step with learning rate 1. */
export function stepGradients(before: ParamTensor[], after: ParamTensor[]): Float64Array[] {
  return before.map((p, i) => Float64Array.from(p.values, (v, j) => v - after[i].values[j]));
}
