/**
 * The reference networks of `lamina train --preset NAME`, with the training settings each one
 * uses by default. Every number a run depends on is in PRESETS below, in one place.
 *
 * A preset adapts to the data: the input layer takes the images' pixel count and the output
 * layer one unit per class, so the same presets train on CSV tables of other image sizes
 * (lenet needs images of at least 14 x 14 pixels).
 */
import { DenseLayer, Conv2DLayer, DropoutLayer, InputLayer, MaxPool2DLayer, ReshapeLayer }
  from '../layers';
import type { AugmentName } from './common';

/** The preset names. */
export const PRESET_NAMES = ['logreg', 'mlp', 'mlp2', 'lenet', 'lenet-elastic'] as const;
/** One preset name. */
export type PresetName = (typeof PRESET_NAMES)[number];

/** The shape of the data a network is built for. */
export interface DataShape {
  rows: number;
  cols: number;
  classes: number;
}

/** A reference network and how to train it. */
export interface Preset {
  /** One line for --help and the report. */
  description: string;
  /** The layer list and flat layer parameters (NeuralNet options) for data of this shape. */
  network(shape: DataShape): Record<string, unknown>;
  /** Epochs of a default run. */
  epochs: number;
  /** Samples per batch. */
  batchSize: number;
  /** The update rule (Nesterov momentum is the project default). */
  update: 'nesterov_momentum' | 'momentum' | 'sgd' | 'adam';
  /** Momentum of momentum and nesterov_momentum. */
  momentum: number;
  /** Learning rate of the first epoch. */
  learningRate: number;
  /**
   * Learning rate of the last epoch: the rate falls linearly from learningRate to this over
   * the run (nolearn's AdjustVariable). Undefined: constant.
   */
  finalLearningRate?: number;
  /** Fraction of the training images held out for validation (the learning curves). */
  evalSize: number;
  /**
   * Augmentation of the training images, each name with MNIST_AUGMENT_DEFAULTS' settings
   * (--augment replaces it). Undefined: none.
   */
  augment?: readonly AugmentName[];
}

/** Dense input -> output: logistic regression, 7,850 parameters on MNIST. */
function logreg(shape: DataShape): Record<string, unknown> {
  return {
    layers: [['input', InputLayer], ['output', DenseLayer]],
    input_shape: [null, shape.rows * shape.cols],
    output_num_units: shape.classes,
    output_nonlinearity: 'softmax',
  };
}

/** One hidden layer of 200 rectified units, 159,010 parameters on MNIST. */
function mlp(shape: DataShape): Record<string, unknown> {
  return {
    layers: [['input', InputLayer], ['hidden', DenseLayer], ['output', DenseLayer]],
    input_shape: [null, shape.rows * shape.cols],
    hidden_num_units: 200,
    output_num_units: shape.classes,
    output_nonlinearity: 'softmax',
  };
}

/** Hidden layers of 500 and 300 rectified units, 545,810 parameters on MNIST. */
function mlp2(shape: DataShape): Record<string, unknown> {
  return {
    layers: [['input', InputLayer], ['hidden1', DenseLayer], ['hidden2', DenseLayer],
      ['output', DenseLayer]],
    input_shape: [null, shape.rows * shape.cols],
    hidden1_num_units: 500,
    hidden2_num_units: 300,
    output_num_units: shape.classes,
    output_nonlinearity: 'softmax',
  };
}

/**
 * conv(32, 5x5) -> maxpool(2) -> conv(32, 3x3) -> maxpool(2) -> dropout(0.25) -> dense(100)
 * -> dropout(0.5) -> softmax: 91,190 parameters on MNIST.
 */
function lenet(shape: DataShape): Record<string, unknown> {
  return {
    layers: [
      ['input', InputLayer],
      ['reshape', ReshapeLayer],
      ['conv1', Conv2DLayer],
      ['pool1', MaxPool2DLayer],
      ['conv2', Conv2DLayer],
      ['pool2', MaxPool2DLayer],
      ['dropout1', DropoutLayer],
      ['hidden', DenseLayer],
      ['dropout2', DropoutLayer],
      ['output', DenseLayer],
    ],
    input_shape: [null, shape.rows * shape.cols],
    reshape_shape: [[0], 1, shape.rows, shape.cols],
    conv1_num_filters: 32,
    conv1_filter_size: [5, 5],
    pool1_pool_size: [2, 2],
    conv2_num_filters: 32,
    conv2_filter_size: [3, 3],
    pool2_pool_size: [2, 2],
    dropout1_p: 0.25,
    hidden_num_units: 100,
    dropout2_p: 0.5,
    output_num_units: shape.classes,
    output_nonlinearity: 'softmax',
  };
}

/**
 * The presets. Tuning a preset means changing its numbers here; the tests and the README read
 * them from this table.
 */
export const PRESETS: Readonly<Record<PresetName, Readonly<Preset>>> = {
  logreg: {
    description: 'logistic regression: input -> dense(10, softmax)',
    network: logreg,
    epochs: 60,
    batchSize: 128,
    update: 'nesterov_momentum',
    momentum: 0.9,
    learningRate: 0.05,
    finalLearningRate: 0.0005,
    evalSize: 0.1,
  },
  mlp: {
    description: 'perceptron: input -> dense(200) -> dense(10, softmax)',
    network: mlp,
    epochs: 40,
    batchSize: 128,
    update: 'nesterov_momentum',
    momentum: 0.9,
    learningRate: 0.05,
    finalLearningRate: 0.0005,
    evalSize: 0.1,
  },
  mlp2: {
    description: 'deeper perceptron: input -> dense(500) -> dense(300) -> dense(10, softmax)',
    network: mlp2,
    epochs: 30,
    batchSize: 128,
    update: 'nesterov_momentum',
    momentum: 0.9,
    learningRate: 0.1,
    finalLearningRate: 0.001,
    evalSize: 0.1,
  },
  lenet: {
    description: 'convolutional: conv(32, 5x5) -> pool -> conv(32, 3x3) -> pool -> dropout -> ' +
      'dense(100) -> dropout -> dense(10, softmax)',
    network: lenet,
    epochs: 15,
    batchSize: 128,
    update: 'nesterov_momentum',
    momentum: 0.9,
    learningRate: 0.05,
    finalLearningRate: 0.0005,
    evalSize: 0.1,
  },
  'lenet-elastic': {
    description: 'lenet trained on elastically distorted digits (elastic alpha 36, sigma 6; ' +
      'affine rotation 10, scale 0.9-1.1, translation 2), drawn afresh every epoch',
    network: lenet,
    epochs: 30,
    batchSize: 128,
    update: 'nesterov_momentum',
    momentum: 0.9,
    learningRate: 0.05,
    finalLearningRate: 0.0005,
    evalSize: 0.1,
    augment: ['elastic', 'affine'],
  },
};
