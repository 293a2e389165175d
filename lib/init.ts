/**
 * Weight initialisers with Lasagne's names, parameters and defaults:
 * `W: new GlorotUniform()`, `new GlorotUniform('relu')`, `new Normal({ std: 0.05 })`,
 * `b: new Constant(0)`. The numbers they draw are defined in lib/backend/backend.ts, identical
 * in both backends for a seed.
 */
import type { InitSpec } from './backend/backend';
import { checkKnownKeys, checkNumber, rangeError, typeError } from './validate';

/** A gain: a positive number, or 'relu' for sqrt(2) (Lasagne's convention). */
export type Gain = number | 'relu';

/** Base class of the initialisers; `spec` is what a backend receives. */
export abstract class Initializer {
  /** The resolved description handed to a backend. */
  abstract readonly spec: InitSpec;

  /** Serialises as its spec. */
  toJSON(): InitSpec {
    return this.spec;
  }
}

function resolveGain(context: string, value: unknown): number {
  if (value === undefined) return 1;
  if (value === 'relu') return Math.SQRT2;
  if (typeof value === 'string') {
    throw rangeError(`${context} gain`, "a number > 0 or 'relu'", value);
  }
  const gain = checkNumber(`${context} gain`, value, 0);
  if (gain === 0) throw rangeError(`${context} gain`, "a number > 0 or 'relu'", value);
  return gain;
}

/** Reads `gain` given positionally (number or 'relu') or as { gain }. */
function gainArgument(context: string, argument: unknown): number {
  if (argument !== null && typeof argument === 'object') {
    checkKnownKeys(context, argument, ['gain']);
    return resolveGain(context, (argument as { gain?: unknown }).gain);
  }
  return resolveGain(context, argument);
}

/** Options of the Glorot and He initialisers. */
export interface GainOptions {
  /** Scale factor, default 1; 'relu' means sqrt(2). */
  gain?: Gain;
}

/**
 * Glorot (Xavier) uniform: U(-a, a) with a = gain * sqrt(6 / (fanIn + fanOut)). The default W
 * of DenseLayer and Conv2DLayer.
 *
 * @example
 * new DenseLayer({ numUnits: 100, W: new GlorotUniform('relu') });
 */
export class GlorotUniform extends Initializer {
  readonly spec: InitSpec;
  /** @param gain a number > 0 (default 1), 'relu' (sqrt(2)), or { gain } */
  constructor(gain?: Gain | GainOptions) {
    super();
    this.spec = { kind: 'glorot_uniform', gain: gainArgument('GlorotUniform', gain) };
  }
}

/** Glorot normal: N(0, std) with std = gain * sqrt(2 / (fanIn + fanOut)). */
export class GlorotNormal extends Initializer {
  readonly spec: InitSpec;
  /** @param gain a number > 0 (default 1), 'relu' (sqrt(2)), or { gain } */
  constructor(gain?: Gain | GainOptions) {
    super();
    this.spec = { kind: 'glorot_normal', gain: gainArgument('GlorotNormal', gain) };
  }
}

/** He uniform: U(-a, a) with a = gain * sqrt(3 / fanIn). */
export class HeUniform extends Initializer {
  readonly spec: InitSpec;
  /** @param gain a number > 0 (default 1), 'relu' (sqrt(2)), or { gain } */
  constructor(gain?: Gain | GainOptions) {
    super();
    this.spec = { kind: 'he_uniform', gain: gainArgument('HeUniform', gain) };
  }
}

/** He normal: N(0, std) with std = gain * sqrt(1 / fanIn). */
export class HeNormal extends Initializer {
  readonly spec: InitSpec;
  /** @param gain a number > 0 (default 1), 'relu' (sqrt(2)), or { gain } */
  constructor(gain?: Gain | GainOptions) {
    super();
    this.spec = { kind: 'he_normal', gain: gainArgument('HeNormal', gain) };
  }
}

/** Options of Normal. */
export interface NormalOptions {
  /** Standard deviation, default 0.01. */
  std?: number;
  /** Mean, default 0. */
  mean?: number;
}

/**
 * Normal draws N(mean, std), Lasagne's Normal(std=0.01, mean=0.0).
 *
 * @example
 * new Normal(0.05);            // std 0.05, mean 0
 * new Normal({ std: 0.1, mean: 1 });
 */
export class Normal extends Initializer {
  readonly spec: InitSpec;
  /** @param std standard deviation >= 0 (default 0.01), or { std, mean } */
  constructor(std?: number | NormalOptions, mean?: number) {
    super();
    let options: NormalOptions;
    if (std !== null && typeof std === 'object') {
      checkKnownKeys('Normal', std, ['std', 'mean']);
      if (mean !== undefined) {
        throw typeError('Normal mean', 'no second argument after options', mean);
      }
      options = std;
    } else {
      options = { std, mean };
    }
    this.spec = {
      kind: 'normal',
      mean: options.mean === undefined ? 0 : checkNumber('Normal mean', options.mean),
      std: options.std === undefined ? 0.01 : checkNumber('Normal std', options.std, 0),
    };
  }
}

/** Options of Uniform: a range, or a mean and standard deviation. */
export interface UniformOptions {
  /** r for U(-r, r), or [low, high]. Default 0.01. */
  range?: number | readonly [number, number];
  /** Standard deviation; with mean, U(mean - sqrt(3) std, mean + sqrt(3) std). */
  std?: number;
  /** Mean of the std form (default 0); not used with range. */
  mean?: number;
}

/**
 * Uniform draws, Lasagne's Uniform(range=0.01, std=None, mean=0.0).
 *
 * @example
 * new Uniform(0.1);               // U(-0.1, 0.1)
 * new Uniform([0, 1]);            // U(0, 1)
 * new Uniform({ std: 1, mean: 0 });
 */
export class Uniform extends Initializer {
  readonly spec: InitSpec;
  /** @param range r (for U(-r, r)), [low, high], or { range } / { std, mean } */
  constructor(range?: number | readonly [number, number] | UniformOptions) {
    super();
    let options: UniformOptions;
    if (range !== null && typeof range === 'object' && !Array.isArray(range)) {
      checkKnownKeys('Uniform', range, ['range', 'std', 'mean']);
      options = range as UniformOptions;
    } else {
      options = { range: range as UniformOptions['range'] };
    }
    let low: number;
    let high: number;
    if (options.std !== undefined) {
      if (options.range !== undefined) {
        throw new TypeError('Uniform takes either range or std (with mean), not both');
      }
      const std = checkNumber('Uniform std', options.std, 0);
      const mean = options.mean === undefined ? 0 : checkNumber('Uniform mean', options.mean);
      low = mean - Math.sqrt(3) * std;
      high = mean + Math.sqrt(3) * std;
    } else {
      if (options.mean !== undefined) {
        throw new TypeError('Uniform mean is used with std only; give std, or a [low, high] ' +
          'range');
      }
      const value = options.range === undefined ? 0.01 : options.range;
      if (Array.isArray(value)) {
        if (value.length !== 2) throw typeError('Uniform range', 'a number or [low, high]', value);
        low = checkNumber('Uniform range[0]', value[0]);
        high = checkNumber('Uniform range[1]', value[1]);
        if (high < low) {
          throw rangeError('Uniform range[1]', `a number >= range[0] = ${low}`, high);
        }
      } else {
        const r = checkNumber('Uniform range', value, 0);
        low = -r;
        high = r;
      }
    }
    this.spec = { kind: 'uniform', low, high };
  }
}

/** Options of Constant. */
export interface ConstantOptions {
  /** The value, default 0. */
  val?: number;
}

/**
 * Every element set to one value, Lasagne's Constant(val=0.0); the default b.
 *
 * @example
 * new DenseLayer({ numUnits: 10, b: new Constant(0.1) });
 */
export class Constant extends Initializer {
  readonly spec: InitSpec;
  /** @param val the value (default 0), or { val } */
  constructor(val?: number | ConstantOptions) {
    super();
    let value: unknown = val;
    if (val !== null && typeof val === 'object') {
      checkKnownKeys('Constant', val, ['val']);
      value = val.val;
    }
    this.spec = {
      kind: 'constant',
      value: value === undefined ? 0 : checkNumber('Constant val', value),
    };
  }
}

/**
 * Resolves a W or b parameter to an InitSpec.
 *
 * @param allowNull whether null (no parameter, for b) is accepted
 * @throws TypeError when value is not an initialiser (or null where allowed)
 */
export function resolveInit(name: string, value: unknown, allowNull: boolean): InitSpec | null {
  if (value === null && allowNull) return null;
  if (value instanceof Initializer) return value.spec;
  if (value !== null && typeof value === 'object' &&
    typeof (value as InitSpec).kind === 'string') {
    // A plain InitSpec, as stored in a saved model's architecture.
    return fromSpec(name, value as InitSpec);
  }
  const expected = allowNull
    ? 'an initializer (e.g. new Constant(0)) or null for no bias'
    : 'an initializer (e.g. new GlorotUniform())';
  throw typeError(name, expected, value);
}

/** Rebuilds an initialiser from a spec (checks the fields). */
function fromSpec(name: string, spec: InitSpec): InitSpec {
  switch (spec.kind) {
    case 'glorot_uniform':
      return new GlorotUniform(spec.gain).spec;
    case 'glorot_normal':
      return new GlorotNormal(spec.gain).spec;
    case 'he_uniform':
      return new HeUniform(spec.gain).spec;
    case 'he_normal':
      return new HeNormal(spec.gain).spec;
    case 'normal':
      return new Normal({ std: spec.std, mean: spec.mean }).spec;
    case 'uniform':
      return new Uniform([spec.low, spec.high]).spec;
    case 'constant':
      return new Constant(spec.value).spec;
    default:
      throw rangeError(`${name}.kind`, 'a known initializer kind',
        (spec as { kind: string }).kind);
  }
}
