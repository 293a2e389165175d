/**
 * A sequential network of JS layers: spec checks, construction, forward and backward passes,
 * and the batch objective with its gradients.
 *
 * Shapes: x [N, F_in] with F_in = prod(layers[0].outputShape); every layer maps [N, F] to
 * [N, F'] in row-major NCHW order.
 */
import type { InitSpec, LayerSpec, NetworkSpec, Nonlinearity, TrainSpec } from '../backend';
import type { Rng } from '../../rng';
import { checkInteger, closest, describe, describeList, typeError } from '../../validate';
import { Conv2DLayer, convOutputLength } from './conv2d';
import { DenseLayer } from './dense';
import { DropoutLayer } from './dropout';
import { initializeParams } from './init';
import { Float32Scratch, ForwardContext, JsLayer, Param, sizeOf } from './layer';
import {
  addPenaltyGradient,
  countCorrect,
  crossEntropy,
  penalty,
  squaredError,
  Targets,
} from './loss';
import { NONLINEARITIES, NonlinearityLayer } from './nonlinearities';
import { Pool2DLayer, poolOutputLength } from './pool2d';
import { ShapeLayer } from './reshape';

const LAYER_KINDS: readonly LayerSpec['kind'][] = [
  'input',
  'dense',
  'conv2d',
  'maxpool2d',
  'avgpool2d',
  'dropout',
  'reshape',
  'flatten',
  'nonlinearity',
];

const INIT_FIELDS: Record<InitSpec['kind'], string[]> = {
  glorot_uniform: ['gain'],
  glorot_normal: ['gain'],
  he_uniform: ['gain'],
  he_normal: ['gain'],
  normal: ['mean', 'std'],
  uniform: ['low', 'high'],
  constant: ['value'],
};

/** A network built from a spec, with its parameters initialised from a seed. */
export class Network {
  readonly layers: JsLayer[];
  /** Learnable parameters in layer order, W before b. */
  readonly params: Param[];
  /** Values per sample entering and leaving the network. */
  readonly inputSize: number;
  readonly outputSize: number;
  /** Index of the first layer with parameters: no layer before it needs an input gradient. */
  private readonly firstParamLayer: number;
  private readonly lossGrad = new Float32Scratch();

  /** @throws TypeError or RangeError when the spec is malformed or inconsistent */
  constructor(
    readonly spec: NetworkSpec,
    seed: number,
  ) {
    checkSpec(spec);
    this.layers = spec.layers.map(makeLayer);
    this.params = this.layers.flatMap((layer) => layer.params);
    const inits = spec.layers.flatMap((layer) => {
      if (layer.kind !== 'dense' && layer.kind !== 'conv2d') return [];
      return layer.b === null ? [layer.W] : [layer.W, layer.b];
    });
    initializeParams(this.params, inits, seed);
    this.inputSize = sizeOf(spec.layers[0].outputShape);
    this.outputSize = sizeOf(spec.layers[spec.layers.length - 1].outputShape);
    const first = this.layers.findIndex((layer) => layer.params.length > 0);
    this.firstParamLayer = first < 0 ? this.layers.length : first;
  }

  /** Runs layers 0..last on x [N, F_in] and returns the output of layer last. */
  forward(
    x: Float32Array,
    n: number,
    context: ForwardContext,
    last = this.layers.length - 1,
  ): Float32Array {
    let activation = x;
    for (let i = 0; i <= last; i++) activation = this.layers[i].forward(activation, n, context);
    return activation;
  }

  /** Back-propagates the gradient of the last layer's output (or pre-activation). */
  backward(gradOutput: Float32Array, n: number, gradientIsPreActivation: boolean): void {
    let gradient: Float32Array | null = gradOutput;
    let isPreActivation = gradientIsPreActivation;
    for (let i = this.layers.length - 1; i >= this.firstParamLayer && gradient; i--) {
      const needInputGradient = i > this.firstParamLayer;
      gradient = this.layers[i].backward(gradient, n, needInputGradient, isPreActivation);
      isPreActivation = false;
    }
  }

  /** Throws when the loss does not fit the output layer or the targets. */
  checkLoss(loss: TrainSpec['loss'], targets: Targets): void {
    const last = this.spec.layers[this.spec.layers.length - 1];
    const nonlinearity = outputNonlinearity(last);
    if (loss === 'categorical_crossentropy' && nonlinearity !== 'softmax') {
      const has = nonlinearity ? `has nonlinearity '${nonlinearity}'` : 'has no nonlinearity';
      throw new Error(
        'categorical_crossentropy is not supported for an output layer without softmax: ' +
          `the last layer '${last.name}' (${last.kind}) ${has}; end the network with ` +
          `nonlinearity 'softmax' or use squared_error`,
      );
    }
    if (loss === 'squared_error' && targets instanceof Int32Array) {
      throw new TypeError(
        'squared_error is not supported for class labels (Int32Array): ' +
          'pass targets as a Float32Array of n x outputs',
      );
    }
    if (loss === 'categorical_crossentropy' && targets instanceof Float32Array) {
      throw new TypeError(
        'categorical_crossentropy is not supported for Float32Array targets: ' +
          'pass class labels as an Int32Array of n values',
      );
    }
  }

  /**
   * One training pass over a batch: forward with dropout, the objective (mean data loss plus
   * penalties), backward; every param's grad then holds the gradient of the objective.
   * Returns the objective and the data loss summed over the batch.
   */
  computeGradients(
    x: Float32Array,
    targets: Targets,
    n: number,
    spec: TrainSpec,
    dropoutRng: Rng,
  ): { objective: number; dataLossSum: number } {
    const output = this.forward(x, n, { training: true, dropoutRng });
    const grad = this.lossGrad.get(n * this.outputSize);
    const { dataLossSum, gradientIsPreActivation } = this.dataLoss(
      output,
      targets,
      n,
      spec.loss,
      grad,
    );
    const objective = dataLossSum / n + penalty(this.params, spec.l1, spec.l2);
    if (Number.isFinite(objective)) {
      this.backward(grad, n, gradientIsPreActivation);
      addPenaltyGradient(this.params, spec.l1, spec.l2);
    }
    return { objective, dataLossSum };
  }

  /** Deterministic forward pass of a batch: the data loss summed and the correct count. */
  evaluate(
    x: Float32Array,
    targets: Targets,
    n: number,
    loss: TrainSpec['loss'],
  ): { dataLossSum: number; correct: number } {
    const output = this.forward(x, n, { training: false, dropoutRng: null });
    const { dataLossSum } = this.dataLoss(output, targets, n, loss, null);
    const correct =
      targets instanceof Int32Array ? countCorrect(output, targets, n, this.outputSize) : 0;
    return { dataLossSum, correct };
  }

  private dataLoss(
    output: Float32Array,
    targets: Targets,
    n: number,
    loss: TrainSpec['loss'],
    grad: Float32Array | null,
  ): { dataLossSum: number; gradientIsPreActivation: boolean } {
    if (loss === 'categorical_crossentropy') {
      const z = this.layers[this.layers.length - 1].preActivation();
      const dataLossSum = crossEntropy(z, targets as Int32Array, n, this.outputSize, grad);
      return { dataLossSum, gradientIsPreActivation: true };
    }
    const dataLossSum = squaredError(output, targets as Float32Array, n, this.outputSize, grad);
    return { dataLossSum, gradientIsPreActivation: false };
  }
}

/** The nonlinearity a layer ends in, or null. */
function outputNonlinearity(layer: LayerSpec): Nonlinearity | null {
  if (layer.kind === 'dense' || layer.kind === 'conv2d' || layer.kind === 'nonlinearity') {
    return layer.nonlinearity;
  }
  return null;
}

function makeLayer(spec: LayerSpec): JsLayer {
  switch (spec.kind) {
    case 'input':
    case 'reshape':
    case 'flatten':
      return new ShapeLayer(spec);
    case 'dense':
      return new DenseLayer(spec);
    case 'conv2d':
      return new Conv2DLayer(spec);
    case 'maxpool2d':
    case 'avgpool2d':
      return new Pool2DLayer(spec);
    case 'dropout':
      return new DropoutLayer(spec);
    case 'nonlinearity':
      return new NonlinearityLayer(spec);
  }
}

// ---------------------------------------------------------------------------------------------
// Spec checks: the estimator resolves and validates specs; these catch an inconsistent one
// before it produces wrong numbers.

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((axis, i) => axis === b[i]);
}

function isShape(value: unknown, minLength = 1): value is number[] {
  return (
    Array.isArray(value) &&
    value.length >= minLength &&
    value.every((axis) => Number.isInteger(axis) && axis >= 1)
  );
}

function isPair(value: unknown, min: number): value is [number, number] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((item) => Number.isInteger(item) && item >= min)
  );
}

/** Checks a network spec; throws TypeError / RangeError naming the layer and the field. */
export function checkSpec(spec: NetworkSpec): void {
  if (typeof spec !== 'object' || spec === null || !Array.isArray(spec.layers)) {
    throw new TypeError(
      `Expected a network spec with a layers array but received ${describe(spec)}`,
    );
  }
  if (spec.layers.length === 0) {
    throw new RangeError('Expected at least one layer in spec.layers but received none');
  }
  const indexOf = new Map<string, number>();
  spec.layers.forEach((layer, index) => {
    checkLayer(layer, index, index > 0 ? spec.layers[index - 1] : null);
    const first = indexOf.get(layer.name);
    if (first !== undefined) {
      throw new RangeError(
        `Expected unique layer names but '${layer.name}' names spec.layers[${first}] and ` +
          `spec.layers[${index}]`,
      );
    }
    indexOf.set(layer.name, index);
  });
}

function checkLayer(layer: LayerSpec, index: number, previous: LayerSpec | null): void {
  const where = `spec.layers[${index}]`;
  if (typeof layer !== 'object' || layer === null) {
    throw new TypeError(`Expected a layer spec for ${where} but received ${describe(layer)}`);
  }
  if (typeof layer.name !== 'string' || layer.name === '') {
    throw new TypeError(
      `Expected a non-empty string for ${where}.name but received ${describe(layer.name)}`,
    );
  }
  if (!LAYER_KINDS.includes(layer.kind)) {
    const suggestion =
      typeof layer.kind === 'string' ? closest(layer.kind, LAYER_KINDS) : undefined;
    const hint = suggestion ? `; did you mean '${suggestion}'?` : '';
    throw new RangeError(
      `Expected one of ${LAYER_KINDS.join(', ')} for the kind of layer '${layer.name}' ` +
        `(${where}) but received ${describe(layer.kind)}${hint}`,
    );
  }
  const label = `layer '${layer.name}' (${layer.kind}, ${where})`;
  checkShape(layer.inputShape, 'inputShape', label);

  // position in the network
  if ((index === 0) !== (layer.kind === 'input')) {
    throw new RangeError(
      index === 0
        ? `Expected the first layer to be an input layer but ${label} is not`
        : `Expected an input layer only first but ${label} is one`,
    );
  }
  if (previous && !sameShape(layer.inputShape, previous.outputShape)) {
    throw new RangeError(
      `Expected inputShape ${shapeText(previous.outputShape)} (the output of '${previous.name}') ` +
        `for ${label} but received ${shapeText(layer.inputShape)}`,
    );
  }

  // the output shape each kind implies
  const expected = expectedOutputShape(layer, label);
  checkShape(layer.outputShape, 'outputShape', label);
  if (expected && !sameShape(layer.outputShape, expected)) {
    throw new RangeError(
      `Expected outputShape ${shapeText(expected)} for ${label} but received ` +
        `${shapeText(layer.outputShape)}`,
    );
  }
}

/** An array as [a, b, c]; anything else as describe() puts it. */
function checkShape(shape: unknown, field: string, label: string): void {
  if (!isShape(shape)) {
    throw new TypeError(
      `Expected ${field} to be a list of positive integers for ${label} but received ` +
        describeList(shape),
    );
  }
}

function checkNonlinearity(value: unknown, label: string): void {
  if (!NONLINEARITIES.includes(value as Nonlinearity)) {
    throw new RangeError(
      `Expected one of ${NONLINEARITIES.join(', ')} for the nonlinearity of ${label} but ` +
        `received ${describe(value)}`,
    );
  }
}

function checkInit(value: unknown, field: string, label: string, nullable: boolean): void {
  if (value === null && nullable) return;
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof kind !== 'string' ||
    !(kind in INIT_FIELDS)
  ) {
    throw new TypeError(
      `Expected an init spec (kind one of ${Object.keys(INIT_FIELDS).join(', ')}) for ${field} ` +
        `of ${label} but received ${describe(value)}`,
    );
  }
  for (const name of INIT_FIELDS[kind as InitSpec['kind']]) {
    const number = (value as Record<string, unknown>)[name];
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      throw new TypeError(
        `Expected a finite number for ${field}.${name} of ${label} but received ` +
          describe(number),
      );
    }
  }
}

function expectedOutputShape(layer: LayerSpec, label: string): number[] | null {
  switch (layer.kind) {
    case 'input':
      return layer.inputShape;
    case 'dense':
      checkInteger(`numUnits of ${label}`, layer.numUnits, 1);
      checkNonlinearity(layer.nonlinearity, label);
      checkInit(layer.W, 'W', label, false);
      checkInit(layer.b, 'b', label, true);
      return [layer.numUnits];
    case 'conv2d': {
      checkImageInput(layer.inputShape, label);
      checkInteger(`numFilters of ${label}`, layer.numFilters, 1);
      checkPair(layer.filterSize, 'filterSize', 1, label);
      checkPair(layer.stride, 'stride', 1, label);
      checkPair(layer.pad, 'pad', 0, label);
      checkNonlinearity(layer.nonlinearity, label);
      checkInit(layer.W, 'W', label, false);
      checkInit(layer.b, 'b', label, true);
      const [, H, W] = layer.inputShape;
      const shape = [
        layer.numFilters,
        convOutputLength(H, layer.filterSize[0], layer.stride[0], layer.pad[0]),
        convOutputLength(W, layer.filterSize[1], layer.stride[1], layer.pad[1]),
      ];
      checkPositiveOutput(shape, label);
      return shape;
    }
    case 'maxpool2d':
    case 'avgpool2d': {
      checkImageInput(layer.inputShape, label);
      checkPair(layer.poolSize, 'poolSize', 1, label);
      checkPair(layer.stride, 'stride', 1, label);
      checkPair(layer.pad, 'pad', 0, label);
      for (const field of ['ignoreBorder', 'includePadding'] as const) {
        if (typeof layer[field] !== 'boolean') {
          throw new TypeError(
            `Expected a boolean for ${field} of ${label} but received ${describe(layer[field])}`,
          );
        }
      }
      const [C, H, W] = layer.inputShape;
      const shape = [
        C,
        poolOutputLength(H, layer.poolSize[0], layer.stride[0], layer.pad[0], layer.ignoreBorder),
        poolOutputLength(W, layer.poolSize[1], layer.stride[1], layer.pad[1], layer.ignoreBorder),
      ];
      checkPositiveOutput(shape, label);
      return shape;
    }
    case 'dropout':
      if (typeof layer.p !== 'number') throw typeError(`p of ${label}`, 'a number', layer.p);
      if (!(layer.p >= 0 && layer.p < 1)) {
        throw new RangeError(
          `Expected a number in [0, 1) for p of ${label} but received ${describe(layer.p)}`,
        );
      }
      return layer.inputShape;
    case 'nonlinearity':
      checkNonlinearity(layer.nonlinearity, label);
      return layer.inputShape;
    case 'reshape':
    case 'flatten':
      checkShape(layer.outputShape, 'outputShape', label);
      if (sizeOf(layer.outputShape) !== sizeOf(layer.inputShape)) {
        throw new RangeError(
          `Expected an outputShape of ${sizeOf(layer.inputShape)} values for ${label} but ` +
            `received ${shapeText(layer.outputShape)}`,
        );
      }
      return layer.kind === 'flatten' ? [sizeOf(layer.inputShape)] : null;
  }
}

function checkImageInput(shape: number[], label: string): void {
  if (shape.length !== 3) {
    throw new RangeError(
      `Expected an inputShape [C, H, W] for ${label} but received ${shapeText(shape)}`,
    );
  }
}

function checkPair(value: unknown, field: string, min: number, label: string): void {
  if (!isPair(value, min)) {
    throw new RangeError(
      `Expected a pair of integers >= ${min} for ${field} of ${label} but received ` +
        describeList(value),
    );
  }
}

function checkPositiveOutput(shape: number[], label: string): void {
  if (!shape.every((axis) => axis >= 1)) {
    throw new RangeError(
      `The input is too small for ${label}: its output would be ${shapeText(shape)}; ` +
        'pad the input or use a smaller window',
    );
  }
}
