/**
 * NeuralNet: the estimator. A network is a list of layers plus flat parameters, the way
 * Python's nolearn described it; fit / predict / score train and run it on a backend.
 *
 * @example
 * const net = new NeuralNet({
 *   layers: [['input', InputLayer], ['hidden', DenseLayer], ['output', DenseLayer]],
 *   input_shape: [null, 784],
 *   hidden_num_units: 200,
 *   output_nonlinearity: softmax,
 *   output_num_units: 10,
 *   update_learning_rate: 0.01,
 *   max_epochs: 10,
 *   verbose: 1,
 * });
 * await net.fit(train.X, train.y);
 * const accuracy = await net.score(test.X, test.y);
 */
import type {
  AugmentSpec,
  Backend,
  Dataset,
  EpochRecord,
  LayerSpec,
  Model,
  ParamTensor,
  TrainSpec,
} from './backend/backend';
import { getBackend } from './backend/index';
import { splitIndices } from './data/split';
import { layerFromSpec } from './layers';
import { formatShape, shapeSize } from './layers/base';
import {
  BuiltNetwork,
  flatParamNames,
  LayerEntry,
  matchFlatParam,
  readLayerList,
  resolveLayers,
} from './layers/network';
import { DataFormatError } from './data/errors';
import { readLaminaFile, tensorName, writeLaminaFile } from './model-file';
import {
  argmaxRows,
  DataSet,
  InputData,
  isDataSet,
  subsetDataset,
  TargetData,
  toInputs,
  toLabels,
  toTargets,
} from './net-data';
import {
  augmentSpecFor,
  BatchHandler,
  BatchIterator,
  Handler,
  HistoryEntry,
  NETWORK_OPTIONS,
  NetworkOptions,
  NeuralNetOptions,
  ResolvedOptions,
  resolveOptions,
  splitOptions,
  TrainSplit,
} from './net-options';
import { categorical_crossentropy, LossFunction, resolveLossFunction, squared_error }
  from './objectives';
import { EpochTable, layerInfo, summaryTable } from './print-log';
import {
  checkHyperparameter,
  resolveUpdateFunction,
  resolveUpdateSpec,
  UpdateFunction,
} from './updates';
import { checkBoolean, checkInteger, closest, typeError } from './validate';

/** A layer of a network, by name in NeuralNet.layers. */
export interface LayerInfo {
  /** The layer's name. */
  readonly name: string;
  /** Its class name, e.g. 'DenseLayer'. */
  readonly type: string;
  /** Position in the network (0 = input). */
  readonly index: number;
  /** The resolved spec (parameters with defaults applied, shapes). */
  readonly spec: LayerSpec;
  /** Shape of one sample entering the layer. */
  readonly inputShape: readonly number[];
  /** Shape of one sample leaving it. */
  readonly outputShape: readonly number[];
  /** Learnable parameters. */
  readonly paramCount: number;
  /** Copies of its current parameters (W, then b); empty before the net is initialised. */
  readonly params: ParamTensor[];
}

/** Options of fit and partialFit. */
export interface FitOptions {
  /** Epochs to run in this call, default max_epochs (1 for partialFit). */
  epochs?: number;
  /** Aborting stops training between batches; fit then rejects with an AbortError. */
  signal?: AbortSignal;
}

/** What loadParams did: per parameter, loaded, or why not. */
export interface LoadReport {
  /** Parameters loaded: 'hidden.W'. */
  loaded: string[];
  /** Parameters present in both with different shapes. */
  mismatched: Array<{ param: string; expected: number[]; found: number[] }>;
  /** Parameters of this net not found in the source. */
  missing: string[];
  /** Parameters of the source that this net does not have. */
  unused: string[];
}

/** Options of loadParams. */
export interface LoadParamsOptions {
  /** Throw unless every parameter of this net loads, default false (nolearn skips and reports). */
  strict?: boolean;
}

/** Options saved with a model and restored by NeuralNet.load (no callbacks, no data). */
interface SavedOptions {
  update: string;
  update_learning_rate: number;
  update_momentum?: number;
  update_rho?: number;
  update_epsilon?: number;
  update_beta1?: number;
  update_beta2?: number;
  objective_loss_function: string;
  objective_l1: number;
  objective_l2: number;
  regression: boolean;
  max_epochs: number;
  eval_size: number;
  stratify: boolean;
  batch_size_train: number;
  batch_size_test: number;
  shuffle: boolean;
  seed: number;
}

type AnyHandler = Handler | BatchHandler;

async function callHandler(handler: AnyHandler, net: NeuralNet, argument: unknown):
  Promise<boolean | void> {
  if (typeof handler === 'function') {
    return (handler as (net: NeuralNet, argument: unknown) => boolean | void)(net, argument);
  }
  return handler.handle(net, argument as readonly HistoryEntry[]);
}

/**
 * A neural network estimator with nolearn's options and methods.
 *
 * Layer lists take three forms (they build identical networks):
 * - `[['input', InputLayer], ['hidden', DenseLayer]]` with flat parameters `hidden_num_units`;
 * - `[[InputLayer, { shape: [null, 784] }], [DenseLayer, { num_units: 200 }]]`;
 * - `[new InputLayer({ shape: [null, 784] }), new DenseLayer({ numUnits: 200 })]`.
 * Unnamed layers are named like nolearn: lowercased class name without 'Layer' + position
 * ('input0', 'dense1', 'conv2d2', 'maxpool2d3').
 *
 * Every option and parameter is checked by the constructor: an unknown or misspelled name is a
 * TypeError suggesting the closest valid one; a value out of range a RangeError; a layer whose
 * output shape cannot be computed a RangeError naming the layer, its input shape and why.
 */
export class NeuralNet<const L extends readonly LayerEntry[] = readonly LayerEntry[]> {
  /** The layers by name, in network order. */
  readonly layers: Readonly<Record<string, LayerInfo>>;
  /** Learnable parameters of the network. */
  readonly paramCount: number;
  /** Epochs per fit call. */
  readonly maxEpochs: number;
  /** Whether targets are real values (regression) rather than classes. */
  readonly regression: boolean;
  /** The seed of weight init, shuffling, dropout and the split. */
  readonly seed: number;

  private readonly built: BuiltNetwork;
  private readonly options: ResolvedOptions;
  private readonly loss: LossFunction;
  /** The augment option with the input's image shape; null without augmentation. */
  private readonly augmentSpec: AugmentSpec | null;
  private learningRate: number;
  private momentumValue: number | undefined;
  private model: Model | undefined;
  private history: HistoryEntry[] = [];
  private training = false;
  /** A fit call is under way (also while its callbacks run between epochs). */
  private fitting = false;
  private table: EpochTable | undefined;
  private layerInfoPrinted = false;

  /**
   * @param options the layer list, network options (nolearn's names, snake_case or camelCase)
   *   and flat layer parameters (`<layer>_<param>`)
   * @throws TypeError / RangeError for any invalid option, parameter or layer list
   */
  constructor(options: NeuralNetOptions<L>) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw typeError('NeuralNet options', 'an options object { layers, ... }', options);
    }
    const { network, rest } = splitOptions(options as Record<string, unknown>);

    // Layers, with the flat parameters matched to them.
    if (network.layers === undefined) {
      throw new TypeError("NeuralNet needs layers, e.g. layers: [['input', InputLayer], " +
        "['output', DenseLayer]]");
    }
    const pending = readLayerList(network.layers);
    const flat = Object.entries(rest).map(([key, value]) => {
      const match = matchFlatParam(pending, key);
      if (!match) {
        const valid = [...NETWORK_OPTIONS, ...flatParamNames(pending)];
        const suggestion = closest(key, valid);
        const hint = suggestion ? `; did you mean '${suggestion}'?`
          : '; expected a network option (e.g. max_epochs) or <layer>_<param> for one of the ' +
            `layers ${pending.map((layer) => `'${layer.name}'`).join(', ')}`;
        throw new TypeError(`Unknown parameter '${key}' for NeuralNet${hint}`);
      }
      return { ...match, value, key };
    });
    this.built = resolveLayers(pending, flat);

    // Network options.
    this.options = resolveOptions(network, (value) => resolveUpdateFunction('update', value),
      (value) => resolveLossFunction('objective_loss_function', value), checkHyperparameter);
    this.maxEpochs = this.options.maxEpochs;
    this.regression = this.options.regression;
    this.seed = this.options.seed;
    resolveUpdateSpec(this.options.update, this.options.updateGiven);
    this.learningRate = this.options.updateGiven.learning_rate ??
      this.options.update.defaults.learning_rate!;
    this.momentumValue = this.options.updateGiven.momentum ??
      this.options.update.defaults.momentum;
    this.loss = this.checkLoss();
    this.augmentSpec = augmentSpecFor(this.options.augment, this.built.spec.layers);

    // The layer views.
    const layers: Record<string, LayerInfo> = {};
    for (const layer of this.built.layers) {
      const net = this as NeuralNet;
      layers[layer.spec.name] = Object.freeze({
        name: layer.spec.name,
        type: layer.typeName,
        index: layer.index,
        spec: layer.spec,
        inputShape: layer.spec.inputShape,
        outputShape: layer.spec.outputShape,
        paramCount: layer.paramCount,
        get params(): ParamTensor[] {
          return net.model ? net.getParams().filter((param) => param.layer === layer.spec.name)
            : [];
        },
      });
    }
    this.layers = Object.freeze(layers);
    this.paramCount = this.built.paramCount;
  }

  /** The loss function, checked against the output layer and the task. */
  private checkLoss(): LossFunction {
    const loss = this.options.loss ?? (this.regression ? squared_error : categorical_crossentropy);
    const output = this.outputSpec;
    if (this.regression && loss === categorical_crossentropy) {
      throw new TypeError('categorical_crossentropy is not supported for regression: use ' +
        'squared_error (the default with regression: true)');
    }
    if (!this.regression && loss === squared_error) {
      throw new TypeError('squared_error is not supported for classification: set regression: ' +
        'true for real-valued targets, or use categorical_crossentropy');
    }
    if (!this.regression) {
      const nonlinearity = output.kind === 'dense' || output.kind === 'nonlinearity'
        ? output.nonlinearity : undefined;
      if (nonlinearity !== 'softmax') {
        const has = nonlinearity ? `has nonlinearity ${nonlinearity}`
          : `is a ${output.kind} layer`;
        throw new TypeError(`categorical_crossentropy needs a softmax output layer but the ` +
          `output layer '${output.name}' ${has}: set ${output.name}_nonlinearity: softmax ` +
          '(or regression: true for real-valued targets)');
      }
      if (output.outputShape.length !== 1 || output.outputShape[0] < 2) {
        throw new RangeError(`Classification needs an output layer of at least 2 units but ` +
          `'${output.name}' has shape ${formatShape(output.outputShape)}`);
      }
    }
    return loss;
  }

  private get outputSpec(): LayerSpec {
    const layers = this.built.spec.layers;
    return layers[layers.length - 1];
  }

  private get inputSpec(): LayerSpec {
    return this.built.spec.layers[0];
  }

  /** The resolved network description handed to the backend. */
  get spec(): { layers: readonly LayerSpec[] } {
    return this.built.spec;
  }

  /** A copy of the train history: one entry per epoch, across fit calls. */
  get trainHistory(): HistoryEntry[] {
    return this.history.map((entry) => ({ ...entry }));
  }

  /** The learning rate of the next epoch; schedules (AdjustVariable) change it. */
  get updateLearningRate(): number {
    return this.learningRate;
  }

  set updateLearningRate(value: number) {
    this.learningRate = checkHyperparameter('updateLearningRate', 'learning_rate', value);
  }

  /** The momentum of the next epoch (momentum rules only; undefined for others). */
  get updateMomentum(): number | undefined {
    return this.momentumValue;
  }

  set updateMomentum(value: number | undefined) {
    if (this.momentumValue === undefined) {
      throw new TypeError(`updateMomentum is not supported for ${this.options.update.name}: ` +
        'only momentum and nesterov_momentum take a momentum');
    }
    this.momentumValue = checkHyperparameter('updateMomentum', 'momentum', value);
  }

  /** The update rule. */
  get update(): UpdateFunction {
    return this.options.update;
  }

  /** The loss function. */
  get lossFunction(): LossFunction {
    return this.loss;
  }

  /** The backend in use (loaded on first use). */
  get backend(): Backend {
    const backend = this.options.backend;
    return typeof backend === 'string' ? getBackend(backend) : backend;
  }

  /**
   * The network as a table: parameter count, then per layer its name, type, output size and
   * learnable parameters.
   */
  summary(): string {
    return summaryTable(this.paramCount, this.layerRows());
  }

  private layerRows(): Array<{ name: string; typeName: string; outputShape: number[];
    paramCount: number }> {
    return this.built.layers.map((layer) => ({ name: layer.spec.name, typeName: layer.typeName,
      outputShape: layer.spec.outputShape, paramCount: layer.paramCount }));
  }

  /** Writes text through the print option when verbose (handlers use it for their notes). */
  log(text: string): void {
    if (this.options.verbose > 0) this.printer(text);
  }

  private printer(text: string): void {
    if (this.options.print) this.options.print(text);
    else process.stdout.write(text);
  }

  /**
   * Creates the model on the backend and initialises its weights from the seed; fit and
   * predict call it when needed. Does nothing when already initialised.
   *
   * @throws Error when the backend cannot be loaded (the message says how to fix it)
   */
  initialize(): this {
    if (!this.model) this.model = this.backend.createModel(this.built.spec, this.seed);
    return this;
  }

  /** Frees the backend's memory; a later call initialises fresh weights. */
  dispose(): void {
    this.model?.dispose();
    this.model = undefined;
  }

  private requireModel(): Model {
    this.initialize();
    return this.model!;
  }

  private checkIdle(what: string): void {
    if (this.training) {
      throw new Error(`${what} is not possible while this NeuralNet trains: wait for fit to ` +
        'finish (or abort it through its signal)');
    }
  }

  // -------------------------------------------------------------------------------------------
  // Data

  private get inputInfo(): { name: string; shape: number[] } {
    return { name: this.inputSpec.name, shape: this.inputSpec.outputShape };
  }

  private get outputSize(): number {
    return shapeSize(this.outputSpec.outputShape);
  }

  /** Reads X and y into a Dataset (y required when needTargets). */
  private readData(X: unknown, y: unknown, needTargets: boolean, name = 'X'): Dataset {
    let inputs = X;
    let targets = y;
    let yName = 'y';
    if (isDataSet(X)) {
      if (y !== undefined) {
        throw new TypeError(`Give either a dataset { X, y } or X and y, not both (${name} is a ` +
          'dataset and y was given)');
      }
      inputs = X.X;
      targets = X.y ?? undefined;
      yName = `${name}.y`;
      name = `${name}.X`;
    }
    const { x, n } = toInputs(name, inputs, this.inputInfo);
    const data: Dataset = { x, n };
    if (targets === undefined || targets === null) {
      if (needTargets) {
        throw new TypeError(`Expected targets y for ${this.regression ? 'regression' : 'the ' +
          'class labels'} but received ${targets === null ? 'null' : 'undefined'}`);
      }
      return data;
    }
    const output = this.outputSpec.name;
    data.y = this.regression ? toTargets(yName, targets, n, this.outputSize, output)
      : toLabels(yName, targets, n, this.outputSize, output);
    return data;
  }

  /** Splits training data into train and validation sets per train_split. */
  private split(data: Dataset): { train: Dataset; valid: Dataset | undefined } {
    const split = this.options.trainSplit;
    if (split === null) return { train: data, valid: undefined };
    if (!(split instanceof TrainSplit)) {
      const valid = this.readData(split as DataSet, undefined, true, 'train_split');
      return { train: data, valid };
    }
    const labels = !this.regression && split.stratify ? data.y as Int32Array : data.n;
    const { train, valid } = splitIndices(labels, { evalSize: split.evalSize, seed: this.seed });
    if (train.length === 0) {
      throw new RangeError(`train_split holds out all ${data.n} samples (eval_size ` +
        `${split.evalSize}): no training samples are left`);
    }
    if (valid.length === 0) return { train: data, valid: undefined };
    return { train: subsetDataset(data, train), valid: subsetDataset(data, valid) };
  }

  // -------------------------------------------------------------------------------------------
  // Training

  private trainSpec(): TrainSpec {
    const given = { ...this.options.updateGiven, learning_rate: this.learningRate };
    if (this.momentumValue !== undefined) given.momentum = this.momentumValue;
    return {
      loss: this.loss.name,
      l1: this.options.l1,
      l2: this.options.l2,
      update: resolveUpdateSpec(this.options.update, given),
      batchSize: this.options.batchSizeTrain,
      shuffle: this.options.shuffle,
      ...(this.augmentSpec ? { augment: this.augmentSpec } : {}),
    };
  }

  /**
   * Trains for max_epochs (or options.epochs) epochs. A second call continues from the current
   * weights, epoch count and history. Holds out a validation set per train_split.
   *
   * @param X inputs (typed array, nested arrays) or a dataset { X, y }
   * @param y labels (classification) or targets (regression), unless X is a dataset
   * @returns this net, once training has finished
   * @throws TypeError / RangeError for invalid data; an AbortError when options.signal aborts
   */
  async fit(X: InputData | DataSet, y?: TargetData, options: FitOptions = {}): Promise<this> {
    this.checkIdle('fit');
    const epochs = this.fitEpochs(options, this.maxEpochs);
    const data = this.readData(X, y, true);
    const { train, valid } = this.split(data);
    const model = this.requireModel();
    // One fit at a time: callbacks between epochs may read the net, but not start another fit.
    if (this.fitting) {
      throw new Error('fit is not possible while this NeuralNet trains: wait for fit to ' +
        'finish (or abort it through its signal)');
    }
    this.fitting = true;
    try {
      await this.runTraining(model, train, valid, epochs, options.signal);
    } finally {
      this.fitting = false;
    }
    return this;
  }

  /**
   * Trains one epoch on the data (nolearn's partial_fit), continuing from the current weights.
   *
   * @throws as fit
   */
  async partialFit(X: InputData | DataSet, y?: TargetData, options: FitOptions = {}):
    Promise<this> {
    return this.fit(X, y, { ...options, epochs: options.epochs ?? 1 });
  }

  private fitEpochs(options: FitOptions, fallback: number): number {
    if (options === null || typeof options !== 'object') {
      throw typeError('fit options', 'an options object { epochs, signal }', options);
    }
    for (const key of Object.keys(options)) {
      if (key !== 'epochs' && key !== 'signal') {
        const suggestion = closest(key, ['epochs', 'signal']);
        throw new TypeError(`Unknown parameter '${key}' for fit options` +
          (suggestion ? `; did you mean '${suggestion}'?` : '; valid names: epochs, signal'));
      }
    }
    const signal = options.signal as unknown as Partial<AbortSignal> | null | undefined;
    if (signal !== undefined && (typeof signal !== 'object' || signal === null ||
      typeof signal.throwIfAborted !== 'function' ||
      typeof signal.addEventListener !== 'function')) {
      throw typeError('signal', 'an AbortSignal', signal);
    }
    return options.epochs === undefined ? fallback : checkInteger('epochs', options.epochs, 1);
  }

  private async runTraining(model: Model, train: Dataset, valid: Dataset | undefined,
    epochs: number, signal: AbortSignal | undefined): Promise<void> {
    const options = this.options;

    // Verbose: the layer table once, then the epoch table.
    if (options.verbose > 0 && !this.layerInfoPrinted) {
      this.printer(layerInfo(this.paramCount, this.layerRows()));
      this.layerInfoPrinted = true;
    }
    if (options.verbose > 0 && !this.table) {
      const color = !options.print && Boolean(process.stdout.isTTY);
      this.table = new EpochTable(valid !== undefined, !this.regression,
        options.customScores.map(([name]) => name), color);
    }
    for (const handler of options.onTrainingStarted) {
      await callHandler(handler, this, this.history);
    }

    // Epochs: one backend call for all of them, or one per epoch when callbacks or scores need
    // the model between epochs (both give the same numbers: the backend keeps its generators).
    const stepwise = options.onEpochFinished.length > 0 || options.customScores.length > 0;
    const onProgress = options.onBatchFinished.length === 0 ? undefined
      : (tick: Parameters<BatchHandler>[1]) => {
        for (const handler of options.onBatchFinished) handler(this, tick);
      };
    let done = 0;
    while (done < epochs) {
      signal?.throwIfAborted();
      const count = stepwise ? 1 : epochs - done;
      this.training = true;
      let records: EpochRecord[];
      try {
        records = await model.train({
          train,
          valid,
          firstEpoch: this.history.length + 1,
          epochs: count,
          spec: this.trainSpec(),
          onEpoch: stepwise ? undefined : (record) => {
            this.record(record, {});
          },
          onProgress,
          ...(options.batchTransform ? { batchTransform: options.batchTransform } : {}),
          signal,
        });
      } finally {
        this.training = false;
      }
      done += records.length;
      if (!stepwise) break;
      const record = records[0];
      if (!record) break;
      const started = Date.now();
      const scores = await this.customScores(valid);
      this.record({ ...record, seconds: record.seconds + (Date.now() - started) / 1000 }, scores);
      let stop = false;
      for (const handler of options.onEpochFinished) {
        if ((await callHandler(handler, this, this.history)) === false) stop = true;
      }
      if (stop) break;
    }
    for (const handler of options.onTrainingFinished) {
      await callHandler(handler, this, this.history);
    }
  }

  /** The custom scores on the validation set (NaN without one). */
  private async customScores(valid: Dataset | undefined): Promise<Record<string, number>> {
    const scores: Record<string, number> = {};
    if (this.options.customScores.length === 0) return scores;
    let rows: Float32Array[] = [];
    if (valid) {
      const output = await this.requireModel().predict({ x: valid.x, n: valid.n },
        { batchSize: this.options.batchSizeTest });
      const width = output.length / valid.n;
      rows = Array.from({ length: valid.n },
        (_, i) => output.subarray(i * width, (i + 1) * width));
    }
    for (const [name, score] of this.options.customScores) {
      scores[name] = valid ? Number(score(valid.y!, rows)) : NaN;
    }
    return scores;
  }

  /** Adds an epoch to the history (with best-so-far flags) and prints its row. */
  private record(record: EpochRecord, scores: Record<string, number>): void {
    const best = (key: 'train_loss' | 'valid_loss', value: number): boolean =>
      !Number.isNaN(value) && this.history.every((entry) => !(entry[key] < value));
    const entry: HistoryEntry = {
      epoch: this.history.length + 1,
      train_loss: record.trainLoss,
      valid_loss: record.validLoss,
      train_val_ratio: record.trainLoss / record.validLoss,
      valid_accuracy: this.regression ? NaN : record.validAccuracy,
      dur: record.seconds,
      train_loss_best: best('train_loss', record.trainLoss),
      valid_loss_best: best('valid_loss', record.validLoss),
      ...scores,
    };
    this.history.push(entry);
    if (this.table) this.printer(this.table.row(entry));
  }

  // -------------------------------------------------------------------------------------------
  // Prediction

  /**
   * The outputs of the last layer for every sample: n x outputs values, row-major (class
   * probabilities for a softmax output).
   *
   * @throws TypeError / RangeError for invalid X
   */
  async predictProba(X: InputData | DataSet): Promise<Float32Array> {
    this.checkIdle('predictProba');
    const data = this.readData(X, undefined, false);
    return this.requireModel().predict({ x: data.x, n: data.n },
      { batchSize: this.options.batchSizeTest });
  }

  /**
   * Predictions: class labels (Int32Array) for classification, outputs (Float32Array, n x
   * outputs) for regression.
   *
   * @throws TypeError / RangeError for invalid X
   */
  async predict(X: InputData | DataSet): Promise<Int32Array | Float32Array> {
    this.checkIdle('predict');
    const data = this.readData(X, undefined, false);
    const output = await this.requireModel().predict({ x: data.x, n: data.n },
      { batchSize: this.options.batchSizeTest });
    return this.regression ? output : argmaxRows(output, data.n);
  }

  /**
   * Accuracy for classification, R^2 (averaged over outputs) for regression.
   *
   * @throws TypeError / RangeError for invalid X or y
   */
  async score(X: InputData | DataSet, y?: TargetData): Promise<number> {
    this.checkIdle('score');
    const data = this.readData(X, y, true);
    const output = await this.requireModel().predict({ x: data.x, n: data.n },
      { batchSize: this.options.batchSizeTest });
    if (!this.regression) {
      const labels = argmaxRows(output, data.n);
      let right = 0;
      for (let i = 0; i < data.n; i++) if (labels[i] === data.y![i]) right++;
      return right / data.n;
    }
    return rSquared(data.y as Float32Array, output, data.n);
  }

  /**
   * The output of a named layer for every sample: n x prod(outputShape) values (dropout
   * inactive), nolearn's get_output.
   *
   * @throws RangeError for an unknown layer name (with the closest one)
   */
  async getOutput(layer: string, X: InputData | DataSet): Promise<Float32Array> {
    this.checkIdle('getOutput');
    this.checkLayerName('layer', layer);
    const data = this.readData(X, undefined, false);
    return this.requireModel().predict({ x: data.x, n: data.n },
      { layer, batchSize: this.options.batchSizeTest });
  }

  private checkLayerName(name: string, layer: unknown): string {
    if (typeof layer !== 'string') throw typeError(name, 'a layer name', layer);
    if (!Object.prototype.hasOwnProperty.call(this.layers, layer)) {
      const names = Object.keys(this.layers);
      const suggestion = closest(layer, names);
      throw new RangeError(`Unknown layer '${layer}' for ${name}` + (suggestion
        ? `; did you mean '${suggestion}'?` : `; layers: ${names.join(', ')}`));
    }
    return layer;
  }

  // -------------------------------------------------------------------------------------------
  // Parameters and files

  /** Copies of all learnable parameters, in layer order, W before b (initialises if needed). */
  getParams(): ParamTensor[] {
    this.checkIdle('getParams');
    return this.requireModel().getParams();
  }

  /**
   * Replaces parameters, matched by layer and name; shapes must agree.
   *
   * @throws TypeError for an entry that is not a parameter { layer, name, shape, values }
   * @throws RangeError for an unknown layer or parameter, a shape that differs, or a value
   *   that is NaN or infinite
   */
  setParams(params: readonly ParamTensor[]): void {
    this.checkIdle('setParams');
    if (!Array.isArray(params)) {
      throw typeError('params', 'an array of parameters { layer, name, shape, values }', params);
    }
    const current = new Map(this.requireModel().getParams().map((param) =>
      [tensorName(param), param]));
    params.forEach((param, i) => {
      if (typeof param !== 'object' || param === null || ArrayBuffer.isView(param) ||
        typeof param.layer !== 'string' || typeof param.name !== 'string') {
        throw typeError(`params[${i}]`, 'a parameter { layer, name, shape, values } (as ' +
          'getParams returns)', param);
      }
      if (!Array.isArray(param.shape)) {
        throw typeError(`params[${i}].shape`, 'an array of sizes', param.shape);
      }
      if (!(param.values instanceof Float32Array)) {
        throw typeError(`params[${i}].values`, 'a Float32Array', param.values);
      }
      const bad = param.values.findIndex((value: number) => !Number.isFinite(value));
      if (bad >= 0) {
        throw new RangeError(`Expected finite numbers for params[${i}].values ` +
          `('${tensorName(param)}') but received ${param.values[bad]} at index ${bad}`);
      }
      const target = current.get(tensorName(param));
      if (!target) {
        throw new RangeError(`Unknown parameter '${tensorName(param)}': this network has ` +
          `${[...current.keys()].join(', ')}`);
      }
      if (formatShape(target.shape) !== formatShape(param.shape)) {
        throw new RangeError(`Parameter '${tensorName(param)}' has shape ` +
          `${formatShape(target.shape)} but the values given have shape ` +
          `${formatShape(param.shape)}`);
      }
    });
    this.model!.setParams(params.map((param) => ({ ...param, shape: [...param.shape] })));
  }

  /**
   * Writes the learnable parameters to a safetensors file (tensors '<layer>.W', '<layer>.b'),
   * atomically; nolearn's save_params_to.
   */
  async saveParams(path: string): Promise<void> {
    this.checkIdle('saveParams');
    await writeLaminaFile(path, 'lamina-params', this.getParams());
  }

  /**
   * Loads parameters from a file (saveParams, save, or safetensors written elsewhere with the
   * same tensor names) or from another NeuralNet, matched by layer name, skipping (and
   * reporting) those whose shapes differ, as nolearn's load_params_from. With verbose, prints
   * one line per parameter.
   *
   * @throws DataFormatError for a malformed file; with strict, RangeError unless every
   *   parameter loaded
   */
  async loadParams(source: string | NeuralNet, options: LoadParamsOptions = {}):
    Promise<LoadReport> {
    if (options === null || typeof options !== 'object') {
      throw typeError('loadParams options', 'an options object { strict }', options);
    }
    const strict = options.strict === undefined ? false : checkBoolean('strict', options.strict);
    let params: ParamTensor[];
    if (source instanceof NeuralNet) params = source.getParams();
    else if (typeof source === 'string') params = (await readLaminaFile(source)).params;
    else throw typeError('source', 'a file path or a NeuralNet', source);

    // Match by name and shape.
    const own = this.getParams();
    const byName = new Map(params.map((param) => [tensorName(param), param]));
    const report: LoadReport = { loaded: [], mismatched: [], missing: [], unused: [] };
    const load: ParamTensor[] = [];
    for (const param of own) {
      const name = tensorName(param);
      const found = byName.get(name);
      byName.delete(name);
      if (!found) {
        report.missing.push(name);
      } else if (formatShape(found.shape) !== formatShape(param.shape)) {
        report.mismatched.push({ param: name, expected: param.shape, found: found.shape });
      } else {
        report.loaded.push(name);
        load.push(found);
      }
    }
    report.unused = [...byName.keys()];
    if (strict && load.length !== own.length) {
      const problems = [
        ...report.mismatched.map((item) => `${item.param} has shape ${formatShape(item.found)} ` +
          `in the source but ${formatShape(item.expected)} here`),
        ...report.missing.map((name) => `${name} is missing from the source`),
      ];
      throw new RangeError(`Could not load every parameter: ${problems.join('; ')}`);
    }
    this.setParams(load);

    // nolearn's report lines.
    for (const name of report.loaded) {
      const shape = own.find((param) => tensorName(param) === name)!.shape;
      this.log(`Loaded parameters to layer '${name}' (shape ${formatShape(shape)}).\n`);
    }
    for (const item of report.mismatched) {
      this.log(`Could not load parameters to layer '${item.param}' because shapes did not ` +
        `match: ${formatShape(item.found)} vs ${formatShape(item.expected)}.\n`);
    }
    for (const name of report.missing) this.log(`No parameters found for layer '${name}'.\n`);
    return report;
  }

  /**
   * Writes the whole model atomically: the network and training options as JSON in the
   * safetensors metadata, the weights as tensors, and the train history. Callbacks, custom
   * scores and an explicit validation set are not saved; optimizer state (momentum) restarts.
   */
  async save(path: string): Promise<void> {
    this.checkIdle('save');
    const options = this.options;
    const split = options.trainSplit instanceof TrainSplit ? options.trainSplit : null;
    const spec = resolveUpdateSpec(options.update, { ...options.updateGiven });
    const saved: SavedOptions = {
      update: options.update.name,
      update_learning_rate: this.learningRate,
      objective_loss_function: this.loss.name,
      objective_l1: options.l1,
      objective_l2: options.l2,
      regression: this.regression,
      max_epochs: this.maxEpochs,
      eval_size: split ? split.evalSize : 0,
      stratify: split ? split.stratify : true,
      batch_size_train: options.batchSizeTrain,
      batch_size_test: options.batchSizeTest,
      shuffle: options.shuffle,
      seed: this.seed,
    };
    for (const param of ['momentum', 'rho', 'epsilon', 'beta1', 'beta2'] as const) {
      if (param in options.update.defaults) {
        saved[`update_${param}`] = param === 'momentum' ? this.momentumValue
          : spec[param];
      }
    }
    await writeLaminaFile(path, 'lamina-model', this.getParams(), {
      network: JSON.stringify(this.built.spec),
      options: JSON.stringify(saved),
      history: JSON.stringify(this.history, (_, value) =>
        (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value)),
    });
  }

  /**
   * Reads a model written by save: the network, its options, weights and history. Options may
   * be given to add callbacks or change training options (not the layers).
   *
   * @throws DataFormatError for a missing, truncated or corrupt file or one of a newer format
   *   version (naming the file); TypeError / RangeError for invalid overrides
   */
  static async load(path: string, overrides: NetworkOptions = {}): Promise<NeuralNet> {
    if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
      throw typeError('NeuralNet.load overrides', 'an options object', overrides);
    }
    const file = await readLaminaFile(path, 'lamina-model');
    let network: { layers: LayerSpec[] };
    let saved: SavedOptions;
    let history: HistoryEntry[];
    try {
      network = JSON.parse(file.metadata.network);
      saved = JSON.parse(file.metadata.options);
      history = JSON.parse(file.metadata.history ?? '[]', (_, value) =>
        (['NaN', 'Infinity', '-Infinity'].includes(value) ? Number(value) : value));
    } catch (error) {
      throw new DataFormatError(`${path} has a corrupt model description: ` +
        `${(error as Error).message}`, path);
    }
    if (!network || !Array.isArray(network.layers)) {
      throw new DataFormatError(`${path} has a corrupt model description: no layers`, path);
    }
    if (!Array.isArray(history)) {
      throw new DataFormatError(`${path} has a corrupt model description: the history is not ` +
        'a list', path);
    }
    if (overrides !== null && typeof overrides === 'object' && 'layers' in overrides) {
      throw new TypeError('NeuralNet.load takes the layers from the file; remove layers');
    }

    // Rebuild the net from the spec and the saved options: what the file holds must build on
    // its own, or the file is corrupt (a TypeError or RangeError here is about the file, not
    // about the caller's arguments).
    const corrupt = (error: unknown): DataFormatError => new DataFormatError(`${path} has a ` +
      `corrupt model description: ${error instanceof Error ? error.message : String(error)}`,
    path);
    let options: Record<string, unknown>;
    try {
      options = NeuralNet.savedOptions(network, saved);
      new NeuralNet(options as unknown as NeuralNetOptions); // eslint-disable-line no-new
    } catch (error) {
      throw corrupt(error);
    }

    // The caller's overrides.
    const given = splitOptions(overrides as Record<string, unknown>);
    for (const key of Object.keys(given.rest)) {
      const suggestion = closest(key, NETWORK_OPTIONS);
      throw new TypeError(`Unknown parameter '${key}' for NeuralNet.load` +
        (suggestion ? `; did you mean '${suggestion}'?` : ''));
    }
    if ('train_split' in given.network || 'eval_size' in given.network) delete options.train_split;
    if ('batch_size' in given.network || 'batch_iterator_train' in given.network ||
      'batch_iterator_test' in given.network) {
      delete options.batch_size;
      delete options.batch_iterator_train;
      delete options.batch_iterator_test;
    }
    const net = new NeuralNet({ ...options, ...given.network } as unknown as NeuralNetOptions);
    if (JSON.stringify(net.spec) !== JSON.stringify(network)) {
      throw new DataFormatError(`${path} describes a network that does not rebuild the same ` +
        '(a corrupt or hand-edited file)', path);
    }

    // The weights: every parameter of the network, with its shape.
    const names = new Set(file.params.map(tensorName));
    const missing = flatParamNamesOf(net).filter((name) => !names.has(name));
    if (missing.length > 0) {
      throw new DataFormatError(`${path} has no weights for ${missing.join(', ')} (a corrupt ` +
        'or hand-edited file)', path);
    }
    try {
      net.setParams(file.params);
    } catch (error) {
      if (error instanceof RangeError || error instanceof TypeError) throw corrupt(error);
      throw error;
    }
    net.history = history;
    return net;
  }

  /** The constructor options of a net from a model file's network and saved options. */
  private static savedOptions(network: { layers: LayerSpec[] }, saved: SavedOptions):
    Record<string, unknown> {
    const options: Record<string, unknown> = {
      layers: network.layers.map(layerFromSpec),
      update: saved.update,
      update_learning_rate: saved.update_learning_rate,
      objective_loss_function: saved.objective_loss_function,
      objective_l1: saved.objective_l1,
      objective_l2: saved.objective_l2,
      regression: saved.regression,
      max_epochs: saved.max_epochs,
      train_split: new TrainSplit({ eval_size: saved.eval_size, stratify: saved.stratify }),
      seed: saved.seed,
    };
    for (const param of ['momentum', 'rho', 'epsilon', 'beta1', 'beta2'] as const) {
      const value = saved[`update_${param}`];
      if (value !== undefined) options[`update_${param}`] = value;
    }
    if (saved.batch_size_train === saved.batch_size_test) {
      options.batch_size = saved.batch_size_train;
    } else {
      options.batch_iterator_train = new BatchIterator({ batch_size: saved.batch_size_train,
        shuffle: saved.shuffle });
      options.batch_iterator_test = new BatchIterator({ batch_size: saved.batch_size_test });
    }
    return options;
  }
}

/** The tensor names of a net's parameters, from its layers ('hidden.W', 'hidden.b'). */
function flatParamNamesOf(net: NeuralNet): string[] {
  return Object.values(net.spec.layers).flatMap((layer) => {
    if (layer.kind !== 'dense' && layer.kind !== 'conv2d') return [];
    return layer.b ? [`${layer.name}.W`, `${layer.name}.b`] : [`${layer.name}.W`];
  });
}

/** R^2 averaged over outputs (sklearn's uniform average; a constant target scores 1 if
 * predicted exactly, else 0). */
function rSquared(targets: Float32Array, output: Float32Array, n: number): number {
  const width = targets.length / n;
  let total = 0;
  for (let j = 0; j < width; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += targets[i * width + j];
    mean /= n;
    let residual = 0;
    let spread = 0;
    for (let i = 0; i < n; i++) {
      residual += (targets[i * width + j] - output[i * width + j]) ** 2;
      spread += (targets[i * width + j] - mean) ** 2;
    }
    total += spread === 0 ? (residual === 0 ? 1 : 0) : 1 - residual / spread;
  }
  return total / width;
}
