/**
 * The raw bindings of the addon, called with garbage (wrong argument counts and types, huge,
 * negative and non-integer sizes, malformed and absurd network specs, methods on the wrong
 * object, a second train while one runs, calls after dispose): each must throw a JavaScript
 * error of the stated class and message, or return, and never take the process down. The calls
 * run in a child process (native-garbage-child.ts), so a crash shows as a signal or an exit
 * code, with the case that was running.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { nativeAvailable } from '../cli/helpers';

/** Case name, error class ('returned' when it returns), message (or what it returned). */
const EXPECTED: Array<[string, string, string]> = [
  ['setNumThreads()', 'TypeError',
    'expected an integer for numThreads'],
  ['setNumThreads("4")', 'TypeError',
    'expected an integer for numThreads'],
  ['setNumThreads(NaN)', 'RangeError',
    'expected an integer in [1, 1024] for numThreads but received NaN'],
  ['setNumThreads(-1)', 'RangeError',
    'expected an integer in [1, 1024] for numThreads but received -1'],
  ['setNumThreads(1e9)', 'RangeError',
    'expected an integer in [1, 1024] for numThreads but received 1000000000'],
  ['setNumThreads(2**32 + 1)', 'RangeError',
    'expected an integer in [1, 1024] for numThreads but received 4294967297'],
  ['gemm()', 'TypeError',
    'gemm: expected an options object'],
  ['gemm(null)', 'TypeError',
    'gemm: expected an options object'],
  ['gemm({}) without arrays', 'TypeError',
    'expected a Float32Array for a'],
  ['gemm with m = 2**31', 'RangeError',
    'expected an integer in [-2^31, 2^31 - 1] for m but received 2147483648'],
  ['gemm with negative m', 'Error',
    'gemm: sizes must be >= 0, received m=-1 n=2 k=2'],
  ['gemm with sizes of 1e9', 'RangeError',
    'gemm: a holds 4 floats but needs 1000000000000000000'],
  ['gemm with C too short for 65536 x 65536', 'RangeError',
    'gemm: c holds 16 floats but needs 4294967296'],
  ['gemm with lda < k', 'Error',
    'gemm: lda must be >= 2, received 1'],
  ['gemm with a Float64Array', 'TypeError',
    'expected a Float32Array for a'],
  ['gemm with a throwing getter', 'Error',
    'getter says no'],
  ['rngDraws()', 'TypeError',
    'rngDraws(seed, stream, count) expects three integers'],
  ['rngDraws(1, 1, -1)', 'RangeError',
    'rngDraws: expected an integer in [0, 16777216] for count but received -1'],
  ['rngDraws(1, 1, 2**32 - 1)', 'RangeError',
    'rngDraws: expected an integer in [0, 16777216] for count but received 4294967295'],
  ['rngDraws(1, 1, 1.5)', 'RangeError',
    'rngDraws: expected an integer in [0, 16777216] for count but received 1.5'],
  ['augmentImages()', 'TypeError',
    'augmentImages(images, count, channels, height, width, options, seed) expects 7 ' +
    'arguments'],
  ['augmentImages with negative channels', 'Error',
    'augment: expected an integer >= 1 for channels but received -1'],
  ['augmentImages with height 1e9', 'Error',
    'augment: expected an integer in [1, 65536] for height but received 1000000000'],
  ['augmentImages with 2^31 - 1 channels', 'Error',
    'augment: expected channels x height x width <= 268435456 but received 2147483647 x ' +
    '2 x 2 = 8589934588'],
  ['augmentImages with NaN alpha', 'Error',
    'augment: expected a number >= 0 for options.elastic.alpha but received nan'],
  ['augmentImages with a short array', 'RangeError',
    'augmentImages: expected 4 values (count x channels x height x width) in images but ' +
    'received 3'],
  ['NativeModel()', 'TypeError',
    'NativeModel(specJson, seed) expects a string and a number'],
  ['NativeModel without new', 'TypeError',
    'Class constructors cannot be invoked without \'new\''],
  ['NativeModel(5, 1)', 'TypeError',
    'NativeModel(specJson, seed) expects a string and a number'],
  ['NativeModel("", 1)', 'Error',
    'invalid JSON at offset 0: unexpected end of the document'],
  ['NativeModel("{", 1)', 'Error',
    'invalid JSON at offset 1: expected a member name'],
  ['NativeModel("[]", 1)', 'Error',
    'network spec: expected an object but received an array of length 0'],
  ['NativeModel with trailing text', 'Error',
    'invalid JSON at offset 3: unexpected text after the end of the document'],
  ['NativeModel nested 10000 deep', 'Error',
    'invalid JSON at offset 65: nested too deeply'],
  ['NativeModel with a NUL byte', 'Error',
    'network spec: expected a value for layers but received nothing'],
  ['NativeModel with 1e9 units', 'Error',
    'network spec, layer 1 (\'out\'): W [784, 1000000000] holds more than 2147483647 ' +
    'values (2^31 - 1), the most the core supports; use fewer units or filters, or ' +
    'smaller inputs'],
  ['NativeModel with 2^30 x 2^30 inputs', 'Error',
    'network spec, layer 0 (\'in\'): inputShape [1073741824, 1073741824] holds more than ' +
    '2147483647 values (2^31 - 1), the most the core supports; use fewer units or ' +
    'filters, or smaller inputs'],
  ['NativeModel with a conv padded past 2^30', 'Error',
    'network spec, layer 1 (\'c\'): the padded input is 3221225472 x 1; the core supports ' +
    'at most 1073741824 (2^30) per axis, padding included'],
  ['NativeModel with negative units', 'Error',
    'network spec, layer 1 (\'out\'): expected an array of positive integers for ' +
    'outputShape but received an array of length 1'],
  ['NativeModel with NaN-like units', 'Error',
    'network spec, layer 1 (\'out\'): expected an integer in [1, 1073741824] for numUnits ' +
    'but received -nan (number)'],
  ['NativeModel with units 1e400', 'Error',
    'network spec, layer 1 (\'out\'): expected an integer in [1, 1073741824] for numUnits ' +
    'but received inf (number)'],
  ['getParams on a plain object', 'TypeError',
    'Illegal invocation'],
  ['getParams on a number', 'TypeError',
    'Illegal invocation'],
  ['setParams()', 'TypeError',
    'setParams expects an array of parameters'],
  ['setParams([1])', 'TypeError',
    'setParams: expected an object for params[0]'],
  ['setParams with 1 value for 12', 'RangeError',
    'setParams: expected 12 values for out.W but received 1'],
  ['setParams with a Symbol layer', 'TypeError',
    'Cannot convert a Symbol value to a string'],
  ['train()', 'TypeError',
    'train expects an options object'],
  ['train without onEvent', 'TypeError',
    'train: expected a function for onEvent'],
  ['train with a malformed spec', 'Error',
    'invalid JSON at offset 1: expected a member name'],
  ['train without x', 'TypeError',
    'expected a Uint8Array or Float32Array for x'],
  ['train with x an Int32Array', 'TypeError',
    'expected a Uint8Array or Float32Array for x'],
  ['train with n = 2^31 - 1', 'Error',
    'train.x: expected 8589934588 values (n = 2147483647 samples of 4) but received 8'],
  ['train with n = 2^31', 'RangeError',
    'expected an integer in [-2^31, 2^31 - 1] for n but received 2147483648'],
  ['train with n = -5', 'Error',
    'train: expected at least one sample but received n = -5'],
  ['train with n = NaN', 'RangeError',
    'expected an integer in [-2^31, 2^31 - 1] for n but received NaN'],
  ['train without labels', 'Error',
    'train.y: categorical_crossentropy expects an Int32Array of class labels'],
  ['train with label 99', 'Error',
    'train.y[1] = 99 is not a class of the output layer (expected an integer in [0, 3))'],
  ['train with epochs = -1', 'Error',
    'epochs: expected an integer >= 0 but received -1'],
  ['train with 1 learning rate for 3 epochs', 'Error',
    'learningRates: expected one learning rate per epoch (3) but received 1'],
  ['train with a short validX', 'Error',
    'valid.x: expected 4 values (n = 1 samples of 4) but received 3'],
  ['train with validX but no validN', 'TypeError',
    'expected an integer for validN'],
  ['train twice at once', 'Error',
    'this model is already training; wait for the running train() to settle before ' +
    'calling it again'],
  ['train then dispose at once', 'returned',
    'cancelled'],
  ['predict()', 'TypeError',
    'predict expects an options object'],
  ['predict with n = 2^31 - 1', 'Error',
    'predict data.x: expected 8589934588 values (n = 2147483647 samples of 4) but ' +
    'received 8'],
  ['predict with n = -1', 'Error',
    'predict data: expected at least one sample but received n = -1'],
  ['predict with batchSize 0', 'RangeError',
    'predict: batchSize must be >= 1'],
  ['predict an unknown layer', 'RangeError',
    'predict: the network has no layer named \'nope\''],
  ['getParams after dispose', 'Error',
    'this model was disposed; create a new one'],
  ['abort after dispose', 'returned',
    'undefined'],
];

/** Runs the child over every case; returns its lines by case, and how it ended. */
function runChild(): { results: Map<string, Record<string, unknown>>; status: number | null;
  signal: NodeJS.Signals | null; last: string; stderr: string } {
  const child = spawnSync(process.execPath, [path.join(__dirname, 'native-garbage-child.js')],
    { encoding: 'utf8', timeout: 60000, env: process.env });
  const results = new Map<string, Record<string, unknown>>();
  let last = '';
  for (const line of child.stdout.split('\n')) {
    if (line.startsWith('start ')) last = JSON.parse(line.slice(6));
    if (line.startsWith('{')) {
      const result = JSON.parse(line) as Record<string, unknown>;
      results.set(result.case as string, result);
    }
  }
  return { results, status: child.status, signal: child.signal, last, stderr: child.stderr };
}

describe('reliability: the raw native bindings with garbage', function () {
  this.timeout(90000);
  let run: ReturnType<typeof runChild>;

  before(function () {
    if (!nativeAvailable()) {
      console.log('      (skipped: the native addon is not built)');
      this.skip();
    }
    run = runChild();
  });

  it('the child process survives every call and exits 0', () => {
    assert.strictEqual(run.signal, null, `killed by ${run.signal} during '${run.last}'\n` +
      run.stderr);
    assert.strictEqual(run.status, 0, `exit ${run.status} during '${run.last}'\n${run.stderr}`);
    assert.strictEqual(run.results.size, EXPECTED.length, 'cases run');
  });

  for (const [name, kind, message] of EXPECTED) {
    it(kind === 'returned' ? `${name}: returns ${message}` : `${name}: ${kind}`, () => {
      const result = run.results.get(name);
      assert.ok(result, `no result for '${name}' (the child stopped during '${run.last}')`);
      if (kind === 'returned') {
        assert.deepStrictEqual(result, { case: name, threw: false, result: message });
      } else {
        assert.deepStrictEqual(result, { case: name, threw: true, name: kind, message });
      }
    });
  }
});
