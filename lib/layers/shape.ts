/**
 * ReshapeLayer and FlattenLayer: change the shape, not the values (row-major order is kept).
 *
 * A reshape shape is Lasagne's: it includes the batch dimension, and each entry is a size, -1
 * (inferred from the others; at most once), or [i], the size of dimension i of the input
 * (dimension 0 being the batch). The batch must stay in front: shape[0] is [0] (or -1 when the
 * other entries hold exactly one sample). Example: [[0], 1, 28, 28] turns 784 values into one
 * 28x28 channel.
 */
import type { ReshapeLayerSpec } from '../backend/backend';
import { checkInteger, rangeError, typeError } from '../validate';
import { formatShape, Layer, LayerDefinition, LayerParams, notSupported, shapeSize } from './base';

/** One entry of a reshape shape: a size, -1, or [i] (the size of input dimension i). */
export type ReshapeEntry = number | readonly [number];

/** ReshapeLayer parameters as nolearn wrote them (reshape_shape: [[0], 1, 28, 28]). */
export interface ReshapeLayerParams {
  /** The new shape, batch first, e.g. [[0], 1, 28, 28]. Required. */
  shape: readonly ReshapeEntry[];
}

/** ReshapeLayer options of the typed form. */
export interface ReshapeLayerOptions {
  /** Name in the network; default 'reshape' + position, e.g. 'reshape1'. */
  name?: string;
  /** The new shape, batch first, e.g. [[0], 1, 28, 28]. */
  shape: readonly ReshapeEntry[];
}

/** FlattenLayer parameters: only outdim 2 (the default) is supported. */
export interface FlattenLayerParams {
  /** Only 2 (batch x values) is supported. */
  outdim?: 2;
}

/** FlattenLayer options of the typed form. */
export interface FlattenLayerOptions {
  /** Name in the network; default 'flatten' + position. */
  name?: string;
  /** Only 2 is supported. */
  outdim?: 2;
}

function describeShape(shape: readonly unknown[]): string {
  return `[${shape.map((entry) => (Array.isArray(entry) ? `[${entry[0]}]` : String(entry)))
    .join(', ')}]`;
}

/** Resolves a Lasagne reshape shape against the per-sample input shape. */
function resolveReshape(params: LayerParams, inputShape: number[]): number[] {
  if (!params.has('shape')) throw params.missing('shape', '[[0], 1, 28, 28]');
  const label = params.label('shape');
  const shape = params.get('shape');
  if (!Array.isArray(shape) || shape.length < 2) {
    throw typeError(label, 'a shape with the batch first, e.g. [[0], 1, 28, 28]', shape);
  }
  const full = [-1, ...inputShape];
  const size = shapeSize(inputShape);
  const cannot = `${params.where} cannot reshape its input of shape ${formatShape(inputShape)} ` +
    `to ${describeShape(shape)}`;

  // Entries: sizes, references and at most one -1.
  const entries: number[] = [];
  let inferred = -1;
  shape.forEach((entry: unknown, i: number) => {
    const where = params.labelAt('shape', `[${i}]`);
    if (Array.isArray(entry)) {
      if (entry.length !== 1) throw typeError(where, 'a size, -1 or [i]', entry);
      const reference = checkInteger(params.labelAt('shape', `[${i}][0]`), entry[0], 0,
        full.length - 1);
      if ((reference === 0) !== (i === 0)) {
        throw new RangeError(`${cannot}: ${where} is [${reference}] but the batch dimension ` +
          '[0] can only stay in front (shape[0] = [0])');
      }
      entries.push(full[reference]);
    } else if (entry === -1) {
      if (inferred >= 0) {
        throw new RangeError(`${cannot}: -1 may appear only once (at shape[${inferred}] and ` +
          `shape[${i}])`);
      }
      inferred = i;
      entries.push(-1);
    } else {
      if (typeof entry !== 'number') throw typeError(where, 'a size, -1 or [i]', entry);
      if (i === 0) {
        throw rangeError(where, '[0] (the batch dimension stays in front), e.g. [[0], 1, 28, 28]',
          entry);
      }
      entries.push(checkInteger(where, entry, 1));
    }
  });

  // The sample shape: everything after the batch, with -1 solved.
  const sample = entries.slice(1);
  const known = sample.filter((entry) => entry !== -1).reduce((product, n) => product * n, 1);
  if (inferred === 0) {
    if (known !== size) {
      throw new RangeError(`${cannot}: with -1 as the batch the other entries must hold one ` +
        `sample (${size} values) but they hold ${known}`);
    }
    return sample;
  }
  if (inferred > 0) {
    if (size % known !== 0) {
      throw new RangeError(`${cannot}: ${size} values per sample are not divisible by ${known}`);
    }
    sample[inferred - 1] = size / known;
    return sample;
  }
  if (known !== size) {
    throw new RangeError(`${cannot}: the new shape holds ${known} values per sample but the ` +
      `input has ${size}`);
  }
  return sample;
}

const reshapeDefinition: LayerDefinition = {
  typeName: 'ReshapeLayer',
  prefix: 'reshape',
  params: ['shape'],
  resolve(params: LayerParams, inputShape: number[]): ReshapeLayerSpec {
    const outputShape = resolveReshape(params, inputShape);
    return { kind: 'reshape', name: params.layerName, inputShape, outputShape };
  },
};

const flattenDefinition: LayerDefinition = {
  typeName: 'FlattenLayer',
  prefix: 'flatten',
  params: ['outdim'],
  resolve(params: LayerParams, inputShape: number[]): ReshapeLayerSpec {
    if (params.has('outdim') && params.get('outdim') !== 2) {
      throw notSupported(params, `outdim ${String(params.get('outdim'))}`,
        'each sample becomes one row of values (outdim 2)');
    }
    return {
      kind: 'flatten',
      name: params.layerName,
      inputShape,
      outputShape: [shapeSize(inputShape)],
    };
  },
};

/**
 * A reshape layer (Lasagne's shape semantics, batch first).
 *
 * @example
 * new ReshapeLayer({ shape: [[0], 1, 28, 28] });
 */
export class ReshapeLayer extends Layer {
  /** The family definition. */
  static readonly definition = reshapeDefinition;
  /** Auto-name prefix. */
  static readonly prefix = 'reshape';
  /** @internal type of its snake_case parameters, for flat-parameter checking */
  declare readonly _params: ReshapeLayerParams;

  constructor(options: ReshapeLayerOptions) {
    super(reshapeDefinition, options);
  }
}

/**
 * Flattens each sample to one row of values.
 *
 * @example
 * new FlattenLayer();
 */
export class FlattenLayer extends Layer {
  /** The family definition. */
  static readonly definition = flattenDefinition;
  /** Auto-name prefix. */
  static readonly prefix = 'flatten';
  /** @internal type of its snake_case parameters, for flat-parameter checking */
  declare readonly _params: FlattenLayerParams;

  constructor(options: FlattenLayerOptions = {}) {
    super(flattenDefinition, options);
  }
}
