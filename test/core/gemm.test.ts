import * as assert from 'assert';
import { buildInfo, gemm, GemmOptions } from '../../lib';
import { assertClose, randomArray } from '../helpers/numeric';

// A float32 product of length K accumulates rounding ~ sqrt(K) * 2^-24 relative to the
// magnitudes involved (|sum| grows like sqrt(K) for inputs in [-1, 1)); 1e-4 relative to
// (1 + |expected|) covers K = 5000 with a wide margin.
const TOLERANCE = 1e-4;

const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1],
  [7, 13, 5],
  [6, 16, 1],
  [17, 33, 300],
  [129, 257, 65],
  [300, 20, 513],
  // few output tiles and a long K: the built-in GEMM splits K across threads
  [32, 25, 5000],
];

const providers = (): Array<'builtin' | 'openblas' | 'auto'> =>
  buildInfo().gemm === 'openblas' ? ['auto', 'builtin', 'openblas'] : ['auto', 'builtin'];

function check(m: number, n: number, k: number, options: GemmOptions): void {
  const a = randomArray(m * k, m * 31 + k);
  const b = randomArray(k * n, n * 17 + k);
  const start = randomArray(m * n, m + n);
  const expected = Float32Array.from(start);
  gemm(m, n, k, a, b, expected, { ...options, provider: 'reference' });
  const actual = Float32Array.from(start);
  gemm(m, n, k, a, b, actual, options);
  const label = `${options.provider} ${m}x${n}x${k} transA=${options.transA} transB=${options.transB}`;
  assertClose(actual, expected, TOLERANCE, label);
}

describe('gemm', () => {
  for (const [m, n, k] of SHAPES) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`matches the reference for ${m}x${n}x${k}, transA=${transA}, transB=${transB}`, () => {
          for (const provider of providers()) check(m, n, k, { transA, transB, provider });
        });
      }
    }
  }

  it('applies alpha and beta', () => {
    for (const provider of providers()) {
      check(33, 21, 40, { alpha: 0.5, beta: 2, provider });
      check(33, 21, 40, { alpha: -1.5, beta: -0.25, transA: true, provider });
    }
  });

  it('overwrites C when beta is 0, ignoring NaN already there', () => {
    for (const provider of providers()) {
      const c = new Float32Array(4).fill(NaN);
      gemm(2, 2, 2, new Float32Array([1, 2, 3, 4]), new Float32Array([1, 0, 0, 1]), c, { provider });
      assert.deepStrictEqual(Array.from(c), [1, 2, 3, 4], provider);
    }
  });

  it('scales C by beta when k is 0', () => {
    for (const provider of providers()) {
      const c = new Float32Array([1, 2, 3]);
      gemm(3, 1, 0, new Float32Array(0), new Float32Array(0), c, { beta: 2, provider });
      assert.deepStrictEqual(Array.from(c), [2, 4, 6], provider);
    }
  });

  it('runs the README example', () => {
    const c = new Float32Array(4);
    gemm(2, 2, 2, new Float32Array([1, 2, 3, 4]), new Float32Array([1, 0, 0, 1]), c);
    assert.deepStrictEqual(Array.from(c), [1, 2, 3, 4]);
  });

  describe('bad input', () => {
    const a = new Float32Array(4);
    it('rejects a negative size with a RangeError naming it', () => {
      assert.throws(() => gemm(-1, 2, 2, a, a, a), {
        name: 'RangeError',
        message: 'Expected an integer >= 0 for m but received -1 (number)',
      });
    });
    it('rejects a non-integer size with a RangeError', () => {
      assert.throws(() => gemm(2, 2.5, 2, a, a, a), {
        name: 'RangeError',
        message: 'Expected an integer >= 0 for n but received 2.5 (number)',
      });
    });
    it('rejects a size of the wrong type with a TypeError', () => {
      assert.throws(() => gemm(2, 2, '2' as unknown as number, a, a, a), {
        name: 'TypeError',
        message: 'Expected an integer for k but received "2" (string)',
      });
    });
    it('rejects an array that is not a Float32Array', () => {
      assert.throws(() => gemm(2, 2, 2, [1, 2, 3, 4] as unknown as Float32Array, a, a), {
        name: 'TypeError',
        message: 'Expected a Float32Array for a but received an array of length 4',
      });
    });
    it('rejects an array too short for the sizes', () => {
      assert.throws(() => gemm(3, 2, 2, new Float32Array(5), a, new Float32Array(6)), {
        name: 'RangeError',
        message: 'Expected a Float32Array of at least 6 elements for a but received a Float32Array of length 5',
      });
    });
    it('rejects an unknown provider', () => {
      assert.throws(() => gemm(2, 2, 2, a, a, a, { provider: 'mkl' as 'auto' }), {
        name: 'RangeError',
        message: "Expected one of 'auto', 'builtin', 'openblas', 'reference' for provider but received \"mkl\" (string)",
      });
    });
    it('rejects a misspelled option, suggesting the right one', () => {
      assert.throws(() => gemm(2, 2, 2, a, a, a, { transa: true } as never), {
        name: 'TypeError',
        message: "Unknown parameter 'transa' for gemm; did you mean 'transA'?",
      });
      assert.throws(() => gemm(2, 2, 2, a, a, a, 'transA' as never), {
        name: 'TypeError',
        message: /^Expected an object for the options of gemm but received "transA" \(string\)$/,
      });
    });
    it('says how to get OpenBLAS when the build has none', function () {
      if (buildInfo().gemm === 'openblas') this.skip();
      assert.throws(() => gemm(2, 2, 2, a, a, a, { provider: 'openblas' }), /install libopenblas-dev/);
    });
  });
});
