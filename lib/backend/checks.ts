/**
 * The argument checks both backends run before they touch a model: datasets against the
 * network's sizes, train options, parameter tensors and layer names. One copy, so both
 * backends accept and reject the same things with the same messages.
 */
import type {
  Dataset,
  LayerSpec,
  ParamTensor,
  TrainOptions,
  TrainSpec,
  UpdateSpec,
} from './backend';
import {
  checkBoolean,
  checkChoice,
  checkInteger,
  checkNumber,
  closest,
  describe,
  describeList,
  rangeError,
  typeError,
} from '../validate';

const UPDATE_RULES: readonly UpdateSpec['rule'][] = [
  'sgd',
  'momentum',
  'nesterov_momentum',
  'adagrad',
  'rmsprop',
  'adadelta',
  'adam',
  'adamax',
];

/** The error train() rejects with when its AbortSignal fires. */
export function abortError(): Error {
  const error = new Error('Training was aborted');
  error.name = 'AbortError';
  return error;
}

/** Checks a dataset against the network's input and output sizes. */
export function checkDataset(
  name: string,
  data: Dataset,
  inputSize: number,
  outputSize: number,
  needTargets: boolean,
): void {
  if (typeof data !== 'object' || data === null) throw typeError(name, 'a dataset object', data);
  checkInteger(`${name}.n`, data.n, needTargets ? 1 : 0);
  if (!(data.x instanceof Uint8Array) && !(data.x instanceof Float32Array)) {
    throw typeError(`${name}.x`, 'a Uint8Array or Float32Array', data.x);
  }
  if (data.x.length !== data.n * inputSize) {
    throw rangeError(
      `${name}.x`,
      `${data.n} x ${inputSize} = ${data.n * inputSize} values`,
      data.x,
    );
  }
  if (!needTargets) return;
  const { y } = data;
  if (y instanceof Int32Array) {
    if (y.length !== data.n) throw rangeError(`${name}.y`, `${data.n} labels`, y);
    for (let i = 0; i < y.length; i++) {
      if (!(y[i] >= 0 && y[i] < outputSize)) {
        throw rangeError(`${name}.y[${i}]`, `a class label in [0, ${outputSize - 1}]`, y[i]);
      }
    }
  } else if (y instanceof Float32Array) {
    if (y.length !== data.n * outputSize) {
      throw rangeError(
        `${name}.y`,
        `${data.n} x ${outputSize} = ${data.n * outputSize} targets`,
        y,
      );
    }
  } else {
    throw typeError(`${name}.y`, 'an Int32Array of labels or a Float32Array of targets', y);
  }
}

/** Checks a train spec (the estimator fills it; this catches mistakes). */
function checkTrainSpec(spec: TrainSpec): void {
  if (typeof spec !== 'object' || spec === null)
    throw typeError('options.spec', 'a train spec', spec);
  checkChoice('options.spec.loss', spec.loss, [
    'categorical_crossentropy',
    'squared_error',
  ] as const);
  checkNumber('options.spec.l1', spec.l1, 0);
  checkNumber('options.spec.l2', spec.l2, 0);
  checkInteger('options.spec.batchSize', spec.batchSize, 1);
  checkBoolean('options.spec.shuffle', spec.shuffle);
  const { update } = spec;
  if (typeof update !== 'object' || update === null) {
    throw typeError('options.spec.update', 'an update spec', update);
  }
  checkChoice('options.spec.update.rule', update.rule, UPDATE_RULES);
  checkNumber('options.spec.update.learningRate', update.learningRate, 0);
  for (const field of ['momentum', 'rho', 'epsilon'] as const) {
    checkNumber(`options.spec.update.${field}`, update[field], 0);
  }
  for (const field of ['beta1', 'beta2'] as const) {
    checkNumber(`options.spec.update.${field}`, update[field], 0, 1);
  }
}

/**
 * Checks the fields of train options other than the datasets (which need the network's
 * sizes: see checkDataset).
 */
export function checkTrainOptions(options: TrainOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw typeError('options', 'an object', options);
  }
  checkInteger('options.firstEpoch', options.firstEpoch, 1);
  checkInteger('options.epochs', options.epochs, 0);
  checkTrainSpec(options.spec);
  if (options.learningRates !== undefined) {
    const rates = options.learningRates;
    if (!Array.isArray(rates))
      throw typeError('options.learningRates', 'an array of numbers', rates);
    if (rates.length !== options.epochs) {
      throw rangeError(
        'options.learningRates',
        `an array of ${options.epochs} (epochs) numbers`,
        rates,
      );
    }
    rates.forEach((rate, i) => checkNumber(`options.learningRates[${i}]`, rate, 0));
  }
  for (const field of ['onEpoch', 'onProgress'] as const) {
    if (options[field] !== undefined && typeof options[field] !== 'function') {
      throw typeError(`options.${field}`, 'a function', options[field]);
    }
  }
  if (options.progressIntervalMs !== undefined) {
    checkNumber('options.progressIntervalMs', options.progressIntervalMs, 0);
  }
  const { signal } = options;
  if (
    signal !== undefined &&
    (typeof signal !== 'object' || signal === null || !('aborted' in signal))
  ) {
    throw typeError('options.signal', 'an AbortSignal', signal);
  }
}

/** What a model knows of one of its parameters. */
export interface ParamInfo {
  layer: string;
  name: string;
  shape: readonly number[];
  size: number;
}

/**
 * The index in `known` of the parameter a tensor given to setParams() names, after checking
 * its layer, name, shape and number of values.
 *
 * @throws TypeError / RangeError naming the entry (params[i]...) for an unknown layer (with a
 *   suggestion) or name, a wrong shape or a wrong number of values
 */
export function findParam(tensor: ParamTensor, where: string, known: readonly ParamInfo[]): number {
  if (typeof tensor !== 'object' || tensor === null) throw typeError(where, 'an object', tensor);
  const candidates = known.filter((param) => param.layer === tensor.layer);
  if (candidates.length === 0) {
    const names = [...new Set(known.map((param) => param.layer))];
    const suggestion = typeof tensor.layer === 'string' ? closest(tensor.layer, names) : undefined;
    const hint = suggestion
      ? `; did you mean '${suggestion}'?`
      : `; layers with parameters: ${names.join(', ')}`;
    throw new RangeError(
      `Expected the name of a layer with parameters for ${where}.layer but received ` +
        `${describe(tensor.layer)}${hint}`,
    );
  }
  const param = candidates.find((candidate) => candidate.name === tensor.name);
  if (!param) {
    const names = candidates.map((candidate) => `'${candidate.name}'`).join(' or ');
    throw rangeError(`${where}.name`, `${names} (the parameters of '${tensor.layer}')`, tensor.name);
  }
  if (!(tensor.values instanceof Float32Array)) {
    throw typeError(`${where}.values`, 'a Float32Array', tensor.values);
  }
  const shapeText = `[${param.shape.join(', ')}]`;
  const shapeMatches =
    Array.isArray(tensor.shape) &&
    tensor.shape.length === param.shape.length &&
    tensor.shape.every((axis, j) => axis === param.shape[j]);
  if (!shapeMatches) {
    throw new RangeError(
      `Expected shape ${shapeText} for ${where}.shape but received ${describeList(tensor.shape)}`,
    );
  }
  if (tensor.values.length !== param.size) {
    const expected = `${param.size} values (shape ${shapeText})`;
    throw rangeError(`${where}.values`, expected, tensor.values);
  }
  return known.indexOf(param);
}

/**
 * The index of the layer predict()'s options.layer names (the last layer when it is
 * undefined).
 *
 * @throws RangeError with a suggestion when no layer has that name
 */
export function layerIndex(name: unknown, layers: readonly LayerSpec[]): number {
  if (name === undefined) return layers.length - 1;
  const names = layers.map((layer) => layer.name);
  const index = names.indexOf(name as string);
  if (index >= 0) return index;
  const suggestion = typeof name === 'string' ? closest(name, names) : undefined;
  const hint = suggestion ? `; did you mean '${suggestion}'?` : '';
  throw new RangeError(
    `Expected the name of a layer for options.layer but received ${describe(name)}${hint}`,
  );
}
