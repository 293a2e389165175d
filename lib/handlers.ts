/**
 * Ready-made callbacks for on_epoch_finished and on_training_finished, the ones nolearn
 * scripts used: early stopping, keeping the best weights, checkpoints, and schedules that
 * change the learning rate (or momentum) from one epoch to the next, like the AdjustVariable
 * of the nolearn tutorials.
 *
 * Each is an object with handle(net, history); a handle returning false stops training.
 */
import type { ParamTensor } from './backend/backend';
import type { HistoryEntry } from './net-options';
import type { NeuralNet } from './neural-net';
import { checkBoolean, checkInteger, checkKnownKeys, checkNumber, checkChoice, typeError }
  from './validate';

function checkOptionsObject(context: string, options: unknown, known: string[]): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw typeError(`${context} options`, `an options object { ${known.join(', ')} }`, options);
  }
  checkKnownKeys(context, options, known);
}

/** A history key a handler watches: a loss column or a custom score. */
function historyValue(entry: HistoryEntry, key: string): number {
  const value = entry[key];
  if (typeof value !== 'number') {
    throw new RangeError(`trainHistory has no number '${key}'; keys: ${Object.keys(entry)
      .join(', ')}`);
  }
  return value;
}

/** Options of RememberBestWeights. */
export interface RememberBestWeightsOptions {
  /** History key to watch, default 'valid_loss'. */
  key?: string;
  /** true (default): lower is better; false: higher is better (e.g. 'valid_accuracy'). */
  loss?: boolean;
}

/**
 * Keeps a copy of the weights of the best epoch so far (on_epoch_finished). Pair it with
 * RestoreBestWeights in on_training_finished.
 *
 * @example
 * const remember = new RememberBestWeights();
 * new NeuralNet({ ..., on_epoch_finished: [remember],
 *   on_training_finished: [new RestoreBestWeights({ remember })] });
 */
export class RememberBestWeights {
  /** The watched key. */
  readonly key: string;
  /** Whether lower is better. */
  readonly loss: boolean;
  /** The best value so far (Infinity / -Infinity before any epoch). */
  bestValue: number;
  /** The epoch of the best value, 0 before any. */
  bestEpoch = 0;
  /** Copies of the weights of the best epoch. */
  bestWeights: ParamTensor[] | null = null;

  constructor(options: RememberBestWeightsOptions = {}) {
    checkOptionsObject('RememberBestWeights', options, ['key', 'loss']);
    this.key = options.key === undefined ? 'valid_loss' : String(options.key);
    this.loss = options.loss === undefined ? true
      : checkBoolean('RememberBestWeights loss', options.loss);
    this.bestValue = this.loss ? Infinity : -Infinity;
  }

  /** Records the weights when the last epoch is the best. */
  handle(net: NeuralNet, history: readonly HistoryEntry[]): void {
    const entry = history[history.length - 1];
    const value = historyValue(entry, this.key);
    if (Number.isNaN(value)) return;
    if (this.loss ? value < this.bestValue : value > this.bestValue) {
      this.bestValue = value;
      this.bestEpoch = entry.epoch;
      this.bestWeights = net.getParams();
    }
  }
}

/** Options of RestoreBestWeights. */
export interface RestoreBestWeightsOptions {
  /** The RememberBestWeights whose weights to restore. */
  remember: RememberBestWeights;
}

/** Loads the weights a RememberBestWeights kept (on_training_finished). */
export class RestoreBestWeights {
  /** The source of the weights. */
  readonly remember: RememberBestWeights;

  constructor(options: RestoreBestWeightsOptions) {
    checkOptionsObject('RestoreBestWeights', options, ['remember']);
    if (!(options.remember instanceof RememberBestWeights)) {
      throw typeError('RestoreBestWeights remember', 'a RememberBestWeights', options.remember);
    }
    this.remember = options.remember;
  }

  /** Sets the remembered weights, when there are any. */
  handle(net: NeuralNet): void {
    if (!this.remember.bestWeights) return;
    net.setParams(this.remember.bestWeights);
    net.log(`Restored the weights of epoch ${this.remember.bestEpoch} ` +
      `(${this.remember.key} ${this.remember.bestValue.toFixed(6)}).\n`);
  }
}

/** Options of EarlyStopping. */
export interface EarlyStoppingOptions {
  /** Epochs without improvement before stopping, default 100 (the nolearn tutorial's). */
  patience?: number;
  /** History key to watch, default 'valid_loss'. */
  key?: string;
  /** true (default): lower is better. */
  loss?: boolean;
  /** Load the best weights when stopping, default true. */
  restoreBest?: boolean;
}

/**
 * Stops training when the watched value has not improved for `patience` epochs, and (by
 * default) restores the weights of the best epoch, as the nolearn tutorials' EarlyStopping.
 *
 * @example
 * new NeuralNet({ ..., on_epoch_finished: [new EarlyStopping({ patience: 10 })] });
 */
export class EarlyStopping {
  /** Epochs without improvement allowed. */
  readonly patience: number;
  /** Whether the best weights are restored on stopping. */
  readonly restoreBest: boolean;
  private readonly best: RememberBestWeights;
  /** The epoch training was stopped after, 0 while it has not. */
  stoppedEpoch = 0;

  constructor(options: EarlyStoppingOptions = {}) {
    checkOptionsObject('EarlyStopping', options, ['patience', 'key', 'loss', 'restoreBest']);
    this.patience = options.patience === undefined ? 100
      : checkInteger('EarlyStopping patience', options.patience, 1);
    this.restoreBest = options.restoreBest === undefined ? true
      : checkBoolean('EarlyStopping restoreBest', options.restoreBest);
    this.best = new RememberBestWeights({ key: options.key, loss: options.loss });
  }

  /** The best value so far. */
  get bestValue(): number {
    return this.best.bestValue;
  }

  /** The epoch of the best value. */
  get bestEpoch(): number {
    return this.best.bestEpoch;
  }

  /** Returns false (stop) after patience epochs without improvement. */
  handle(net: NeuralNet, history: readonly HistoryEntry[]): boolean {
    this.best.handle(net, history);
    const epoch = history[history.length - 1].epoch;
    if (this.best.bestEpoch === 0 || epoch - this.best.bestEpoch < this.patience) return true;
    this.stoppedEpoch = epoch;
    net.log('Early stopping.\n');
    net.log(`Best ${this.best.key} was ${this.best.bestValue.toFixed(6)} at epoch ` +
      `${this.best.bestEpoch}.\n`);
    if (this.restoreBest && this.best.bestWeights) net.setParams(this.best.bestWeights);
    return false;
  }
}

/** Options of SaveCheckpoint. */
export interface SaveCheckpointOptions {
  /**
   * The file; may hold {epoch} and other history keys ({valid_loss:.4f} is not supported; the
   * value is written as is), e.g. 'checkpoints/mlp-{epoch}.safetensors'.
   */
  path: string;
  /** Save every this many epochs, default 1. */
  every?: number;
  /** Save only when valid_loss is the best so far, default false. */
  onlyBest?: boolean;
  /** Write weights only (saveParams) instead of the whole model (save), default false. */
  paramsOnly?: boolean;
}

/**
 * Saves the model (or only its weights) every N epochs, atomically (on_epoch_finished).
 *
 * @example
 * new NeuralNet({ ..., on_epoch_finished: [new SaveCheckpoint({ path: 'mlp-{epoch}.model',
 *   every: 5 })] });
 */
export class SaveCheckpoint {
  /** The path pattern. */
  readonly path: string;
  /** Epochs between saves. */
  readonly every: number;
  /** Whether only best epochs are saved. */
  readonly onlyBest: boolean;
  /** Whether only weights are saved. */
  readonly paramsOnly: boolean;
  /** The files written so far. */
  readonly written: string[] = [];

  constructor(options: SaveCheckpointOptions) {
    checkOptionsObject('SaveCheckpoint', options, ['path', 'every', 'onlyBest', 'paramsOnly']);
    if (typeof options.path !== 'string' || options.path === '') {
      throw typeError('SaveCheckpoint path', 'a file path', options.path);
    }
    this.path = options.path;
    this.every = options.every === undefined ? 1
      : checkInteger('SaveCheckpoint every', options.every, 1);
    this.onlyBest = options.onlyBest === undefined ? false
      : checkBoolean('SaveCheckpoint onlyBest', options.onlyBest);
    this.paramsOnly = options.paramsOnly === undefined ? false
      : checkBoolean('SaveCheckpoint paramsOnly', options.paramsOnly);
  }

  /** Saves when the epoch is due. */
  async handle(net: NeuralNet, history: readonly HistoryEntry[]): Promise<void> {
    const entry = history[history.length - 1];
    if (entry.epoch % this.every !== 0) return;
    if (this.onlyBest && !entry.valid_loss_best) return;
    const file = this.path.replace(/\{(\w+)\}/g, (whole, key: string) =>
      (key in entry ? String(entry[key]) : whole));
    if (this.paramsOnly) await net.saveParams(file);
    else await net.save(file);
    this.written.push(file);
  }
}

/** The hyperparameters a schedule may change. */
export type ScheduledVariable = 'update_learning_rate' | 'update_momentum';

function setVariable(net: NeuralNet, name: ScheduledVariable, value: number): void {
  if (name === 'update_learning_rate') net.updateLearningRate = value;
  else net.updateMomentum = value;
}

function variableName(value: unknown): ScheduledVariable {
  if (value === 'updateLearningRate') return 'update_learning_rate';
  if (value === 'updateMomentum') return 'update_momentum';
  return checkChoice('the scheduled variable', value,
    ['update_learning_rate', 'update_momentum'] as const);
}

/**
 * A linear schedule, the AdjustVariable of the nolearn tutorials: over max_epochs, the variable
 * goes from start to stop in equal steps. After epoch e it is set to the value for epoch e + 1
 * (start + (stop - start) * e / (max_epochs - 1), held at stop afterwards); set the option
 * itself (e.g. update_learning_rate) to start for epoch 1.
 *
 * @example
 * new NeuralNet({ ..., update_learning_rate: 0.03, update_momentum: 0.9,
 *   on_epoch_finished: [new AdjustVariable('update_learning_rate', 0.03, 0.0001),
 *                       new AdjustVariable('update_momentum', 0.9, 0.999)] });
 */
export class AdjustVariable {
  /** The variable changed. */
  readonly name: ScheduledVariable;

  constructor(name: ScheduledVariable | 'updateLearningRate' | 'updateMomentum',
    readonly start: number, readonly stop: number) {
    this.name = variableName(name);
    checkNumber('AdjustVariable start', start);
    checkNumber('AdjustVariable stop', stop);
  }

  /** Sets the variable for the next epoch. */
  handle(net: NeuralNet, history: readonly HistoryEntry[]): void {
    const epoch = history[history.length - 1].epoch;
    const steps = Math.max(1, net.maxEpochs - 1);
    const fraction = Math.min(1, epoch / steps);
    setVariable(net, this.name, this.start + (this.stop - this.start) * fraction);
  }
}

/** Options of StepDecay. */
export interface StepDecayOptions {
  /** The variable changed, default 'update_learning_rate'. */
  name?: ScheduledVariable;
  /** Multiply by this factor, default 0.1. */
  factor?: number;
  /** every this many epochs. Required. */
  every: number;
}

/**
 * A step schedule: after every `every` epochs the variable is multiplied by factor.
 *
 * @example
 * new NeuralNet({ ..., on_epoch_finished: [new StepDecay({ every: 10, factor: 0.5 })] });
 */
export class StepDecay {
  /** The variable changed. */
  readonly name: ScheduledVariable;
  /** The factor. */
  readonly factor: number;
  /** Epochs between steps. */
  readonly every: number;

  constructor(options: StepDecayOptions) {
    checkOptionsObject('StepDecay', options, ['name', 'factor', 'every']);
    this.name = options.name === undefined ? 'update_learning_rate' : variableName(options.name);
    this.factor = options.factor === undefined ? 0.1
      : checkNumber('StepDecay factor', options.factor, 0);
    this.every = checkInteger('StepDecay every', options.every, 1);
  }

  /** Multiplies the variable after every `every` epochs. */
  handle(net: NeuralNet, history: readonly HistoryEntry[]): void {
    const epoch = history[history.length - 1].epoch;
    if (epoch % this.every !== 0) return;
    const current = this.name === 'update_learning_rate' ? net.updateLearningRate
      : net.updateMomentum;
    if (current !== undefined) setVariable(net, this.name, current * this.factor);
  }
}
