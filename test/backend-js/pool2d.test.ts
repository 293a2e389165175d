import * as assert from 'assert';
import type { Pool2DLayerSpec } from '../../lib/backend/backend';
import { Pool2DLayer, poolOutputLength } from '../../lib/backend/js/pool2d';
import { Rng } from '../../lib/rng';
import { assertGradientReport, checkLayerGradients } from '../helpers/gradient-check';
import { PoolOptions, SpecBuilder } from '../helpers/spec';

const NO_DROPOUT = { training: false, dropoutRng: null };

function poolLayer(
  kind: 'max' | 'avg',
  inputShape: number[],
  poolSize: number | [number, number],
  options: PoolOptions = {},
): Pool2DLayer {
  const builder = new SpecBuilder(inputShape);
  if (kind === 'max') builder.maxpool2d(poolSize, options);
  else builder.avgpool2d(poolSize, options);
  return new Pool2DLayer(builder.build().layers[1] as Pool2DLayerSpec);
}

function range(from: number, to: number): Float32Array {
  return Float32Array.from({ length: to - from }, (_, i) => from + i);
}

/** Distinct values 0.01 apart in a random order, so that +-1e-3 never changes a maximum. */
function distinctValues(length: number, seed: number): Float32Array {
  const order = new Rng(seed).permutation(length);
  return Float32Array.from(order, (rank) => (rank - length / 2) * 0.01);
}

function forward(layer: Pool2DLayer, x: Float32Array): number[] {
  return Array.from(layer.forward(x, 1, NO_DROPOUT));
}

describe('js backend: pool2d', () => {
  it('computes output lengths as Lasagne does', () => {
    // ignoreBorder true: floor((L - pool) / stride) + 1
    assert.strictEqual(poolOutputLength(5, 2, 2, 0, true), 2);
    assert.strictEqual(poolOutputLength(5, 3, 2, 1, true), 3);
    // ignoreBorder false, stride >= pool: ceil(L / stride)
    assert.strictEqual(poolOutputLength(5, 2, 2, 0, false), 3);
    assert.strictEqual(poolOutputLength(6, 2, 3, 0, false), 2);
    // ignoreBorder false, stride < pool: max(0, ceil((L - pool) / stride)) + 1
    assert.strictEqual(poolOutputLength(5, 3, 1, 0, false), 3);
    assert.strictEqual(poolOutputLength(6, 3, 2, 0, false), 3);
    assert.strictEqual(poolOutputLength(2, 3, 1, 0, false), 1);
  });

  it('max-pools 2x2 windows and routes the gradient to the maxima (hand-checked)', () => {
    const layer = poolLayer('max', [1, 4, 4], 2);
    assert.deepStrictEqual(forward(layer, range(0, 16)), [5, 7, 13, 15]);
    const grad = Array.from(layer.backward(Float32Array.from([1, 2, 3, 4]), 1, true, false)!);
    const expected = new Array(16).fill(0);
    [expected[5], expected[7], expected[13], expected[15]] = [1, 2, 3, 4];
    assert.deepStrictEqual(grad, expected);
  });

  it('keeps partial border windows when ignoreBorder is false (hand-checked)', () => {
    const x = range(0, 25); // [1, 5, 5]
    assert.deepStrictEqual(forward(poolLayer('max', [1, 5, 5], 2), x), [6, 8, 16, 18]);
    const partial = poolLayer('max', [1, 5, 5], 2, { ignoreBorder: false });
    assert.deepStrictEqual(partial.spec.outputShape, [1, 3, 3]);
    assert.deepStrictEqual(forward(partial, x), [6, 8, 9, 16, 18, 19, 21, 23, 24]);
    // average of a partial window divides by the cells it holds: [1..9] in 3x3, pool 2
    const average = poolLayer('avg', [1, 3, 3], 2, { ignoreBorder: false });
    assert.deepStrictEqual(forward(average, range(1, 10)), [3, 4.5, 7.5, 9]);
  });

  it('averages with and without the padding cells (hand-checked)', () => {
    const x = range(1, 10); // [1, 3, 3]
    const including = poolLayer('avg', [1, 3, 3], 2, { pad: 1, includePadding: true });
    assert.deepStrictEqual(forward(including, x), [0.25, 1.25, 2.75, 7]);
    const excluding = poolLayer('avg', [1, 3, 3], 2, { pad: 1, includePadding: false });
    assert.deepStrictEqual(forward(excluding, x), [1, 2.5, 5.5, 7]);
    // backward: each input cell gets g / divisor from each window holding it
    const grad = Array.from(excluding.backward(Float32Array.from([1, 1, 1, 1]), 1, true, false)!);
    assert.deepStrictEqual(grad, [1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.5, 0.25, 0.25]);
  });

  it('treats padding as -inf for max', () => {
    const layer = poolLayer('max', [1, 2, 2], 2, { stride: 2, pad: 1 });
    assert.deepStrictEqual(forward(layer, Float32Array.from([-1, -2, -3, -4])), [-1, -2, -3, -4]);
  });

  it('accumulates gradients of overlapping windows and breaks ties to the first', () => {
    const overlap = poolLayer('max', [1, 1, 3], [1, 2], { stride: 1 });
    assert.deepStrictEqual(forward(overlap, Float32Array.from([1, 3, 2])), [3, 3]);
    assert.deepStrictEqual(
      Array.from(overlap.backward(Float32Array.from([1, 1]), 1, true, false)!),
      [0, 2, 0],
    );
    const tie = poolLayer('max', [1, 1, 2], [1, 2]);
    forward(tie, Float32Array.from([2, 2]));
    assert.deepStrictEqual(
      Array.from(tie.backward(Float32Array.from([1]), 1, true, false)!),
      [1, 0],
    );
  });

  const CASES: Array<[string, 'max' | 'avg', number | [number, number], PoolOptions]> = [
    ['max 2', 'max', 2, {}],
    ['max 3 stride 2 pad 1', 'max', 3, { stride: 2, pad: 1 }],
    ['max 3 stride 1 ignoreBorder false', 'max', 3, { stride: 1, ignoreBorder: false }],
    ['max [2, 3] ignoreBorder false', 'max', [2, 3], { ignoreBorder: false }],
    ['avg 2 inc pad', 'avg', 2, { pad: 1 }],
    ['avg 3 stride 2 pad 1 exc pad', 'avg', 3, { stride: 2, pad: 1, includePadding: false }],
    ['avg 3 stride 2 ignoreBorder false', 'avg', 3, { stride: 2, ignoreBorder: false }],
    [
      'avg [3, 2] stride 1 exc pad',
      'avg',
      [3, 2],
      { stride: 1, pad: [1, 1], includePadding: false },
    ],
  ];
  for (const [label, kind, poolSize, options] of CASES) {
    it(`passes a finite-difference check: ${label} (eps 1e-3)`, () => {
      const layer = poolLayer(kind, [2, 5, 6], poolSize, options);
      const report = checkLayerGradients(layer, distinctValues(2 * 2 * 5 * 6, 5), 2);
      // piecewise linear with maxima 1e-2 apart: only rounding remains; allow 1e-3
      assertGradientReport(report, 1e-3, `pool ${label}`);
    });
  }
});
