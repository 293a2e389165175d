/**
 * The backend interface: what the estimator (NeuralNet) asks of a backend, and the resolved
 * network description it hands over. Two backends implement it, one folder each:
 *   native  lib/backend/native.ts -> the C++ core through the addon (default)
 *   js      lib/backend/js/       -> plain TypeScript, slow and obvious: the parity oracle
 *
 * Shape inference and validation happen before a spec reaches a backend (lib/layers): every
 * layer spec carries its resolved input and output shapes. Backends still check invariants and
 * throw (never crash) when a spec is inconsistent.
 *
 * Conventions both backends follow exactly, so that they agree number for number:
 * - Shapes exclude the batch dimension; tensors are float32, row-major, NCHW.
 * - Dense W is stored [inputs x units], conv W [K x C x FH x FW] (cross-correlation: filters are
 *   not flipped), biases [units] / [K].
 * - Random numbers come from Rng (lib/rng.ts = native/core/rng.cc):
 *   - init: one Rng(seed, RngStream.init); layers in order, W then b, elements in storage
 *     order; uniform draws as lo + (hi - lo) * uniform() in double then rounded to float32;
 *     normal draws as mean + std * normal(). Fans follow Lasagne: dense fanIn = inputs,
 *     fanOut = units; conv fanIn = C*FH*FW, fanOut = K*FH*FW. GlorotUniform limit =
 *     gain * sqrt(6 / (fanIn + fanOut)); GlorotNormal std = gain * sqrt(2 / (fanIn + fanOut));
 *     HeUniform limit = gain * sqrt(3 / fanIn); HeNormal std = gain * sqrt(1 / fanIn).
 *   - shuffling: one Rng(seed, RngStream.shuffle) kept across epochs and fit calls; each epoch
 *     starts from the identity order 0..n-1 and applies rng.shuffle.
 *   - dropout: one Rng(seed, RngStream.dropout) kept across epochs; for each training batch,
 *     for each dropout layer in order, one uniform() per element in storage order (sample,
 *     then features); the element is kept (scaled by 1 / (1 - p)) when uniform() >= p.
 *   - augmentation (TrainSpec.augment): one Rng(seed, RngStream.augment) kept across epochs
 *     and train calls; each training batch, in order, is augmented as a whole by
 *     native/data/augment.h (= augmentImagesReference in lib/augment.ts), which draws one
 *     nextU32() per sample, in batch order, then works from those seeds.
 * - Uint8 inputs are scaled by 1/255 as each batch is drawn; Float32 inputs are used as given.
 * - A training batch goes: gather (in the shuffled order) and scale; augment (when
 *   spec.augment is set); batchTransform (when given); then forward, loss, backward, update.
 *   Validation and prediction are never augmented nor transformed.
 * - Batches: batchSize samples in the shuffled order, the last partial batch kept.
 * - Loss: mean over the batch of the per-sample loss, plus l1 * sum|W| +
 *   l2 * sum W^2 over the weights (W) of dense and conv layers, never biases. Categorical
 *   cross-entropy needs a softmax output layer and is computed fused from its pre-activations
 *   (log-sum-exp; gradient softmax - onehot); squared error is the mean over samples and outputs
 *   of (output - target)^2.
 * - trainLoss of an epoch is the sample-weighted mean of the batch objectives (penalties
 *   included); validLoss is the sample-weighted mean data loss over the validation set (no
 *   penalty); validAccuracy the fraction of argmax predictions equal to the label.
 * - Updates follow Lasagne (see UpdateSpec), applied after each batch.
 */

import type { ResolvedAugmentOptions } from '../augment';

/** Elementwise nonlinearities. softmax applies over the features of each sample. */
export type Nonlinearity =
  | 'rectify'
  | 'softmax'
  | 'tanh'
  | 'sigmoid'
  | 'linear'
  | 'leaky_rectify'
  | 'elu'
  | 'softplus';

/**
 * Weight initialisation, Lasagne's definitions (see the conventions above for the fans).
 * gain defaults to 1; Lasagne's 'relu' gain is sqrt(2).
 */
export type InitSpec =
  | { kind: 'glorot_uniform'; gain: number }
  | { kind: 'glorot_normal'; gain: number }
  | { kind: 'he_uniform'; gain: number }
  | { kind: 'he_normal'; gain: number }
  | { kind: 'normal'; mean: number; std: number }
  | { kind: 'uniform'; low: number; high: number }
  | { kind: 'constant'; value: number };

interface LayerBase {
  /** Unique within the network. */
  name: string;
  /** Shape of one sample entering the layer (no batch dimension). */
  inputShape: number[];
  /** Shape of one sample leaving the layer. */
  outputShape: number[];
}

export interface InputLayerSpec extends LayerBase {
  kind: 'input';
}

/** Dense: flattens trailing axes of the input, y = f(x W + b). */
export interface DenseLayerSpec extends LayerBase {
  kind: 'dense';
  numUnits: number;
  nonlinearity: Nonlinearity;
  W: InitSpec;
  /** null: no bias. */
  b: InitSpec | null;
}

/** 2-D convolution (cross-correlation), input [C, H, W] -> output [K, OH, OW]. */
export interface Conv2DLayerSpec extends LayerBase {
  kind: 'conv2d';
  numFilters: number;
  filterSize: [number, number];
  stride: [number, number];
  /** Zero padding on each side, resolved from int / pair / 'valid' / 'same' / 'full'. */
  pad: [number, number];
  nonlinearity: Nonlinearity;
  W: InitSpec;
  b: InitSpec | null;
}

/** 2-D pooling, input [C, H, W] -> [C, OH, OW]. Padding counts as -inf for max. */
export interface Pool2DLayerSpec extends LayerBase {
  kind: 'maxpool2d' | 'avgpool2d';
  poolSize: [number, number];
  stride: [number, number];
  pad: [number, number];
  /** false: a partial window at the border still produces an output (Lasagne's meaning). */
  ignoreBorder: boolean;
  /** avgpool2d only: whether padding cells count in the average (Lasagne's
   * 'average_inc_pad', the default) or not ('average_exc_pad'). */
  includePadding: boolean;
}

/** Inverted dropout: training zeroes each element with probability p and scales the rest by
 * 1 / (1 - p); prediction is the identity. */
export interface DropoutLayerSpec extends LayerBase {
  kind: 'dropout';
  p: number;
}

/** Reshape and flatten only change the shape; data is copied as is (row-major). */
export interface ReshapeLayerSpec extends LayerBase {
  kind: 'reshape' | 'flatten';
}

/** A standalone nonlinearity. */
export interface NonlinearityLayerSpec extends LayerBase {
  kind: 'nonlinearity';
  nonlinearity: Nonlinearity;
}

export type LayerSpec =
  | InputLayerSpec
  | DenseLayerSpec
  | Conv2DLayerSpec
  | Pool2DLayerSpec
  | DropoutLayerSpec
  | ReshapeLayerSpec
  | NonlinearityLayerSpec;

/** A sequential network: layers[0] is the input layer; each layer feeds the next. */
export interface NetworkSpec {
  layers: LayerSpec[];
}

/**
 * Update rules with Lasagne's semantics (g gradient, p parameter, t step from 1):
 *   sgd        p -= lr g
 *   momentum   v = mu v - lr g; p += v
 *   nesterov_momentum  v = mu v - lr g; p += mu v - lr g
 *   adagrad    a += g^2; p -= lr g / sqrt(a + eps)
 *   rmsprop    a = rho a + (1 - rho) g^2; p -= lr g / sqrt(a + eps)
 *   adadelta   a = rho a + (1 - rho) g^2; u = g sqrt(d + eps) / sqrt(a + eps); p -= lr u;
 *              d = rho d + (1 - rho) u^2
 *   adam       m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 *              p -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)
 *   adamax     m = b1 m + (1 - b1) g; u = max(b2 u, |g|); p -= lr / (1 - b1^t) * m / (u + eps)
 * Every field is filled in (the estimator applies Lasagne's defaults); a rule ignores the
 * fields it does not use.
 */
export interface UpdateSpec {
  rule:
    | 'sgd'
    | 'momentum'
    | 'nesterov_momentum'
    | 'adagrad'
    | 'rmsprop'
    | 'adadelta'
    | 'adam'
    | 'adamax';
  learningRate: number;
  momentum: number;
  rho: number;
  epsilon: number;
  beta1: number;
  beta2: number;
}

/**
 * Augmentation of the training batches: the options (lib/augment.ts, every field resolved) and
 * the image shape each sample is seen as. channels x height x width must equal the input size.
 */
export interface AugmentSpec {
  options: ResolvedAugmentOptions;
  channels: number;
  height: number;
  width: number;
}

/** How to train: loss, penalties, update, batching, augmentation. */
export interface TrainSpec {
  loss: 'categorical_crossentropy' | 'squared_error';
  l1: number;
  l2: number;
  update: UpdateSpec;
  batchSize: number;
  /** Shuffle the training samples each epoch (default true in the estimator). */
  shuffle: boolean;
  /** Augment every training batch (see the conventions above); absent or null: no. */
  augment?: AugmentSpec | null;
}

/** Where a batch handed to a BatchTransform sits in training. */
export interface BatchInfo {
  /** 1-based, counting across train calls. */
  epoch: number;
  /** 1-based batch number within the epoch, and the number of batches in the epoch. */
  batch: number;
  batches: number;
  /** Samples in this batch (the last batch of an epoch may be smaller). */
  count: number;
  /** The shape of one sample (the input layer's output shape, no batch dimension). */
  shape: number[];
}

/**
 * A transform of each training batch, run on the main thread between batches: x holds the
 * batch (count x prod(shape) float32 values, after scaling and augmentation) and may be
 * changed in place; y is a copy of its labels (Int32Array) or targets (Float32Array, count x
 * outputs), for reading. Return nothing to train on x, or a Float32Array of x.length values
 * to train on instead. It must be synchronous.
 */
export type BatchTransform = (
  x: Float32Array,
  y: Int32Array | Float32Array,
  info: BatchInfo,
) => void | Float32Array;

/**
 * A dataset in the compact form backends train on. x holds n samples of inputSize values
 * (uint8 scaled by 1/255 per batch, or float32 as is). y holds n class labels (Int32Array,
 * classification) or n x outputs targets (Float32Array, regression); absent for prediction.
 */
export interface Dataset {
  x: Uint8Array | Float32Array;
  y?: Int32Array | Float32Array;
  n: number;
}

/** One record per epoch, sent as the epoch ends. */
export interface EpochRecord {
  /** 1-based, counting across fit calls. */
  epoch: number;
  trainLoss: number;
  /** NaN when there is no validation set. */
  validLoss: number;
  /** NaN when there is no validation set or for regression. */
  validAccuracy: number;
  /** Wall-clock seconds of the epoch, validation included. */
  seconds: number;
}

/** A throttled progress tick within an epoch. */
export interface ProgressTick {
  epoch: number;
  /** Batches done in this epoch, and the number of batches in the epoch. */
  batch: number;
  batches: number;
  /** Samples done in this epoch. */
  samples: number;
  /** Mean objective over the batches done so far in this epoch. */
  trainLoss: number;
  samplesPerSecond: number;
}

/** One learnable parameter, by layer name and parameter name ('W' or 'b'). */
export interface ParamTensor {
  layer: string;
  name: 'W' | 'b';
  shape: number[];
  values: Float32Array;
}

export interface TrainOptions {
  train: Dataset;
  /** Evaluated after each epoch when given. */
  valid?: Dataset;
  /** Epoch numbers to run: from firstEpoch (1-based, continuing across fit calls) for epochs. */
  firstEpoch: number;
  epochs: number;
  spec: TrainSpec;
  /** Learning rate for each epoch of this call (length epochs); overrides spec.update. */
  learningRates?: number[];
  /** Called as each epoch ends; returning false stops training after that epoch. */
  onEpoch?: (record: EpochRecord) => boolean | void;
  /** Called at most every progressIntervalMs milliseconds (default 100) within an epoch. */
  onProgress?: (tick: ProgressTick) => void;
  progressIntervalMs?: number;
  /**
   * Called with every training batch before the forward pass (see BatchTransform). On the
   * native backend each call is a round trip from the training thread to the main thread,
   * so it costs time per batch and holds up the event loop while it runs.
   */
  batchTransform?: BatchTransform;
  /** Aborting stops training between batches; the promise then rejects with an AbortError
   * (name 'AbortError'), keeping the weights of the last completed batch. */
  signal?: AbortSignal;
}

export interface PredictOptions {
  /** Name of the layer whose output to return (default: the last layer). */
  layer?: string;
  /** Samples per forward pass (default 512). */
  batchSize?: number;
}

/** A network instantiated on a backend: weights, optimizer state and the shuffling, dropout
 * and augmentation generators live here and persist across train calls. */
export interface Model {
  readonly spec: NetworkSpec;
  /** Copies of the learnable parameters, in layer order, W before b. */
  getParams(): ParamTensor[];
  /** Replaces parameters (matched by layer and name; shapes must agree). */
  setParams(params: ParamTensor[]): void;
  /** Trains off the main thread (native) and resolves with the records of the epochs run. */
  train(options: TrainOptions): Promise<EpochRecord[]>;
  /** The output of a layer (default the last) for every sample: n x prod(outputShape). */
  predict(data: Dataset, options?: PredictOptions): Promise<Float32Array>;
  /** Drops optimizer state (velocities, moments) so the next train call starts fresh. */
  resetUpdates(): void;
  /** Frees native memory; the model is unusable afterwards. */
  dispose(): void;
}

export interface Backend {
  readonly name: 'native' | 'js';
  /** Builds a model and initialises its weights from seed (RngStream.init). */
  createModel(spec: NetworkSpec, seed: number): Model;
}
