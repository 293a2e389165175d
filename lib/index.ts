/**
 * Lamina: train neural networks from Node.js. The public API.
 */
export { buildInfo, setNumThreads, getNumThreads, gemm } from './build-info';
export type { BuildInfo, GemmOptions } from './build-info';
export { Rng, RngStream } from './rng';
export * from './data';
export {
  augmentImages, augmentImagesReference, MNIST_AUGMENT_DEFAULTS, resolveAugmentOptions,
} from './augment';
export type {
  AffineOptions, AugmentOptions, ElasticOptions, ResolvedAugmentOptions,
} from './augment';
export type { BatchInfo, BatchTransform } from './backend/backend';

// The estimator: NeuralNet, its layers and options (nolearn's API).
export { NeuralNet } from './neural-net';
export type { FitOptions, LayerInfo, LoadParamsOptions, LoadReport } from './neural-net';
export { BatchIterator, TrainSplit } from './net-options';
export type {
  BatchHandler,
  BatchIteratorOptions,
  DataSet,
  Handler,
  HistoryEntry,
  InputData,
  NetworkOptions,
  NetworkOptionsCamel,
  NeuralNetOptions,
  ScoreFunction,
  TargetData,
  TrainSplitOptions,
} from './net-options';
export * from './layers';
export {
  elu,
  identity,
  leaky_rectify,
  leakyRectify,
  linear,
  NonlinearityFunction,
  rectify,
  sigmoid,
  softmax,
  softplus,
  tanh,
} from './nonlinearities';
export type { NonlinearityLike } from './nonlinearities';
export {
  Constant,
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  Initializer,
  Normal,
  Uniform,
} from './init';
export type { ConstantOptions, Gain, GainOptions, NormalOptions, UniformOptions } from './init';
export {
  adadelta,
  adagrad,
  adam,
  adamax,
  momentum,
  nesterov_momentum,
  nesterovMomentum,
  rmsprop,
  sgd,
  UpdateFunction,
} from './updates';
export {
  categorical_crossentropy,
  categoricalCrossentropy,
  LossFunction,
  squared_error,
  squaredError,
} from './objectives';
export {
  AdjustVariable,
  EarlyStopping,
  RememberBestWeights,
  RestoreBestWeights,
  SaveCheckpoint,
  StepDecay,
} from './handlers';
export type {
  EarlyStoppingOptions,
  RememberBestWeightsOptions,
  RestoreBestWeightsOptions,
  SaveCheckpointOptions,
  ScheduledVariable,
  StepDecayOptions,
} from './handlers';
export { FORMAT_VERSION } from './model-file';
