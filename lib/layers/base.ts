/**
 * What every layer family shares: the Layer base class (the typed form of a layer list entry),
 * the definition each family provides (parameters, defaults, shape inference, parameter count)
 * and the helpers they use to read and check parameters with messages that name the parameter
 * as the user wrote it (`hidden_num_units`, or `num_units of DenseLayer 'hidden'`).
 */
import type { LayerSpec } from '../backend/backend';
import { checkInteger, checkKnownKeys, rangeError, typeError } from '../validate';

/** Parameter values of one layer, by snake_case name, with the label each was given under. */
export class LayerParams {
  private readonly values = new Map<string, { value: unknown; written: string; flat: boolean }>();

  constructor(
    /** The layer's class name, e.g. 'DenseLayer'. */
    readonly typeName: string,
    /** The layer's name in the network. */
    readonly layerName: string,
  ) {}

  /**
   * Sets a parameter (a later set replaces an earlier one: flat parameters win).
   *
   * @param written the name as the user wrote it ('num_units', 'numUnits', 'hidden_num_units')
   * @param flat whether it was a flat network option (then written names the layer already)
   */
  set(param: string, value: unknown, written: string, flat: boolean): void {
    this.values.set(param, { value, written, flat });
  }

  /** Whether the parameter was given (undefined counts as not given). */
  has(param: string): boolean {
    return this.values.has(param) && this.values.get(param)!.value !== undefined;
  }

  /** The value given, or undefined. */
  get(param: string): unknown {
    return this.values.get(param)?.value;
  }

  /** How the user wrote the parameter, for messages: "hidden_W", "W of DenseLayer 'hidden'". */
  label(param: string): string {
    return this.labelAt(param, '');
  }

  /** The label of a part of the parameter: "input_shape[1]", "shape[1] of ReshapeLayer 'r'". */
  labelAt(param: string, suffix: string): string {
    const given = this.values.get(param);
    if (given?.flat) return `${given.written}${suffix}`;
    return `${given?.written ?? param}${suffix} of ${this.where}`;
  }

  /** "DenseLayer 'hidden'". */
  get where(): string {
    return `${this.typeName} '${this.layerName}'`;
  }

  /** Throws a TypeError saying the required parameter is missing. */
  missing(param: string, example: string): TypeError {
    return new TypeError(`${this.where} needs ${param}: pass ${this.layerName}_${param}: ` +
      `${example} (or ${param} in its own options)`);
  }

  /** A required integer >= min. */
  integer(param: string, min: number, example: string): number {
    if (!this.has(param)) throw this.missing(param, example);
    return checkInteger(this.label(param), this.get(param), min);
  }

  /** An optional boolean. */
  boolean(param: string, fallback: boolean): boolean {
    if (!this.has(param)) return fallback;
    const value = this.get(param);
    if (typeof value !== 'boolean') throw typeError(this.label(param), 'a boolean', value);
    return value;
  }

  /**
   * An int-or-pair: n means (n, n). Default fallback when absent (a required parameter passes
   * undefined and an example).
   */
  pair(param: string, min: number, fallback: [number, number] | undefined, example = '2'):
    [number, number] {
    if (!this.has(param)) {
      if (fallback) return fallback;
      throw this.missing(param, example);
    }
    return toPair(this, param, min);
  }
}

/** Reads parameter param (n or [a, b]) as a pair of integers >= min. */
export function toPair(params: LayerParams, param: string, min: number): [number, number] {
  const value = params.get(param);
  if (typeof value === 'number') {
    const n = checkInteger(params.label(param), value, min);
    return [n, n];
  }
  if (Array.isArray(value) && value.length === 2) {
    return [checkInteger(params.labelAt(param, '[0]'), value[0], min),
      checkInteger(params.labelAt(param, '[1]'), value[1], min)];
  }
  throw typeError(params.label(param), 'an integer or a pair [rows, cols] of integers', value);
}

/** A shape as nolearn printed sizes: [32, 24, 24] -> "32x24x24". */
export function formatShape(shape: readonly number[]): string {
  return shape.join('x');
}

/** The number of values in a shape. */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}

/** What a layer family defines. */
export interface LayerDefinition {
  /** The class name, e.g. 'DenseLayer'. */
  readonly typeName: string;
  /** The auto-name prefix, e.g. 'dense' (nolearn: lowercased class name without 'layer'). */
  readonly prefix: string;
  /** Parameter names, snake_case (Lasagne's); camelCase spellings are derived. */
  readonly params: readonly string[];
  /**
   * Builds the resolved spec: checks every parameter, applies defaults and infers the output
   * shape from inputShape (null for the first layer).
   */
  resolve(params: LayerParams, inputShape: number[] | null): LayerSpec;
}

/** snake_case -> camelCase: 'num_units' -> 'numUnits'. */
export function camelCase(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** The canonical (snake) name of a parameter spelled either way, or undefined. */
export function canonicalParam(definition: LayerDefinition, key: string): string | undefined {
  if (definition.params.includes(key)) return key;
  return definition.params.find((param) => camelCase(param) === key);
}

/** Both spellings of every parameter of a family. */
export function paramSpellings(definition: LayerDefinition): string[] {
  const names = new Set<string>();
  for (const param of definition.params) {
    names.add(param);
    names.add(camelCase(param));
  }
  return [...names];
}

/** A layer name: letters, digits, '_' and '-', starting with a letter or '_'. */
export function checkLayerName(label: string, value: unknown): string {
  if (typeof value !== 'string') throw typeError(label, 'a layer name (string)', value);
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(value)) {
    throw rangeError(label, 'a layer name of letters, digits, _ and - starting with a letter or _',
      value);
  }
  return value;
}

/**
 * A layer of the typed form: `new DenseLayer({ numUnits: 200 })`. The same classes name the
 * layer type in nolearn's tuple forms (`['hidden', DenseLayer]`, `[DenseLayer, { num_units }]`).
 * Options are checked for unknown names at construction, and fully (values, shapes) when the
 * network is built.
 */
export abstract class Layer {
  /** The layer's name, or undefined to be named automatically (e.g. 'dense1'). */
  readonly name: string | undefined;
  /** The options as given, without name. */
  readonly options: Readonly<Record<string, unknown>>;

  protected constructor(
    /** The family: parameters, defaults, shape inference. */
    readonly definition: LayerDefinition,
    options: object | undefined,
  ) {
    if (options !== undefined && (options === null || typeof options !== 'object' ||
      Array.isArray(options))) {
      throw typeError(`${definition.typeName} options`, 'an options object', options);
    }
    const given = { ...(options ?? {}) } as Record<string, unknown>;
    checkKnownKeys(definition.typeName, given, ['name', ...paramSpellings(definition)]);
    this.name = given.name === undefined ? undefined
      : checkLayerName(`${definition.typeName} name`, given.name);
    delete given.name;
    this.options = Object.freeze(given);
  }

  /** "DenseLayer 'hidden'" or "DenseLayer". */
  toString(): string {
    return this.name ? `${this.definition.typeName} '${this.name}'` : this.definition.typeName;
  }
}

/** A layer class: constructible from options, with its family definition. */
export interface LayerClass {
  new (options: never): Layer;
  readonly definition: LayerDefinition;
  readonly prefix: string;
}

/** Says "X is not supported for Y" for a parameter value Lamina does not implement. */
export function notSupported(params: LayerParams, what: string, hint: string): TypeError {
  return new TypeError(`${what} is not supported for ${params.typeName} ` +
    `('${params.layerName}'): ${hint}`);
}

/** Throws when a shape-changing layer gets an input of the wrong rank. */
export function needRank(params: LayerParams, inputShape: number[], rank: number,
  expected: string, hint: string): void {
  if (inputShape.length !== rank) {
    throw new RangeError(`${params.where} needs an input of shape ${expected} but its input ` +
      `has shape ${formatShape(inputShape)}; ${hint}`);
  }
}
