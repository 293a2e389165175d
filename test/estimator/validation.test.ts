import * as assert from 'assert';
import {
  adam,
  BatchIterator,
  Constant,
  Conv2DLayer,
  DenseLayer,
  DropoutLayer,
  FlattenLayer,
  GlorotUniform,
  InputLayer,
  MaxPool2DLayer,
  NeuralNet,
  NonlinearityLayer,
  Normal,
  Pool2DLayer,
  ReshapeLayer,
  softmax,
  squared_error,
  TrainSplit,
  Uniform,
} from '../../lib';
import { scriptedBackend } from '../helpers/estimator';

type AnyOptions = Record<string, unknown>;

const CLASSES = 'a layer class (InputLayer, DenseLayer, Conv2DLayer, MaxPool2DLayer, ' +
  'Pool2DLayer, DropoutLayer, ReshapeLayer, FlattenLayer, NonlinearityLayer)';
const NONLINEARITY = 'a nonlinearity (rectify, softmax, tanh, sigmoid, linear, leaky_rectify, ' +
  'elu, softplus), its name or null';

/** A valid small classifier's options, to which a test adds or changes one thing. */
function base(extra: AnyOptions = {}): AnyOptions {
  return {
    layers: [['input', InputLayer], ['hidden', DenseLayer], ['output', DenseLayer]],
    input_shape: [null, 4],
    hidden_num_units: 3,
    output_num_units: 2,
    output_nonlinearity: softmax,
    ...extra,
  };
}

function build(options: AnyOptions): NeuralNet {
  return new NeuralNet(options as never);
}

/** Asserts that building throws exactly this error class and message. */
function rejects(options: AnyOptions, type: ErrorConstructor, message: string | RegExp): void {
  assert.throws(() => build(options), (error: Error) => {
    assert.strictEqual(error.constructor, type, `class of: ${error.message}`);
    if (typeof message === 'string') assert.strictEqual(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

/** A net with the given layers after an input of the given sample shape. */
function layers(inputShape: number[], ...rest: unknown[]): AnyOptions {
  return {
    layers: [new InputLayer({ shape: [null, ...inputShape] }), ...rest,
      new DenseLayer({ name: 'out', numUnits: 2, nonlinearity: softmax })],
  };
}

describe('estimator: validation errors', () => {
  describe('network options', () => {
    it('rejects unknown and misspelled names, suggesting the closest', () => {
      rejects(base({ max_epoch: 3 }), TypeError,
        "Unknown parameter 'max_epoch' for NeuralNet; did you mean 'max_epochs'?");
      rejects(base({ hiden_num_units: 3 }), TypeError,
        "Unknown parameter 'hiden_num_units' for NeuralNet; did you mean 'hidden_num_units'?");
      rejects(base({ hidden_num_unit: 3 }), TypeError,
        "Unknown parameter 'hidden_num_unit' for NeuralNet; did you mean 'hidden_num_units'?");
      rejects(base({ output_nonlinarity: softmax }), TypeError,
        "Unknown parameter 'output_nonlinarity' for NeuralNet; did you mean " +
        "'output_nonlinearity'?");
      rejects(base({ xyzzy: 1 }), TypeError, "Unknown parameter 'xyzzy' for NeuralNet; expected " +
        "a network option (e.g. max_epochs) or <layer>_<param> for one of the layers 'input', " +
        "'hidden', 'output'");
    });

    it('rejects Theano-only options and a name given in both spellings', () => {
      rejects(base({ y_tensor_type: 'imatrix' }), TypeError, 'y_tensor_type is not supported ' +
        'for NeuralNet: there are no Theano tensors: targets follow `regression` (integer ' +
        'labels, or float targets with regression: true); remove it');
      rejects(base({ max_epochs: 3, maxEpochs: 4 }), TypeError,
        'Options max_epochs and maxEpochs are the same option; give one');
    });

    it('needs an options object with layers', () => {
      assert.throws(() => new NeuralNet(null as never), {
        name: 'TypeError',
        message: 'Expected an options object { layers, ... } for NeuralNet options but ' +
          'received null',
      });
      rejects({ input_shape: [null, 4] }, TypeError,
        "NeuralNet needs layers, e.g. layers: [['input', InputLayer], ['output', DenseLayer]]");
    });

    it('checks numeric options', () => {
      rejects(base({ max_epochs: 0 }), RangeError,
        'Expected an integer >= 1 for max_epochs but received 0 (number)');
      rejects(base({ max_epochs: '10' }), TypeError,
        'Expected an integer for max_epochs but received "10" (string)');
      rejects(base({ update_learning_rate: -1 }), RangeError,
        'Expected a number > 0 for update_learning_rate but received -1 (number)');
      rejects(base({ update_momentum: 1 }), RangeError,
        'Expected a number in [0, 1) for update_momentum but received 1 (number)');
      rejects(base({ objective_l2: -0.1 }), RangeError,
        'Expected a number >= 0 for objective_l2 but received -0.1 (number)');
      rejects(base({ seed: -1 }), RangeError,
        'Expected an integer in [0, 4294967295] for seed but received -1 (number)');
      rejects(base({ batch_size: 0 }), RangeError,
        'Expected an integer >= 1 for batch_size but received 0 (number)');
      rejects(base({ verbose: 'yes' }), TypeError,
        'Expected an integer for verbose but received "yes" (string)');
    });

    it('checks the update rule and its parameters', () => {
      rejects(base({ update: 'adamm' }), RangeError, 'Expected an update rule (sgd, momentum, ' +
        'nesterov_momentum, adagrad, rmsprop, adadelta, adam, adamax) for update but received ' +
        '"adamm" (string); did you mean \'adam\'?');
      rejects(base({ update: () => 0 }), TypeError, /custom update functions are not supported/);
      rejects(base({ update: adam, update_momentum: 0.9 }), TypeError,
        'update_momentum is not a parameter of adam; adam takes update_learning_rate, ' +
        'update_beta1, update_beta2, update_epsilon');
    });

    it('checks the objective against the task and the output layer', () => {
      rejects(base({ objective_loss_function: 'cross_entropy' }), RangeError,
        'Expected a loss function (categorical_crossentropy, squared_error) for ' +
        'objective_loss_function but received "cross_entropy" (string)');
      rejects(base({ objective_loss_function: squared_error }), TypeError,
        'squared_error is not supported for classification: set regression: true for ' +
        'real-valued targets, or use categorical_crossentropy');
      rejects(base({ regression: true, objective_loss_function: 'categorical_crossentropy' }),
        TypeError, 'categorical_crossentropy is not supported for regression: use squared_error ' +
        '(the default with regression: true)');
      rejects(base({ output_nonlinearity: 'tanh' }), TypeError,
        'categorical_crossentropy needs a softmax output layer but the output layer ' +
        "'output' has nonlinearity tanh: set output_nonlinearity: softmax (or regression: " +
        'true for real-valued targets)');
      rejects(base({ output_num_units: 1 }), RangeError,
        "Classification needs an output layer of at least 2 units but 'output' has shape 1");
      rejects(base({ regression: 'no' }), TypeError,
        'Expected a boolean for regression but received "no" (string)');
    });

    it('checks the validation split', () => {
      rejects(base({ eval_size: 1 }), RangeError,
        'Expected a number in [0, 1) for eval_size but received 1 (number)');
      // Out of range either way, the range stated is the same.
      rejects(base({ eval_size: 2 }), RangeError,
        'Expected a number in [0, 1) for eval_size but received 2 (number)');
      rejects(base({ eval_size: -0.5 }), RangeError,
        'Expected a number in [0, 1) for eval_size but received -0.5 (number)');
      rejects(base({ eval_size: 0.1, train_split: new TrainSplit(0.2) }), TypeError,
        'Give either train_split or eval_size, not both');
      rejects(base({ train_split: 'yes' }), TypeError, 'Expected a TrainSplit, an eval size in ' +
        '[0, 1), false, or a validation dataset { X, y } for train_split but received "yes" ' +
        '(string)');
      rejects(base({ train_split: { X: new Float32Array(4) } }), TypeError,
        'train_split { X, y } needs y: validation needs targets');
      assert.throws(() => new TrainSplit({ eval_sise: 0.1 } as never), {
        name: 'TypeError',
        message: "Unknown parameter 'eval_sise' for TrainSplit; did you mean 'eval_size'?",
      });
    });

    it('checks batching, callbacks, scores, backend and print', () => {
      rejects(base({ batch_size: 64, batch_iterator_train: new BatchIterator(32) }), TypeError,
        'Give either batch_size or batch_iterator_train, not both');
      rejects(base({ batch_iterator_test: 128 }), TypeError,
        'Expected a BatchIterator for batch_iterator_test but received 128 (number)');
      class Augmenting extends BatchIterator {
        transform(): void {
          // nolearn's augmentation hook
        }
      }
      assert.throws(() => new Augmenting(64), {
        name: 'TypeError',
        message: 'A BatchIterator transform is not supported for NeuralNet: batches are drawn ' +
          'inside the backend; use the augment or batch_transform option instead',
      });
      rejects(base({ on_epoch_finished: [() => undefined, 5] }), TypeError,
        'Expected a function (net, history) or an object with a handle method for ' +
        'on_epoch_finished[1] but received 5 (number)');
      rejects(base({ custom_scores: [['acc']] }), TypeError,
        'Expected a pair [name, (yTrue, yOutput) => number] for custom_scores[0] but received ' +
        'an array of length 1');
      rejects(base({ backend: 'gpu' }), RangeError,
        "Expected 'native' or 'js' for backend but received \"gpu\" (string)");
      rejects(base({ print: 'stdout' }), TypeError,
        'Expected a function (text) => void for print but received "stdout" (string)');
    });
  });

  describe('layer lists', () => {
    it('rejects malformed lists and entries', () => {
      rejects({ layers: 'mlp' }, TypeError, /^Expected a list of layers/);
      rejects({ layers: [['input', InputLayer]], input_shape: [null, 2] }, RangeError,
        'Expected at least 2 layers (an InputLayer and one more) for layers but received an ' +
        'array of length 1');
      rejects({ layers: [['input', InputLayer], ['out', Math]] }, TypeError,
        `Expected ${CLASSES} for layers[1][1] but received an object`);
      rejects({ layers: [['input', InputLayer], [5, {}]] }, TypeError,
        `Expected a layer name or ${CLASSES} for layers[1][0] but received 5 (number)`);
      rejects({ layers: [['input', InputLayer], 'dense'] }, TypeError,
        "Expected a layer (new DenseLayer({...})), ['name', LayerClass] or [LayerClass, " +
        '{ options }] for layers[1] but received "dense" (string)');
      rejects({ layers: [['input', InputLayer], [DenseLayer, 5]] }, TypeError,
        'Expected the options of DenseLayer for layers[1][1] but received 5 (number)');
      rejects({ layers: [['in put', InputLayer], ['out', DenseLayer]] }, RangeError,
        'Expected a layer name of letters, digits, _ and - starting with a letter or _ for ' +
        'layers[0][0] but received "in put" (string)');
    });

    it('rejects duplicate names and a misplaced input layer', () => {
      rejects(base({ layers: [['input', InputLayer], ['hidden', DenseLayer],
        ['hidden', DenseLayer]] }), RangeError,
      "Duplicate layer name 'hidden' at layers[1] and layers[2]; layer names must be unique");
      rejects({ layers: [[InputLayer, { shape: [null, 2] }], [DenseLayer, { num_units: 2 }],
        [DenseLayer, { name: 'dense1', num_units: 2 }]] }, RangeError,
      "Duplicate layer name 'dense1' at layers[1] and layers[2]; layer names must be unique");
      rejects({ layers: [['hidden', DenseLayer], ['output', DenseLayer]] }, TypeError,
        "layers[0] must be an InputLayer but is DenseLayer 'hidden'");
      rejects(base({ layers: [['input', InputLayer], ['second', InputLayer],
        ['output', DenseLayer]] }), TypeError,
      "layers[1] is InputLayer 'second', but only the first layer may be an InputLayer " +
        '(networks are sequential)');
    });

    it('rejects unknown layer parameters in every form', () => {
      rejects({ layers: [[InputLayer, { shape: [null, 2] }], [DenseLayer, { num_unit: 2 }]] },
        TypeError, "Unknown parameter 'num_unit' for DenseLayer (layers[1]); did you mean " +
        "'num_units'?");
      assert.throws(() => new DenseLayer({ numUnit: 2 } as never), {
        name: 'TypeError',
        message: "Unknown parameter 'numUnit' for DenseLayer; did you mean 'numUnits'?",
      });
      assert.throws(() => new DenseLayer(5 as never), {
        name: 'TypeError',
        message: 'Expected an options object for DenseLayer options but received 5 (number)',
      });
    });

    it('rejects missing and invalid layer parameters, naming them as written', () => {
      rejects(base({ hidden_num_units: undefined }), TypeError,
        "DenseLayer 'hidden' needs num_units: pass hidden_num_units: 200 (or num_units in its " +
        'own options)');
      rejects(base({ hidden_num_units: 0 }), RangeError,
        'Expected an integer >= 1 for hidden_num_units but received 0 (number)');
      rejects(base({ hidden_num_units: 2.5 }), RangeError,
        'Expected an integer >= 1 for hidden_num_units but received 2.5 (number)');
      rejects(layers([4], new DenseLayer({ numUnits: -3 })), RangeError,
        "Expected an integer >= 1 for numUnits of DenseLayer 'dense1' but received -3 (number)");
      rejects(base({ hidden_nonlinearity: 'rectfy' }), RangeError, `Expected ${NONLINEARITY} ` +
        'for hidden_nonlinearity but received "rectfy" (string); did you mean \'rectify\'?');
      rejects(base({ hidden_nonlinearity: Math.tanh }), TypeError,
        `Expected ${NONLINEARITY}; custom functions are not supported for ` +
        'hidden_nonlinearity but received a function tanh');
      rejects(base({ hidden_W: null }), TypeError,
        'Expected an initializer (e.g. new GlorotUniform()) for hidden_W but received null');
      rejects(base({ hidden_b: 0 }), TypeError,
        'Expected an initializer (e.g. new Constant(0)) or null for no bias for hidden_b but ' +
        'received 0 (number)');
      rejects(base({ hidden_num_leading_axes: 2 }), TypeError,
        "num_leading_axes 2 is not supported for DenseLayer ('hidden'): the whole sample is " +
        'flattened (num_leading_axes 1)');
    });

    it('names a part of a flat parameter as written', () => {
      rejects({ layers: [['input', InputLayer], ['conv1', Conv2DLayer], ['out', DenseLayer]],
        input_shape: [null, 1, 8, 8], conv1_num_filters: 2, conv1_filter_size: [3, 0],
        out_num_units: 2, out_nonlinearity: softmax }, RangeError,
      'Expected an integer >= 1 for conv1_filter_size[1] but received 0 (number)');
    });

    it('checks the input shape', () => {
      rejects(base({ input_shape: [784] }), TypeError,
        'Expected [null, ...sample shape], e.g. [null, 784] for input_shape but received an ' +
        'array of length 1');
      rejects(base({ input_shape: [128, 784] }), RangeError,
        'Expected null for the batch dimension input_shape[0] but received 128: batches vary in ' +
        'size, write [null, 784]');
      rejects(base({ input_shape: [null, 0] }), RangeError,
        'Expected an integer >= 1 for input_shape[1] but received 0 (number)');
      rejects(base({ input_shape: undefined }), TypeError,
        "InputLayer 'input' needs shape: pass input_shape: [null, 784] (or shape in its own " +
        'options)');
    });

    it('rejects conv layers whose output cannot be computed or with unsupported options', () => {
      rejects(layers([784], new Conv2DLayer({ name: 'conv', numFilters: 2, filterSize: 3 })),
        RangeError, "Conv2DLayer 'conv' needs an input of shape channels x height x width but " +
        'its input has shape 784; add a ReshapeLayer before it, e.g. shape [[0], 1, 28, 28]');
      rejects(layers([1, 3, 3], new Conv2DLayer({ name: 'conv', numFilters: 2, filterSize: 5 })),
        RangeError, "Conv2DLayer 'conv' cannot filter its input of shape 1x3x3: filter_size 5x5 " +
        'is larger than the padded input 3x3');
      rejects(layers([1, 8, 8], new Conv2DLayer({ name: 'conv', numFilters: 2, filterSize: 4,
        pad: 'same' })), RangeError,
      "pad 'same' needs an odd filter_size for Conv2DLayer 'conv' but filter_size is 4x4");
      rejects(layers([1, 8, 8], new Conv2DLayer({ name: 'conv', numFilters: 2, filterSize: 3,
        pad: 'half' as never })), TypeError,
      "Expected an integer, a pair, 'valid', 'same' or 'full' for pad of Conv2DLayer 'conv' but " +
        'received "half" (string)');
      rejects(layers([1, 8, 8], new Conv2DLayer({ name: 'conv', numFilters: 2, filterSize: 3,
        untieBiases: true as never })), TypeError,
      "untie_biases is not supported for Conv2DLayer ('conv'): biases are shared across " +
        'positions (untie_biases: false)');
      rejects(layers([1, 8, 8], new Conv2DLayer({ name: 'conv', numFilters: 2, filterSize: 3,
        flipFilters: true as never })), TypeError,
      /^flip_filters: true is not supported for Conv2DLayer \('conv'\)/);
      rejects(layers([1, 8, 8], new Conv2DLayer({ name: 'conv', numFilters: 2,
        filterSize: [3, 3, 3] as never })), TypeError,
      "Expected an integer or a pair [rows, cols] of integers for filterSize of Conv2DLayer " +
        "'conv' but received an array of length 3");
    });

    it('rejects pool layers larger than their input and bad pool options', () => {
      rejects(layers([32, 2, 2], new MaxPool2DLayer({ name: 'pool2', poolSize: 3 })), RangeError,
        "MaxPool2DLayer 'pool2' cannot pool its input of shape 32x2x2: pool_size 3x3 is larger " +
        'than the padded input 2x2');
      rejects(layers([1, 6, 6], new MaxPool2DLayer({ name: 'pool', poolSize: 2, pad: 2 })),
        RangeError, 'Expected pad smaller than pool_size 2x2 for pad of MaxPool2DLayer ' +
        "'pool' but received 2x2");
      rejects(layers([1, 6, 6], new MaxPool2DLayer({ name: 'pool', poolSize: 3, pad: 1,
        ignoreBorder: false })), TypeError,
      "pad with ignore_border false is not supported for MaxPool2DLayer ('pool'): use pad 0 or " +
        'ignore_border true');
      rejects(layers([1, 6, 6], new Pool2DLayer({ name: 'pool', poolSize: 2,
        mode: 'average' as never })), RangeError,
      "Expected one of 'max', 'average_inc_pad', 'average_exc_pad' for mode of Pool2DLayer " +
        "'pool' but received \"average\" (string)");
      rejects(layers([6], new MaxPool2DLayer({ name: 'pool', poolSize: 2 })), RangeError,
        "MaxPool2DLayer 'pool' needs an input of shape channels x height x width but its input " +
        'has shape 6; pool the output of a Conv2DLayer or add a ReshapeLayer before it');
    });

    it('rejects reshapes that do not fit their input', () => {
      const reshape = (shape: unknown) => layers([784], new ReshapeLayer({ name: 'r',
        shape: shape as never }));
      rejects(reshape([[0], 3, -1]), RangeError, "ReshapeLayer 'r' cannot reshape its input of " +
        'shape 784 to [[0], 3, -1]: 784 values per sample are not divisible by 3');
      rejects(reshape([[0], 1, 28, 29]), RangeError, "ReshapeLayer 'r' cannot reshape its input " +
        'of shape 784 to [[0], 1, 28, 29]: the new shape holds 812 values per sample but the ' +
        'input has 784');
      rejects(reshape([[0], -1, -1]), RangeError, "ReshapeLayer 'r' cannot reshape its input of " +
        'shape 784 to [[0], -1, -1]: -1 may appear only once (at shape[1] and shape[2])');
      rejects(reshape([1, 28, 28]), RangeError, "Expected [0] (the batch dimension stays in " +
        "front), e.g. [[0], 1, 28, 28] for shape[0] of ReshapeLayer 'r' but received 1 (number)");
      rejects(reshape([[0], [0], 784]), RangeError, "ReshapeLayer 'r' cannot reshape its input " +
        "of shape 784 to [[0], [0], 784]: shape[1] of ReshapeLayer 'r' is [0] but the batch " +
        'dimension [0] can only stay in front (shape[0] = [0])');
      rejects(reshape([[0], [2]]), RangeError, 'Expected an integer in [0, 1] for shape[1][0] ' +
        "of ReshapeLayer 'r' but received 2 (number)");
      rejects(reshape([-1, 27, 27]), RangeError, "ReshapeLayer 'r' cannot reshape its input of " +
        'shape 784 to [-1, 27, 27]: with -1 as the batch the other entries must hold one sample ' +
        '(784 values) but they hold 729');
      rejects(reshape([[0], 'a']), TypeError, 'Expected a size, -1 or [i] for shape[1] of ' +
        "ReshapeLayer 'r' but received \"a\" (string)");
    });

    it('rejects unsupported dropout and flatten options', () => {
      rejects(layers([4], new DropoutLayer({ name: 'd', p: 1 })), RangeError,
        "Expected a number in [0, 1) for p of DropoutLayer 'd' but received 1 (number)");
      rejects(layers([4], new DropoutLayer({ name: 'd', p: 1.5 })), RangeError,
        "Expected a number in [0, 1) for p of DropoutLayer 'd' but received 1.5 (number)");
      rejects(layers([4], new DropoutLayer({ name: 'd', rescale: false as never })), TypeError,
        "rescale: false is not supported for DropoutLayer ('d'): kept values are always scaled " +
        'by 1 / (1 - p)');
      rejects(layers([4], new DropoutLayer({ name: 'd', sharedAxes: [2] as never })), TypeError,
        "shared_axes is not supported for DropoutLayer ('d'): every value is dropped " +
        'independently');
      rejects(layers([4], new FlattenLayer({ name: 'f', outdim: 3 as never })), TypeError,
        "outdim 3 is not supported for FlattenLayer ('f'): each sample becomes one row of " +
        'values (outdim 2)');
      rejects(layers([4], new NonlinearityLayer({ name: 'n', nonlinearity: 5 as never })),
        TypeError, `Expected ${NONLINEARITY} for nonlinearity of NonlinearityLayer 'n' but ` +
        'received 5 (number)');
    });

    it('checks initializer arguments', () => {
      assert.throws(() => new GlorotUniform(0), {
        name: 'RangeError',
        message: "Expected a number > 0 or 'relu' for GlorotUniform gain but received 0 (number)",
      });
      assert.throws(() => new GlorotUniform('tanh' as never), {
        name: 'RangeError',
        message: "Expected a number > 0 or 'relu' for GlorotUniform gain but received \"tanh\" " +
          '(string)',
      });
      assert.throws(() => new Normal({ std: -1 }), {
        name: 'RangeError',
        message: 'Expected a number >= 0 for Normal std but received -1 (number)',
      });
      assert.throws(() => new Uniform([1, 0]), {
        name: 'RangeError',
        message: 'Expected a number >= range[0] = 1 for Uniform range[1] but received 0 (number)',
      });
      assert.throws(() => new Uniform({ range: 1, std: 1 }), {
        name: 'TypeError',
        message: 'Uniform takes either range or std (with mean), not both',
      });
      assert.throws(() => new Constant({ value: 1 } as never), {
        name: 'TypeError',
        message: "Unknown parameter 'value' for Constant; did you mean 'val'?",
      });
    });
  });

  describe('data', () => {
    const net = () => build(base({ backend: scriptedBackend({ trainLoss: [1] }), max_epochs: 1 }));

    async function rejectsData(promise: Promise<unknown>, type: ErrorConstructor,
      message: string | RegExp): Promise<void> {
      await assert.rejects(promise, (error: Error) => {
        assert.strictEqual(error.constructor, type, `class of: ${error.message}`);
        if (typeof message === 'string') assert.strictEqual(error.message, message);
        else assert.match(error.message, message);
        return true;
      });
    }

    it('checks X against the input shape', async () => {
      await rejectsData(net().fit(new Float32Array(10), [0, 1]), RangeError,
        "X has 10 values, not a multiple of 4 as the input layer 'input' (shape 4) needs: 2 " +
        'samples and 2 values left over');
      await rejectsData(net().fit([[1, 2, 3, 4], [1, 2, 3]], [0, 1]), RangeError,
        "X[1] has 3 values but the input layer 'input' (shape 4) needs 4 per sample");
      await rejectsData(net().fit([[1, 2, 3, 4], [1, 2, NaN, 4]], [0, 1]), RangeError,
        'X contains NaN in sample 1 (value 2 of 4): inputs must be finite numbers');
      await rejectsData(net().predict(new Float32Array([0, 0, 0, 0, 1, Infinity, 0, 0])),
        RangeError, 'X contains Infinity in sample 1 (value 1 of 4): inputs must be finite ' +
        'numbers');
      await rejectsData(net().fit([[1, 2, 3, '4']] as never, [0]), TypeError,
        'Expected a number for X[0][3] but received "4" (string)');
      await rejectsData(net().fit(new Float32Array(0), []), RangeError,
        'Expected at least one sample for X but received a Float32Array of length 0');
      await rejectsData(net().predict('pixels' as never), TypeError,
        'Expected a Float32Array, a Uint8Array, nested number arrays or a dataset { X, y } for ' +
        'X but received "pixels" (string)');
    });

    it('checks y against X and the output layer', async () => {
      const X = new Float32Array(12);
      await rejectsData(net().fit(X, [0, 1]), RangeError, 'X has 3 samples but y has 2 labels');
      await rejectsData(net().fit(X, [0, 1, 2]), RangeError,
        "y[2] is 2 but the output layer 'output' has 2 units: labels must be in [0, 1]");
      await rejectsData(net().fit(X, [0, 1, -1]), RangeError,
        "y[2] is -1 but the output layer 'output' has 2 units: labels must be in [0, 1]");
      await rejectsData(net().fit(X, new Float32Array([0, 0.5, 1])), RangeError,
        'Expected an integer class label (for real-valued targets set regression: true) for ' +
        'y[1] but received 0.5 (number)');
      await rejectsData(net().fit(X), TypeError,
        'Expected targets y for the class labels but received undefined');
      await rejectsData(net().fit({ X, y: [0, 1, 1] }, [0, 1, 1]), TypeError,
        'Give either a dataset { X, y } or X and y, not both (X is a dataset and y was given)');
      await rejectsData(net().fit({ X, y: [0, 1, 5] }), RangeError,
        "X.y[2] is 5 but the output layer 'output' has 2 units: labels must be in [0, 1]");
    });

    it('checks regression targets', async () => {
      const regressor = build(base({ regression: true, output_nonlinearity: null,
        backend: scriptedBackend({ trainLoss: [1] }) }));
      await rejectsData(regressor.fit(new Float32Array(8), [1, 2]), RangeError,
        "y has 2 values but X has 2 samples and the output layer 'output' has 2 units: expected " +
        '4 (2 x 2)');
      await rejectsData(regressor.fit(new Float32Array(8), [[1, 2], [3, NaN]]), RangeError,
        'y contains NaN in sample 1: targets must be finite numbers');
    });

    it('checks fit options, layer names and a split that leaves nothing to train on', async () => {
      await rejectsData(net().fit(new Float32Array(8), [0, 1], { epoch: 2 } as never), TypeError,
        "Unknown parameter 'epoch' for fit options; did you mean 'epochs'?");
      await rejectsData(net().fit(new Float32Array(8), [0, 1], { epochs: 0 }), RangeError,
        'Expected an integer >= 1 for epochs but received 0 (number)');
      await rejectsData(net().getOutput('hiden', new Float32Array(4)), RangeError,
        "Unknown layer 'hiden' for layer; did you mean 'hidden'?");
      const split = build(base({ backend: scriptedBackend({ trainLoss: [1] }), eval_size: 0.9 }));
      await rejectsData(split.fit(new Float32Array(8), [0, 1]), RangeError,
        'train_split holds out all 2 samples (eval_size 0.9): no training samples are left');
      const busy = build(base({ backend: scriptedBackend({ trainLoss: [1] }), max_epochs: 1 }));
      const training = busy.fit(new Float32Array(8), [0, 1]);
      await rejectsData(busy.predict(new Float32Array(4)), Error, 'predict is not possible ' +
        'while this NeuralNet trains: wait for fit to finish (or abort it through its signal)');
      await training;
      assert.throws(() => { build(base({ update: adam })).updateMomentum = 0.5; }, {
        name: 'TypeError',
        message: 'updateMomentum is not supported for adam: only momentum and nesterov_momentum ' +
          'take a momentum',
      });
    });
  });
});
