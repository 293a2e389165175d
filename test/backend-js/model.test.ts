import * as assert from 'assert';
import type { LayerSpec, NetworkSpec, TrainOptions } from '../../lib/backend/backend';
import { jsBackend } from '../../lib/backend/js';
import { SpecBuilder, trainSpec } from '../helpers/spec';
import { blobs } from '../helpers/synthetic';

function spec(): NetworkSpec {
  return new SpecBuilder([1, 6, 6])
    .conv2d(2, 3, 'rectify', { name: 'conv' })
    .maxpool2d(2, { name: 'pool' })
    .dense(3, 'softmax', { name: 'out' })
    .build();
}

/** spec() with one layer changed. */
function changed(index: number, change: Partial<LayerSpec> | Record<string, unknown>): NetworkSpec {
  const result = spec();
  Object.assign(result.layers[index], change);
  return result;
}

describe('js backend: model', () => {
  describe('createModel', () => {
    it('rejects inconsistent specs, naming the layer and field', () => {
      const kinds =
        'input, dense, conv2d, maxpool2d, avgpool2d, dropout, reshape, flatten, nonlinearity';
      const functions = 'rectify, softmax, tanh, sigmoid, linear, leaky_rectify, elu, softplus';
      const cases: Array<[NetworkSpec, string, string]> = [
        [
          { layers: [] },
          'RangeError',
          'Expected at least one layer in spec.layers but received none',
        ],
        [
          { layers: spec().layers.slice(1) },
          'RangeError',
          "Expected the first layer to be an input layer but layer 'conv' " +
            '(conv2d, spec.layers[0]) is not',
        ],
        [
          changed(2, { inputShape: [2, 4, 5] }),
          'RangeError',
          "Expected inputShape [2, 4, 4] (the output of 'conv') for layer 'pool' " +
            '(maxpool2d, spec.layers[2]) but received [2, 4, 5]',
        ],
        [
          changed(1, { outputShape: [2, 5, 5] }),
          'RangeError',
          "Expected outputShape [2, 4, 4] for layer 'conv' (conv2d, spec.layers[1]) " +
            'but received [2, 5, 5]',
        ],
        [
          changed(0, { outputShape: [1, 6] }),
          'RangeError',
          "Expected outputShape [1, 6, 6] for layer 'input' (input, spec.layers[0]) " +
            'but received [1, 6]',
        ],
        [
          changed(2, { outputShape: [2, 0, 2] }),
          'TypeError',
          "Expected outputShape to be a list of positive integers for layer 'pool' " +
            '(maxpool2d, spec.layers[2]) but received [2, 0, 2]',
        ],
        [
          changed(3, { outputShape: 'x' }),
          'TypeError',
          "Expected outputShape to be a list of positive integers for layer 'out' " +
            '(dense, spec.layers[3]) but received "x" (string)',
        ],
        [
          changed(2, { ignoreBorder: 'yes' }),
          'TypeError',
          "Expected a boolean for ignoreBorder of layer 'pool' (maxpool2d, spec.layers[2]) " +
            'but received "yes" (string)',
        ],
        [
          changed(1, { kind: 'conv2D' }),
          'RangeError',
          `Expected one of ${kinds} for the kind of layer 'conv' (spec.layers[1]) ` +
            `but received "conv2D" (string); did you mean 'conv2d'?`,
        ],
        [
          changed(1, { nonlinearity: 'relu' }),
          'RangeError',
          `Expected one of ${functions} for the nonlinearity of layer 'conv' ` +
            '(conv2d, spec.layers[1]) but received "relu" (string)',
        ],
        [
          changed(1, { W: { kind: 'glorot_uniform' } }),
          'TypeError',
          "Expected a finite number for W.gain of layer 'conv' (conv2d, spec.layers[1]) " +
            'but received undefined',
        ],
        [
          changed(1, { stride: [0, 1] }),
          'RangeError',
          "Expected a pair of integers >= 1 for stride of layer 'conv' " +
            '(conv2d, spec.layers[1]) but received [0, 1]',
        ],
        [
          changed(3, { name: 'pool' }),
          'RangeError',
          "Expected unique layer names but 'pool' names spec.layers[2] and spec.layers[3]",
        ],
        [
          new SpecBuilder([4]).dropout(1).build(),
          'RangeError',
          "Expected a number in [0, 1) for p of layer 'dropout1' (dropout, spec.layers[1]) " +
            'but received 1 (number)',
        ],
        [
          new SpecBuilder([1, 2, 2]).conv2d(1, 3).build(),
          'RangeError',
          "The input is too small for layer 'conv1' (conv2d, spec.layers[1]): its output " +
            'would be [1, 0, 0]; pad the input or use a smaller window',
        ],
      ];
      for (const [bad, name, message] of cases) {
        assert.throws(() => jsBackend.createModel(bad, 1), { name, message });
      }
    });

    it('rejects a seed that is not a 32-bit unsigned integer', () => {
      assert.throws(() => jsBackend.createModel(spec(), -1), {
        name: 'RangeError',
        message: 'Expected an integer in [0, 4294967295] for seed but received -1 (number)',
      });
      assert.throws(() => jsBackend.createModel(spec(), '1' as unknown as number), {
        name: 'TypeError',
        message: 'Expected an integer for seed but received "1" (string)',
      });
    });
  });

  describe('params', () => {
    it('lists W before b in layer order with their shapes, as copies', () => {
      const model = jsBackend.createModel(spec(), 1);
      const params = model.getParams();
      assert.deepStrictEqual(
        params.map((p) => [p.layer, p.name, p.shape]),
        [
          ['conv', 'W', [2, 1, 3, 3]],
          ['conv', 'b', [2]],
          ['out', 'W', [8, 3]],
          ['out', 'b', [3]],
        ],
      );
      params[0].values[0] = 1234;
      assert.notStrictEqual(model.getParams()[0].values[0], 1234);
    });

    it('sets parameters by layer and name', () => {
      const model = jsBackend.createModel(spec(), 1);
      const values = Float32Array.from({ length: 24 }, (_, i) => i);
      model.setParams([{ layer: 'out', name: 'W', shape: [8, 3], values }]);
      assert.deepStrictEqual(model.getParams()[2].values, values);
    });

    it('rejects unknown layers and names, wrong shapes and value arrays, changing nothing', () => {
      const model = jsBackend.createModel(spec(), 1);
      const before = model.getParams();
      const good = { layer: 'out', name: 'b' as const, shape: [3], values: new Float32Array(3) };
      const cases: Array<[unknown, string, string]> = [
        [
          { ...good, layer: 'outt' },
          'RangeError',
          'Expected the name of a layer with parameters for params[1].layer but received ' +
            `"outt" (string); did you mean 'out'?`,
        ],
        [
          { ...good, name: 'gamma' },
          'RangeError',
          "Expected 'W' or 'b' (the parameters of 'out') for params[1].name but received " +
            '"gamma" (string)',
        ],
        [
          { ...good, shape: [1, 3] },
          'RangeError',
          'Expected shape [3] for params[1].shape but received [1, 3]',
        ],
        [
          { ...good, values: [0, 0, 0] },
          'TypeError',
          'Expected a Float32Array for params[1].values but received an array of length 3',
        ],
        [
          { ...good, values: new Float32Array(4) },
          'RangeError',
          'Expected 3 values (shape [3]) for params[1].values but received ' +
            'a Float32Array of length 4',
        ],
      ];
      for (const [bad, name, message] of cases) {
        const tensors = [{ ...good, values: Float32Array.from([1, 2, 3]) }, bad];
        assert.throws(() => model.setParams(tensors as never), { name, message });
      }
      assert.deepStrictEqual(model.getParams(), before);
    });
  });

  describe('predict and train arguments', () => {
    it('rejects bad datasets and options', async () => {
      const model = jsBackend.createModel(spec(), 1);
      await assert.rejects(model.predict({ x: new Float32Array(35), n: 1 }), {
        name: 'RangeError',
        message: 'Expected 1 x 36 = 36 values for data.x but received a Float32Array of length 35',
      });
      await assert.rejects(model.predict({ x: new Float64Array(36) as never, n: 1 }), {
        name: 'TypeError',
        message:
          'Expected a Uint8Array or Float32Array for data.x but received ' +
          'a Float64Array of length 36',
      });
      await assert.rejects(model.predict({ x: new Float32Array(36), n: 1 }, { layer: 'pol' }), {
        name: 'RangeError',
        message:
          'Expected the name of a layer for options.layer but received ' +
          `"pol" (string); did you mean 'pool'?`,
      });
      await assert.rejects(model.predict({ x: new Float32Array(36), n: 1 }, { batchSize: 0 }), {
        name: 'RangeError',
        message: 'Expected an integer >= 1 for options.batchSize but received 0 (number)',
      });
    });

    it('rejects bad targets and train options', async () => {
      const model = jsBackend.createModel(new SpecBuilder([2]).dense(3, 'softmax').build(), 1);
      const train = blobs(9, 1);
      const base: TrainOptions = { train, firstEpoch: 1, epochs: 1, spec: trainSpec() };
      const cases: Array<[TrainOptions, string, string]> = [
        [
          { ...base, train: { ...train, y: Int32Array.from([0, 1, 2, 0, 1, 3, 0, 1, 2]) } },
          'RangeError',
          'Expected a class label in [0, 2] for options.train.y[5] but received 3 (number)',
        ],
        [
          { ...base, train: { ...train, y: new Int32Array(8) } },
          'RangeError',
          'Expected 9 labels for options.train.y but received a Int32Array of length 8',
        ],
        [
          { ...base, train: { ...train, y: undefined } },
          'TypeError',
          'Expected an Int32Array of labels or a Float32Array of targets for options.train.y ' +
            'but received undefined',
        ],
        [
          { ...base, valid: { ...train, y: new Float32Array(9) } },
          'RangeError',
          'Expected 9 x 3 = 27 targets for options.valid.y but received a Float32Array of length 9',
        ],
        [
          { ...base, epochs: -1 },
          'RangeError',
          'Expected an integer >= 0 for options.epochs but received -1 (number)',
        ],
        [
          { ...base, spec: trainSpec({ batchSize: 0 }) },
          'RangeError',
          'Expected an integer >= 1 for options.spec.batchSize but received 0 (number)',
        ],
        [
          { ...base, spec: trainSpec({ loss: 'hinge' as never }) },
          'RangeError',
          `Expected one of 'categorical_crossentropy', 'squared_error' for options.spec.loss ` +
            'but received "hinge" (string)',
        ],
        [
          {
            ...base,
            spec: { ...trainSpec(), update: { ...trainSpec().update, rule: 'sgdd' as never } },
          },
          'RangeError',
          `Expected one of 'sgd', 'momentum', 'nesterov_momentum', 'adagrad', 'rmsprop', ` +
            `'adadelta', 'adam', 'adamax' for options.spec.update.rule but received ` +
            '"sgdd" (string)',
        ],
        [
          { ...base, learningRates: [0.1, 0.2] },
          'RangeError',
          'Expected an array of 1 (epochs) numbers for options.learningRates but received ' +
            'an array of length 2',
        ],
        [
          { ...base, onEpoch: 5 as never },
          'TypeError',
          'Expected a function for options.onEpoch but received 5 (number)',
        ],
      ];
      for (const [bad, name, message] of cases) {
        await assert.rejects(model.train(bad), { name, message });
      }
    });
  });

  describe('dispose', () => {
    it('makes every method throw, and stops a running train call', async () => {
      const model = jsBackend.createModel(new SpecBuilder([2]).dense(3, 'softmax').build(), 1);
      const training = model.train({
        train: blobs(90, 1),
        firstEpoch: 1,
        epochs: 3,
        spec: trainSpec({ batchSize: 10 }),
      });
      model.dispose();
      await assert.rejects(training, {
        message: 'The model was disposed while train() was running',
      });
      assert.throws(() => model.getParams(), {
        message: 'Cannot call getParams(): the model was disposed; create a new model',
      });
      await assert.rejects(
        model.predict({ x: new Float32Array(2), n: 1 }),
        /Cannot call predict\(\)/,
      );
      await assert.rejects(model.train({} as TrainOptions), /Cannot call train\(\)/);
    });
  });
});
