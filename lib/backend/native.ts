/**
 * The native backend: the C++ core through the addon. Training runs whole epochs in C++ on a
 * thread of its own (records and throttled progress ticks come back through a thread-safe
 * function), prediction runs on the libuv pool, so the event loop stays free.
 *
 * Arguments are checked here, before anything crosses into native code; the core checks the
 * network spec again (shapes must chain and agree with each layer) and throws Errors that
 * name the layer and field.
 */
import type {
  Backend,
  Dataset,
  EpochRecord,
  Model,
  NetworkSpec,
  ParamTensor,
  PredictOptions,
  ProgressTick,
  TrainOptions,
} from './backend';
import { native } from '../native';
import { checkAugmentSpec, checkBatchTransform, runBatchTransform } from './batches';
import {
  abortError,
  checkDataset,
  checkTrainOptions,
  findParam,
  layerIndex,
  ParamInfo,
} from './checks';
import { checkInteger, rangeError, typeError } from '../validate';

/** What the addon's NativeModel class offers (see native/addon/model-bindings.cc). */
interface NativeModelHandle {
  getParams(): ParamTensor[];
  setParams(params: ParamTensor[]): void;
  train(options: NativeTrainOptions): Promise<NativeTrainResult>;
  abort(): void;
  predict(options: {
    x: Uint8Array | Float32Array;
    n: number;
    layer?: string;
    batchSize: number;
  }): Promise<Float32Array>;
  resetUpdates(): void;
  dispose(): void;
  isTraining(): boolean;
}

type NativeModelClass = new (specJson: string, seed: number) => NativeModelHandle;

interface NativeTrainOptions {
  spec: string;
  x: Uint8Array | Float32Array;
  y?: Int32Array | Float32Array;
  n: number;
  validX?: Uint8Array | Float32Array;
  validY?: Int32Array | Float32Array;
  validN?: number;
  firstEpoch: number;
  epochs: number;
  learningRates?: Float64Array;
  progressIntervalMs: number;
  transformBatches: boolean;
  onEvent(
    kind: 'epoch' | 'progress' | 'batch',
    data: EpochRecord | ProgressTick | NativeBatch,
  ): boolean | void | Float32Array;
}

/** A training batch handed to JavaScript (copies; see native/addon/model-bindings.cc). */
interface NativeBatch {
  x: Float32Array;
  y: Int32Array | Float32Array;
  epoch: number;
  batch: number;
  batches: number;
  count: number;
}

interface NativeTrainResult {
  records: EpochRecord[];
  outcome: 'completed' | 'stopped' | 'cancelled';
}

function sizeOf(shape: number[]): number {
  return shape.reduce((product, axis) => product * axis, 1);
}


/**
 * A network instantiated in the native core (see Model in backend.ts for each method's
 * contract). Training runs on a thread of its own; predict() on the libuv pool.
 *
 * The typed arrays given to train() and predict() are copied into native memory on those
 * threads as the call starts (copying MNIST on the main thread would stall the event loop),
 * so they must not be changed until the returned promise settles.
 *
 * @example
 * const model = nativeBackend.createModel(spec, 42);
 * const records = await model.train({ train, firstEpoch: 1, epochs: 1, spec: trainSpec });
 * const probabilities = await model.predict(test);
 * model.dispose();
 */
export class NativeModel implements Model {
  private handle: NativeModelHandle | null;
  private readonly inputSize: number;
  private readonly outputSize: number;
  /** Names and shapes of the parameters, for checking setParams without the core. */
  private readonly paramInfo: ParamInfo[];

  /**
   * @throws TypeError for a spec that is not an object with a layers array or a bad seed;
   *   Error when the core finds the spec inconsistent (the message names the layer and field)
   */
  constructor(
    readonly spec: NetworkSpec,
    seed: number,
  ) {
    checkInteger('seed', seed, 0, 0xffffffff);
    if (typeof spec !== 'object' || spec === null || !Array.isArray(spec.layers)) {
      throw typeError('spec', 'a network spec { layers: [...] }', spec);
    }
    const layers = spec.layers;
    if (layers.length < 2)
      throw rangeError('spec.layers', 'an input layer and at least one more', layers);
    layers.forEach((layer, i) => {
      if (typeof layer !== 'object' || layer === null)
        throw typeError(`spec.layers[${i}]`, 'a layer spec', layer);
      for (const field of ['inputShape', 'outputShape'] as const) {
        if (!Array.isArray(layer[field]))
          throw typeError(`spec.layers[${i}].${field}`, 'an array', layer[field]);
      }
    });
    this.inputSize = sizeOf(layers[0].outputShape);
    this.outputSize = sizeOf(layers[layers.length - 1].outputShape);
    const NativeModelClass = native().NativeModel as NativeModelClass;
    this.handle = new NativeModelClass(JSON.stringify(spec), seed);
    this.paramInfo = this.handle.getParams().map((param) => ({
      layer: param.layer,
      name: param.name,
      shape: param.shape,
      size: param.values.length,
    }));
  }

  private live(method: string): NativeModelHandle {
    if (this.handle === null) {
      throw new Error(`Cannot call ${method}(): the model was disposed; create a new model`);
    }
    return this.handle;
  }

  /** Copies of the parameters, layer by layer, W then b. */
  getParams(): ParamTensor[] {
    return this.live('getParams').getParams();
  }

  /**
   * Replaces parameters, matched by layer and name.
   *
   * @throws TypeError / RangeError naming the entry for an unknown layer or name (with a
   *   suggestion), a wrong shape or a wrong number of values; Error while train() runs
   *   (except from onEpoch) or predict() runs
   */
  setParams(params: ParamTensor[]): void {
    const handle = this.live('setParams');
    if (!Array.isArray(params)) throw typeError('params', 'an array of parameter tensors', params);
    params.forEach((tensor, i) => findParam(tensor, `params[${i}]`, this.paramInfo));
    handle.setParams(params);
  }

  /**
   * Trains in C++ on a thread of its own and resolves with the records of the epochs run.
   *
   * @throws TypeError / RangeError for bad options or data (before anything starts); Error
   *   when train() already runs on this model, when the core rejects the data or the loss
   *   for the network, or when the loss becomes NaN or infinite (naming the epoch and batch);
   *   an Error named 'AbortError' when options.signal aborts (between batches)
   */
  async train(options: TrainOptions): Promise<EpochRecord[]> {
    const handle = this.live('train');
    if (handle.isTraining()) {
      throw new Error(
        'train() is already running on this model; await the running call (or abort it) ' +
          'before starting another',
      );
    }

    // Step 1: check everything before the data crosses into the core.
    checkTrainOptions(options);
    const { train, valid, spec, signal } = options;
    checkDataset('options.train', train, this.inputSize, this.outputSize, true);
    if (valid !== undefined)
      checkDataset('options.valid', valid, this.inputSize, this.outputSize, true);
    checkAugmentSpec(spec.augment, this.inputSize);
    const transform = checkBatchTransform(options.batchTransform);
    if (signal?.aborted) throw abortError();

    // Step 2: callbacks run on this thread; an exception in one stops training and becomes
    // the rejection. A batch transform answers with the values to train on (the training
    // thread waits for it).
    let callbackError: unknown;
    let failed = false;
    const shape = this.spec.layers[0].outputShape.slice();
    const onEvent = (
      kind: 'epoch' | 'progress' | 'batch',
      data: EpochRecord | ProgressTick | NativeBatch,
    ): boolean | Float32Array | undefined => {
      try {
        if (kind === 'epoch') return options.onEpoch?.(data as EpochRecord) !== false;
        if (kind === 'batch') {
          const { x, y, epoch, batch, batches, count } = data as NativeBatch;
          if (failed || !transform) return undefined;
          return runBatchTransform(transform, x, y,
            { epoch, batch, batches, count, shape: shape.slice() });
        }
        options.onProgress?.(data as ProgressTick);
      } catch (error) {
        if (!failed) callbackError = error;
        failed = true;
        handle.abort();
        return kind === 'batch' ? undefined : false;
      }
      return true;
    };

    // Step 3: run, with the signal wired to the core's cancel flag.
    let aborted = false;
    const onAbort = (): void => {
      aborted = true;
      handle.abort();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await handle.train({
        spec: JSON.stringify(spec),
        x: train.x,
        y: train.y,
        n: train.n,
        validX: valid?.x,
        validY: valid?.y,
        validN: valid?.n,
        firstEpoch: options.firstEpoch,
        epochs: options.epochs,
        learningRates: options.learningRates
          ? Float64Array.from(options.learningRates)
          : undefined,
        progressIntervalMs: options.progressIntervalMs ?? 100,
        transformBatches: transform !== undefined,
        onEvent,
      });
      if (failed) throw callbackError;
      if (aborted && result.outcome !== 'completed') throw abortError();
      return result.records;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * The output of a layer (default: the last) for every sample, computed on the libuv pool.
   *
   * @throws TypeError / RangeError for bad data or options (an unknown layer name gets a
   *   suggestion); Error while train() runs on this model
   */
  async predict(data: Dataset, options: PredictOptions = {}): Promise<Float32Array> {
    const handle = this.live('predict');
    if (typeof options !== 'object' || options === null)
      throw typeError('options', 'an object', options);
    const batchSize = checkInteger('options.batchSize', options.batchSize ?? 512, 1);
    layerIndex(options.layer, this.spec.layers);
    checkDataset('data', data, this.inputSize, this.outputSize, false);
    if (data.n === 0) return new Float32Array(0);
    return handle.predict({ x: data.x, n: data.n, layer: options.layer, batchSize });
  }

  /** Drops the optimizer state (velocities, moments, step count). */
  resetUpdates(): void {
    this.live('resetUpdates').resetUpdates();
  }

  /** Frees native memory (after a running train() stops, if one runs); idempotent. */
  dispose(): void {
    this.handle?.dispose();
    this.handle = null;
  }
}

/** The native backend. */
export const nativeBackend: Backend = {
  name: 'native',
  createModel(spec: NetworkSpec, seed: number): Model {
    return new NativeModel(spec, seed);
  },
};
