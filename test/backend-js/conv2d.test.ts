import * as assert from 'assert';
import type { Conv2DLayerSpec, Nonlinearity } from '../../lib/backend/backend';
import { Conv2DLayer } from '../../lib/backend/js/conv2d';
import { assertClose, randomArray } from '../helpers/numeric';
import { assertGradientReport, checkLayerGradients } from '../helpers/gradient-check';
import { ConvOptions, SpecBuilder } from '../helpers/spec';

const NO_DROPOUT = { training: false, dropoutRng: null };
const IMAGE = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]); // [1, 3, 3]

function convLayer(
  inputShape: number[],
  filters: number,
  filterSize: number | [number, number],
  nonlinearity: Nonlinearity = 'linear',
  options: ConvOptions = {},
): Conv2DLayer {
  const spec = new SpecBuilder(inputShape)
    .conv2d(filters, filterSize, nonlinearity, options)
    .build().layers[1] as Conv2DLayerSpec;
  return new Conv2DLayer(spec);
}

/** The plainest possible convolution, for comparison: one double sum per output. */
function directConv(layer: Conv2DLayer, x: Float32Array, n: number): Float32Array {
  const { spec } = layer;
  const [C, H, W] = spec.inputShape;
  const [K, OH, OW] = spec.outputShape;
  const [FH, FW] = spec.filterSize;
  const out = new Float32Array(n * K * OH * OW);
  for (let s = 0; s < n; s++) {
    for (let k = 0; k < K; k++) {
      for (let oy = 0; oy < OH; oy++) {
        for (let ox = 0; ox < OW; ox++) {
          let sum = layer.b ? layer.b.values[k] : 0;
          for (let c = 0; c < C; c++) {
            for (let fy = 0; fy < FH; fy++) {
              for (let fx = 0; fx < FW; fx++) {
                const iy = oy * spec.stride[0] + fy - spec.pad[0];
                const ix = ox * spec.stride[1] + fx - spec.pad[1];
                if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                sum +=
                  layer.W.values[((k * C + c) * FH + fy) * FW + fx] *
                  x[((s * C + c) * H + iy) * W + ix];
              }
            }
          }
          out[((s * K + k) * OH + oy) * OW + ox] = sum;
        }
      }
    }
  }
  return out;
}

describe('js backend: conv2d', () => {
  it('cross-correlates without flipping the filter (hand-checked)', () => {
    const layer = convLayer([1, 3, 3], 1, 2);
    layer.W.values.set([1, 0, 0, -1]);
    layer.b!.values.set([0.5]);
    // z[oy, ox] = x[oy, ox] - x[oy + 1, ox + 1] + 0.5 = -4 + 0.5 (a flipped filter gives +4.5)
    assert.deepStrictEqual(
      Array.from(layer.forward(IMAGE, 1, NO_DROPOUT)),
      [-3.5, -3.5, -3.5, -3.5],
    );
  });

  it('applies stride and zero padding (hand-checked)', () => {
    const layer = convLayer([1, 3, 3], 1, 2, 'linear', { stride: 2, pad: 1, b: null });
    assert.deepStrictEqual(layer.spec.outputShape, [1, 2, 2]);
    layer.W.values.set([1, 0, 0, -1]);
    // (0,0): 0 - x[0,0]; (0,1): 0 - x[0,2]; (1,0): 0 - x[2,0]; (1,1): x[1,1] - x[2,2]
    assert.deepStrictEqual(Array.from(layer.forward(IMAGE, 1, NO_DROPOUT)), [-1, -3, -7, -4]);
  });

  it('sums over channels with W [K, C, FH, FW] (hand-checked, 1x1 filters)', () => {
    const layer = convLayer([2, 1, 2], 2, 1, 'rectify');
    assert.deepStrictEqual(layer.W.shape, [2, 2, 1, 1]);
    layer.W.values.set([1, 2, -1, 1]);
    const x = Float32Array.from([1, 2, 10, 20]); // channel 0 [1, 2], channel 1 [10, 20]
    // filter 0: x0 + 2 x1 = [21, 42]; filter 1: -x0 + x1 = [9, 18]
    assert.deepStrictEqual(Array.from(layer.forward(x, 1, NO_DROPOUT)), [21, 42, 9, 18]);
  });

  it('back-propagates to W, b and x (hand-checked)', () => {
    const layer = convLayer([1, 3, 3], 1, 2);
    layer.W.values.set([1, 0, 0, -1]);
    layer.forward(IMAGE, 1, NO_DROPOUT);
    const gradX = layer.backward(Float32Array.from([1, 1, 1, 1]), 1, true, false)!;
    assert.deepStrictEqual(Array.from(layer.W.grad), [12, 16, 24, 28]);
    assert.deepStrictEqual(Array.from(layer.b!.grad), [4]);
    assert.deepStrictEqual(Array.from(gradX), [1, 1, 0, 1, 0, -1, 0, -1, -1]);
  });

  const CASES: Array<
    [string, number[], number, number | [number, number], ConvOptions, Nonlinearity]
  > = [
    ['1 channel, 3x3, valid', [1, 6, 5], 2, 3, {}, 'linear'],
    ['3 channels, 2x3 filter, stride [1, 2]', [3, 6, 7], 2, [2, 3], { stride: [1, 2] }, 'tanh'],
    ['2 channels, stride 2, pad 1', [2, 5, 5], 3, 3, { stride: 2, pad: 1 }, 'linear'],
    ['pad same', [2, 5, 4], 2, 3, { pad: 'same' }, 'sigmoid'],
    ['pad full, no bias', [1, 4, 4], 2, [3, 2], { pad: 'full', b: null }, 'linear'],
    [
      'pad [2, 1], stride [2, 3]',
      [2, 6, 7],
      2,
      [3, 3],
      { pad: [2, 1], stride: [2, 3] },
      'softplus',
    ],
  ];
  for (const [label, inputShape, filters, filterSize, options, nonlinearity] of CASES) {
    it(`matches a direct convolution and finite differences: ${label}`, () => {
      const layer = convLayer(inputShape, filters, filterSize, nonlinearity, options);
      layer.W.values.set(randomArray(layer.W.values.length, 7));
      if (layer.b) layer.b.values.set(randomArray(layer.b.values.length, 8));
      const n = 2;
      const x = randomArray(n * inputShape.reduce((a, b) => a * b, 1), 9);
      if (nonlinearity === 'linear') {
        assertClose(
          layer.forward(x, n, NO_DROPOUT),
          directConv(layer, x, n),
          1e-6,
          `${label} forward`,
        );
      }
      const report = checkLayerGradients(layer, x, n);
      // float32 rounding over a 2e-3 step: ~1e-4; allow 1e-3
      assertGradientReport(report, 1e-3, `conv2d ${label}`);
    });
  }
});
