import * as assert from 'assert';
import type { NonlinearityLayerSpec } from '../../lib/backend/backend';
import {
  LEAKINESS,
  NONLINEARITIES,
  NonlinearityLayer,
  nonlinearityForward,
} from '../../lib/backend/js/nonlinearities';
import { assertClose, randomArray } from '../helpers/numeric';
import { assertGradientReport, checkLayerGradients } from '../helpers/gradient-check';
import { SpecBuilder } from '../helpers/spec';

function apply(kind: NonlinearityLayerSpec['nonlinearity'], values: number[]): Float32Array {
  const z = Float32Array.from(values);
  const y = new Float32Array(z.length);
  nonlinearityForward(kind, z, y, 1, z.length);
  return y;
}

describe('js backend: nonlinearities', () => {
  // float32 results of double computations: compare within 1e-7 relative
  const TOLERANCE = 1e-7;

  it('computes each function at hand-checked points', () => {
    const input = [-3, -1, 0, 0.5, 2];
    const cases: Array<[NonlinearityLayerSpec['nonlinearity'], number[]]> = [
      ['linear', [-3, -1, 0, 0.5, 2]],
      ['rectify', [0, 0, 0, 0.5, 2]],
      ['leaky_rectify', [-0.03, -0.01, 0, 0.5, 2]],
      ['elu', [Math.exp(-3) - 1, -0.6321205588285577, 0, 0.5, 2]],
      ['tanh', [-Math.tanh(3), -Math.tanh(1), 0, 0.46211715726000974, Math.tanh(2)]],
      [
        'sigmoid',
        [
          1 / (1 + Math.exp(3)),
          1 / (1 + Math.E),
          0.5,
          1 / (1 + Math.exp(-0.5)),
          0.8807970779778823,
        ],
      ],
      [
        'softplus',
        [
          0.04858735157374206,
          Math.log1p(Math.exp(-1)),
          0.6931471805599453,
          Math.log1p(Math.exp(0.5)),
          2 + Math.log1p(Math.exp(-2)),
        ],
      ],
    ];
    for (const [kind, expected] of cases) {
      assertClose(apply(kind, input), Float32Array.from(expected), TOLERANCE, kind);
    }
    assert.strictEqual(LEAKINESS, 0.01);
  });

  it('computes softmax per sample, stable for large inputs', () => {
    const z = Float32Array.from([1, 2, 3, 1001, 1002, 1003]);
    const y = new Float32Array(6);
    nonlinearityForward('softmax', z, y, 2, 3);
    const expected = [0.09003057317038046, 0.24472847105479767, 0.6652409557748219];
    assertClose(y, Float32Array.from([...expected, ...expected]), TOLERANCE, 'softmax');
  });

  it('does not overflow softplus or sigmoid', () => {
    const y = apply('softplus', [-200, 200]);
    assert.ok(y[0] >= 0 && y[0] < 1e-30, `softplus(-200) = ${y[0]}`);
    assert.strictEqual(y[1], 200);
    assert.deepStrictEqual(Array.from(apply('sigmoid', [-1000, 1000])), [0, 1]);
  });

  for (const kind of NONLINEARITIES) {
    it(`back-propagates ${kind} (finite differences, eps 1e-3)`, () => {
      const spec = new SpecBuilder([2, 3]).nonlinearity(kind).build().layers[1];
      const layer = new NonlinearityLayer(spec as NonlinearityLayerSpec);
      // inputs in [-2, 2), kept 0.05 away from the kinks of rectify / leaky_rectify / elu at 0
      const input = randomArray(3 * 6, 11).map((v) => (Math.abs(v) < 0.025 ? v + 0.05 : 2 * v));
      const report = checkLayerGradients(layer, input, 3);
      // tolerance: float32 outputs (~6e-8) over a step of 2e-3 give ~1e-4; allow 1e-3
      assertGradientReport(report, 1e-3, kind);
    });
  }

  it('uses the documented derivative at z = 0 (rectify 0, leaky 0.01, elu 1)', () => {
    for (const [kind, slope] of [
      ['rectify', 0],
      ['leaky_rectify', 0.01],
      ['elu', 1],
    ] as const) {
      const spec = new SpecBuilder([1]).nonlinearity(kind).build().layers[1];
      const layer = new NonlinearityLayer(spec as NonlinearityLayerSpec);
      layer.forward(Float32Array.from([0]), 1);
      const grad = layer.backward(Float32Array.from([1]), 1, true, false) as Float32Array;
      assert.strictEqual(grad[0], Math.fround(slope), kind);
    }
  });
});
