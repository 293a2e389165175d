/**
 * Nonlinearities, as exported values used the way Lasagne's functions were:
 * `output_nonlinearity: softmax`, `new DenseLayer({ numUnits: 10, nonlinearity: softmax })`.
 * Their names as strings ('softmax') are accepted too, and null means linear (Lasagne's None).
 */
import type { Nonlinearity } from './backend/backend';
import { typeError, rangeError, closest } from './validate';

/**
 * An elementwise nonlinearity (softmax: over the features of each sample). Compare by name;
 * the exported constants are the only instances.
 */
export class NonlinearityFunction {
  /** @internal use the exported constants (rectify, softmax, ...) */
  constructor(
    /** The name the backends know it by, e.g. 'rectify'. */
    readonly name: Nonlinearity,
  ) {
    Object.freeze(this);
  }

  /** The name, e.g. 'softmax'. */
  toString(): string {
    return this.name;
  }

  /** Serialises as its name. */
  toJSON(): string {
    return this.name;
  }
}

/** max(0, x), the default of DenseLayer, Conv2DLayer and NonlinearityLayer. */
export const rectify = new NonlinearityFunction('rectify');
/** exp(x_i) / sum_j exp(x_j) over the features of a sample; the classification output. */
export const softmax = new NonlinearityFunction('softmax');
/** Hyperbolic tangent. */
export const tanh = new NonlinearityFunction('tanh');
/** 1 / (1 + exp(-x)). */
export const sigmoid = new NonlinearityFunction('sigmoid');
/** The identity (Lasagne's linear; `null` means the same). */
export const linear = new NonlinearityFunction('linear');
/** The identity; another name of linear. */
export const identity = linear;
/** x for x > 0, else 0.01 x (Lasagne's leaky_rectify, leakiness 0.01). */
export const leaky_rectify = new NonlinearityFunction('leaky_rectify');
/** x for x > 0, else 0.01 x; the camelCase name of leaky_rectify. */
export const leakyRectify = leaky_rectify;
/** x for x > 0, else exp(x) - 1 (alpha 1). */
export const elu = new NonlinearityFunction('elu');
/** log(1 + exp(x)). */
export const softplus = new NonlinearityFunction('softplus');

const BY_NAME: Record<string, NonlinearityFunction> = {
  rectify,
  softmax,
  tanh,
  sigmoid,
  linear,
  identity,
  leaky_rectify,
  leakyRectify,
  elu,
  softplus,
};

/** What a nonlinearity parameter accepts: a constant, its name, or null for linear. */
export type NonlinearityLike = NonlinearityFunction | Nonlinearity | 'identity' | null;

/**
 * Resolves a nonlinearity parameter to the name a backend knows.
 *
 * @param name the parameter's name, for messages (e.g. 'output_nonlinearity')
 * @throws TypeError for a value of the wrong type; RangeError for an unknown name (with the
 *   closest valid one)
 */
export function resolveNonlinearity(name: string, value: unknown): Nonlinearity {
  if (value === null) return 'linear';
  if (value instanceof NonlinearityFunction) return value.name;
  const expected = 'a nonlinearity (rectify, softmax, tanh, sigmoid, linear, leaky_rectify, ' +
    'elu, softplus), its name or null';
  if (typeof value === 'string') {
    if (Object.prototype.hasOwnProperty.call(BY_NAME, value)) return BY_NAME[value].name;
    const suggestion = closest(value, Object.keys(BY_NAME));
    const error = rangeError(name, expected, value);
    if (suggestion) error.message += `; did you mean '${suggestion}'?`;
    throw error;
  }
  if (typeof value === 'function') {
    // A plain function (e.g. Math.tanh) cannot run inside a backend: say which names exist.
    throw typeError(name, `${expected}; custom functions are not supported`, value);
  }
  throw typeError(name, expected, value);
}
