/**
 * Reading and checking the data given to NeuralNet: X as a typed array, nested arrays or a
 * dataset { X, y }; y as class labels or regression targets. Everything is converted once to
 * the compact Dataset form the backends take (uint8 pixels stay uint8).
 */
import type { Dataset } from './backend/backend';
import { rangeError, typeError } from './validate';

/** Numbers nested to any depth: a sample, a row, an image. */
export type NestedNumbers = number | readonly NestedNumbers[];

/**
 * Inputs: a flat typed array of n samples (row-major; n implied by the input shape) or one
 * entry per sample (number[] rows, or nested arrays matching the input shape). Uint8Array and
 * Uint8ClampedArray are pixels, scaled by 1/255 as batches are drawn; other typed arrays are
 * used as given (converted to float32).
 */
export type InputData =
  | Float32Array
  | Uint8Array
  | Uint8ClampedArray
  | Float64Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | readonly NestedNumbers[];

/**
 * Targets: class labels 0..k-1 (an integer typed array or number[]) for classification;
 * floats (a flat n x outputs array, or one row per sample) for regression.
 */
export type TargetData =
  | Int32Array
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | readonly number[]
  | readonly (readonly number[])[];

/** A dataset as the data functions produce it: { X, y }. */
export interface DataSet {
  X: InputData;
  y?: TargetData | null;
}

/** Whether value looks like a dataset { X, y? }. */
export function isDataSet(value: unknown): value is DataSet {
  return value !== null && typeof value === 'object' && !Array.isArray(value) &&
    !ArrayBuffer.isView(value) && 'X' in (value as object);
}

/** Where the input layer is, for messages: "the input layer 'input' (shape 784)". */
export interface InputInfo {
  name: string;
  shape: readonly number[];
}

function inputWhere(input: InputInfo): string {
  return `the input layer '${input.name}' (shape ${input.shape.join('x')})`;
}

/** Flattens one sample's nested numbers into out at offset; returns the new offset. */
function flattenInto(value: unknown, out: Float32Array, offset: number, limit: number,
  path: string): number {
  if (typeof value === 'number') {
    if (offset < limit) out[offset] = value;
    if (Number.isFinite(value) && !Number.isFinite(Math.fround(value))) {
      throw new RangeError(`${path} is ${value}, ${FLOAT32_RANGE}`);
    }
    return offset + 1;
  }
  if (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))) {
    const items = value as ArrayLike<unknown>;
    for (let i = 0; i < items.length; i++) {
      offset = flattenInto(items[i], out, offset, limit, `${path}[${i}]`);
    }
    return offset;
  }
  throw typeError(path, 'a number', value);
}

/** What a number too large for float32 is told. */
const FLOAT32_RANGE = 'beyond the range of float32 (about ±3.4e38): inputs must be finite ' +
  'float32 numbers';

/**
 * Throws for the first NaN or infinite input, naming its sample; source (the values before
 * their conversion to float32) tells a number too large for float32 from an infinity.
 */
function checkFinite(name: string, x: Float32Array, size: number,
  source?: ArrayLike<number>): void {
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i])) continue;
    const sample = Math.floor(i / size);
    const where = `in sample ${sample} (value ${i % size} of ${size})`;
    if (source && Number.isFinite(source[i])) {
      throw new RangeError(`${name} contains ${source[i]} ${where}, ${FLOAT32_RANGE}`);
    }
    throw new RangeError(`${name} contains ${x[i]} ${where}: inputs must be finite numbers`);
  }
}

/**
 * Converts inputs to the compact form: Uint8Array (pixels) or Float32Array, n x size.
 *
 * @throws TypeError for a wrong type; RangeError for a size that does not fit the input
 *   layer, an empty set or a NaN / infinite value (naming the sample)
 */
export function toInputs(name: string, X: unknown, input: InputInfo):
  { x: Uint8Array | Float32Array; n: number } {
  const size = input.shape.reduce((product, n) => product * n, 1);

  // Flat typed arrays: n implied by the input shape.
  if (ArrayBuffer.isView(X) && !(X instanceof DataView)) {
    const length = (X as unknown as ArrayLike<number>).length;
    if (typeof length !== 'number' || X instanceof BigInt64Array || X instanceof BigUint64Array) {
      throw typeError(name, 'a Float32Array, a Uint8Array or nested number arrays', X);
    }
    if (length === 0) throw rangeError(name, 'at least one sample', X);
    if (length % size !== 0) {
      throw new RangeError(`${name} has ${length} values, not a multiple of ${size} as ` +
        `${inputWhere(input)} needs: ${Math.floor(length / size)} samples and ${length % size} ` +
        'values left over');
    }
    const n = length / size;
    if (X instanceof Uint8Array) return { x: X, n };
    if (X instanceof Uint8ClampedArray) {
      return { x: new Uint8Array(X.buffer, X.byteOffset, X.length), n };
    }
    const source = X as unknown as ArrayLike<number>;
    const x = X instanceof Float32Array ? X : Float32Array.from(source);
    checkFinite(name, x, size, source);
    return { x, n };
  }

  // One entry per sample.
  if (!Array.isArray(X)) {
    throw typeError(name,
      'a Float32Array, a Uint8Array, nested number arrays or a dataset { X, y }', X);
  }
  if (X.length === 0) throw rangeError(name, 'at least one sample', X);
  const n = X.length;
  const x = new Float32Array(n * size);
  for (let i = 0; i < n; i++) {
    const end = flattenInto(X[i], x, i * size, (i + 1) * size, `${name}[${i}]`);
    const count = end - i * size;
    if (count !== size) {
      throw new RangeError(`${name}[${i}] has ${count} values but ${inputWhere(input)} needs ` +
        `${size} per sample`);
    }
  }
  checkFinite(name, x, size);
  return { x, n };
}

/** Reads y as a flat list of numbers (rows flattened), or throws. */
function flatTargets(name: string, y: unknown): ArrayLike<number> {
  if (ArrayBuffer.isView(y) && !(y instanceof DataView)) {
    if (y instanceof BigInt64Array || y instanceof BigUint64Array) {
      throw typeError(name, 'an integer typed array, a Float32Array or a number array', y);
    }
    return y as unknown as ArrayLike<number>;
  }
  if (!Array.isArray(y)) throw typeError(name, 'a typed array or a number array', y);
  if (y.length > 0 && Array.isArray(y[0])) {
    const out: number[] = [];
    y.forEach((row: unknown, i: number) => {
      if (!Array.isArray(row)) throw typeError(`${name}[${i}]`, 'an array of numbers', row);
      row.forEach((value: unknown, j: number) => {
        if (typeof value !== 'number') throw typeError(`${name}[${i}][${j}]`, 'a number', value);
        out.push(value);
      });
    });
    return out;
  }
  y.forEach((value: unknown, i: number) => {
    if (typeof value !== 'number') throw typeError(`${name}[${i}]`, 'a number', value);
  });
  return y as number[];
}

/**
 * Class labels for classification: n integers in [0, classes).
 *
 * @throws TypeError for a wrong type; RangeError for a count that differs from n, a label that
 *   is not an integer (hinting at regression: true) or out of range (naming the output layer)
 */
export function toLabels(name: string, y: unknown, n: number, classes: number,
  outputName: string): Int32Array {
  const values = flatTargets(name, y);
  if (Array.isArray(y) && y.length > 0 && Array.isArray(y[0])) {
    throw typeError(name, 'one class label per sample (for rows of targets set regression: true)',
      y);
  }
  if (values.length !== n) {
    throw new RangeError(`X has ${n} samples but ${name} has ${values.length} labels`);
  }
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = values[i];
    if (!Number.isInteger(label)) {
      throw rangeError(`${name}[${i}]`, 'an integer class label (for real-valued targets set ' +
        'regression: true)', label);
    }
    if (label < 0 || label >= classes) {
      throw new RangeError(`${name}[${i}] is ${label} but the output layer '${outputName}' has ` +
        `${classes} units: labels must be in [0, ${classes - 1}]`);
    }
    labels[i] = label;
  }
  return labels;
}

/**
 * Regression targets: n x outputs finite floats.
 *
 * @throws TypeError for a wrong type; RangeError for a size that does not fit, or a NaN or
 *   infinite target (naming its sample)
 */
export function toTargets(name: string, y: unknown, n: number, outputs: number,
  outputName: string): Float32Array {
  const values = flatTargets(name, y);
  if (values.length !== n * outputs) {
    const unit = outputs === 1 ? 'unit' : 'units';
    throw new RangeError(`${name} has ${values.length} values but X has ${n} samples and the ` +
      `output layer '${outputName}' has ${outputs} ${unit}: expected ${n * outputs} ` +
      `(${n} x ${outputs})`);
  }
  const targets = values instanceof Float32Array ? values : Float32Array.from(values);
  for (let i = 0; i < targets.length; i++) {
    if (!Number.isFinite(targets[i])) {
      const sample = Math.floor(i / outputs);
      throw new RangeError(`${name} contains ${targets[i]} in sample ${sample}: ` +
        'targets must be finite numbers');
    }
  }
  return targets;
}

/** The samples of data at indices (copied), keeping the input type. */
export function subsetDataset(data: Dataset, indices: ArrayLike<number>): Dataset {
  const size = data.x.length / data.n;
  const x = data.x instanceof Uint8Array ? new Uint8Array(indices.length * size)
    : new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    x.set(data.x.subarray(indices[i] * size, (indices[i] + 1) * size), i * size);
  }
  const out: Dataset = { x, n: indices.length };
  if (data.y) {
    const width = data.y.length / data.n;
    const y = data.y instanceof Int32Array ? new Int32Array(indices.length * width)
      : new Float32Array(indices.length * width);
    for (let i = 0; i < indices.length; i++) {
      y.set(data.y.subarray(indices[i] * width, (indices[i] + 1) * width), i * width);
    }
    out.y = y;
  }
  return out;
}

/** Index of the largest value in each row of n x width values. */
export function argmaxRows(values: Float32Array, n: number): Int32Array {
  const width = values.length / n;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < width; j++) {
      if (values[i * width + j] > values[i * width + best]) best = j;
    }
    out[i] = best;
  }
  return out;
}

