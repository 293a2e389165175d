/**
 * Calls the raw bindings of the addon with garbage, one case after another, and prints one
 * JSON line per case: { case, threw, name, message } (or { case, threw: false, result }).
 * Run by native-garbage.test.ts in a child process, so that a crash is seen as a signal or a
 * non-zero exit instead of taking mocha down; "start" lines name the case that was running.
 *
 *   node dist/test/reliability/native-garbage-child.js [filter]
 */
import { native } from '../../lib/native';

type Binding = (...args: unknown[]) => unknown;
type ModelClass = new (...args: unknown[]) => Record<string, Binding>;

const addon = native() as unknown as Record<string, Binding> & { NativeModel: ModelClass };
const NativeModel = addon.NativeModel;
const f32 = (n: number) => new Float32Array(n);
const init = { kind: 'constant', value: 0 };

/** An input of `inputs` values, then a dense layer of `units` units. */
function denseSpec(inputs: number, units: number): string {
  return JSON.stringify({ layers: [
    { kind: 'input', name: 'in', inputShape: [inputs], outputShape: [inputs] },
    { kind: 'dense', name: 'out', inputShape: [inputs], outputShape: [units], numUnits: units,
      nonlinearity: 'softmax', W: init, b: null },
  ] });
}

const trainSpec = JSON.stringify({ loss: 'categorical_crossentropy', l1: 0, l2: 0,
  batchSize: 2, shuffle: true, update: { rule: 'sgd', learningRate: 0.1, momentum: 0, rho: 0,
    epsilon: 0, beta1: 0, beta2: 0 } });

/** Valid train options of the 4 -> 3 model, with changes. */
function train(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return { onEvent: () => true, spec: trainSpec, firstEpoch: 1, epochs: 1, n: 2, x: f32(8),
    y: Int32Array.from([0, 2]), progressIntervalMs: 100, ...changes };
}

const model = () => new NativeModel(denseSpec(4, 3), 1);

/** Every case: a name and what it calls. */
export const CASES: Array<[string, () => unknown]> = [
  // Core bindings.
  ['setNumThreads()', () => addon.setNumThreads()],
  ['setNumThreads("4")', () => addon.setNumThreads('4')],
  ['setNumThreads(NaN)', () => addon.setNumThreads(NaN)],
  ['setNumThreads(-1)', () => addon.setNumThreads(-1)],
  ['setNumThreads(1e9)', () => addon.setNumThreads(1e9)],
  ['setNumThreads(2**32 + 1)', () => addon.setNumThreads(2 ** 32 + 1)],
  ['gemm()', () => addon.gemm()],
  ['gemm(null)', () => addon.gemm(null)],
  ['gemm({}) without arrays', () => addon.gemm({})],
  ['gemm with m = 2**31', () => addon.gemm({ m: 2 ** 31, n: 1, k: 1, lda: 1, ldb: 1, ldc: 1,
    a: f32(1), b: f32(1), c: f32(1) })],
  ['gemm with negative m', () => addon.gemm({ m: -1, n: 2, k: 2, lda: 2, ldb: 2, ldc: 2,
    a: f32(4), b: f32(4), c: f32(4) })],
  ['gemm with sizes of 1e9', () => addon.gemm({ m: 1e9, n: 1e9, k: 1e9, lda: 1e9, ldb: 1e9,
    ldc: 1e9, a: f32(4), b: f32(4), c: f32(4) })],
  ['gemm with C too short for 65536 x 65536', () => addon.gemm({ m: 65536, n: 65536, k: 1,
    lda: 1, ldb: 65536, ldc: 65536, a: f32(65536), b: f32(65536), c: f32(16) })],
  ['gemm with lda < k', () => addon.gemm({ m: 2, n: 2, k: 2, lda: 1, ldb: 2, ldc: 2,
    a: f32(4), b: f32(4), c: f32(4) })],
  ['gemm with a Float64Array', () => addon.gemm({ m: 1, n: 1, k: 1, lda: 1, ldb: 1, ldc: 1,
    a: new Float64Array(1), b: f32(1), c: f32(1) })],
  ['gemm with a throwing getter', () => addon.gemm({ get a(): never {
    throw new Error('getter says no');
  } })],
  ['rngDraws()', () => addon.rngDraws()],
  ['rngDraws(1, 1, -1)', () => addon.rngDraws(1, 1, -1)],
  ['rngDraws(1, 1, 2**32 - 1)', () => addon.rngDraws(1, 1, 2 ** 32 - 1)],
  ['rngDraws(1, 1, 1.5)', () => addon.rngDraws(1, 1, 1.5)],
  ['augmentImages()', () => addon.augmentImages()],
  ['augmentImages with negative channels', () => addon.augmentImages(f32(4), 1, -1, 2, 2, {},
    1)],
  ['augmentImages with height 1e9', () => addon.augmentImages(f32(4), 1, 1, 1e9, 1e9, {}, 1)],
  ['augmentImages with 2^31 - 1 channels', () => addon.augmentImages(f32(4), 1, 2 ** 31 - 1,
    2, 2, {}, 1)],
  ['augmentImages with NaN alpha', () => addon.augmentImages(f32(4), 1, 1, 2, 2,
    { elastic: { alpha: NaN, sigma: 1 } }, 1)],
  ['augmentImages with a short array', () => addon.augmentImages(f32(3), 1, 1, 2, 2, {}, 1)],

  // The model constructor and its spec JSON.
  ['NativeModel()', () => new NativeModel()],
  ['NativeModel without new', () => (NativeModel as unknown as Binding)('{}', 1)],
  ['NativeModel(5, 1)', () => new NativeModel(5, 1)],
  ['NativeModel("", 1)', () => new NativeModel('', 1)],
  ['NativeModel("{", 1)', () => new NativeModel('{', 1)],
  ['NativeModel("[]", 1)', () => new NativeModel('[]', 1)],
  ['NativeModel with trailing text', () => new NativeModel('{} x', 1)],
  ['NativeModel nested 10000 deep', () => new NativeModel('['.repeat(10000), 1)],
  ['NativeModel with a NUL byte', () => new NativeModel('{"layers\u0000":1}', 1)],
  ['NativeModel with 1e9 units', () => new NativeModel(denseSpec(784, 1e9), 1)],
  ['NativeModel with 2^30 x 2^30 inputs', () => new NativeModel(JSON.stringify({ layers: [
    { kind: 'input', name: 'in', inputShape: [2 ** 30, 2 ** 30], outputShape: [2 ** 30, 2 ** 30] },
    { kind: 'flatten', name: 'f', inputShape: [2 ** 30, 2 ** 30], outputShape: [4] },
  ] }), 1)],
  ['NativeModel with a conv padded past 2^30', () => new NativeModel(JSON.stringify({ layers: [
    { kind: 'input', name: 'in', inputShape: [1, 2 ** 30, 1], outputShape: [1, 2 ** 30, 1] },
    { kind: 'conv2d', name: 'c', inputShape: [1, 2 ** 30, 1], outputShape: [1, 3, 1],
      numFilters: 1, filterSize: [1, 1], stride: [2 ** 30, 1], pad: [2 ** 30, 0],
      nonlinearity: 'linear', W: init, b: null },
  ] }), 1)],
  ['NativeModel with negative units', () => new NativeModel(denseSpec(4, -3), 1)],
  ['NativeModel with NaN-like units', () => new NativeModel(denseSpec(4, 3).replace(
    '"numUnits":3', '"numUnits":-nan'), 1)],
  ['NativeModel with units 1e400', () => new NativeModel(denseSpec(4, 3).replace(
    '"numUnits":3', '"numUnits":1e400'), 1)],

  // Methods of a model.
  ['getParams on a plain object', () => model().getParams.call({})],
  ['getParams on a number', () => model().getParams.call(5)],
  ['setParams()', () => model().setParams()],
  ['setParams([1])', () => model().setParams([1])],
  ['setParams with 1 value for 12', () => model().setParams([{ layer: 'out', name: 'W',
    values: f32(1) }])],
  ['setParams with a Symbol layer', () => model().setParams([{ layer: Symbol('x'), name: 'W',
    values: f32(12) }])],
  ['train()', () => model().train()],
  ['train without onEvent', () => model().train({})],
  ['train with a malformed spec', () => model().train(train({ spec: '{' }))],
  ['train without x', () => model().train(train({ x: undefined }))],
  ['train with x an Int32Array', () => model().train(train({ x: new Int32Array(8) }))],
  ['train with n = 2^31 - 1', () => model().train(train({ n: 2 ** 31 - 1 }))],
  ['train with n = 2^31', () => model().train(train({ n: 2 ** 31 }))],
  ['train with n = -5', () => model().train(train({ n: -5 }))],
  ['train with n = NaN', () => model().train(train({ n: NaN }))],
  ['train without labels', () => model().train(train({ y: undefined }))],
  ['train with label 99', () => model().train(train({ y: Int32Array.from([0, 99]) }))],
  ['train with epochs = -1', () => model().train(train({ epochs: -1 }))],
  ['train with 1 learning rate for 3 epochs', () => model().train(train({ epochs: 3,
    learningRates: new Float64Array(1) }))],
  ['train with a short validX', () => model().train(train({ validX: f32(3), validN: 1,
    validY: Int32Array.from([0]) }))],
  ['train with validX but no validN', () => model().train(train({ validX: f32(4) }))],
  ['train twice at once', () => {
    const m = model();
    const first = m.train(train({ epochs: 1000 })) as Promise<unknown>;
    try {
      return m.train(train());
    } finally {
      m.abort();
      void first.catch(() => undefined);
    }
  }],
  ['train then dispose at once', async () => {
    const m = model();
    const running = m.train(train({ epochs: 100000 })) as Promise<{ outcome: string }>;
    m.dispose();
    return (await running).outcome;
  }],
  ['predict()', () => model().predict()],
  ['predict with n = 2^31 - 1', () => model().predict({ x: f32(8), n: 2 ** 31 - 1,
    batchSize: 4 })],
  ['predict with n = -1', () => model().predict({ x: f32(8), n: -1, batchSize: 4 })],
  ['predict with batchSize 0', () => model().predict({ x: f32(8), n: 2, batchSize: 0 })],
  ['predict an unknown layer', () => model().predict({ x: f32(8), n: 2, batchSize: 2,
    layer: 'nope' })],
  ['getParams after dispose', () => {
    const m = model();
    m.dispose();
    m.dispose();
    return m.getParams();
  }],
  ['abort after dispose', () => {
    const m = model();
    m.dispose();
    return m.abort();
  }],
];

async function main(): Promise<void> {
  const filter = process.argv[2] ?? '';
  for (const [name, run] of CASES) {
    if (!name.includes(filter)) continue;
    process.stdout.write(`start ${JSON.stringify(name)}\n`);
    let line: Record<string, unknown>;
    try {
      const result = await run();
      line = { case: name, threw: false, result: typeof result === 'string' ? result
        : result === undefined ? 'undefined' : Object.prototype.toString.call(result) };
    } catch (error) {
      line = error instanceof Error
        ? { case: name, threw: true, name: error.constructor.name, message: error.message }
        : { case: name, threw: true, name: typeof error, message: String(error) };
    }
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
  process.stdout.write('end\n');
}

void main();
