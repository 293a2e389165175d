/**
 * Pool2DLayer and MaxPool2DLayer: 2-D max or average pooling. Shapes: input [C, H, W], output
 * [C, OH, OW] with Lasagne's pool_output_length: with ignore_border (the default)
 * OH = floor((H + 2 PH - PS) / S) + 1; without it, partial windows at the border count:
 * OH = ceil(H / S) when S >= PS, else max(0, ceil((H - PS) / S)) + 1.
 */
import type { Pool2DLayerSpec } from '../backend/backend';
import { checkChoice } from '../validate';
import { formatShape, Layer, LayerDefinition, LayerParams, needRank, notSupported } from './base';
import type { IntOrPair } from './conv';

/** Pooling modes, Lasagne's names. */
export type PoolMode = 'max' | 'average_inc_pad' | 'average_exc_pad';

/** MaxPool2DLayer parameters as nolearn wrote them (pool1_pool_size: 2). */
export interface MaxPool2DLayerParams {
  /** Window size, n or [rows, cols]. Required. */
  pool_size: IntOrPair;
  /** Default pool_size (non-overlapping windows). */
  stride?: IntOrPair | null;
  /** Default 0; must be smaller than pool_size. */
  pad?: IntOrPair;
  /** Default true: drop partial windows at the border. */
  ignore_border?: boolean;
}

/** Pool2DLayer parameters: MaxPool2DLayer's plus mode. */
export interface Pool2DLayerParams extends MaxPool2DLayerParams {
  /** Default 'max'. */
  mode?: PoolMode;
}

/** MaxPool2DLayer options of the typed form. */
export interface MaxPool2DLayerOptions {
  /** Name in the network; default 'maxpool2d' + position, e.g. 'maxpool2d2'. */
  name?: string;
  /** Window size, n or [rows, cols]. */
  poolSize: IntOrPair;
  /** Default poolSize. */
  stride?: IntOrPair | null;
  /** Default 0; must be smaller than poolSize. */
  pad?: IntOrPair;
  /** Default true. */
  ignoreBorder?: boolean;
}

/** Pool2DLayer options of the typed form. */
export interface Pool2DLayerOptions extends MaxPool2DLayerOptions {
  /** Default 'max'. */
  mode?: PoolMode;
}

/** Output length of pooling along one axis (Lasagne's pool_output_length). */
export function poolOutputLength(input: number, pool: number, stride: number, pad: number,
  ignoreBorder: boolean): number {
  if (ignoreBorder) return Math.floor((input + 2 * pad - pool) / stride) + 1;
  if (stride >= pool) return Math.ceil(input / stride);
  return Math.max(0, Math.ceil((input - pool) / stride)) + 1;
}

function resolvePool(params: LayerParams, inputShape: number[], mode: PoolMode): Pool2DLayerSpec {
  // Parameters.
  const poolSize = params.pair('pool_size', 1, undefined, '2');
  const stride = params.get('stride') === null ? poolSize : params.pair('stride', 1, poolSize);
  const pad = params.pair('pad', 0, [0, 0]);
  const ignoreBorder = params.boolean('ignore_border', true);
  if (!ignoreBorder && (pad[0] > 0 || pad[1] > 0)) {
    throw notSupported(params, 'pad with ignore_border false', 'use pad 0 or ignore_border true');
  }
  if (pad[0] >= poolSize[0] || pad[1] >= poolSize[1]) {
    throw new RangeError(`Expected pad smaller than pool_size ${formatShape(poolSize)} for ` +
      `${params.label('pad')} but received ${formatShape(pad)}`);
  }

  // Output shape.
  needRank(params, inputShape, 3, 'channels x height x width',
    'pool the output of a Conv2DLayer or add a ReshapeLayer before it');
  const [channels, height, width] = inputShape;
  const rows = poolOutputLength(height, poolSize[0], stride[0], pad[0], ignoreBorder);
  const cols = poolOutputLength(width, poolSize[1], stride[1], pad[1], ignoreBorder);
  if (rows < 1 || cols < 1) {
    throw new RangeError(`${params.where} cannot pool its input of shape ` +
      `${formatShape(inputShape)}: pool_size ${formatShape(poolSize)} is larger than the ` +
      `padded input ${height + 2 * pad[0]}x${width + 2 * pad[1]}`);
  }
  return {
    kind: mode === 'max' ? 'maxpool2d' : 'avgpool2d',
    name: params.layerName,
    inputShape,
    outputShape: [channels, rows, cols],
    poolSize,
    stride,
    pad,
    ignoreBorder,
    includePadding: mode !== 'average_exc_pad',
  };
}

const maxDefinition: LayerDefinition = {
  typeName: 'MaxPool2DLayer',
  prefix: 'maxpool2d',
  params: ['pool_size', 'stride', 'pad', 'ignore_border'],
  resolve: (params, inputShape) => resolvePool(params, inputShape!, 'max'),
};

const poolDefinition: LayerDefinition = {
  typeName: 'Pool2DLayer',
  prefix: 'pool2d',
  params: ['pool_size', 'stride', 'pad', 'ignore_border', 'mode'],
  resolve(params, inputShape) {
    const mode = params.has('mode')
      ? checkChoice(params.label('mode'), params.get('mode'),
        ['max', 'average_inc_pad', 'average_exc_pad'] as const)
      : 'max';
    return resolvePool(params, inputShape!, mode);
  },
};

/**
 * Max pooling.
 *
 * @example
 * new MaxPool2DLayer({ poolSize: 2 });
 * // nolearn form: ['pool1', MaxPool2DLayer], pool1_pool_size: [2, 2]
 */
export class MaxPool2DLayer extends Layer {
  /** The family definition. */
  static readonly definition = maxDefinition;
  /** Auto-name prefix. */
  static readonly prefix = 'maxpool2d';
  /** @internal type of its snake_case parameters, for flat-parameter checking */
  declare readonly _params: MaxPool2DLayerParams;

  constructor(options: MaxPool2DLayerOptions) {
    super(maxDefinition, options);
  }
}

/**
 * Max or average pooling (mode 'max', 'average_inc_pad', 'average_exc_pad').
 *
 * @example
 * new Pool2DLayer({ poolSize: 2, mode: 'average_inc_pad' });
 */
export class Pool2DLayer extends Layer {
  /** The family definition. */
  static readonly definition = poolDefinition;
  /** Auto-name prefix. */
  static readonly prefix = 'pool2d';
  /** @internal type of its snake_case parameters, for flat-parameter checking */
  declare readonly _params: Pool2DLayerParams;

  constructor(options: Pool2DLayerOptions) {
    super(poolDefinition, options);
  }
}
