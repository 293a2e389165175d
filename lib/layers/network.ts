/**
 * Turns a layer list, in any of its three forms, plus the flat layer parameters into the
 * resolved NetworkSpec of lib/backend/backend.ts:
 *   1. named classes:        [['input', InputLayer], ['hidden', DenseLayer]] + hidden_num_units
 *   2. classes with options: [[InputLayer, { shape: [null, 784] }], [DenseLayer, { num_units }]]
 *   3. typed layers:         [new InputLayer({ shape: [null, 784] }), new DenseLayer({ ... })]
 * Layers without a name in forms 2 and 3 are named as nolearn named them: the class name in
 * lower case without 'Layer', then the layer's position in the list (input0, dense1, conv2d2,
 * maxpool2d3, ...). Flat parameters `<name>_<param>` apply to a layer of any form and win over
 * its own options, as in nolearn.
 */
import type { LayerSpec, NetworkSpec } from '../backend/backend';
import { closest, describe, typeError } from '../validate';
import {
  canonicalParam,
  checkLayerName,
  Layer,
  LayerClass,
  LayerDefinition,
  LayerParams,
  paramSpellings,
} from './base';
import { convParamCount } from './conv';
import { denseParamCount } from './dense';

/** One entry of a layer list, in any of the three forms. */
export type LayerEntry =
  | Layer
  | readonly [string, LayerClass]
  | readonly [LayerClass, { readonly name?: string; readonly [param: string]: unknown }];

/** A layer of a built network: its resolved spec and where it came from. */
export interface ResolvedLayer {
  /** Position in the list. */
  index: number;
  /** The class name, e.g. 'DenseLayer'. */
  typeName: string;
  /** The resolved spec handed to a backend. */
  spec: LayerSpec;
  /** Learnable parameters of this layer. */
  paramCount: number;
}

/** A built network. */
export interface BuiltNetwork {
  spec: NetworkSpec;
  layers: ResolvedLayer[];
  /** Learnable parameters of the whole network. */
  paramCount: number;
}

/** A layer read from the list, named, with its own options; not yet resolved. */
export interface PendingLayer {
  index: number;
  definition: LayerDefinition;
  name: string;
  params: LayerParams;
}

function isLayerClass(value: unknown): value is LayerClass {
  return typeof value === 'function' &&
    typeof (value as Partial<LayerClass>).definition?.resolve === 'function';
}

const CLASS_EXPECTED = 'a layer class (InputLayer, DenseLayer, Conv2DLayer, MaxPool2DLayer, ' +
  'Pool2DLayer, DropoutLayer, ReshapeLayer, FlattenLayer, NonlinearityLayer)';

/** Reads one entry of the list: its family, name (given or automatic) and own options. */
function readEntry(entry: unknown, index: number): PendingLayer {
  const where = `layers[${index}]`;

  // Form 3: a typed layer.
  if (entry instanceof Layer) {
    const definition = entry.definition;
    const name = entry.name ?? `${definition.prefix}${index}`;
    const params = new LayerParams(definition.typeName, name);
    for (const [key, value] of Object.entries(entry.options)) {
      params.set(canonicalParam(definition, key)!, value, key, false);
    }
    return { index, definition, name, params };
  }
  if (!Array.isArray(entry) || entry.length !== 2) {
    throw typeError(where, "a layer (new DenseLayer({...})), ['name', LayerClass] or " +
      '[LayerClass, { options }]', entry);
  }

  // Form 1: ['name', LayerClass].
  if (typeof entry[0] === 'string') {
    const name = checkLayerName(`${where}[0]`, entry[0]);
    if (!isLayerClass(entry[1])) throw typeError(`${where}[1]`, CLASS_EXPECTED, entry[1]);
    const definition = entry[1].definition;
    return { index, definition, name, params: new LayerParams(definition.typeName, name) };
  }

  // Form 2: [LayerClass, { options }].
  if (!isLayerClass(entry[0])) {
    throw typeError(`${where}[0]`, `a layer name or ${CLASS_EXPECTED}`, entry[0]);
  }
  const definition = entry[0].definition;
  const options = entry[1] as Record<string, unknown>;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw typeError(`${where}[1]`, `the options of ${definition.typeName}`, options);
  }
  const known = ['name', ...paramSpellings(definition)];
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const suggestion = closest(key, known);
    const hint = suggestion ? `; did you mean '${suggestion}'?`
      : `; valid names: ${known.join(', ')}`;
    throw new TypeError(`Unknown parameter '${key}' for ${definition.typeName} (${where})${hint}`);
  }
  const name = options.name === undefined ? `${definition.prefix}${index}`
    : checkLayerName(`${where}[1].name`, options.name);
  const params = new LayerParams(definition.typeName, name);
  for (const [key, value] of Object.entries(options)) {
    if (key === 'name') continue;
    params.set(canonicalParam(definition, key)!, value, key, false);
  }
  return { index, definition, name, params };
}

/** Reads the list and names every layer; checks names and the place of the input layer. */
export function readLayerList(layers: unknown): PendingLayer[] {
  if (!Array.isArray(layers)) {
    throw typeError('layers', "a list of layers, e.g. [['input', InputLayer], ['output', " +
      'DenseLayer]]', layers);
  }
  if (layers.length < 2) {
    throw new RangeError('Expected at least 2 layers (an InputLayer and one more) for layers ' +
      `but received ${describe(layers)}`);
  }
  const pending = layers.map(readEntry);
  const seen = new Map<string, number>();
  for (const layer of pending) {
    const before = seen.get(layer.name);
    if (before !== undefined) {
      throw new RangeError(`Duplicate layer name '${layer.name}' at layers[${before}] and ` +
        `layers[${layer.index}]; layer names must be unique`);
    }
    seen.set(layer.name, layer.index);
    const isInput = layer.definition.typeName === 'InputLayer';
    if (layer.index === 0 && !isInput) {
      throw new TypeError(`layers[0] must be an InputLayer but is ${layer.params.where}`);
    }
    if (layer.index > 0 && isInput) {
      throw new TypeError(`layers[${layer.index}] is ${layer.params.where}, but only the first ` +
        'layer may be an InputLayer (networks are sequential)');
    }
  }
  return pending;
}

/** Every flat parameter name of the layers: hidden_num_units, hidden_nonlinearity, ... */
export function flatParamNames(pending: readonly PendingLayer[]): string[] {
  return pending.flatMap((layer) => layer.definition.params.map((param) =>
    `${layer.name}_${param}`));
}

/**
 * Finds the layer and parameter a flat key names (longest matching layer name first), or
 * undefined when none does.
 */
export function matchFlatParam(pending: readonly PendingLayer[], key: string):
  { layer: PendingLayer; param: string } | undefined {
  const candidates = pending
    .filter((layer) => key.startsWith(`${layer.name}_`))
    .sort((a, b) => b.name.length - a.name.length);
  for (const layer of candidates) {
    const param = canonicalParam(layer.definition, key.slice(layer.name.length + 1));
    if (param) return { layer, param };
  }
  return undefined;
}

/** The learnable parameters of one resolved layer. */
export function layerParamCount(spec: LayerSpec): number {
  if (spec.kind === 'dense') return denseParamCount(spec);
  if (spec.kind === 'conv2d') return convParamCount(spec);
  return 0;
}

/** The most values a layer's output or a network's parameters may hold (the core's limit). */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** Throws a RangeError naming the layer when count is over MAX_ELEMENTS. */
function checkElements(layer: ResolvedLayer, count: number, what: (count: number) => string):
  void {
  if (count <= MAX_ELEMENTS) return;
  throw new RangeError(`Layer '${layer.spec.name}' (${layer.typeName}): ${what(count)}, more ` +
    `than the ${MAX_ELEMENTS} (2^31 - 1) Lamina supports; use fewer units or filters, or ` +
    'smaller inputs');
}

/**
 * Resolves the layers in order: each gets the output shape of the one before.
 *
 * @param flat flat parameters already matched to layers (they override the layers' own)
 */
export function resolveLayers(pending: PendingLayer[],
  flat: ReadonlyArray<{ layer: PendingLayer; param: string; value: unknown; key: string }>):
  BuiltNetwork {
  for (const { layer, param, value, key } of flat) layer.params.set(param, value, key, true);
  const layers: ResolvedLayer[] = [];
  let shape: number[] | null = null;
  let total = 0;
  for (const layer of pending) {
    const spec = layer.definition.resolve(layer.params, shape);
    shape = spec.outputShape;
    const resolved: ResolvedLayer = {
      index: layer.index,
      typeName: layer.definition.typeName,
      spec,
      paramCount: layerParamCount(spec),
    };
    checkElements(resolved, shape.reduce((product, n) => product * n, 1),
      (count) => `its output holds ${count} values per sample`);
    checkElements(resolved, resolved.paramCount,
      (count) => `it has ${count} learnable parameters`);
    total += resolved.paramCount;
    checkElements(resolved, total,
      (count) => `the network has ${count} learnable parameters up to it`);
    layers.push(resolved);
  }
  return {
    spec: { layers: layers.map((layer) => layer.spec) },
    layers,
    paramCount: layers.reduce((sum, layer) => sum + layer.paramCount, 0),
  };
}
