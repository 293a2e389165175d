/**
 * Lamina: train neural networks from Node.js. The public API.
 */
export { buildInfo, setNumThreads, getNumThreads, gemm } from './build-info';
export type { BuildInfo, GemmOptions } from './build-info';
export { Rng, RngStream } from './rng';
export * from './data';

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
export * from './nonlinearities';
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
