/**
 * Train / validation splits, as nolearn's TrainSplit made them: a fraction evalSize of the
 * samples is held out for validation, stratified by class for classification labels, drawn
 * reproducibly from a seed.
 *
 * The algorithm, exactly (so any implementation reproduces the same split):
 *   1. rng = new Rng(seed, RngStream.split)  (lib/rng.ts, xoshiro128**)
 *   2. Stratified (Int32Array labels, the default for them): for each class c in ascending
 *      order of label value, take the indices i with y[i] = c in ascending order, shuffle them
 *      with rng.shuffle (Fisher-Yates from the end, one rng.below per step, the same rng
 *      continuing across classes), and put the first k = Math.round(evalSize * count) of the
 *      shuffled indices in the validation set, the rest in the training set.
 *      Not stratified: the same with one class holding all n indices.
 *   3. Both index lists are returned sorted ascending, so each set keeps the original order.
 * evalSize 0 gives an empty validation set.
 */
import { Rng, RngStream } from '../rng';
import { checkBoolean, checkInteger, checkNumber, rangeError, typeError } from '../validate';
import { checkOptions } from './check';
import { checkDataset, DatasetLike, ImageDataset, subset } from './dataset';

/** Options of splitIndices and splitDataset. */
export interface SplitOptions {
  /** Fraction of the samples held out for validation, in [0, 1). Default 0.2. */
  evalSize?: number;
  /** Seed of the split's random stream (RngStream.split), an integer in [0, 2^32). Default 0. */
  seed?: number;
  /**
   * Split each class in proportion. Default true for Int32Array (class) labels; not supported
   * for Float32Array (regression) labels or a sample count.
   */
  stratify?: boolean;
}

/** Sample indices of a split, each list ascending. */
export interface SplitIndices {
  train: Uint32Array;
  valid: Uint32Array;
}

const SPLIT_KEYS = ['evalSize', 'seed', 'stratify'];

/**
 * Splits sample indices into training and validation sets; see the algorithm above.
 *
 * @param labels Int32Array class labels (stratified), Float32Array targets, or the sample count
 * @param options evalSize (default 0.2, in [0, 1)), seed (default 0), stratify
 * @returns ascending index lists; valid is empty when evalSize is 0
 * @throws TypeError / RangeError for bad arguments; "stratify is not supported for ..." when
 *   stratify is true without class labels
 *
 * @example
 * const { train, valid } = splitIndices(mnist.train.y, { evalSize: 0.2, seed: 1 });
 * // valid.length === 12000, about 20% of each digit
 */
export function splitIndices(
  labels: Int32Array | Float32Array | number,
  options?: SplitOptions,
): SplitIndices {
  // Arguments.
  let n: number;
  // A count is at most 2^32 - 1: the indices are a Uint32Array.
  if (typeof labels === 'number') n = checkInteger('labels', labels, 0, 2 ** 32 - 1);
  else if (labels instanceof Int32Array || labels instanceof Float32Array) n = labels.length;
  else throw typeError('labels', 'an Int32Array, a Float32Array or a sample count', labels);
  const opts = checkOptions<SplitOptions>('splitIndices', options, SPLIT_KEYS);
  const evalSize = opts.evalSize === undefined ? 0.2
    : checkNumber('options.evalSize', opts.evalSize);
  if (evalSize < 0 || evalSize >= 1) {
    throw rangeError('options.evalSize', 'a number in [0, 1)', evalSize);
  }
  const seed = opts.seed === undefined ? 0 : checkInteger('options.seed', opts.seed, 0,
    0xffffffff);
  const classes = labels instanceof Int32Array;
  const stratify = opts.stratify === undefined ? classes
    : checkBoolean('options.stratify', opts.stratify);
  if (stratify && !classes) {
    const what = typeof labels === 'number'
      ? 'a sample count' : 'Float32Array (regression) labels';
    throw new TypeError(`options.stratify is not supported for ${what}: stratifying needs ` +
      'Int32Array class labels');
  }

  // Group indices by class (ascending label, indices ascending within each).
  let groups: Uint32Array[];
  if (stratify) {
    const y = labels as Int32Array;
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) counts.set(y[i], (counts.get(y[i]) ?? 0) + 1);
    const values = [...counts.keys()].sort((a, b) => a - b);
    const byValue = new Map(values.map((value) => [value, new Uint32Array(counts.get(value)!)]));
    const filled = new Map(values.map((value) => [value, 0]));
    for (let i = 0; i < n; i++) {
      const slot = filled.get(y[i])!;
      byValue.get(y[i])![slot] = i;
      filled.set(y[i], slot + 1);
    }
    groups = values.map((value) => byValue.get(value)!);
  } else {
    groups = [Uint32Array.from({ length: n }, (_, i) => i)];
  }

  // Shuffle each group and hold out its first round(evalSize * count).
  const rng = new Rng(seed, RngStream.split);
  const validParts: Uint32Array[] = [];
  const trainParts: Uint32Array[] = [];
  for (const group of groups) {
    rng.shuffle(group);
    const held = Math.round(evalSize * group.length);
    validParts.push(group.subarray(0, held));
    trainParts.push(group.subarray(held));
  }
  return { train: concatSorted(trainParts), valid: concatSorted(validParts) };
}

function concatSorted(parts: Uint32Array[]): Uint32Array {
  const all = new Uint32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all.sort();
}

/** An explicit validation set: a separate dataset, or the indices of the samples to hold out. */
export interface ExplicitSplit {
  /** A validation dataset of the same features; the training set is the whole dataset. */
  valid?: DatasetLike;
  /** Indices of the samples held out; the training set is the rest, in order. */
  validIndices?: ArrayLike<number>;
}

/** The training and validation datasets of a split; valid is null when there is none. */
export interface DatasetSplit {
  train: ImageDataset;
  valid: ImageDataset | null;
}

/**
 * Splits a dataset into training and validation datasets: by evalSize and seed as splitIndices
 * does (stratified for class labels), or explicitly (options.valid or options.validIndices).
 *
 * @param dataset { X, y, ... }; see DatasetLike
 * @param options SplitOptions, or { valid } / { validIndices } for an explicit split
 * @returns { train, valid } with copied samples; valid is null when evalSize is 0
 * @throws TypeError / RangeError for bad arguments, a validation set of other features, or
 *   validIndices out of range or repeated
 *
 * @example
 * const { train, valid } = splitDataset(mnist.train, { evalSize: 0.1, seed: 7 });
 * const explicit = splitDataset(mnist.train, { valid: mnist.test });
 */
export function splitDataset(
  dataset: DatasetLike,
  options?: SplitOptions | ExplicitSplit,
): DatasetSplit {
  const data = checkDataset('dataset', dataset);
  const opts = checkOptions<SplitOptions & ExplicitSplit>('splitDataset', options,
    [...SPLIT_KEYS, 'valid', 'validIndices']);
  const explicit = opts.valid !== undefined || opts.validIndices !== undefined;
  if (explicit && SPLIT_KEYS.some((key) => key in opts)) {
    throw new TypeError('splitDataset takes either evalSize / seed / stratify or an explicit ' +
      'valid / validIndices, not both');
  }

  // An explicit validation dataset.
  if (opts.valid !== undefined) {
    if (opts.validIndices !== undefined) {
      throw new TypeError('splitDataset takes options.valid or options.validIndices, not both');
    }
    const valid = checkDataset('options.valid', opts.valid);
    if (valid.features !== data.features) {
      throw new RangeError(`Expected ${data.features} features per sample for options.valid ` +
        `(as the dataset) but received ${valid.features}`);
    }
    return { train: data, valid };
  }

  // Explicit validation indices, or indices drawn by evalSize.
  let indices: SplitIndices;
  if (opts.validIndices !== undefined) {
    indices = complement(opts.validIndices, data.n);
  } else {
    indices = splitIndices(data.y ?? data.n, opts as SplitOptions);
  }
  return {
    train: subset(data, indices.train),
    valid: indices.valid.length > 0 ? subset(data, indices.valid) : null,
  };
}

/** The split holding out the given indices (checked), keeping the rest for training. */
function complement(validIndices: unknown, n: number): SplitIndices {
  const list = validIndices as ArrayLike<number>;
  if (list === null || typeof list !== 'object' || typeof list.length !== 'number') {
    throw typeError('options.validIndices', 'an array of sample indices', validIndices);
  }
  const held = new Uint8Array(n);
  for (let i = 0; i < list.length; i++) {
    const index = list[i];
    checkInteger(`options.validIndices[${i}]`, index, 0, n - 1);
    if (held[index]) {
      throw rangeError(`options.validIndices[${i}]`, 'indices that appear once', index);
    }
    held[index] = 1;
  }
  const valid = new Uint32Array(list.length);
  const train = new Uint32Array(n - list.length);
  for (let i = 0, v = 0, t = 0; i < n; i++) {
    if (held[i]) valid[v++] = i;
    else train[t++] = i;
  }
  return { train, valid };
}
