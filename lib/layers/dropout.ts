/**
 * DropoutLayer: inverted dropout while training (each value zeroed with probability p, the
 * rest scaled by 1 / (1 - p)); the identity when predicting. Shape unchanged.
 */
import type { DropoutLayerSpec } from '../backend/backend';
import { checkFraction } from '../validate';
import { Layer, LayerDefinition, LayerParams, notSupported } from './base';

/** DropoutLayer parameters as nolearn wrote them (dropout1_p: 0.5). */
export interface DropoutLayerParams {
  /** Probability of dropping a value, in [0, 1); default 0.5. */
  p?: number;
  /** Only true (the default) is supported. */
  rescale?: true;
  /** Only [] (the default) is supported. */
  shared_axes?: readonly [];
}

/** DropoutLayer options of the typed form. */
export interface DropoutLayerOptions {
  /** Name in the network; default 'dropout' + position, e.g. 'dropout3'. */
  name?: string;
  /** Probability of dropping a value, in [0, 1); default 0.5. */
  p?: number;
  /** Only true (the default) is supported. */
  rescale?: true;
  /** Only [] (the default) is supported. */
  sharedAxes?: readonly [];
}

const definition: LayerDefinition = {
  typeName: 'DropoutLayer',
  prefix: 'dropout',
  params: ['p', 'rescale', 'shared_axes'],
  resolve(params: LayerParams, inputShape: number[]): DropoutLayerSpec {
    let p = 0.5;
    if (params.has('p')) {
      p = checkFraction(params.label('p'), params.get('p'));
    }
    if (!params.boolean('rescale', true)) {
      throw notSupported(params, 'rescale: false', 'kept values are always scaled by 1 / (1 - p)');
    }
    const shared = params.get('shared_axes');
    if (shared !== undefined && !(Array.isArray(shared) && shared.length === 0)) {
      throw notSupported(params, 'shared_axes', 'every value is dropped independently');
    }
    return { kind: 'dropout', name: params.layerName, inputShape, outputShape: inputShape, p };
  },
};

/**
 * A dropout layer.
 *
 * @example
 * new DropoutLayer({ p: 0.25 });
 * // nolearn form: ['dropout1', DropoutLayer], dropout1_p: 0.25
 */
export class DropoutLayer extends Layer {
  /** The family definition. */
  static readonly definition = definition;
  /** Auto-name prefix. */
  static readonly prefix = 'dropout';
  /** @internal type of its snake_case parameters, for flat-parameter checking */
  declare readonly _params: DropoutLayerParams;

  constructor(options: DropoutLayerOptions = {}) {
    super(definition, options);
  }
}
