/**
 * Update rules, as exported values used the way nolearn used Lasagne's functions:
 * `update: adam, update_learning_rate: 0.001`. Each rule takes the update_* parameters Lasagne's
 * function takes, with Lasagne's defaults, except that sgd, momentum and nesterov_momentum
 * default to learning rate 0.01 (nolearn's default; Lasagne requires one). The formulas are in
 * lib/backend/backend.ts (UpdateSpec).
 */
import type { UpdateSpec } from './backend/backend';
import { checkNumber, closest, rangeError, typeError } from './validate';

/** The update_* hyperparameters, by their name without the prefix. */
export interface UpdateHyperparameters {
  learning_rate: number;
  momentum: number;
  rho: number;
  epsilon: number;
  beta1: number;
  beta2: number;
}

/** Name of an update hyperparameter, e.g. 'learning_rate' (option update_learning_rate). */
export type UpdateHyperparameter = keyof UpdateHyperparameters;

/** An update rule and the hyperparameters it takes, with their defaults. */
export class UpdateFunction {
  /** @internal use the exported constants (sgd, adam, ...) */
  constructor(
    /** The rule's name, e.g. 'nesterov_momentum'. */
    readonly name: UpdateSpec['rule'],
    /** The hyperparameters this rule takes and their defaults. */
    readonly defaults: Readonly<Partial<UpdateHyperparameters>>,
  ) {
    Object.freeze(this);
  }

  /** The name, e.g. 'adam'. */
  toString(): string {
    return this.name;
  }

  /** Serialises as its name. */
  toJSON(): string {
    return this.name;
  }
}

/** Stochastic gradient descent: p -= lr g. Takes learning_rate (0.01). */
export const sgd = new UpdateFunction('sgd', { learning_rate: 0.01 });
/** Classical momentum. Takes learning_rate (0.01), momentum (0.9). */
export const momentum = new UpdateFunction('momentum', { learning_rate: 0.01, momentum: 0.9 });
/** Nesterov momentum, the default. Takes learning_rate (0.01), momentum (0.9). */
export const nesterov_momentum = new UpdateFunction('nesterov_momentum', {
  learning_rate: 0.01,
  momentum: 0.9,
});
/** Nesterov momentum; the camelCase name of nesterov_momentum. */
export const nesterovMomentum = nesterov_momentum;
/** Adagrad. Takes learning_rate (1.0), epsilon (1e-6). */
export const adagrad = new UpdateFunction('adagrad', { learning_rate: 1.0, epsilon: 1e-6 });
/** RMSProp. Takes learning_rate (1.0), rho (0.9), epsilon (1e-6). */
export const rmsprop = new UpdateFunction('rmsprop', {
  learning_rate: 1.0,
  rho: 0.9,
  epsilon: 1e-6,
});
/** Adadelta. Takes learning_rate (1.0), rho (0.95), epsilon (1e-6). */
export const adadelta = new UpdateFunction('adadelta', {
  learning_rate: 1.0,
  rho: 0.95,
  epsilon: 1e-6,
});
/** Adam. Takes learning_rate (0.001), beta1 (0.9), beta2 (0.999), epsilon (1e-8). */
export const adam = new UpdateFunction('adam', {
  learning_rate: 0.001,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
});
/** Adamax. Takes learning_rate (0.002), beta1 (0.9), beta2 (0.999), epsilon (1e-8). */
export const adamax = new UpdateFunction('adamax', {
  learning_rate: 0.002,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
});

const RULES: Record<string, UpdateFunction> = {
  sgd,
  momentum,
  nesterov_momentum,
  nesterovMomentum,
  adagrad,
  rmsprop,
  adadelta,
  adam,
  adamax,
};

/** Every update_* hyperparameter name. */
export const UPDATE_HYPERPARAMETERS: readonly UpdateHyperparameter[] = [
  'learning_rate',
  'momentum',
  'rho',
  'epsilon',
  'beta1',
  'beta2',
];

/** Values a rule ignores still need a number in the spec: these neutral ones. */
const FILLER: UpdateHyperparameters = {
  learning_rate: 0.01,
  momentum: 0.9,
  rho: 0.9,
  epsilon: 1e-8,
  beta1: 0.9,
  beta2: 0.999,
};

/**
 * Resolves the update option (a constant or its name).
 *
 * @throws TypeError for a wrong type; RangeError for an unknown name
 */
export function resolveUpdateFunction(name: string, value: unknown): UpdateFunction {
  if (value instanceof UpdateFunction) return value;
  const expected = `an update rule (${Object.keys(RULES).filter((key) => !/[A-Z]/.test(key))
    .join(', ')})`;
  if (typeof value === 'string') {
    if (Object.prototype.hasOwnProperty.call(RULES, value)) return RULES[value];
    const error = rangeError(name, expected, value);
    const suggestion = closest(value, Object.keys(RULES));
    if (suggestion) error.message += `; did you mean '${suggestion}'?`;
    throw error;
  }
  if (typeof value === 'function') {
    throw typeError(name, `${expected}; custom update functions are not supported`, value);
  }
  throw typeError(name, expected, value);
}

/**
 * Checks one hyperparameter's value: learning_rate > 0; momentum, rho, beta1, beta2 in [0, 1);
 * epsilon > 0.
 */
export function checkHyperparameter(
  option: string,
  parameter: UpdateHyperparameter,
  value: unknown,
): number {
  const number = checkNumber(option, value);
  const positive = parameter === 'learning_rate' || parameter === 'epsilon';
  if (positive && !(number > 0)) throw rangeError(option, 'a number > 0', value);
  if (!positive && !(number >= 0 && number < 1)) {
    throw rangeError(option, 'a number in [0, 1)', value);
  }
  return number;
}

/**
 * Builds an UpdateSpec from a rule and the update_* values given.
 *
 * @param given values by hyperparameter name, already checked
 * @throws TypeError when a hyperparameter is given that the rule does not take
 */
export function resolveUpdateSpec(
  rule: UpdateFunction,
  given: Partial<UpdateHyperparameters>,
): UpdateSpec {
  for (const key of Object.keys(given) as UpdateHyperparameter[]) {
    if (given[key] === undefined || key in rule.defaults) continue;
    const takes = Object.keys(rule.defaults).map((name) => `update_${name}`).join(', ');
    throw new TypeError(`update_${key} is not a parameter of ${rule.name}; ${rule.name} takes ` +
      `${takes}`);
  }
  const value = (key: UpdateHyperparameter): number =>
    given[key] ?? rule.defaults[key] ?? FILLER[key];
  return {
    rule: rule.name,
    learningRate: value('learning_rate'),
    momentum: value('momentum'),
    rho: value('rho'),
    epsilon: value('epsilon'),
    beta1: value('beta1'),
    beta2: value('beta2'),
  };
}
