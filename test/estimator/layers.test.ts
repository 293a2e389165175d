import * as assert from 'assert';
import {
  Conv2DLayer,
  convOutputLength,
  DenseLayer,
  DropoutLayer,
  FlattenLayer,
  InputLayer,
  MaxPool2DLayer,
  NeuralNet,
  NonlinearityLayer,
  Pool2DLayer,
  poolOutputLength,
  ReshapeLayer,
  softmax,
  tanh,
} from '../../lib';
import type { LayerEntry } from '../../lib';
import { buildLenet } from '../../examples/lenet';
import { buildLogreg } from '../../examples/logreg';
import { buildMlp } from '../../examples/mlp';
import { buildMlp2 } from '../../examples/mlp2';

/** A net whose input has the given sample shape, the layers under test, then a softmax. */
function netWith(inputShape: number[], ...layers: LayerEntry[]) {
  return new NeuralNet({
    layers: [new InputLayer({ shape: [null, ...inputShape] }), ...layers,
      new DenseLayer({ name: 'out', numUnits: 2, nonlinearity: softmax })],
  });
}

function shapes(net: NeuralNet): number[][] {
  return net.spec.layers.map((layer) => layer.outputShape);
}

describe('estimator: layers and shape inference', () => {
  it('computes conv output shapes as Lasagne does for every pad form and stride', () => {
    const cases: Array<[object, number[]]> = [
      [{ numFilters: 4, filterSize: 5 }, [4, 24, 24]],
      [{ numFilters: 4, filterSize: 5, pad: 'valid' }, [4, 24, 24]],
      [{ numFilters: 4, filterSize: 5, pad: 'same' }, [4, 28, 28]],
      [{ numFilters: 4, filterSize: 5, pad: 'full' }, [4, 32, 32]],
      [{ numFilters: 4, filterSize: 3, pad: 1, stride: 2 }, [4, 14, 14]],
      [{ numFilters: 4, filterSize: [3, 5], pad: [1, 0], stride: [1, 2] }, [4, 28, 12]],
      [{ numFilters: 2, filterSize: 3, pad: 'same', stride: 3 }, [2, 10, 10]],
    ];
    for (const [options, expected] of cases) {
      const net = netWith([1, 28, 28], new Conv2DLayer(options as never));
      assert.deepStrictEqual(shapes(net)[1], expected, JSON.stringify(options));
    }
    const spec = netWith([3, 8, 8], new Conv2DLayer({ numFilters: 2, filterSize: 3,
      pad: 'full' })).spec.layers[1];
    assert.deepStrictEqual(spec.kind === 'conv2d' && spec.pad, [2, 2]);
    assert.strictEqual(convOutputLength(28, 5, 1, 0), 24);
  });

  it('computes pool output shapes with and without ignore_border (Lasagne)', () => {
    // Lasagne's pool_output_length, written out for a few sizes.
    const lasagne = (n: number, pool: number, stride: number, ignore: boolean): number => {
      if (ignore) return Math.floor((n - pool + stride) / stride);
      if (stride >= pool) return Math.floor((n + stride - 1) / stride);
      return Math.max(0, Math.floor((n - pool + stride - 1) / stride)) + 1;
    };
    for (const n of [4, 5, 6, 7, 12]) {
      for (const [pool, stride] of [[2, 2], [3, 2], [3, 1], [2, 3]]) {
        for (const ignore of [true, false]) {
          const expected = lasagne(n, pool, stride, ignore);
          assert.strictEqual(poolOutputLength(n, pool, stride, 0, ignore), expected,
            `n ${n} pool ${pool} stride ${stride} ignore ${ignore}`);
          const net = netWith([2, n, n], new Pool2DLayer({ poolSize: pool, stride,
            ignoreBorder: ignore }));
          assert.deepStrictEqual(shapes(net)[1], [2, expected, expected]);
        }
      }
    }
    const padded = netWith([1, 5, 5], new MaxPool2DLayer({ poolSize: 3, stride: 2, pad: 1 }));
    assert.deepStrictEqual(shapes(padded)[1], [1, 3, 3]);
    const spec = padded.spec.layers[1];
    assert.ok(spec.kind === 'maxpool2d');
    assert.deepStrictEqual([spec.stride, spec.pad, spec.ignoreBorder], [[2, 2], [1, 1], true]);
  });

  it('defaults the pool stride to the pool size and maps average modes', () => {
    const net = netWith([1, 6, 6],
      new Pool2DLayer({ name: 'inc', poolSize: 3, mode: 'average_inc_pad' }),
      new Pool2DLayer({ name: 'exc', poolSize: [1, 2], mode: 'average_exc_pad', stride: null }));
    const [inc, exc] = [net.spec.layers[1], net.spec.layers[2]];
    assert.ok(inc.kind === 'avgpool2d' && exc.kind === 'avgpool2d');
    assert.deepStrictEqual([inc.stride, inc.includePadding, inc.outputShape], [[3, 3], true,
      [1, 2, 2]]);
    assert.deepStrictEqual([exc.stride, exc.includePadding, exc.outputShape], [[1, 2], false,
      [1, 2, 1]]);
  });

  it('resolves reshape shapes with sizes, -1 and references to input dimensions', () => {
    const cases: Array<[unknown[], number[], number[]]> = [
      [[[0], 1, 28, 28], [784], [1, 28, 28]],
      [[[0], -1, 28], [784], [28, 28]],
      [[[0], [2], [1]], [3, 5], [5, 3]],
      [[-1, 4, 7], [28], [4, 7]],
      [[[0], [1], -1], [2, 3, 4], [2, 12]],
    ];
    for (const [shape, input, expected] of cases) {
      const net = netWith(input, new ReshapeLayer({ shape: shape as never }));
      assert.deepStrictEqual(shapes(net)[1], expected, JSON.stringify(shape));
    }
  });

  it('keeps the shape through dropout and nonlinearity, and flattens', () => {
    const net = netWith([2, 3, 4], new DropoutLayer(),
      new NonlinearityLayer({ nonlinearity: tanh }), new FlattenLayer());
    assert.deepStrictEqual(shapes(net).slice(0, 4), [[2, 3, 4], [2, 3, 4], [2, 3, 4], [24]]);
    const [dropout, act] = [net.spec.layers[1], net.spec.layers[2]];
    assert.ok(dropout.kind === 'dropout' && act.kind === 'nonlinearity');
    assert.strictEqual(dropout.p, 0.5);
    assert.strictEqual(act.nonlinearity, 'tanh');
    assert.strictEqual(net.spec.layers[3].kind, 'flatten');
  });

  it('applies the dense and conv defaults (rectify, GlorotUniform, Constant(0))', () => {
    const net = netWith([1, 6, 6], new Conv2DLayer({ numFilters: 2, filterSize: 3 }),
      new DenseLayer({ numUnits: 4, b: null }));
    const [conv, dense] = [net.spec.layers[1], net.spec.layers[2]];
    assert.ok(conv.kind === 'conv2d' && dense.kind === 'dense');
    assert.deepStrictEqual([conv.nonlinearity, conv.W, conv.b, conv.stride, conv.pad],
      ['rectify', { kind: 'glorot_uniform', gain: 1 }, { kind: 'constant', value: 0 }, [1, 1],
        [0, 0]]);
    assert.deepStrictEqual([dense.nonlinearity, dense.b, dense.inputShape], ['rectify', null,
      [2, 4, 4]]);
    // No bias: 32 inputs x 4 units only.
    assert.strictEqual(net.layers.dense2.paramCount, 128);
    assert.strictEqual(net.layers.conv2d1.paramCount, 2 * 9 + 2);
  });

  it('counts the learnable parameters of the four reference networks', () => {
    const expected: Array<[string, NeuralNet, number]> = [
      ['logreg', buildLogreg(), 7850],
      ['mlp', buildMlp(), 159010],
      ['mlp2', buildMlp2(), 545810],
      ['lenet', buildLenet(), 91190],
    ];
    for (const [name, net, count] of expected) {
      assert.strictEqual(net.paramCount, count, name);
      assert.ok(net.summary().startsWith(`# Neural Network with ${count} learnable parameters\n`),
        `${name}: ${net.summary()}`);
    }
  });

  it('shows the lenet layer sizes in its summary', () => {
    const summary = buildLenet().summary();
    assert.strictEqual(summary, [
      '# Neural Network with 91190 learnable parameters',
      '',
      '  #  name      type            size        params',
      '---  --------  --------------  --------  --------',
      '  0  input     InputLayer      784              0',
      '  1  reshape   ReshapeLayer    1x28x28          0',
      '  2  conv1     Conv2DLayer     32x24x24       832',
      '  3  pool1     MaxPool2DLayer  32x12x12         0',
      '  4  conv2     Conv2DLayer     32x10x10      9248',
      '  5  pool2     MaxPool2DLayer  32x5x5           0',
      '  6  dropout1  DropoutLayer    32x5x5           0',
      '  7  hidden    DenseLayer      100          80100',
      '  8  dropout2  DropoutLayer    100              0',
      '  9  output    DenseLayer      10            1010',
      '',
    ].join('\n'));
  });

  it('lists layers by name with their shapes', () => {
    const net = buildMlp();
    assert.deepStrictEqual(Object.keys(net.layers), ['input', 'hidden', 'output']);
    const hidden = net.layers.hidden;
    assert.deepStrictEqual([hidden.type, hidden.index, hidden.inputShape, hidden.outputShape,
      hidden.paramCount], ['DenseLayer', 1, [784], [200], 157000]);
    assert.deepStrictEqual(hidden.params, [], 'no params before initialisation');
  });
});
