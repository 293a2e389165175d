/**
 * The options of NeuralNet: nolearn's names and defaults (snake_case; every name also accepted
 * in camelCase), the types that check flat layer parameters (`hidden_num_units`) against the
 * layer list at compile time, and the run-time reading of all of them.
 */
import { MNIST_AUGMENT_DEFAULTS, resolveAugmentOptions } from './augment';
import type { AugmentOptions, ResolvedAugmentOptions } from './augment';
import type { AugmentSpec, Backend, BatchTransform, LayerSpec, ProgressTick }
  from './backend/backend';
import type { LayerClass, LayerEntry } from './layers';
import type { Layer } from './layers/base';
import { LossFunction } from './objectives';
import { UpdateFunction, UpdateHyperparameter } from './updates';
import type { DataSet, InputData, TargetData } from './net-data';
import type { NeuralNet } from './neural-net';
import {
  checkBoolean, checkFraction, checkInteger, checkKnownKeys, checkNumber, rangeError, typeError,
} from './validate';

// ---------------------------------------------------------------------------------------------
// History and callbacks

/**
 * One row of trainHistory, per epoch, with nolearn's keys. Custom scores (custom_scores) add
 * a number under their name.
 */
export interface HistoryEntry {
  /** 1-based, counting across fit calls. */
  epoch: number;
  /** Mean training objective of the epoch (penalties included). */
  train_loss: number;
  /** Mean loss on the validation set; NaN without one. */
  valid_loss: number;
  /** train_loss / valid_loss; NaN without a validation set. */
  train_val_ratio: number;
  /** Fraction of validation samples classified right; NaN for regression or without one. */
  valid_accuracy: number;
  /** Seconds the epoch took, validation included. */
  dur: number;
  /** Whether train_loss is the lowest so far. */
  train_loss_best: boolean;
  /** Whether valid_loss is the lowest so far. */
  valid_loss_best: boolean;
  /** Custom scores by name. */
  [score: string]: number | boolean;
}

/** What a callback may return: false (on_epoch_finished) stops training after that epoch. */
export type HandlerResult = boolean | void | Promise<boolean | void>;

/** A callback of on_training_started, on_epoch_finished, on_training_finished: nolearn's
 * (nn, train_history) signature. A function, or an object with a handle method. */
export type Handler =
  | ((net: NeuralNet, history: readonly HistoryEntry[]) => HandlerResult)
  | { handle(net: NeuralNet, history: readonly HistoryEntry[]): HandlerResult };

/**
 * A callback of on_batch_finished: called with progress within an epoch, at most every 100 ms
 * and always after the epoch's last batch (not after every batch).
 */
export type BatchHandler = (net: NeuralNet, progress: ProgressTick) => void;

/**
 * A custom score: (y of the validation set, the network's output for each validation sample)
 * -> a number, recorded in trainHistory and printed under its name.
 */
export type ScoreFunction = {
  // Method syntax, so that a function typed for Int32Array labels only is accepted too.
  score(yTrue: Int32Array | Float32Array, yOutput: Float32Array[]): number;
}['score'];

// ---------------------------------------------------------------------------------------------
// TrainSplit and BatchIterator

/** Options of TrainSplit. */
export interface TrainSplitOptions {
  /** Fraction held out for validation, in [0, 1); 0 for none. Default 0.2. */
  eval_size?: number;
  /** camelCase of eval_size. */
  evalSize?: number;
  /** Split each class in proportion (classification only). Default true. */
  stratify?: boolean;
}

/**
 * How fit holds out a validation set, nolearn's TrainSplit: a fraction eval_size of the
 * samples, stratified by class for classification, drawn from the net's seed
 * (lib/data/split.ts defines the draw).
 *
 * @example
 * new NeuralNet({ ..., train_split: new TrainSplit({ eval_size: 0.1 }) });
 */
export class TrainSplit {
  /** Fraction held out, in [0, 1). */
  readonly evalSize: number;
  /** Whether classes are split in proportion. */
  readonly stratify: boolean;

  /** @param options eval_size (number) or { eval_size, stratify } */
  constructor(options: number | TrainSplitOptions = {}) {
    const opts = typeof options === 'number' ? { eval_size: options } : options;
    if (opts === null || typeof opts !== 'object') {
      throw typeError('TrainSplit options', 'a number or { eval_size, stratify }', options);
    }
    checkKnownKeys('TrainSplit', opts, ['eval_size', 'evalSize', 'stratify']);
    const size = opts.eval_size ?? opts.evalSize;
    this.evalSize = size === undefined ? 0.2 : checkFraction('TrainSplit eval_size', size);
    this.stratify = opts.stratify === undefined ? true
      : checkBoolean('TrainSplit stratify', opts.stratify);
    Object.freeze(this);
  }
}


/** Options of BatchIterator. */
export interface BatchIteratorOptions {
  /** Samples per batch, default 128. */
  batch_size?: number;
  /** camelCase of batch_size. */
  batchSize?: number;
  /** Shuffle the training samples each epoch; default true for batch_iterator_train. */
  shuffle?: boolean;
}

/**
 * Batching, nolearn's BatchIterator: the batch size and whether training samples are shuffled
 * each epoch. Batches are drawn inside the backend, so a subclass's transform (augmentation in
 * nolearn) is not supported: NeuralNet's augment and batch_transform options do that work.
 *
 * @example
 * new NeuralNet({ ..., batch_iterator_train: new BatchIterator({ batch_size: 256 }) });
 */
export class BatchIterator {
  /** Samples per batch. */
  readonly batchSize: number;
  /** Shuffle each epoch (undefined: the default of its role). */
  readonly shuffle: boolean | undefined;

  /** @param options batch_size (number) or { batch_size, shuffle } */
  constructor(options: number | BatchIteratorOptions = {}) {
    const opts = typeof options === 'number' ? { batch_size: options } : options;
    if (opts === null || typeof opts !== 'object') {
      throw typeError('BatchIterator options', 'a number or { batch_size, shuffle }', options);
    }
    checkKnownKeys('BatchIterator', opts, ['batch_size', 'batchSize', 'shuffle']);
    const size = opts.batch_size ?? opts.batchSize;
    this.batchSize = size === undefined ? 128 : checkInteger('BatchIterator batch_size', size, 1);
    this.shuffle = opts.shuffle === undefined ? undefined
      : checkBoolean('BatchIterator shuffle', opts.shuffle);
    if ((this as { transform?: unknown }).transform !== undefined) {
      throw new TypeError('A BatchIterator transform is not supported for NeuralNet: batches ' +
        'are drawn inside the backend; use the augment or batch_transform option instead');
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The options

/** The network options with nolearn's names. */
export interface NetworkOptions {
  /** The update rule, default nesterov_momentum. */
  update?: UpdateFunction | UpdateFunction['name'];
  /** Learning rate; default 0.01 for sgd, momentum and nesterov_momentum, else Lasagne's. */
  update_learning_rate?: number;
  /** Momentum of momentum and nesterov_momentum, in [0, 1); default 0.9. */
  update_momentum?: number;
  /** rho of rmsprop (0.9) and adadelta (0.95), in [0, 1). */
  update_rho?: number;
  /** epsilon of adagrad, rmsprop, adadelta (1e-6), adam, adamax (1e-8); > 0. */
  update_epsilon?: number;
  /** beta1 of adam and adamax, in [0, 1); default 0.9. */
  update_beta1?: number;
  /** beta2 of adam and adamax, in [0, 1); default 0.999. */
  update_beta2?: number;
  /** categorical_crossentropy (default for classification) or squared_error (regression). */
  objective_loss_function?: LossFunction | LossFunction['name'];
  /** L1 penalty on the weights, >= 0; default 0. */
  objective_l1?: number;
  /** L2 penalty on the weights, >= 0; default 0. */
  objective_l2?: number;
  /** Real-valued targets (squared error, R^2 score) instead of classes. Default false. */
  regression?: boolean;
  /** Epochs per fit call, default 100. */
  max_epochs?: number;
  /**
   * The validation set: a TrainSplit, a fraction (eval_size), 0 or false for none, or an
   * explicit dataset { X, y }. Default TrainSplit(0.2).
   */
  train_split?: TrainSplit | number | false | DataSet;
  /** Shorthand for train_split: new TrainSplit({ eval_size }). */
  eval_size?: number;
  /** Samples per batch for training and prediction, default 128. */
  batch_size?: number;
  /** Training batches (size, shuffling); default BatchIterator(128), shuffled. */
  batch_iterator_train?: BatchIterator;
  /** Prediction and validation batches; default BatchIterator(128). */
  batch_iterator_test?: BatchIterator;
  /** Called as each fit call starts. */
  on_training_started?: Handler | readonly Handler[];
  /** Called after each epoch; a handler returning false stops training. */
  on_epoch_finished?: Handler | readonly Handler[];
  /** Called with throttled progress within epochs (about every 100 ms). */
  on_batch_finished?: BatchHandler | readonly BatchHandler[];
  /** Called as each fit call ends. */
  on_training_finished?: Handler | readonly Handler[];
  /** Extra validation scores per epoch: [name, (yTrue, yOutput) => number] pairs. */
  custom_scores?: ReadonlyArray<readonly [string, ScoreFunction]>;
  /** 0: silent (default); 1 or true: print the layer table and one row per epoch. */
  verbose?: number | boolean;
  /**
   * Augment every training batch with random affine transforms and elastic distortions
   * (lib/augment.ts), drawn afresh each epoch; validation and prediction are never augmented.
   * true: MNIST_AUGMENT_DEFAULTS (elastic and affine); an object: the groups it names, missing
   * fields filled as resolveAugmentOptions does (e.g. `{ elastic: { alpha: 34, sigma: 4 } }`);
   * false: none (default). The input must be images: an input layer of shape [C, H, W] or
   * [H, W], or a flat input followed by a ReshapeLayer to [C, H, W].
   */
  augment?: boolean | AugmentOptions;
  /**
   * A transform of each training batch (custom augmentation), (X, y, info) => void |
   * Float32Array: X is the batch after scaling and augment, changed in place or replaced by
   * the returned array; y a copy of its labels or targets; info { epoch, batch, batches, count,
   * shape }. It runs synchronously on the main thread between batches, so it is slower than
   * augment: on the native backend every batch makes a round trip from the training thread.
   */
  batch_transform?: BatchTransform;
  /** Seed of weight init, shuffling, dropout and the split, in [0, 2^32); default 42. */
  seed?: number;
  /** 'native' (default), 'js', or a Backend object. */
  backend?: 'native' | 'js' | Backend;
  /** Where verbose output goes, default process.stdout.write. */
  print?: (text: string) => void;
}

/** snake_case -> camelCase at the type level. */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

/** The network options in camelCase (maxEpochs, updateLearningRate, onEpochFinished, ...). */
export type NetworkOptionsCamel = {
  [K in keyof NetworkOptions as CamelCase<K & string>]: NetworkOptions[K];
};

/** The snake_case parameters of a layer class or instance. */
type ParamsOf<T> = T extends { prototype: { _params: infer P } } ? P
  : T extends { _params: infer P } ? P : never;

type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends
  (value: infer I) => void ? I : never;

/** The name of list entry E at position I, as far as the types tell. */
type EntryName<E, I> = E extends readonly [infer N extends string, LayerClass] ? N
  : E extends readonly [LayerClass, { readonly name: infer N extends string }] ? N
  : E extends readonly [infer C extends LayerClass, object] ? `${C['prefix']}${I & string}`
  : string;

/** The class (or instance) whose parameters entry E takes. */
type EntryType<E> = E extends readonly [string, infer C] ? C
  : E extends readonly [infer C, object] ? C : E;

/** Flat parameters of one entry: `${name}_${param}`. */
type EntryFlatParams<E, I> = {
  [P in keyof ParamsOf<EntryType<E>> as `${EntryName<E, I>}_${P & string}`]?:
    ParamsOf<EntryType<E>>[P];
};

/**
 * The flat layer parameters a layer list allows (hidden_num_units, output_nonlinearity, ...).
 * For a list whose entries are not known one by one, any `name_param` key is allowed here and
 * checked at run time.
 */
export type FlatParams<L extends readonly LayerEntry[]> = number extends L['length']
  ? { [key: `${string}_${string}`]: unknown }
  : UnionToIntersection<{ [I in keyof L]: EntryFlatParams<L[I], I> }[number]>;

/** Checks the options of form-2 entries against their class's parameters. */
export type CheckedLayers<L> = {
  [I in keyof L]: L[I] extends readonly [infer C extends LayerClass, object]
    ? readonly [C, Partial<ParamsOf<C>> & { readonly name?: string }]
    : L[I];
};

/**
 * Everything `new NeuralNet(options)` takes: the layer list, the network options (either
 * spelling) and the flat layer parameters the list allows.
 */
export type NeuralNetOptions<L extends readonly LayerEntry[] = readonly LayerEntry[]> =
  { layers: L & CheckedLayers<L> } & NetworkOptions & NetworkOptionsCamel & FlatParams<L>;

/** The options in canonical form, after reading. */
export interface ResolvedOptions {
  update: UpdateFunction;
  updateGiven: Partial<Record<UpdateHyperparameter, number>>;
  loss: LossFunction | undefined;
  l1: number;
  l2: number;
  regression: boolean;
  maxEpochs: number;
  trainSplit: TrainSplit | DataSet | null;
  batchSizeTrain: number;
  batchSizeTest: number;
  shuffle: boolean;
  onTrainingStarted: Handler[];
  onEpochFinished: Handler[];
  onBatchFinished: BatchHandler[];
  onTrainingFinished: Handler[];
  customScores: Array<[string, ScoreFunction]>;
  verbose: number;
  augment: ResolvedAugmentOptions | null;
  batchTransform: BatchTransform | undefined;
  seed: number;
  backend: 'native' | 'js' | Backend;
  print: ((text: string) => void) | undefined;
}

/** Every network option name, snake_case. */
export const NETWORK_OPTIONS: readonly string[] = [
  'layers',
  'update',
  'update_learning_rate',
  'update_momentum',
  'update_rho',
  'update_epsilon',
  'update_beta1',
  'update_beta2',
  'objective_loss_function',
  'objective_l1',
  'objective_l2',
  'regression',
  'max_epochs',
  'train_split',
  'eval_size',
  'batch_size',
  'batch_iterator_train',
  'batch_iterator_test',
  'on_training_started',
  'on_epoch_finished',
  'on_batch_finished',
  'on_training_finished',
  'custom_scores',
  'verbose',
  'augment',
  'batch_transform',
  'seed',
  'backend',
  'print',
];

/** nolearn options that have no meaning here, with what to do instead. */
export const UNSUPPORTED_OPTIONS: Readonly<Record<string, string>> = {
  y_tensor_type: 'there are no Theano tensors: targets follow `regression` (integer labels, ' +
    'or float targets with regression: true); remove it',
  X_tensor_type: 'there are no Theano tensors: the input layer shape gives the input; remove it',
  objective: 'the objective is the loss plus objective_l1 and objective_l2; use ' +
    'objective_loss_function, objective_l1, objective_l2',
};

/** camelCase -> snake_case: 'maxEpochs' -> 'max_epochs', 'updateBeta1' -> 'update_beta1'. */
export function snakeCase(camel: string): string {
  return camel.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function handlerList<T>(name: string, value: unknown, isHandler: (item: unknown) => boolean): T[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  list.forEach((item, i) => {
    if (!isHandler(item)) {
      const where = Array.isArray(value) ? `${name}[${i}]` : name;
      throw typeError(where, 'a function (net, history) or an object with a handle method', item);
    }
  });
  return list as T[];
}

const isHandler = (item: unknown): boolean => typeof item === 'function' ||
  (item !== null && typeof item === 'object' &&
    typeof (item as { handle?: unknown }).handle === 'function');

/**
 * Splits the given options into network options (canonical snake_case names, values
 * unchecked) and the rest (flat layer parameters, to be matched against the layers).
 *
 * @throws TypeError when both spellings of one option are given, or for an unsupported option
 */
export function splitOptions(options: Record<string, unknown>):
  { network: Record<string, unknown>; rest: Record<string, unknown> } {
  const network: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  const spelled: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) {
    if (Object.prototype.hasOwnProperty.call(UNSUPPORTED_OPTIONS, key)) {
      throw new TypeError(`${key} is not supported for NeuralNet: ${UNSUPPORTED_OPTIONS[key]}`);
    }
    const snake = NETWORK_OPTIONS.includes(key) ? key : snakeCase(key);
    if (!NETWORK_OPTIONS.includes(snake) || (snake !== key && key !== camel(snake))) {
      rest[key] = value;
      continue;
    }
    if (spelled[snake] !== undefined) {
      throw new TypeError(`Options ${spelled[snake]} and ${key} are the same option; give one`);
    }
    spelled[snake] = key;
    network[snake] = value;
  }
  return { network, rest };
}

function camel(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * Reads and checks the network options (values), applying nolearn's defaults.
 *
 * @throws TypeError / RangeError naming the option
 */
export function resolveOptions(network: Record<string, unknown>,
  readUpdate: (value: unknown) => UpdateFunction,
  readLoss: (value: unknown) => LossFunction,
  checkUpdateValue: (option: string, param: UpdateHyperparameter, value: unknown) => number):
  ResolvedOptions {
  const get = (key: string): unknown => network[key];

  // Update rule and its hyperparameters.
  const update = get('update') === undefined ? readUpdate('nesterov_momentum')
    : readUpdate(get('update'));
  const updateGiven: Partial<Record<UpdateHyperparameter, number>> = {};
  for (const param of ['learning_rate', 'momentum', 'rho', 'epsilon', 'beta1', 'beta2'] as const) {
    const value = get(`update_${param}`);
    if (value !== undefined) {
      updateGiven[param] = checkUpdateValue(`update_${param}`, param, value);
    }
  }

  // Objective.
  const regression = get('regression') === undefined ? false
    : checkBoolean('regression', get('regression'));
  const loss = get('objective_loss_function') === undefined ? undefined
    : readLoss(get('objective_loss_function'));
  const penalty = (key: string): number =>
    get(key) === undefined ? 0 : checkNumber(key, get(key), 0);

  // Validation split.
  let trainSplit: TrainSplit | DataSet | null = new TrainSplit();
  const split = get('train_split');
  if (split !== undefined && get('eval_size') !== undefined) {
    throw new TypeError('Give either train_split or eval_size, not both');
  }
  if (get('eval_size') !== undefined) {
    const size = checkFraction('eval_size', get('eval_size'));
    trainSplit = size === 0 ? null : new TrainSplit({ eval_size: size });
  } else if (split === false || split === null || split === 0) {
    trainSplit = null;
  } else if (typeof split === 'number') {
    const size = checkFraction('train_split', split);
    trainSplit = new TrainSplit({ eval_size: size });
  } else if (split instanceof TrainSplit) {
    trainSplit = split.evalSize === 0 ? null : split;
  } else if (split !== undefined) {
    if (split === null || typeof split !== 'object' || !('X' in split)) {
      throw typeError('train_split', 'a TrainSplit, an eval size in [0, 1), false, or a ' +
        'validation dataset { X, y }', split);
    }
    if ((split as DataSet).y === undefined || (split as DataSet).y === null) {
      throw new TypeError('train_split { X, y } needs y: validation needs targets');
    }
    trainSplit = split as DataSet;
  }

  // Batching.
  const batchSize = get('batch_size') === undefined ? undefined
    : checkInteger('batch_size', get('batch_size'), 1);
  const iterator = (key: string): BatchIterator | undefined => {
    const value = get(key);
    if (value === undefined) return undefined;
    if (!(value instanceof BatchIterator)) throw typeError(key, 'a BatchIterator', value);
    if (batchSize !== undefined) throw new TypeError(`Give either batch_size or ${key}, not both`);
    return value;
  };
  const train = iterator('batch_iterator_train');
  const test = iterator('batch_iterator_test');

  // Callbacks and scores.
  const customScores = get('custom_scores') === undefined ? [] : get('custom_scores');
  if (!Array.isArray(customScores)) {
    throw typeError('custom_scores', "a list of [name, (yTrue, yOutput) => number] pairs",
      customScores);
  }
  customScores.forEach((score: unknown, i: number) => {
    if (!Array.isArray(score) || score.length !== 2 || typeof score[0] !== 'string' ||
      typeof score[1] !== 'function') {
      throw typeError(`custom_scores[${i}]`, "a pair [name, (yTrue, yOutput) => number]", score);
    }
  });

  // Augmentation.
  const augmentValue = get('augment');
  let augment: ResolvedAugmentOptions | null = null;
  if (augmentValue === true) augment = resolveAugmentOptions(MNIST_AUGMENT_DEFAULTS, 'augment');
  else if (augmentValue !== undefined && augmentValue !== false && augmentValue !== null) {
    if (typeof augmentValue !== 'object' || Array.isArray(augmentValue)) {
      throw typeError('augment', 'true, false or an object { elastic, affine }', augmentValue);
    }
    augment = resolveAugmentOptions(augmentValue, 'augment');
  }
  const batchTransform = get('batch_transform');
  if (batchTransform !== undefined && typeof batchTransform !== 'function') {
    throw typeError('batch_transform', 'a function (X, y, info) => void | Float32Array',
      batchTransform);
  }

  // Output, seed, backend.
  const verboseValue = get('verbose');
  const verbose = verboseValue === undefined ? 0 : typeof verboseValue === 'boolean'
    ? Number(verboseValue) : checkInteger('verbose', verboseValue, 0);
  const print = get('print');
  if (print !== undefined && typeof print !== 'function') {
    throw typeError('print', 'a function (text) => void', print);
  }
  const backend = get('backend') ?? 'native';
  if (backend !== 'native' && backend !== 'js' && !isBackend(backend)) {
    if (typeof backend === 'string') throw rangeError('backend', "'native' or 'js'", backend);
    throw typeError('backend', "'native', 'js' or a Backend object", backend);
  }

  return {
    update,
    updateGiven,
    loss,
    l1: penalty('objective_l1'),
    l2: penalty('objective_l2'),
    regression,
    maxEpochs: get('max_epochs') === undefined ? 100 : checkInteger('max_epochs',
      get('max_epochs'), 1),
    trainSplit,
    batchSizeTrain: batchSize ?? train?.batchSize ?? 128,
    batchSizeTest: batchSize ?? test?.batchSize ?? 128,
    shuffle: train?.shuffle ?? true,
    onTrainingStarted: handlerList('on_training_started', get('on_training_started'), isHandler),
    onEpochFinished: handlerList('on_epoch_finished', get('on_epoch_finished'), isHandler),
    onBatchFinished: handlerList('on_batch_finished', get('on_batch_finished'),
      (item) => typeof item === 'function'),
    onTrainingFinished: handlerList('on_training_finished', get('on_training_finished'),
      isHandler),
    customScores: customScores as Array<[string, ScoreFunction]>,
    verbose,
    augment,
    batchTransform: batchTransform as BatchTransform | undefined,
    seed: get('seed') === undefined ? 42 : checkInteger('seed', get('seed'), 0, 0xffffffff),
    backend: backend as ResolvedOptions['backend'],
    print: print as ResolvedOptions['print'],
  };
}

/**
 * The augmentation spec of a network: the options and the image shape of its input, from the
 * input layer ([C, H, W] or [H, W]) or, for a flat input, the ReshapeLayer after it.
 *
 * @throws TypeError when the input cannot be seen as images
 */
export function augmentSpecFor(augment: ResolvedAugmentOptions | null,
  layers: readonly LayerSpec[]): AugmentSpec | null {
  if (augment === null) return null;
  const input = layers[0].outputShape;
  let image: number[] | undefined = input.length === 3 || input.length === 2 ? input : undefined;
  const next = layers[1];
  if (!image && next && next.kind === 'reshape' && [2, 3].includes(next.outputShape.length)) {
    image = next.outputShape;
  }
  if (!image) {
    throw new TypeError(`augment is not supported for inputs of shape [${input.join(', ')}]: ` +
      'augmentation needs images; give the input layer a shape [C, H, W] or [H, W], or follow ' +
      'it with a ReshapeLayer to [C, H, W] (e.g. reshape_shape: [[0], 1, 28, 28])');
  }
  const [channels, height, width] = image.length === 3 ? image : [1, image[0], image[1]];
  return { options: augment, channels, height, width };
}

function isBackend(value: unknown): value is Backend {
  return value !== null && typeof value === 'object' &&
    typeof (value as Backend).createModel === 'function';
}

/** Types used by the estimator, re-exported for its users. */
export type { InputData, TargetData, DataSet, Layer };
