import * as assert from 'assert';
import type { DenseLayerSpec, Nonlinearity } from '../../lib/backend/backend';
import { DenseLayer } from '../../lib/backend/js/dense';
import { assertClose, randomArray } from '../helpers/numeric';
import { assertGradientReport, checkLayerGradients } from '../helpers/gradient-check';
import { SpecBuilder } from '../helpers/spec';

const NO_DROPOUT = { training: false, dropoutRng: null };

function denseLayer(
  inputShape: number[],
  units: number,
  nonlinearity: Nonlinearity,
  bias = true,
): DenseLayer {
  const spec = new SpecBuilder(inputShape)
    .dense(units, nonlinearity, bias ? {} : { b: null })
    .build().layers[1] as DenseLayerSpec;
  return new DenseLayer(spec);
}

describe('js backend: dense', () => {
  it('computes x W + b and the nonlinearity (hand-checked)', () => {
    const layer = denseLayer([3], 2, 'rectify');
    layer.W.values.set([1, 0, 0, 1, 1, -1]); // W [3 x 2]
    layer.b!.values.set([0.5, -0.5]);
    const x = Float32Array.from([1, 2, 3, 0, -1, 0.5]);
    const y = layer.forward(x, 2, NO_DROPOUT);
    assert.deepStrictEqual(Array.from(layer.preActivation()), [4.5, -1.5, 1, -2]);
    assert.deepStrictEqual(Array.from(y), [4.5, 0, 1, 0]);
  });

  it('back-propagates to W, b and x (hand-checked, linear)', () => {
    const layer = denseLayer([3], 2, 'linear');
    layer.W.values.set([1, 0, 0, 1, 1, -1]);
    layer.forward(Float32Array.from([1, 2, 3, 0, -1, 0.5]), 2, NO_DROPOUT);
    const gradX = layer.backward(Float32Array.from([1, 1, 1, 1]), 2, true, false)!;
    assert.deepStrictEqual(Array.from(layer.W.grad), [1, 1, 1, 1, 3.5, 3.5]);
    assert.deepStrictEqual(Array.from(layer.b!.grad), [2, 2]);
    assert.deepStrictEqual(Array.from(gradX), [1, 1, 0, 1, 1, 0]);
  });

  it('flattens a multi-axis input and has W [inputs, units], b [units]', () => {
    const layer = denseLayer([2, 3, 2], 4, 'linear');
    assert.deepStrictEqual(layer.W.shape, [12, 4]);
    assert.deepStrictEqual(layer.b!.shape, [4]);
    assert.strictEqual(layer.forward(new Float32Array(24), 2, NO_DROPOUT).length, 8);
  });

  it('has no b without a bias', () => {
    const layer = denseLayer([3], 2, 'linear', false);
    assert.deepStrictEqual(
      layer.params.map((param) => param.name),
      ['W'],
    );
    layer.W.values.set([1, 2, 3, 4, 5, 6]);
    assert.deepStrictEqual(
      Array.from(layer.forward(Float32Array.from([1, 1, 1]), 1, NO_DROPOUT)),
      [9, 12],
    );
  });

  for (const [nonlinearity, bias] of [
    ['linear', true],
    ['tanh', true],
    ['softmax', false],
    ['sigmoid', true],
  ] as const) {
    it(`passes a finite-difference check (${nonlinearity}, bias ${bias}, eps 1e-3)`, () => {
      const layer = denseLayer([2, 3], 4, nonlinearity, bias);
      layer.W.values.set(randomArray(24, 1));
      if (layer.b) layer.b.values.set(randomArray(4, 2));
      const report = checkLayerGradients(layer, randomArray(3 * 6, 3), 3);
      // float32 rounding of y over a 2e-3 step: ~1e-4; allow 1e-3
      assertGradientReport(report, 1e-3, `dense ${nonlinearity}`);
    });
  }

  it('skips the input gradient when not needed and matches a direct sum', () => {
    const layer = denseLayer([5], 3, 'linear');
    layer.W.values.set(randomArray(15, 4));
    layer.b!.values.set(randomArray(3, 5));
    const x = randomArray(10, 6);
    const y = layer.forward(x, 2, NO_DROPOUT);
    const expected = new Float32Array(6);
    for (let n = 0; n < 2; n++) {
      for (let u = 0; u < 3; u++) {
        let sum = layer.b!.values[u];
        for (let i = 0; i < 5; i++) sum += x[n * 5 + i] * layer.W.values[i * 3 + u];
        expected[n * 3 + u] = sum;
      }
    }
    assertClose(y, expected, 0, 'dense forward (one rounding of a double sum)');
    assert.strictEqual(layer.backward(new Float32Array(6), 2, false, false), null);
  });
});
