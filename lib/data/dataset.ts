/**
 * The in-memory image dataset every data function reads and returns: pixels X (n samples x
 * features, row-major) and optional labels y, compact as they came from the file.
 */
import { checkInteger, rangeError, typeError } from '../validate';

/**
 * A set of n images, each of `features` = rows x cols pixels, with optional labels.
 *
 * - X: Uint8Array for 8-bit pixels (0..255; training scales them by 1/255 per batch) or
 *   Float32Array for pixels used as given.
 * - y: Int32Array class labels, Float32Array regression targets, or null when the data has none.
 *
 * @example
 * const digits: ImageDataset = {
 *   X: new Uint8Array(2 * 4), y: Int32Array.from([3, 7]), n: 2, features: 4, rows: 2, cols: 2,
 * };
 */
export interface ImageDataset {
  /** Pixels, n x features, row-major (sample after sample). */
  X: Uint8Array | Float32Array;
  /** Labels, one per sample; null when there are none. */
  y: Int32Array | Float32Array | null;
  /** Number of samples. */
  n: number;
  /** Pixels per sample (rows x cols). */
  features: number;
  /** Image height in pixels. */
  rows: number;
  /** Image width in pixels. */
  cols: number;
}

/**
 * What functions taking a dataset accept: X is required; y may be missing; n, features, rows
 * and cols are inferred when missing (n from y, else 1; rows = cols = sqrt(features) when
 * features is a perfect square, else rows = 1).
 */
export interface DatasetLike {
  X: Uint8Array | Float32Array;
  y?: Int32Array | Float32Array | null;
  n?: number;
  features?: number;
  rows?: number;
  cols?: number;
}

/** Image shape for a number of features when none is given: square if possible, else 1 row. */
export function defaultImageShape(features: number): { rows: number; cols: number } {
  const side = Math.round(Math.sqrt(features));
  return side * side === features ? { rows: side, cols: side } : { rows: 1, cols: features };
}

/**
 * Checks a dataset argument and fills in n, features, rows and cols.
 * Throws TypeError / RangeError naming `name` and the offending field.
 */
export function checkDataset(name: string, value: unknown): ImageDataset {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw typeError(name, 'a dataset { X, y?, n?, features?, rows?, cols? }', value);
  }
  const data = value as Partial<DatasetLike>;
  const X = data.X;
  if (!(X instanceof Uint8Array || X instanceof Float32Array)) {
    throw typeError(`${name}.X`, 'a Uint8Array or Float32Array', X);
  }
  const y = data.y ?? null;
  if (y !== null && !(y instanceof Int32Array || y instanceof Float32Array)) {
    throw typeError(`${name}.y`, 'an Int32Array, a Float32Array or null', y);
  }

  // Sample count: given, else the label count, else one sample.
  const n = data.n === undefined ? (y ? y.length : 1) : checkInteger(`${name}.n`, data.n, 0);
  if (y && y.length !== n) {
    throw rangeError(`${name}.y`, `${n} labels (one per sample, n = ${n})`, y);
  }

  // Features per sample: given, else X.length / n.
  let features: number;
  if (data.features !== undefined) {
    features = checkInteger(`${name}.features`, data.features, 0);
  } else if (n > 0) {
    features = X.length / n;
    if (!Number.isInteger(features)) {
      throw rangeError(`${name}.X`, `a length divisible by n = ${n}`, X);
    }
  } else {
    features = X.length === 0 ? 0 : NaN;
    if (Number.isNaN(features)) throw rangeError(`${name}.X`, 'an empty array when n is 0', X);
  }
  if (X.length !== n * features) {
    const expected = `n x features = ${n} x ${features} = ${n * features} elements`;
    throw rangeError(`${name}.X`, expected, X);
  }

  // Image shape: given (both), else inferred.
  let { rows, cols } = defaultImageShape(features);
  if (data.rows !== undefined || data.cols !== undefined) {
    rows = checkInteger(`${name}.rows`, data.rows, 0);
    cols = checkInteger(`${name}.cols`, data.cols, 0);
    if (rows * cols !== features) {
      throw rangeError(`${name}.rows x ${name}.cols`, `${features} (the features per sample)`,
        rows * cols);
    }
  }
  return { X, y, n, features, rows, cols };
}

/**
 * The samples at the given indices, in that order, as a new dataset (copies the pixels).
 *
 * @example
 * const firstTen = subset(mnist.train, Uint32Array.from({ length: 10 }, (_, i) => i));
 */
export function subset(dataset: DatasetLike, indices: ArrayLike<number>): ImageDataset {
  const source = checkDataset('dataset', dataset);
  if (indices === null || typeof indices !== 'object' || typeof indices.length !== 'number') {
    throw typeError('indices', 'an array of sample indices', indices);
  }
  const { features } = source;
  const count = indices.length;
  const X = source.X instanceof Uint8Array
    ? new Uint8Array(count * features)
    : new Float32Array(count * features);
  const y = source.y instanceof Int32Array ? new Int32Array(count)
    : source.y instanceof Float32Array ? new Float32Array(count) : null;
  for (let i = 0; i < count; i++) {
    const index = indices[i];
    if (!Number.isInteger(index) || index < 0 || index >= source.n) {
      throw rangeError(`indices[${i}]`, `an integer in [0, ${source.n - 1}]`, index);
    }
    X.set(source.X.subarray(index * features, (index + 1) * features), i * features);
    if (y && source.y) y[i] = source.y[index];
  }
  return { X, y, n: count, features, rows: source.rows, cols: source.cols };
}
