/**
 * Loss functions for `objective_loss_function`, as exported values: categorical_crossentropy
 * (the default for classification; needs a softmax output) and squared_error (the default for
 * regression). The total objective adds objective_l1 * sum|W| + objective_l2 * sum W^2 over the
 * weights of dense and conv layers.
 */
import type { TrainSpec } from './backend/backend';
import { closest, rangeError, typeError } from './validate';

/** A loss function; compare by name. */
export class LossFunction {
  /** @internal use the exported constants */
  constructor(
    /** The name a backend knows, e.g. 'squared_error'. */
    readonly name: TrainSpec['loss'],
  ) {
    Object.freeze(this);
  }

  /** The name. */
  toString(): string {
    return this.name;
  }

  /** Serialises as its name. */
  toJSON(): string {
    return this.name;
  }
}

/** Mean over samples of -log(p[label]); needs a softmax output and integer labels. */
export const categorical_crossentropy = new LossFunction('categorical_crossentropy');
/** The camelCase name of categorical_crossentropy. */
export const categoricalCrossentropy = categorical_crossentropy;
/** Mean over samples and outputs of (output - target)^2; for regression. */
export const squared_error = new LossFunction('squared_error');
/** The camelCase name of squared_error. */
export const squaredError = squared_error;

const LOSSES: Record<string, LossFunction> = {
  categorical_crossentropy,
  categoricalCrossentropy,
  squared_error,
  squaredError,
};

/**
 * Resolves objective_loss_function (a constant or its name).
 *
 * @throws TypeError for a wrong type; RangeError for an unknown name
 */
export function resolveLossFunction(name: string, value: unknown): LossFunction {
  if (value instanceof LossFunction) return value;
  const expected = 'a loss function (categorical_crossentropy, squared_error)';
  if (typeof value === 'string') {
    if (Object.prototype.hasOwnProperty.call(LOSSES, value)) return LOSSES[value];
    const error = rangeError(name, expected, value);
    const suggestion = closest(value, Object.keys(LOSSES));
    if (suggestion) error.message += `; did you mean '${suggestion}'?`;
    throw error;
  }
  if (typeof value === 'function') {
    throw typeError(name, `${expected}; custom loss functions are not supported`, value);
  }
  throw typeError(name, expected, value);
}
