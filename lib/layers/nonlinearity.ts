/** NonlinearityLayer: applies a nonlinearity on its own. Shape unchanged. */
import type { NonlinearityLayerSpec } from '../backend/backend';
import { NonlinearityLike, resolveNonlinearity } from '../nonlinearities';
import { Layer, LayerDefinition, LayerParams } from './base';

/** NonlinearityLayer parameters as nolearn wrote them (act_nonlinearity: tanh). */
export interface NonlinearityLayerParams {
  /** Default rectify. */
  nonlinearity?: NonlinearityLike;
}

/** NonlinearityLayer options of the typed form. */
export interface NonlinearityLayerOptions {
  /** Name in the network; default 'nonlinearity' + position. */
  name?: string;
  /** Default rectify. */
  nonlinearity?: NonlinearityLike;
}

const definition: LayerDefinition = {
  typeName: 'NonlinearityLayer',
  prefix: 'nonlinearity',
  params: ['nonlinearity'],
  resolve(params: LayerParams, inputShape: number[]): NonlinearityLayerSpec {
    return {
      kind: 'nonlinearity',
      name: params.layerName,
      inputShape,
      outputShape: inputShape,
      nonlinearity: params.has('nonlinearity')
        ? resolveNonlinearity(params.label('nonlinearity'), params.get('nonlinearity'))
        : 'rectify',
    };
  },
};

/**
 * A standalone nonlinearity.
 *
 * @example
 * new NonlinearityLayer({ nonlinearity: softmax });
 */
export class NonlinearityLayer extends Layer {
  /** The family definition. */
  static readonly definition = definition;
  /** Auto-name prefix. */
  static readonly prefix = 'nonlinearity';
  /** @internal type of its snake_case parameters, for flat-parameter checking */
  declare readonly _params: NonlinearityLayerParams;

  constructor(options: NonlinearityLayerOptions = {}) {
    super(definition, options);
  }
}
