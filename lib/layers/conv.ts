/**
 * Conv2DLayer: 2-D convolution (cross-correlation, filters not flipped) with zero padding.
 * Shapes: input [C, H, W], W [K, C, FH, FW], b [K], output [K, OH, OW] with
 * OH = floor((H + 2 PH - FH) / SH) + 1 (Lasagne's conv_output_length), likewise OW.
 */
import type { Conv2DLayerSpec } from '../backend/backend';
import { GlorotUniform, Initializer, resolveInit } from '../init';
import { NonlinearityLike, resolveNonlinearity } from '../nonlinearities';
import { checkInteger, typeError } from '../validate';
import {
  formatShape,
  Layer,
  LayerDefinition,
  LayerParams,
  needRank,
  notSupported,
  toPair,
} from './base';

/** An int or a [rows, cols] pair. */
export type IntOrPair = number | readonly [number, number];

/** Padding: n or [rows, cols] zeros a side, or 'valid' (0), 'same' (FH // 2), 'full' (FH - 1). */
export type ConvPad = IntOrPair | 'valid' | 'same' | 'full';

/** Conv2DLayer parameters as nolearn wrote them (conv1_num_filters: 32). */
export interface Conv2DLayerParams {
  /** Number of filters K, an integer >= 1. Required. */
  num_filters: number;
  /** Filter size, n or [rows, cols]. Required. */
  filter_size: IntOrPair;
  /** Default 1. */
  stride?: IntOrPair;
  /** Default 0. */
  pad?: ConvPad;
  /** Only false (the default) is supported. */
  untie_biases?: false;
  /** Only false is supported (filters are applied as cross-correlation). */
  flip_filters?: false;
  /** Default rectify. */
  nonlinearity?: NonlinearityLike;
  /** Default GlorotUniform(). */
  W?: Initializer;
  /** Default Constant(0); null for no bias. */
  b?: Initializer | null;
}

/** Conv2DLayer options of the typed form. */
export interface Conv2DLayerOptions {
  /** Name in the network; default 'conv2d' + position, e.g. 'conv2d1'. */
  name?: string;
  /** Number of filters K, an integer >= 1. */
  numFilters: number;
  /** Filter size, n or [rows, cols]. */
  filterSize: IntOrPair;
  /** Default 1. */
  stride?: IntOrPair;
  /** Default 0. */
  pad?: ConvPad;
  /** Only false (the default) is supported. */
  untieBiases?: false;
  /** Only false is supported. */
  flipFilters?: false;
  /** Default rectify. */
  nonlinearity?: NonlinearityLike;
  /** Default GlorotUniform(). */
  W?: Initializer;
  /** Default Constant(0); null for no bias. */
  b?: Initializer | null;
}

/** Resolves a conv pad to pixels per side. */
function resolvePad(params: LayerParams, filter: [number, number]): [number, number] {
  if (!params.has('pad')) return [0, 0];
  const label = params.label('pad');
  const pad = params.get('pad');
  if (pad === 'valid') return [0, 0];
  if (pad === 'full') return [filter[0] - 1, filter[1] - 1];
  if (pad === 'same') {
    if (filter[0] % 2 === 0 || filter[1] % 2 === 0) {
      throw new RangeError(`pad 'same' needs an odd filter_size for ${params.where} but ` +
        `filter_size is ${formatShape(filter)}`);
    }
    return [filter[0] >> 1, filter[1] >> 1];
  }
  if (typeof pad === 'string') {
    throw typeError(label, "an integer, a pair, 'valid', 'same' or 'full'", pad);
  }
  return toPair(params, 'pad', 0);
}

/** Output length of a convolution along one axis (Lasagne's conv_output_length). */
export function convOutputLength(input: number, filter: number, stride: number, pad: number):
  number {
  return Math.floor((input + 2 * pad - filter) / stride) + 1;
}

const definition: LayerDefinition = {
  typeName: 'Conv2DLayer',
  prefix: 'conv2d',
  params: ['num_filters', 'filter_size', 'stride', 'pad', 'untie_biases', 'flip_filters',
    'nonlinearity', 'W', 'b'],
  resolve(params: LayerParams, inputShape: number[]): Conv2DLayerSpec {
    // Parameters.
    const numFilters = params.integer('num_filters', 1, '32');
    const filterSize = params.pair('filter_size', 1, undefined, '[5, 5]');
    const stride = params.pair('stride', 1, [1, 1]);
    const pad = resolvePad(params, filterSize);
    if (params.boolean('untie_biases', false)) {
      throw new TypeError('untie_biases is not supported for Conv2DLayer ' +
        `('${params.layerName}'): biases are shared across positions (untie_biases: false)`);
    }
    if (params.boolean('flip_filters', false)) {
      throw notSupported(params, 'flip_filters: true', 'filters are applied as ' +
        'cross-correlation (flip_filters: false); flip weights loaded from Lasagne by hand');
    }

    // Output shape.
    needRank(params, inputShape, 3, 'channels x height x width',
      'add a ReshapeLayer before it, e.g. shape [[0], 1, 28, 28]');
    const [, height, width] = inputShape;
    const rows = convOutputLength(height, filterSize[0], stride[0], pad[0]);
    const cols = convOutputLength(width, filterSize[1], stride[1], pad[1]);
    if (rows < 1 || cols < 1) {
      throw new RangeError(`${params.where} cannot filter its input of shape ` +
        `${formatShape(inputShape)}: filter_size ${formatShape(filterSize)} is larger than the ` +
        `padded input ${height + 2 * pad[0]}x${width + 2 * pad[1]}`);
    }
    return {
      kind: 'conv2d',
      name: params.layerName,
      inputShape,
      outputShape: [numFilters, rows, cols],
      numFilters,
      filterSize,
      stride,
      pad,
      nonlinearity: params.has('nonlinearity')
        ? resolveNonlinearity(params.label('nonlinearity'), params.get('nonlinearity'))
        : 'rectify',
      W: params.has('W') ? resolveInit(params.label('W'), params.get('W'), false)!
        : new GlorotUniform().spec,
      b: params.get('b') === undefined ? { kind: 'constant', value: 0 }
        : resolveInit(params.label('b'), params.get('b'), true),
    };
  },
};

/** Learnable parameters of a conv layer: K * C * FH * FW weights plus K biases. */
export function convParamCount(spec: Conv2DLayerSpec): number {
  const channels = checkInteger('inputShape[0]', spec.inputShape[0], 1);
  const weights = spec.numFilters * channels * spec.filterSize[0] * spec.filterSize[1];
  return weights + (spec.b ? spec.numFilters : 0);
}

/**
 * A 2-D convolution layer.
 *
 * @example
 * new Conv2DLayer({ numFilters: 32, filterSize: 5 });
 * // nolearn form: ['conv1', Conv2DLayer], conv1_num_filters: 32, conv1_filter_size: [5, 5]
 */
export class Conv2DLayer extends Layer {
  /** The family definition. */
  static readonly definition = definition;
  /** Auto-name prefix. */
  static readonly prefix = 'conv2d';
  /** @internal type of its snake_case parameters, for flat-parameter checking */
  declare readonly _params: Conv2DLayerParams;

  constructor(options: Conv2DLayerOptions) {
    super(definition, options);
  }
}
