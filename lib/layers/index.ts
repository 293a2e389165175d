/**
 * The layer families. Each file holds one family: its parameters (snake_case as Lasagne named
 * them for nolearn's forms, camelCase for the typed form), defaults, shape inference and
 * parameter count.
 */
import type { InitSpec, LayerSpec } from '../backend/backend';
import type { Initializer } from '../init';
import { Layer } from './base';
import { Conv2DLayer } from './conv';
import { DenseLayer } from './dense';
import { DropoutLayer } from './dropout';
import { InputLayer } from './input';
import { NonlinearityLayer } from './nonlinearity';
import { MaxPool2DLayer, Pool2DLayer } from './pool';
import { FlattenLayer, ReshapeLayer } from './shape';

export { Layer, formatShape, shapeSize } from './base';
export type { LayerClass, LayerDefinition } from './base';
export { InputLayer } from './input';
export type { InputLayerOptions, InputLayerParams } from './input';
export { DenseLayer } from './dense';
export type { DenseLayerOptions, DenseLayerParams } from './dense';
export { Conv2DLayer, convOutputLength } from './conv';
export type { Conv2DLayerOptions, Conv2DLayerParams, ConvPad, IntOrPair } from './conv';
export { MaxPool2DLayer, Pool2DLayer, poolOutputLength } from './pool';
export type {
  MaxPool2DLayerOptions,
  MaxPool2DLayerParams,
  Pool2DLayerOptions,
  Pool2DLayerParams,
  PoolMode,
} from './pool';
export { DropoutLayer } from './dropout';
export type { DropoutLayerOptions, DropoutLayerParams } from './dropout';
export { ReshapeLayer, FlattenLayer } from './shape';
export type {
  FlattenLayerOptions,
  FlattenLayerParams,
  ReshapeEntry,
  ReshapeLayerOptions,
  ReshapeLayerParams,
} from './shape';
export { NonlinearityLayer } from './nonlinearity';
export type { NonlinearityLayerOptions, NonlinearityLayerParams } from './nonlinearity';
export type { LayerEntry, ResolvedLayer, BuiltNetwork } from './network';

/** An InitSpec passed where an Initializer is expected (resolveInit accepts both). */
function init(spec: InitSpec): Initializer {
  return spec as unknown as Initializer;
}

/**
 * The typed layer that resolves to a spec (used to rebuild a saved network).
 *
 * @throws RangeError for an unknown spec kind
 */
export function layerFromSpec(spec: LayerSpec): Layer {
  const name = spec.name;
  switch (spec.kind) {
    case 'input':
      return new InputLayer({ name, shape: [null, ...spec.outputShape] });
    case 'dense':
      return new DenseLayer({ name, numUnits: spec.numUnits, nonlinearity: spec.nonlinearity,
        W: init(spec.W), b: spec.b && init(spec.b) });
    case 'conv2d':
      return new Conv2DLayer({ name, numFilters: spec.numFilters, filterSize: spec.filterSize,
        stride: spec.stride, pad: spec.pad, nonlinearity: spec.nonlinearity, W: init(spec.W),
        b: spec.b && init(spec.b) });
    case 'maxpool2d':
      return new MaxPool2DLayer({ name, poolSize: spec.poolSize, stride: spec.stride,
        pad: spec.pad, ignoreBorder: spec.ignoreBorder });
    case 'avgpool2d':
      return new Pool2DLayer({ name, poolSize: spec.poolSize, stride: spec.stride,
        pad: spec.pad, ignoreBorder: spec.ignoreBorder,
        mode: spec.includePadding ? 'average_inc_pad' : 'average_exc_pad' });
    case 'dropout':
      return new DropoutLayer({ name, p: spec.p });
    case 'reshape':
      return new ReshapeLayer({ name, shape: [[0], ...spec.outputShape] });
    case 'flatten':
      return new FlattenLayer({ name });
    case 'nonlinearity':
      return new NonlinearityLayer({ name, nonlinearity: spec.nonlinearity });
    default:
      throw new RangeError(`Unknown layer kind '${(spec as { kind: string }).kind}' in a saved ` +
        'network: it was written by a newer version of Lamina');
  }
}
