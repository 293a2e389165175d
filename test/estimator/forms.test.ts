import * as assert from 'assert';
import {
  Constant,
  Conv2DLayer,
  DenseLayer,
  DropoutLayer,
  GlorotNormal,
  HeUniform,
  InputLayer,
  MaxPool2DLayer,
  NeuralNet,
  Normal,
  softmax,
  Uniform,
} from '../../lib';

describe('estimator: the three layer-list forms', () => {
  it('build identical specs for a conv net', () => {
    const named = new NeuralNet({
      layers: [['input0', InputLayer], ['conv2d1', Conv2DLayer], ['maxpool2d2', MaxPool2DLayer],
        ['dropout3', DropoutLayer], ['dense4', DenseLayer], ['dense5', DenseLayer]],
      input0_shape: [null, 1, 12, 12],
      conv2d1_num_filters: 4,
      conv2d1_filter_size: [3, 3],
      conv2d1_pad: 'same',
      conv2d1_W: new HeUniform('relu'),
      maxpool2d2_pool_size: 2,
      dropout3_p: 0.3,
      dense4_num_units: 20,
      dense4_b: new Constant(0.1),
      dense5_num_units: 3,
      dense5_nonlinearity: softmax,
    });
    const classes = new NeuralNet({
      layers: [
        [InputLayer, { shape: [null, 1, 12, 12] }],
        [Conv2DLayer, { num_filters: 4, filter_size: [3, 3], pad: 'same',
          W: new HeUniform('relu') }],
        [MaxPool2DLayer, { pool_size: 2 }],
        [DropoutLayer, { p: 0.3 }],
        [DenseLayer, { num_units: 20, b: new Constant(0.1) }],
        [DenseLayer, { num_units: 3, nonlinearity: softmax }],
      ],
    });
    const typed = new NeuralNet({
      layers: [
        new InputLayer({ shape: [null, 1, 12, 12] }),
        new Conv2DLayer({ numFilters: 4, filterSize: [3, 3], pad: 'same',
          W: new HeUniform({ gain: 'relu' }) }),
        new MaxPool2DLayer({ poolSize: 2 }),
        new DropoutLayer({ p: 0.3 }),
        new DenseLayer({ numUnits: 20, b: new Constant(0.1) }),
        new DenseLayer({ numUnits: 3, nonlinearity: 'softmax' }),
      ],
    });
    assert.deepStrictEqual(classes.spec, named.spec);
    assert.deepStrictEqual(typed.spec, named.spec);
    assert.deepStrictEqual(Object.keys(typed.layers),
      ['input0', 'conv2d1', 'maxpool2d2', 'dropout3', 'dense4', 'dense5']);
    const conv = named.spec.layers[1];
    assert.ok(conv.kind === 'conv2d');
    assert.deepStrictEqual(conv.W, { kind: 'he_uniform', gain: Math.SQRT2 });
  });

  it('names unnamed layers by class and position like nolearn, keeping given names', () => {
    const net = new NeuralNet({
      layers: [
        [InputLayer, { shape: [null, 4] }],
        [DenseLayer, { name: 'hidden', num_units: 5 }],
        new DenseLayer({ numUnits: 6 }),
        new DenseLayer({ name: 'out', numUnits: 2, nonlinearity: softmax }),
      ],
    });
    assert.deepStrictEqual(Object.keys(net.layers), ['input0', 'hidden', 'dense2', 'out']);
  });

  it('lets flat parameters override a layer\'s own options, as nolearn does', () => {
    const net = new NeuralNet({
      layers: [[InputLayer, { shape: [null, 4] }], [DenseLayer, { num_units: 5 }],
        new DenseLayer({ name: 'out', numUnits: 2, nonlinearity: softmax })],
      dense1_num_units: 7,
      out_W: new Normal(0.1),
    });
    assert.deepStrictEqual(net.layers.dense1.outputShape, [7]);
    const out = net.spec.layers[2];
    assert.ok(out.kind === 'dense');
    assert.deepStrictEqual(out.W, { kind: 'normal', mean: 0, std: 0.1 });
  });

  it('accepts camelCase network options and parameter names', () => {
    const snake = new NeuralNet({
      layers: [['input', InputLayer], ['output', DenseLayer]],
      input_shape: [null, 3], output_num_units: 2, output_nonlinearity: softmax,
      max_epochs: 7, update_learning_rate: 0.2, batch_size: 16,
    });
    const camel = new NeuralNet({
      layers: [['input', InputLayer], ['output', DenseLayer]],
      input_shape: [null, 3], output_num_units: 2, output_nonlinearity: softmax,
      maxEpochs: 7, updateLearningRate: 0.2, batchSize: 16,
    });
    assert.deepStrictEqual(camel.spec, snake.spec);
    const camelFlat = new NeuralNet({
      layers: [['input', InputLayer], ['output', DenseLayer]],
      input_shape: [null, 3], output_numUnits: 2, output_nonlinearity: softmax,
    } as never);
    assert.deepStrictEqual(camelFlat.spec, snake.spec);
    assert.deepStrictEqual([camel.maxEpochs, camel.updateLearningRate], [7, 0.2]);
  });

  it('resolves the initializers with Lasagne\'s defaults', () => {
    assert.deepStrictEqual(new Normal().spec, { kind: 'normal', mean: 0, std: 0.01 });
    assert.deepStrictEqual(new Normal(0.5, 1).spec, { kind: 'normal', mean: 1, std: 0.5 });
    assert.deepStrictEqual(new Uniform().spec, { kind: 'uniform', low: -0.01, high: 0.01 });
    assert.deepStrictEqual(new Uniform([0, 2]).spec, { kind: 'uniform', low: 0, high: 2 });
    const fromStd = new Uniform({ std: 1, mean: 2 }).spec;
    assert.ok(fromStd.kind === 'uniform');
    assert.ok(Math.abs(fromStd.low - (2 - Math.sqrt(3))) < 1e-12 &&
      Math.abs(fromStd.high - (2 + Math.sqrt(3))) < 1e-12, JSON.stringify(fromStd));
    assert.deepStrictEqual(new Constant().spec, { kind: 'constant', value: 0 });
    assert.deepStrictEqual(new Constant({ val: 3 }).spec, { kind: 'constant', value: 3 });
    assert.deepStrictEqual(new GlorotNormal(2).spec, { kind: 'glorot_normal', gain: 2 });
  });
});
