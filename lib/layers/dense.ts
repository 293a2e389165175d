/**
 * DenseLayer: y = f(x W + b) on the flattened input. Shapes: x [N, I] (I = product of the input
 * shape), W [I, U], b [U], y [N, U].
 */
import type { DenseLayerSpec } from '../backend/backend';
import { GlorotUniform, Initializer, resolveInit } from '../init';
import { NonlinearityLike, resolveNonlinearity } from '../nonlinearities';
import { Layer, LayerDefinition, LayerParams, notSupported, shapeSize } from './base';

/** DenseLayer parameters as nolearn wrote them (hidden_num_units: 200). */
export interface DenseLayerParams {
  /** Number of units, an integer >= 1. Required. */
  num_units: number;
  /** Default rectify. */
  nonlinearity?: NonlinearityLike;
  /** Weight initialiser, default GlorotUniform(). */
  W?: Initializer;
  /** Bias initialiser, default Constant(0); null for no bias. */
  b?: Initializer | null;
  /** Only 1 (the default) is supported. */
  num_leading_axes?: 1;
}

/** DenseLayer options of the typed form. */
export interface DenseLayerOptions {
  /** Name in the network; default 'dense' + position, e.g. 'dense1'. */
  name?: string;
  /** Number of units, an integer >= 1. */
  numUnits: number;
  /** Default rectify. */
  nonlinearity?: NonlinearityLike;
  /** Weight initialiser, default GlorotUniform(). */
  W?: Initializer;
  /** Bias initialiser, default Constant(0); null for no bias. */
  b?: Initializer | null;
  /** Only 1 (the default) is supported. */
  numLeadingAxes?: 1;
}

const definition: LayerDefinition = {
  typeName: 'DenseLayer',
  prefix: 'dense',
  params: ['num_units', 'nonlinearity', 'W', 'b', 'num_leading_axes'],
  resolve(params: LayerParams, inputShape: number[]): DenseLayerSpec {
    const numUnits = params.integer('num_units', 1, '200');
    if (params.has('num_leading_axes') && params.get('num_leading_axes') !== 1) {
      throw notSupported(params, `num_leading_axes ${String(params.get('num_leading_axes'))}`,
        'the whole sample is flattened (num_leading_axes 1)');
    }
    return {
      kind: 'dense',
      name: params.layerName,
      inputShape,
      outputShape: [numUnits],
      numUnits,
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

/** Learnable parameters of a dense layer: I * U weights plus U biases. */
export function denseParamCount(spec: DenseLayerSpec): number {
  return shapeSize(spec.inputShape) * spec.numUnits + (spec.b ? spec.numUnits : 0);
}

/**
 * A fully connected layer.
 *
 * @example
 * new DenseLayer({ numUnits: 10, nonlinearity: softmax });
 * // nolearn form: ['output', DenseLayer], output_num_units: 10, output_nonlinearity: softmax
 */
export class DenseLayer extends Layer {
  /** The family definition. */
  static readonly definition = definition;
  /** Auto-name prefix. */
  static readonly prefix = 'dense';
  /** @internal type of its snake_case parameters, for flat-parameter checking */
  declare readonly _params: DenseLayerParams;

  constructor(options: DenseLayerOptions) {
    super(definition, options);
  }
}
