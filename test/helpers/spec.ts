/**
 * Hand-built network specs for backend tests: a builder that resolves each layer's
 * inputShape and outputShape the way lib/layers does, so tests can write
 *
 *   const spec = new SpecBuilder([1, 28, 28])
 *     .conv2d(32, 5).maxpool2d(2).dense(10, 'softmax').build();
 *
 * and a TrainSpec / UpdateSpec with Lasagne's defaults.
 */
import type {
  InitSpec,
  LayerSpec,
  NetworkSpec,
  Nonlinearity,
  TrainSpec,
  UpdateSpec,
} from '../../lib/backend/backend';

type Pair = number | [number, number];

function pair(value: Pair): [number, number] {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}

export interface DenseOptions {
  name?: string;
  W?: InitSpec;
  b?: InitSpec | null;
}

export interface ConvOptions extends DenseOptions {
  stride?: Pair;
  /** An integer pair or Lasagne's 'valid' / 'same' / 'full'. */
  pad?: Pair | 'valid' | 'same' | 'full';
}

export interface PoolOptions {
  name?: string;
  /** Default: the pool size, as in Lasagne. */
  stride?: Pair;
  pad?: Pair;
  ignoreBorder?: boolean;
  includePadding?: boolean;
}

/** Pooling output length, Lasagne's rule (ignoreBorder false applied to the padded length). */
export function poolLength(
  input: number,
  pool: number,
  stride: number,
  pad: number,
  ignoreBorder: boolean,
): number {
  const length = input + 2 * pad;
  if (ignoreBorder) return Math.floor((length - pool) / stride) + 1;
  if (stride >= pool) return Math.ceil(length / stride);
  return Math.max(0, Math.ceil((length - pool) / stride)) + 1;
}

/** Builds a sequential NetworkSpec layer by layer with resolved shapes. */
export class SpecBuilder {
  private readonly layers: LayerSpec[] = [];
  private shape: number[];

  constructor(inputShape: number[], name = 'input') {
    this.shape = inputShape.slice();
    this.layers.push({ kind: 'input', name, inputShape: this.shape, outputShape: this.shape });
  }

  private nextName(kind: string, name?: string): string {
    return name ?? `${kind}${this.layers.length}`;
  }

  private push(layer: LayerSpec): this {
    this.layers.push(layer);
    this.shape = layer.outputShape.slice();
    return this;
  }

  dense(
    numUnits: number,
    nonlinearity: Nonlinearity = 'rectify',
    options: DenseOptions = {},
  ): this {
    return this.push({
      kind: 'dense',
      name: this.nextName('dense', options.name),
      inputShape: this.shape,
      outputShape: [numUnits],
      numUnits,
      nonlinearity,
      W: options.W ?? { kind: 'glorot_uniform', gain: 1 },
      b: options.b === undefined ? { kind: 'constant', value: 0 } : options.b,
    });
  }

  conv2d(
    numFilters: number,
    filterSize: Pair,
    nonlinearity: Nonlinearity = 'rectify',
    options: ConvOptions = {},
  ): this {
    const [, H, W] = this.shape;
    const filter = pair(filterSize);
    const stride = pair(options.stride ?? 1);
    const padOption = options.pad ?? 0;
    let pad: [number, number];
    if (padOption === 'valid') pad = [0, 0];
    else if (padOption === 'same') pad = [Math.floor(filter[0] / 2), Math.floor(filter[1] / 2)];
    else if (padOption === 'full') pad = [filter[0] - 1, filter[1] - 1];
    else pad = pair(padOption);
    const out = (size: number, axis: number): number =>
      Math.floor((size + 2 * pad[axis] - filter[axis]) / stride[axis]) + 1;
    return this.push({
      kind: 'conv2d',
      name: this.nextName('conv', options.name),
      inputShape: this.shape,
      outputShape: [numFilters, out(H, 0), out(W, 1)],
      numFilters,
      filterSize: filter,
      stride,
      pad,
      nonlinearity,
      W: options.W ?? { kind: 'glorot_uniform', gain: 1 },
      b: options.b === undefined ? { kind: 'constant', value: 0 } : options.b,
    });
  }

  private pool(kind: 'maxpool2d' | 'avgpool2d', poolSize: Pair, options: PoolOptions): this {
    const [C, H, W] = this.shape;
    const size = pair(poolSize);
    const stride = pair(options.stride ?? size);
    const pad = pair(options.pad ?? 0);
    const ignoreBorder = options.ignoreBorder ?? true;
    return this.push({
      kind,
      name: this.nextName(kind === 'maxpool2d' ? 'maxpool' : 'avgpool', options.name),
      inputShape: this.shape,
      outputShape: [
        C,
        poolLength(H, size[0], stride[0], pad[0], ignoreBorder),
        poolLength(W, size[1], stride[1], pad[1], ignoreBorder),
      ],
      poolSize: size,
      stride,
      pad,
      ignoreBorder,
      includePadding: options.includePadding ?? true,
    });
  }

  maxpool2d(poolSize: Pair, options: PoolOptions = {}): this {
    return this.pool('maxpool2d', poolSize, options);
  }

  avgpool2d(poolSize: Pair, options: PoolOptions = {}): this {
    return this.pool('avgpool2d', poolSize, options);
  }

  dropout(p: number, name?: string): this {
    return this.push({
      kind: 'dropout',
      name: this.nextName('dropout', name),
      inputShape: this.shape,
      outputShape: this.shape,
      p,
    });
  }

  reshape(outputShape: number[], name?: string): this {
    return this.push({
      kind: 'reshape',
      name: this.nextName('reshape', name),
      inputShape: this.shape,
      outputShape,
    });
  }

  flatten(name?: string): this {
    const size = this.shape.reduce((a, b) => a * b, 1);
    return this.push({
      kind: 'flatten',
      name: this.nextName('flatten', name),
      inputShape: this.shape,
      outputShape: [size],
    });
  }

  nonlinearity(nonlinearity: Nonlinearity, name?: string): this {
    return this.push({
      kind: 'nonlinearity',
      name: this.nextName('nonlinearity', name),
      inputShape: this.shape,
      outputShape: this.shape,
      nonlinearity,
    });
  }

  build(): NetworkSpec {
    return { layers: this.layers.map((layer) => JSON.parse(JSON.stringify(layer)) as LayerSpec) };
  }
}

/** The LeNet of DESIGN.md on [1, 28, 28] inputs. */
export function lenetSpec(): NetworkSpec {
  return new SpecBuilder([1, 28, 28])
    .conv2d(32, 5, 'rectify', { name: 'conv1' })
    .maxpool2d(2, { name: 'pool1' })
    .conv2d(32, 3, 'rectify', { name: 'conv2' })
    .maxpool2d(2, { name: 'pool2' })
    .dropout(0.25, 'dropout1')
    .dense(100, 'rectify', { name: 'hidden' })
    .dropout(0.5, 'dropout2')
    .dense(10, 'softmax', { name: 'output' })
    .build();
}

/** An UpdateSpec with Lasagne's defaults for the rule, fields overridable. */
export function updateSpec(
  rule: UpdateSpec['rule'],
  overrides: Partial<UpdateSpec> = {},
): UpdateSpec {
  const defaults: Record<UpdateSpec['rule'], Partial<UpdateSpec>> = {
    sgd: { learningRate: 0.01 },
    momentum: { learningRate: 0.01, momentum: 0.9 },
    nesterov_momentum: { learningRate: 0.01, momentum: 0.9 },
    adagrad: { learningRate: 1, epsilon: 1e-6 },
    rmsprop: { learningRate: 1, rho: 0.9, epsilon: 1e-6 },
    adadelta: { learningRate: 1, rho: 0.95, epsilon: 1e-6 },
    adam: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
    adamax: { learningRate: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  };
  return {
    rule,
    learningRate: 0.01,
    momentum: 0.9,
    rho: 0.9,
    epsilon: 1e-6,
    beta1: 0.9,
    beta2: 0.999,
    ...defaults[rule],
    ...overrides,
  };
}

/** A TrainSpec: cross-entropy, no penalties, batches of 32, shuffled, sgd unless given. */
export function trainSpec(overrides: Partial<TrainSpec> = {}): TrainSpec {
  return {
    loss: 'categorical_crossentropy',
    l1: 0,
    l2: 0,
    update: updateSpec('sgd'),
    batchSize: 32,
    shuffle: true,
    ...overrides,
  };
}
