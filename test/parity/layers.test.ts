/**
 * Parity of every layer across its options: the same small network on the JS and the native
 * backend, from the same seed, must agree in
 *   - initial weights            (largest |a - b| / (1 + |b|) <= 1e-6)
 *   - forward outputs (predict)  (largest |a - b| / (1 + |b|) <= 1e-5)
 *   - the loss of one batch      (relative difference <= 1e-5)
 *   - every gradient             (recovered as before - after of one sgd step with learning
 *                                 rate 1; largest |a - b| / max(|a|, |b|) per tensor <= 2e-5)
 * Measured when written: outputs 1e-7, gradients 1.1e-6.
 * Training steps use the whole set as one batch without shuffling, dropout included, so both
 * backends draw the same masks.
 */
import type { Backend, Dataset, NetworkSpec, TrainSpec } from '../../lib/backend/backend';
import { jsBackend } from '../../lib/backend/js';
import { randomArray } from '../helpers/numeric';
import { SpecBuilder, trainSpec, updateSpec } from '../helpers/spec';
import {
  assertWithin,
  compareParams,
  largestRelative,
  largestScaled,
  Largest,
  loadOtherBackend,
  note,
  stepGradients,
  worse,
} from './compare';

const { backend: other, reason } = loadOtherBackend();

interface Case {
  name: string;
  spec: NetworkSpec;
  loss: TrainSpec['loss'];
}

/** Input [2, 7, 7] -> conv (tanh, so pools see no ties) -> the pooling -> dense softmax. */
function poolCase(name: string, build: (builder: SpecBuilder) => SpecBuilder): Case {
  const builder = new SpecBuilder([2, 7, 7]).conv2d(3, 3, 'tanh', { pad: 1 });
  return {
    name,
    spec: build(builder).dense(4, 'softmax').build(),
    loss: 'categorical_crossentropy',
  };
}

function convCase(
  name: string,
  inputShape: number[],
  build: (builder: SpecBuilder) => SpecBuilder,
): Case {
  return {
    name,
    spec: build(new SpecBuilder(inputShape)).dense(4, 'softmax').build(),
    loss: 'categorical_crossentropy',
  };
}

const NONLINEARITIES = [
  'rectify',
  'softmax',
  'tanh',
  'sigmoid',
  'linear',
  'leaky_rectify',
  'elu',
  'softplus',
] as const;

const CASES: Case[] = [
  // conv2d: strides, each kind of padding, channel counts, filter shapes, with and without bias
  convCase('conv 1 channel 3x3 valid', [1, 8, 8], (b) => b.conv2d(2, 3, 'tanh')),
  convCase('conv 3 channels 5x5 stride 2', [3, 11, 11], (b) =>
    b.conv2d(4, 5, 'rectify', { stride: 2 }),
  ),
  convCase('conv 2 channels 2x3 stride [1, 2] pad same', [2, 7, 8], (b) =>
    b.conv2d(3, [2, 3], 'elu', { stride: [1, 2], pad: 'same' }),
  ),
  convCase('conv pad 1 stride 2, no bias', [4, 6, 6], (b) =>
    b.conv2d(2, 3, 'linear', { stride: 2, pad: 1, b: null }),
  ),
  convCase('conv pad full', [2, 5, 5], (b) => b.conv2d(2, 3, 'sigmoid', { pad: 'full' })),
  convCase('conv pad [2, 1] stride [2, 3]', [3, 9, 10], (b) =>
    b.conv2d(5, 3, 'softplus', { pad: [2, 1], stride: [2, 3] }),
  ),
  convCase('two convs, 8 channels', [1, 10, 10], (b) =>
    b.conv2d(8, 3, 'tanh').conv2d(3, 3, 'leaky_rectify', { pad: 1 }),
  ),
  convCase('conv with he_normal and uniform bias', [2, 6, 6], (b) =>
    b.conv2d(3, 3, 'tanh', {
      W: { kind: 'he_normal', gain: Math.SQRT2 },
      b: { kind: 'uniform', low: -0.1, high: 0.1 },
    }),
  ),

  // pooling: sizes, strides, padding, ignoreBorder, average with and without padding
  poolCase('maxpool 2', (b) => b.maxpool2d(2)),
  poolCase('maxpool 2 ignoreBorder false', (b) => b.maxpool2d(2, { ignoreBorder: false })),
  poolCase('maxpool 3 stride 2 pad 1', (b) => b.maxpool2d(3, { stride: 2, pad: 1 })),
  poolCase('maxpool 3 stride 1 ignoreBorder false', (b) =>
    b.maxpool2d(3, { stride: 1, ignoreBorder: false }),
  ),
  poolCase('maxpool [2, 3] stride [1, 2]', (b) => b.maxpool2d([2, 3], { stride: [1, 2] })),
  poolCase('avgpool 2 including padding, pad 1', (b) => b.avgpool2d(2, { pad: 1 })),
  poolCase('avgpool 3 stride 2 pad 1 excluding padding', (b) =>
    b.avgpool2d(3, { stride: 2, pad: 1, includePadding: false }),
  ),
  poolCase('avgpool 2 ignoreBorder false', (b) => b.avgpool2d(2, { ignoreBorder: false })),
  poolCase('avgpool 3 stride 2 ignoreBorder false excluding padding', (b) =>
    b.avgpool2d(3, { stride: 2, ignoreBorder: false, includePadding: false }),
  ),

  // dropout, reshape, flatten
  poolCase('dropout 0.5 after a conv', (b) => b.dropout(0.5)),
  {
    name: 'dropout 0.2 between dense layers',
    spec: new SpecBuilder([12])
      .dense(10, 'rectify')
      .dropout(0.2)
      .dense(6, 'tanh')
      .dropout(0.5)
      .dense(3, 'softmax')
      .build(),
    loss: 'categorical_crossentropy',
  },
  {
    name: 'reshape [32] -> [2, 4, 4] -> conv -> flatten',
    spec: new SpecBuilder([32])
      .reshape([2, 4, 4])
      .conv2d(3, 3, 'tanh', { pad: 1 })
      .flatten()
      .dense(3, 'softmax')
      .build(),
    loss: 'categorical_crossentropy',
  },
  {
    name: 'reshape [2, 3, 4] -> [4, 6] -> dense',
    spec: new SpecBuilder([2, 3, 4])
      .reshape([4, 6])
      .dense(5, 'tanh')
      .reshape([5, 1, 1])
      .flatten()
      .dense(3, 'softmax')
      .build(),
    loss: 'categorical_crossentropy',
  },

  // each nonlinearity as a dense layer's, as a standalone layer, and at the output
  ...NONLINEARITIES.map((f) => ({
    name: `dense ${f} hidden`,
    spec: new SpecBuilder([6]).dense(7, f).dense(3, 'softmax').build(),
    loss: 'categorical_crossentropy' as const,
  })),
  ...NONLINEARITIES.map((f) => ({
    name: `nonlinearity layer ${f}`,
    spec: new SpecBuilder([6]).dense(7, 'linear').nonlinearity(f).dense(3, 'softmax').build(),
    loss: 'categorical_crossentropy' as const,
  })),
  ...NONLINEARITIES.filter((f) => f !== 'softmax').map((f) => ({
    name: `squared error on a ${f} output`,
    spec: new SpecBuilder([6]).dense(7, 'tanh').dense(3, f).build(),
    loss: 'squared_error' as const,
  })),
  {
    name: 'softmax as a standalone output layer',
    spec: new SpecBuilder([6]).dense(4, 'linear').nonlinearity('softmax').build(),
    loss: 'categorical_crossentropy',
  },
];

const SAMPLES = 6;

function dataFor(testCase: Case, seed: number): Dataset {
  const first = testCase.spec.layers[0].outputShape.reduce((a, b) => a * b, 1);
  const last = testCase.spec.layers[testCase.spec.layers.length - 1].outputShape.reduce(
    (a, b) => a * b,
    1,
  );
  const x = randomArray(SAMPLES * first, seed);
  const y =
    testCase.loss === 'categorical_crossentropy'
      ? Int32Array.from({ length: SAMPLES }, (_, i) => (i * 7) % last)
      : randomArray(SAMPLES * last, seed + 1);
  return { x, y, n: SAMPLES };
}

/** Initial params, predictions, loss and gradients of one backend. */
async function run(backend: Backend, testCase: Case, seed: number) {
  const model = backend.createModel(testCase.spec, seed);
  const data = dataFor(testCase, seed);
  const initial = model.getParams();
  const output = await model.predict({ x: data.x, n: data.n });
  const spec = trainSpec({
    loss: testCase.loss,
    batchSize: SAMPLES,
    shuffle: false,
    l1: 1e-3,
    l2: 1e-2,
    update: updateSpec('sgd', { learningRate: 1 }),
  });
  const [record] = await model.train({ train: data, firstEpoch: 1, epochs: 1, spec });
  const gradients = stepGradients(initial, model.getParams());
  model.dispose();
  return { initial, output, loss: record.trainLoss, gradients };
}

describe('parity: JS and native layers', function () {
  before(function () {
    if (!other) {
      note(`skipped: ${reason}`);
      this.skip();
    }
  });

  let worstOutput: Largest = { value: 0, where: '', actual: NaN, expected: NaN };
  let worstGradient: Largest = { value: 0, where: '', actual: NaN, expected: NaN };
  after(function () {
    if (!other) return;
    note(
      `largest output difference ${worstOutput.value.toExponential(2)} (${worstOutput.where}); ` +
        `largest gradient difference ${worstGradient.value.toExponential(2)} ` +
        `(${worstGradient.where})`,
    );
  });

  CASES.forEach((testCase, index) => {
    it(testCase.name, async () => {
      const seed = 100 + index;
      const js = await run(jsBackend, testCase, seed);
      const native = await run(other as Backend, testCase, seed);

      assertWithin(compareParams(js.initial, native.initial), 1e-6, 'initial weights');
      const output = largestRelative(js.output, native.output, 'output');
      assertWithin(output, 1e-5, 'predict output');
      assertWithin(largestRelative([js.loss], [native.loss], 'loss'), 1e-5, 'batch loss');
      let gradient: Largest = { value: 0, where: '(no params)', actual: NaN, expected: NaN };
      js.gradients.forEach((g, i) => {
        const label = `${js.initial[i].layer}.${js.initial[i].name} gradient`;
        gradient = worse(gradient, largestScaled(g, native.gradients[i], label));
      });
      assertWithin(gradient, 2e-5, 'gradients');
      worstOutput = worse(worstOutput, { ...output, where: `${testCase.name}: ${output.where}` });
      worstGradient = worse(worstGradient, {
        ...gradient,
        where: `${testCase.name}: ${gradient.where}`,
      });
    });
  });
});
