/**
 * Bad input through the public API and the `lamina` command, where the tests of each module
 * leave gaps: values beyond float32, wrong types of X, y and options, absurd network sizes,
 * calls while a fit runs (with and without callbacks between epochs), predicting before fit,
 * corrupt and hand-edited model files, overrides and options of the wrong type. Each case
 * asserts the error's class and its whole message.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  DataFormatError, DenseLayer, InputLayer, NeuralNet, Rng, softmax, splitIndices,
} from '../../lib';
import type { NeuralNetOptions } from '../../lib';
import { encodeSafetensors } from '../../lib/safetensors';
import { temporaryFolder } from '../data/temp';
import { nativeAvailable, runCli } from '../cli/helpers';

type ErrorClass = new (...args: never[]) => Error;

/** Asserts the exact class and message of what fn throws. */
function throwsWith(fn: () => unknown, type: ErrorClass, message: string): void {
  assert.throws(fn, (error: Error) => {
    assert.strictEqual(error.constructor, type, `class of: ${error.message}`);
    assert.strictEqual(error.message, message);
    return true;
  });
}

/** Asserts the exact class and message a promise rejects with. */
async function rejectsWith(promise: Promise<unknown>, type: ErrorClass, message: string):
  Promise<void> {
  await assert.rejects(promise, (error: Error) => {
    assert.strictEqual(error.constructor, type, `class of: ${error.message}`);
    assert.strictEqual(error.message, message);
    return true;
  });
}

const backends = nativeAvailable() ? ['js', 'native'] as const : ['js'] as const;

/** A 4-input, 3-class softmax regression. */
function net(options: Record<string, unknown> = {}): NeuralNet {
  return new NeuralNet({
    layers: [['input', InputLayer], ['output', DenseLayer]],
    input_shape: [null, 4], output_num_units: 3, output_nonlinearity: softmax,
    max_epochs: 2, verbose: 0, backend: 'js', ...options,
  } as unknown as NeuralNetOptions);
}

const X = Float32Array.from({ length: 64 * 4 }, (_, i) => Math.cos(i));
const y = Int32Array.from({ length: 64 }, (_, i) => i % 3);

describe('reliability: bad input through the public API', function () {
  this.timeout(30000);
  const folder = temporaryFolder('bad-input');

  describe('data', () => {
    it('a value beyond float32 is named as given, not as the Infinity it becomes', async () => {
      await rejectsWith(net().fit(new Float64Array([0, 0, 0, 0, 1, 2, 1e39, 3]), [0, 1]),
        RangeError, 'X contains 1e+39 in sample 1 (value 2 of 4), beyond the range of float32 ' +
        '(about ±3.4e38): inputs must be finite float32 numbers');
      await rejectsWith(net().predict([[0, 0, 0, -4e38]]), RangeError,
        'X[0][3] is -4e+38, beyond the range of float32 (about ±3.4e38): inputs must be finite ' +
        'float32 numbers');
      await rejectsWith(net().predict(new Float64Array([0, -Infinity, 0, 0])), RangeError,
        'X contains -Infinity in sample 0 (value 1 of 4): inputs must be finite numbers');
    });

    it('X and y of the wrong types', async () => {
      await rejectsWith(net().fit(new BigInt64Array(4) as never, [0]), TypeError,
        'Expected a Float32Array, a Uint8Array or nested number arrays for X but received a ' +
        'BigInt64Array of length 4');
      await rejectsWith(net().fit(new DataView(new ArrayBuffer(16)) as never, [0]), TypeError,
        'Expected a Float32Array, a Uint8Array, nested number arrays or a dataset { X, y } for ' +
        'X but received a DataView of length 16');
      await rejectsWith(net().fit(null as never, [0]), TypeError,
        'Expected a Float32Array, a Uint8Array, nested number arrays or a dataset { X, y } for ' +
        'X but received null');
      await rejectsWith(net().fit(new Float32Array(4), ['0'] as never), TypeError,
        'Expected a number for y[0] but received "0" (string)');
      await rejectsWith(net().fit(new Float32Array(4), new BigInt64Array(1) as never), TypeError,
        'Expected an integer typed array, a Float32Array or a number array for y but received ' +
        'a BigInt64Array of length 1');
      await rejectsWith(net().fit(new Float32Array(4), [NaN]), RangeError,
        'Expected an integer class label (for real-valued targets set regression: true) for ' +
        'y[0] but received NaN (number)');
      await rejectsWith(net().fit(new Float32Array(4), new Int32Array(2)), RangeError,
        'X has 1 samples but y has 2 labels');
      await rejectsWith(net().fit([], []), RangeError,
        'Expected at least one sample for X but received an array of length 0');
    });
  });

  describe('sizes', () => {
    it('absurd layer sizes are refused when the net is built, naming the layer', () => {
      throwsWith(() => net({ layers: [['input', InputLayer], ['hidden', DenseLayer],
        ['output', DenseLayer]], input_shape: [null, 784], hidden_num_units: 1e9 }), RangeError,
      "Layer 'hidden' (DenseLayer): it has 785000000000 learnable parameters, more than the " +
        '2147483647 (2^31 - 1) Lamina supports; use fewer units or filters, or smaller inputs');
      throwsWith(() => net({ input_shape: [null, 65536, 65536] }), RangeError,
        "Layer 'input' (InputLayer): its output holds 4294967296 values per sample, more than " +
        'the 2147483647 (2^31 - 1) Lamina supports; use fewer units or filters, or smaller ' +
        'inputs');
      throwsWith(() => net({ layers: [['input', InputLayer], ['a', DenseLayer], ['b', DenseLayer],
        ['output', DenseLayer]], input_shape: [null, 40000], a_num_units: 30000,
      b_num_units: 40000 }), RangeError, "Layer 'b' (DenseLayer): the network has " +
        '2400070000 learnable parameters up to it, more than the 2147483647 (2^31 - 1) Lamina ' +
        'supports; use fewer units or filters, or smaller inputs');
    });

    it('a sample count past the typed arrays that would hold it', () => {
      // It was a RangeError from the Uint32Array constructor, naming no parameter.
      throwsWith(() => splitIndices(1e12), RangeError,
        'Expected an integer in [0, 4294967295] for labels but received 1000000000000 (number)');
    });

    it('Rng seeds and streams must be integers', () => {
      throwsWith(() => new Rng('1' as never), TypeError,
        'Expected an integer for seed but received "1" (string)');
      throwsWith(() => new Rng(1.5), RangeError,
        'Expected an integer >= -9007199254740991 for seed but received 1.5 (number)');
      throwsWith(() => new Rng(1, NaN), TypeError,
        'Expected an integer for stream but received NaN (number)');
      assert.strictEqual(new Rng(-1).nextU32(), new Rng(2 ** 32 - 1).nextU32(),
        'negative seeds are still reduced modulo 2^32');
    });
  });

  describe('predict before fit', () => {
    // Like nolearn, a net initialises its weights from the seed on first use: predict before
    // fit is allowed, and gives the same numbers on both backends.
    for (const backend of backends) {
      it(`is allowed and uses the weights of the seed (${backend})`, async () => {
        const first = await net({ seed: 5, backend }).predictProba(X.subarray(0, 8));
        const again = await net({ seed: 5, backend }).predictProba(X.subarray(0, 8));
        const reference = await net({ seed: 5, backend: 'js' }).predictProba(X.subarray(0, 8));
        assert.deepStrictEqual(first, again, 'the same seed gives the same predictions');
        const largest = Math.max(...first.map((value, i) => Math.abs(value - reference[i])));
        console.log(`      largest difference from the js backend: ${largest.toExponential(2)}`);
        assert.ok(largest <= 1e-6, `tolerance 1e-6, got ${largest}`);
        const other = await net({ seed: 6, backend }).predictProba(X.subarray(0, 8));
        assert.notDeepStrictEqual(first, other, 'another seed, other weights');
      });
    }
  });

  describe('calls while a fit runs', () => {
    for (const backend of backends) {
      it(`a second fit, predict, getParams and save are refused (${backend})`, async () => {
        const busy = net({ backend, max_epochs: 1000000 });
        const controller = new AbortController();
        const running = busy.fit(X, y, { signal: controller.signal });
        const message = (what: string) => `${what} is not possible while this NeuralNet ` +
          'trains: wait for fit to finish (or abort it through its signal)';
        await rejectsWith(busy.fit(X, y), Error, message('fit'));
        await rejectsWith(busy.partialFit(X, y), Error, message('fit'));
        await rejectsWith(busy.predict(X), Error, message('predict'));
        throwsWith(() => busy.getParams(), Error, message('getParams'));
        await rejectsWith(busy.save(path.join(folder(), 'busy.safetensors')), Error,
          message('save'));
        controller.abort();
        await assert.rejects(running, { name: 'AbortError' });
        assert.ok(!fs.existsSync(path.join(folder(), 'busy.safetensors')));
      });

      it(`a second fit while callbacks run between epochs is refused (${backend})`, async () => {
        // Between epochs the backend is idle while on_epoch_finished runs: the net must still
        // refuse a second fit (it used to start one, interleaving their epochs).
        let second: Promise<unknown> | undefined;
        const busy = net({ backend, max_epochs: 3, on_epoch_finished: [async (self: NeuralNet) => {
          if (!second) {
            second = self.fit(X, y, { epochs: 1 });
            second.catch(() => undefined); // asserted below, once the first fit is done
          }
          await new Promise((resolve) => setTimeout(resolve, 5));
          self.getParams(); // reading the net from a callback is allowed
        }] });
        await busy.fit(X, y);
        await rejectsWith(second!, Error, 'fit is not possible while this NeuralNet trains: ' +
          'wait for fit to finish (or abort it through its signal)');
        assert.deepStrictEqual(busy.trainHistory.map((entry) => entry.epoch), [1, 2, 3]);
      });
    }
  });

  describe('options of the wrong type', () => {
    it('fit, setParams, loadParams and NeuralNet.load', async () => {
      await rejectsWith(net().fit(X, y, { signal: 5 as never }), TypeError,
        'Expected an AbortSignal for signal but received 5 (number)');
      throwsWith(() => net().setParams(5 as never), TypeError,
        'Expected an array of parameters { layer, name, shape, values } for params but received ' +
        '5 (number)');
      const file = path.join(folder(), 'small.safetensors');
      await net().save(file);
      await rejectsWith(net().loadParams(file, 5 as never), TypeError,
        'Expected an options object { strict } for loadParams options but received 5 (number)');
      await rejectsWith(NeuralNet.load(file, null as never), TypeError,
        'Expected an options object for NeuralNet.load overrides but received null');
      await rejectsWith(NeuralNet.load(file, 5 as never), TypeError,
        'Expected an options object for NeuralNet.load overrides but received 5 (number)');
    });
  });

  describe('parameters', () => {
    for (const backend of backends) {
      it(`setParams entries that are not parameters, and NaN weights (${backend})`, async () => {
        const model = net({ backend });
        throwsWith(() => model.setParams([new Float32Array(20)] as never), TypeError,
          'Expected a parameter { layer, name, shape, values } (as getParams returns) for ' +
          'params[0] but received a Float32Array of length 20');
        const [W, b] = model.getParams();
        throwsWith(() => model.setParams([W, { ...b, values: [0, 0, 0] as never }]), TypeError,
          'Expected a Float32Array for params[1].values but received an array of length 3');
        const poisoned = Float32Array.from(W.values);
        poisoned[5] = NaN;
        throwsWith(() => model.setParams([{ ...W, values: poisoned }]), RangeError,
          "Expected finite numbers for params[0].values ('output.W') but received NaN at index 5");
        // A model file with a NaN weight is refused when it loads, naming the tensor.
        const file = path.join(folder(), `nan-${backend}.safetensors`);
        const saved = net({ backend });
        saved.setParams([W]);
        await saved.save(file);
        const bytes = fs.readFileSync(file);
        const headerLength = Number(bytes.readBigUInt64LE(0));
        const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString());
        const offset = 8 + headerLength + header['output.W'].data_offsets[0];
        bytes.writeFloatLE(NaN, offset + 4 * 2);
        fs.writeFileSync(file, bytes);
        await rejectsWith(NeuralNet.load(file), DataFormatError, `${file} has a corrupt model ` +
          "description: Expected finite numbers for params[0].values ('output.W') but received " +
          'NaN at index 2');
      });
    }
  });

  describe('model files', () => {
    /** A model file like save writes, with the metadata changed by edit. */
    async function edited(name: string, edit: (metadata: Record<string, string>,
      tensors: Array<{ name: string; shape: number[]; values: Float32Array }>) => void):
      Promise<string> {
      const file = path.join(folder(), name);
      const source = net();
      await source.save(file);
      const { readLaminaFile } = await import('../../lib/model-file');
      const content = await readLaminaFile(file);
      const tensors = content.params.map((param) => ({ name: `${param.layer}.${param.name}`,
        shape: param.shape, values: param.values }));
      const metadata = { ...content.metadata };
      edit(metadata, tensors);
      fs.writeFileSync(file, Buffer.concat(encodeSafetensors(tensors, metadata)));
      return file;
    }

    it('a hand-edited description is a DataFormatError naming the file', async () => {
      const badInit = await edited('bad-init.safetensors', (metadata) => {
        metadata.network = metadata.network.replace('"kind":"glorot_uniform"', '"kind":"x"');
      });
      await rejectsWith(NeuralNet.load(badInit), DataFormatError, `${badInit} has a corrupt ` +
        "model description: Expected a known initializer kind for W of DenseLayer 'output'.kind " +
        'but received "x" (string)');
      const badRate = await edited('bad-rate.safetensors', (metadata) => {
        metadata.options = metadata.options.replace('"update_learning_rate":0.01',
          '"update_learning_rate":-1');
      });
      await rejectsWith(NeuralNet.load(badRate), DataFormatError, `${badRate} has a corrupt ` +
        'model description: Expected a number > 0 for update_learning_rate but received -1 ' +
        '(number)');
      const noOptions = await edited('null-options.safetensors', (metadata) => {
        metadata.options = 'null';
      });
      await rejectsWith(NeuralNet.load(noOptions), DataFormatError, `${noOptions} has a ` +
        "corrupt model description: Cannot read properties of null (reading 'update')");
      const history = await edited('history.safetensors', (metadata) => {
        metadata.history = '{}';
      });
      await rejectsWith(NeuralNet.load(history), DataFormatError, `${history} has a corrupt ` +
        'model description: the history is not a list');
    });

    it('missing or reshaped weights are a DataFormatError naming the file', async () => {
      const missing = await edited('missing.safetensors', (_, tensors) => {
        tensors.splice(1, 1);
      });
      await rejectsWith(NeuralNet.load(missing), DataFormatError,
        `${missing} has no weights for output.b (a corrupt or hand-edited file)`);
      const reshaped = await edited('reshaped.safetensors', (_, tensors) => {
        tensors[0].shape = [3, 4];
      });
      await rejectsWith(NeuralNet.load(reshaped), DataFormatError, `${reshaped} has a ` +
        "corrupt model description: Parameter 'output.W' has shape 4x3 but the values given " +
        'have shape 3x4');
    });
  });

  describe('the lamina command', () => {
    it('evaluate: a truncated model and one of a newer format version (exit 1)', async () => {
      const file = path.join(folder(), 'cli-model.safetensors');
      await net({ input_shape: [null, 784], output_num_units: 10 }).save(file);
      const truncated = path.join(folder(), 'truncated.safetensors');
      fs.writeFileSync(truncated, fs.readFileSync(file).subarray(0, 50));
      let result = await runCli(['evaluate', truncated, '--limit', '10', '--backend', 'js']);
      assert.strictEqual(result.code, 1);
      assert.match(result.err, new RegExp(`^error: model: ${truncated.replace(/[.]/g, '\\.')} ` +
        'is not a valid safetensors file: the header is \\d+ bytes long but the file has only ' +
        '42 after the length \\(truncated\\?\\)\\n$'));
      const { readLaminaFile } = await import('../../lib/model-file');
      const content = await readLaminaFile(file);
      const newer = path.join(folder(), 'newer.safetensors');
      fs.writeFileSync(newer, Buffer.concat(encodeSafetensors(content.params.map((param) => ({
        name: `${param.layer}.${param.name}`, shape: param.shape, values: param.values })),
      { ...content.metadata, format_version: '99' })));
      result = await runCli(['evaluate', newer, '--limit', '10', '--backend', 'js']);
      assert.strictEqual(result.code, 1);
      assert.strictEqual(result.err, `error: model: ${newer} was written by a newer version of ` +
        'Lamina (format version 99); this version reads format version 1 and older: upgrade ' +
        'lamina to read it\n');
    });
  });
});
