/**
 * What both backends do to a training batch beyond gathering it: checking the augmentation
 * spec against the network's input, and running a BatchTransform with its result checked.
 * Both backends call these, so they accept and reject the same things with the same messages.
 */
import { resolveAugmentOptions } from '../augment';
import type { AugmentSpec, BatchInfo, BatchTransform } from './backend';
import { checkInteger, rangeError, typeError } from '../validate';

/**
 * Checks spec.augment (absent or null: no augmentation) against the input size.
 *
 * @throws TypeError / RangeError naming the field (options.spec.augment...)
 */
export function checkAugmentSpec(augment: unknown, inputSize: number): AugmentSpec | null {
  const name = 'options.spec.augment';
  if (augment === undefined || augment === null) return null;
  if (typeof augment !== 'object') throw typeError(name, 'an augment spec', augment);
  const spec = augment as AugmentSpec;
  const channels = checkInteger(`${name}.channels`, spec.channels, 1);
  const height = checkInteger(`${name}.height`, spec.height, 1, 65536);
  const width = checkInteger(`${name}.width`, spec.width, 1, 65536);
  if (channels * height * width !== inputSize) {
    throw new RangeError(`Expected channels x height x width = ${inputSize} (the input size) ` +
      `for ${name} but received ${channels} x ${height} x ${width} = ` +
      `${channels * height * width}`);
  }
  const { options } = spec;
  if (typeof options !== 'object' || options === null) {
    throw typeError(`${name}.options`, 'resolved augment options { elastic, affine }', options);
  }
  // Resolved options hold null for a group that is off; resolveAugmentOptions checks the rest.
  const given: Record<string, unknown> = {};
  if (options.elastic !== null) given.elastic = options.elastic;
  if (options.affine !== null) given.affine = options.affine;
  resolveAugmentOptions(given, `${name}.options`);
  return spec;
}

/** Checks options.batchTransform: undefined or a function. */
export function checkBatchTransform(transform: unknown): BatchTransform | undefined {
  if (transform !== undefined && typeof transform !== 'function') {
    throw typeError('options.batchTransform', 'a function (x, y, info) => void | Float32Array',
      transform);
  }
  return transform as BatchTransform | undefined;
}

/**
 * Runs a BatchTransform on x and returns the values to train on: x (changed in place or not)
 * or the Float32Array the transform returned.
 *
 * @throws TypeError / RangeError when the transform returns something else (a promise, a
 *   different array type, a different length); whatever the transform throws
 */
export function runBatchTransform(
  transform: BatchTransform,
  x: Float32Array,
  y: Int32Array | Float32Array,
  info: BatchInfo,
): Float32Array {
  const result: unknown = transform(x, y, info);
  if (result === undefined) return x;
  if (result instanceof Float32Array) {
    if (result.length !== x.length) {
      throw rangeError('the result of batchTransform',
        `a Float32Array of ${x.length} values (${info.count} samples of ` +
        `${info.shape.join(' x ')})`, result);
    }
    return result;
  }
  if (result !== null && typeof (result as { then?: unknown }).then === 'function') {
    throw new TypeError('An asynchronous batchTransform is not supported: the transform ' +
      'must change the batch before it returns (return nothing, or a Float32Array)');
  }
  throw typeError('the result of batchTransform', 'undefined or a Float32Array', result);
}
