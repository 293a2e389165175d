/**
 * The JS model: parameters, optimizer state and generators of one network, and the batch
 * loop that trains it.
 *
 * One epoch: the order 0..n-1, shuffled with the model's Rng(seed, RngStream.shuffle) when
 * spec.shuffle is set; batches of batchSize samples in that order, the last partial batch
 * kept; for each batch: gather (uint8 pixels become x / 255 rounded to float32, float32
 * inputs are used as given), augment (spec.augment, augmentImagesReference drawing from the
 * model's Rng(seed, RngStream.augment)), the batch transform (options.batchTransform), forward
 * with dropout, objective, backward, update; then the validation set, if any,
 * deterministically in batches of batchSize (never augmented). The loop yields to the event
 * loop before every batch, so callbacks run and an AbortSignal is seen between batches.
 */
import type {
  Dataset,
  EpochRecord,
  Model,
  NetworkSpec,
  ParamTensor,
  PredictOptions,
  TrainOptions,
  TrainSpec,
} from '../backend';
import { augmentImagesReference } from '../../augment';
import { Rng, RngStream } from '../../rng';
import { checkAugmentSpec, checkBatchTransform, runBatchTransform } from '../batches';
import { abortError, checkDataset, checkTrainOptions, findParam, layerIndex } from '../checks';
import { checkInteger, typeError } from '../../validate';
import { Float32Scratch, sizeOf } from './layer';
import type { Targets } from './loss';
import { Network } from './network';
import { Updater } from './updates';

/** Lets the event loop run (timers, I/O, abort events) before the next batch. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A network on the JS backend. */
export class JsModel implements Model {
  readonly network: Network;
  private readonly shuffleRng: Rng;
  private readonly dropoutRng: Rng;
  private readonly augmentRng: Rng;
  private readonly updater = new Updater();
  private training = false;
  private disposed = false;
  private readonly batchX = new Float32Scratch();
  private readonly batchTargets = new Float32Scratch();
  private batchLabels: Int32Array = new Int32Array(0);

  /** @throws TypeError / RangeError for a bad seed or an inconsistent spec */
  constructor(
    readonly spec: NetworkSpec,
    seed: number,
  ) {
    checkInteger('seed', seed, 0, 0xffffffff);
    this.network = new Network(spec, seed);
    this.shuffleRng = new Rng(seed, RngStream.shuffle);
    this.dropoutRng = new Rng(seed, RngStream.dropout);
    this.augmentRng = new Rng(seed, RngStream.augment);
  }

  getParams(): ParamTensor[] {
    this.checkUsable('getParams');
    return this.network.params.map((param) => ({
      layer: param.layer,
      name: param.name,
      shape: param.shape.slice(),
      values: param.values.slice(),
    }));
  }

  setParams(params: ParamTensor[]): void {
    this.checkUsable('setParams');
    this.checkIdle('setParams');
    if (!Array.isArray(params)) throw typeError('params', 'an array of parameter tensors', params);

    // check every tensor before changing any
    const known = this.network.params.map((param) => ({ ...param, size: param.values.length }));
    const targets = params.map((tensor, i) => ({
      param: this.network.params[findParam(tensor, `params[${i}]`, known)],
      values: tensor.values,
    }));
    for (const { param, values } of targets) param.values.set(values);
  }

  resetUpdates(): void {
    this.checkUsable('resetUpdates');
    this.checkIdle('resetUpdates');
    this.updater.reset();
  }

  dispose(): void {
    this.disposed = true;
  }

  async predict(data: Dataset, options: PredictOptions = {}): Promise<Float32Array> {
    this.checkUsable('predict');
    if (typeof options !== 'object' || options === null) {
      throw typeError('options', 'an object', options);
    }
    const batchSize = checkInteger('options.batchSize', options.batchSize ?? 512, 1);
    const layers = this.spec.layers;
    const last = layerIndex(options.layer, layers);
    checkDataset('data', data, this.network.inputSize, this.network.outputSize, false);

    // forward in batches, deterministic
    const outputSize = sizeOf(layers[last].outputShape);
    const result = new Float32Array(data.n * outputSize);
    for (let start = 0; start < data.n; start += batchSize) {
      if (start > 0) await yieldToEventLoop();
      this.checkUsable('predict');
      const count = Math.min(batchSize, data.n - start);
      const x = this.gatherInputs(data, null, start, count);
      const output = this.network.forward(x, count, { training: false, dropoutRng: null }, last);
      result.set(output.subarray(0, count * outputSize), start * outputSize);
    }
    return result;
  }

  async train(options: TrainOptions): Promise<EpochRecord[]> {
    this.checkUsable('train');
    if (this.training) {
      throw new Error(
        'train() is already running on this model; await the running call (or abort it) ' +
          'before starting another',
      );
    }
    this.training = true;
    try {
      return await this.runEpochs(options);
    } finally {
      this.training = false;
    }
  }

  private async runEpochs(options: TrainOptions): Promise<EpochRecord[]> {
    checkTrainOptions(options);
    const { train, valid, spec, signal } = options;
    const { inputSize, outputSize } = this.network;
    checkDataset('options.train', train, inputSize, outputSize, true);
    if (valid) checkDataset('options.valid', valid, inputSize, outputSize, true);
    this.network.checkLoss(spec.loss, train.y as Targets);
    if (valid) this.network.checkLoss(spec.loss, valid.y as Targets);
    const augment = checkAugmentSpec(spec.augment, inputSize);
    const transform = checkBatchTransform(options.batchTransform);
    const shape = this.spec.layers[0].outputShape;
    const interval = options.progressIntervalMs ?? 100;

    const records: EpochRecord[] = [];
    const batches = Math.ceil(train.n / spec.batchSize);
    for (let e = 0; e < options.epochs; e++) {
      const epoch = options.firstEpoch + e;
      const learningRate = options.learningRates?.[e] ?? spec.update.learningRate;
      const started = Date.now();
      let lastTick = started;

      // the order of this epoch
      const order = new Uint32Array(train.n);
      for (let i = 0; i < train.n; i++) order[i] = i;
      if (spec.shuffle) this.shuffleRng.shuffle(order);

      // batches
      let objectiveSum = 0;
      for (let batch = 0; batch < batches; batch++) {
        await yieldToEventLoop();
        this.checkRunning(signal);
        const start = batch * spec.batchSize;
        const count = Math.min(spec.batchSize, train.n - start);
        let x = this.gatherInputs(train, order, start, count);
        const targets = this.gatherTargets(train, order, start, count);
        if (augment) {
          const { options: groups, channels, height, width } = augment;
          x = augmentImagesReference(x, count, channels, height, width,
            { elastic: groups.elastic ?? undefined, affine: groups.affine ?? undefined },
            this.augmentRng);
        }
        if (transform) {
          const info = { epoch, batch: batch + 1, batches, count, shape: shape.slice() };
          x = runBatchTransform(transform, x, targets.slice(), info);
        }
        const { objective } = this.network.computeGradients(
          x,
          targets,
          count,
          spec,
          this.dropoutRng,
        );
        if (!Number.isFinite(objective)) {
          throw new Error(
            `Training diverged: the loss is ${objective} at epoch ${epoch}, batch ${batch + 1} ` +
              `of ${batches}; try a lower learning rate or check the inputs for NaN`,
          );
        }
        this.updater.step(this.network.params, spec.update, learningRate);
        objectiveSum += objective * count;

        // progress, throttled; the last batch of an epoch always reports
        const now = Date.now();
        if (options.onProgress && (batch + 1 === batches || now - lastTick >= interval)) {
          lastTick = now;
          const samples = start + count;
          options.onProgress({
            epoch,
            batch: batch + 1,
            batches,
            samples,
            trainLoss: objectiveSum / samples,
            samplesPerSecond: samples / Math.max((now - started) / 1000, 1e-6),
          });
        }
      }

      // validation
      this.checkRunning(signal);
      let validLoss = NaN;
      let validAccuracy = NaN;
      if (valid) [validLoss, validAccuracy] = this.validate(valid, spec);
      const record: EpochRecord = {
        epoch,
        trainLoss: objectiveSum / train.n,
        validLoss,
        validAccuracy,
        seconds: (Date.now() - started) / 1000,
      };
      records.push(record);
      if (options.onEpoch && options.onEpoch(record) === false) break;
    }
    return records;
  }

  /** Mean data loss and accuracy (NaN for regression targets) over a dataset. */
  private validate(data: Dataset, spec: TrainSpec): [number, number] {
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < data.n; start += spec.batchSize) {
      const count = Math.min(spec.batchSize, data.n - start);
      const x = this.gatherInputs(data, null, start, count);
      const targets = this.gatherTargets(data, null, start, count);
      const result = this.network.evaluate(x, targets, count, spec.loss);
      lossSum += result.dataLossSum;
      correct += result.correct;
    }
    const accuracy = data.y instanceof Int32Array ? correct / data.n : NaN;
    return [lossSum / data.n, accuracy];
  }

  /** Inputs of samples order[start .. start + count) (or start .. when order is null). */
  private gatherInputs(
    data: Dataset,
    order: Uint32Array | null,
    start: number,
    count: number,
  ): Float32Array {
    const size = this.network.inputSize;
    const x = this.batchX.get(count * size);
    for (let i = 0; i < count; i++) {
      const sample = order ? order[start + i] : start + i;
      const row = data.x.subarray(sample * size, (sample + 1) * size);
      if (data.x instanceof Uint8Array) {
        // x / 255 in double, rounded to float32 on store: the correctly rounded quotient
        for (let j = 0; j < size; j++) x[i * size + j] = row[j] / 255;
      } else {
        x.set(row, i * size);
      }
    }
    return x;
  }

  /** Targets of the same samples: labels [count] or values [count, outputs]. */
  private gatherTargets(
    data: Dataset,
    order: Uint32Array | null,
    start: number,
    count: number,
  ): Targets {
    const y = data.y as Targets;
    const sampleOf = (i: number): number => (order ? order[start + i] : start + i);
    if (y instanceof Int32Array) {
      if (this.batchLabels.length < count) this.batchLabels = new Int32Array(count);
      const labels = this.batchLabels.subarray(0, count);
      for (let i = 0; i < count; i++) labels[i] = y[sampleOf(i)];
      return labels;
    }
    const outputs = this.network.outputSize;
    const targets = this.batchTargets.get(count * outputs);
    for (let i = 0; i < count; i++) {
      const sample = sampleOf(i);
      targets.set(y.subarray(sample * outputs, (sample + 1) * outputs), i * outputs);
    }
    return targets;
  }

  private checkRunning(signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw abortError();
    if (this.disposed) throw new Error('The model was disposed while train() was running');
  }

  private checkUsable(method: string): void {
    if (this.disposed) {
      throw new Error(`Cannot call ${method}(): the model was disposed; create a new model`);
    }
  }

  private checkIdle(method: string): void {
    if (this.training) {
      throw new Error(`Cannot call ${method}() while train() is running on this model`);
    }
  }
}
