/**
 * InputLayer: the first layer of every network; its shape gives the size of one sample.
 * Shape letters: N batch (always null here), then the per-sample dimensions.
 */
import type { InputLayerSpec } from '../backend/backend';
import { checkInteger, typeError } from '../validate';
import { Layer, LayerDefinition, LayerParams } from './base';

/** InputLayer parameters as nolearn wrote them (input_shape: [null, 784]). */
export interface InputLayerParams {
  /** [null, ...sample shape]: null for the batch, then positive sizes, e.g. [null, 1, 28, 28]. */
  shape: readonly (number | null)[];
}

/** InputLayer options of the typed form. */
export interface InputLayerOptions {
  /** Name in the network; default 'input' + position (nolearn's rule), e.g. 'input0'. */
  name?: string;
  /** [null, ...sample shape]: null for the batch, then positive sizes, e.g. [null, 784]. */
  shape: readonly (number | null)[];
}

const definition: LayerDefinition = {
  typeName: 'InputLayer',
  prefix: 'input',
  params: ['shape'],
  resolve(params: LayerParams): InputLayerSpec {
    if (!params.has('shape')) throw params.missing('shape', '[null, 784]');
    const label = params.label('shape');
    const shape = params.get('shape');
    if (!Array.isArray(shape) || shape.length < 2) {
      throw typeError(label, '[null, ...sample shape], e.g. [null, 784]', shape);
    }
    if (shape[0] !== null && shape[0] !== undefined) {
      const where = params.labelAt('shape', '[0]');
      throw new RangeError(`Expected null for the batch dimension ${where} but received ` +
        `${String(shape[0])}: batches vary in size, write [null, ${shape.slice(1).join(', ')}]`);
    }
    const sample = shape.slice(1).map((size, i) =>
      checkInteger(params.labelAt('shape', `[${i + 1}]`), size, 1));
    return {
      kind: 'input',
      name: params.layerName,
      inputShape: sample,
      outputShape: sample,
    };
  },
};

/**
 * The input layer.
 *
 * @example
 * new InputLayer({ shape: [null, 784] });
 * // nolearn form: layers: [['input', InputLayer], ...], input_shape: [null, 784]
 */
export class InputLayer extends Layer {
  /** The family definition. */
  static readonly definition = definition;
  /** Auto-name prefix. */
  static readonly prefix = 'input';
  /** @internal type of its snake_case parameters, for flat-parameter checking */
  declare readonly _params: InputLayerParams;

  constructor(options: InputLayerOptions) {
    super(definition, options);
  }
}
