/**
 * Parity of augmented training, JS against native, from the same seed: a small CNN on the
 * first 256 MNIST training images for 2 epochs (batches of 32, Nesterov momentum, dropout on,
 * elastic distortion and affine transform on every batch), validated on the next 128.
 *
 * The two augmentation implementations (native/data/augment.cc in float, lib/augment.ts in
 * double) agree to about 1e-6 per pixel, so the batches the network sees differ by that much
 * and training differences stay small. Tolerances (|a - b| / (1 + |b|)): each batch handed to
 * batchTransform within 1e-5 per pixel; epoch losses and accuracies within 1e-4; final weights
 * within 1e-4. Measured when written: batches 2.3e-6, records 1.9e-8, weights 5.3e-8; the
 * margin leaves room for a pixel difference to grow through 16 steps of rectify and max-pool
 * kinks.
 * Each comparison prints its largest difference.
 */
import * as assert from 'assert';
import type {
  Backend,
  EpochRecord,
  NetworkSpec,
  ParamTensor,
  TrainOptions,
} from '../../lib/backend/backend';
import { jsBackend } from '../../lib/backend/js';
import { MNIST_AUGMENT_DEFAULTS, resolveAugmentOptions } from '../../lib/augment';
import { readMnistTrain } from '../helpers/mnist-subset';
import { SpecBuilder, trainSpec, updateSpec } from '../helpers/spec';
import {
  assertWithin,
  compareParams,
  Largest,
  largestRelative,
  loadOtherBackend,
  note,
  worse,
} from './compare';

const { backend: other, reason } = loadOtherBackend();

/** input [784] -> reshape [1, 28, 28] -> conv(8, 5x5) -> maxpool(2) -> dropout -> dense(32)
 * -> dense(10, softmax). */
function smallCnn(): NetworkSpec {
  return new SpecBuilder([784])
    .reshape([1, 28, 28], 'image')
    .conv2d(8, 5, 'rectify', { name: 'conv' })
    .maxpool2d(2, { name: 'pool' })
    .dropout(0.25, 'drop')
    .dense(32, 'rectify', { name: 'hidden' })
    .dense(10, 'softmax', { name: 'output' })
    .build();
}

interface Run {
  records: EpochRecord[];
  params: ParamTensor[];
  /** Copies of the batches batchTransform saw, in order. */
  batches: Float32Array[];
  seconds: number;
}

async function train(backend: Backend, options: TrainOptions): Promise<Run> {
  const model = backend.createModel(smallCnn(), 7);
  const batches: Float32Array[] = [];
  const started = process.hrtime.bigint();
  const records = await model.train({ ...options, batchTransform: (x) => {
    batches.push(x.slice());
  } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const params = model.getParams();
  model.dispose();
  return { records, params, batches, seconds };
}

describe('parity: augmented training, JS and native', function () {
  before(function () {
    if (!other) {
      note(`skipped: ${reason}`);
      this.skip();
    }
  });

  it('a small CNN on 256 MNIST images, 2 epochs, elastic + affine', async function () {
    this.timeout(60000);
    const mnist = readMnistTrain(256 + 128);
    const options: TrainOptions = {
      train: { x: mnist.x.subarray(0, 256 * 784), y: mnist.y.subarray(0, 256), n: 256 },
      valid: { x: mnist.x.subarray(256 * 784), y: mnist.y.subarray(256), n: 128 },
      firstEpoch: 1,
      epochs: 2,
      spec: trainSpec({
        batchSize: 32,
        update: updateSpec('nesterov_momentum', { learningRate: 0.05, momentum: 0.9 }),
        augment: {
          options: resolveAugmentOptions(MNIST_AUGMENT_DEFAULTS),
          channels: 1,
          height: 28,
          width: 28,
        },
      }),
    };
    const js = await train(jsBackend, options);
    const native = await train(other as Backend, options);

    // The batches: the same augmented pixels.
    assert.strictEqual(js.batches.length, 16, 'batches seen by the JS backend');
    assert.strictEqual(native.batches.length, 16, 'batches seen by the native backend');
    let pixels: Largest = { value: 0, where: 'all equal', actual: NaN, expected: NaN };
    js.batches.forEach((batch, i) => {
      pixels = worse(pixels, largestRelative(batch, native.batches[i], `batch ${i + 1}`));
    });
    const order = new Set<number>();
    for (const batch of js.batches) order.add(batch.length);

    const records = (() => {
      let worst = largestRelative(js.records.map((r) => r.trainLoss),
        native.records.map((r) => r.trainLoss), 'trainLoss');
      worst = worse(worst, largestRelative(js.records.map((r) => r.validLoss),
        native.records.map((r) => r.validLoss), 'validLoss'));
      return worse(worst, largestRelative(js.records.map((r) => r.validAccuracy),
        native.records.map((r) => r.validAccuracy), 'validAccuracy'));
    })();
    const params = compareParams(js.params, native.params);
    note(`js ${js.seconds.toFixed(2)} s, native ${native.seconds.toFixed(2)} s; trainLoss js ` +
      `${js.records.map((r) => r.trainLoss.toFixed(6)).join(', ')}, native ` +
      `${native.records.map((r) => r.trainLoss.toFixed(6)).join(', ')}`);
    note(`batches ${pixels.value.toExponential(2)} (${pixels.where}); records ` +
      `${records.value.toExponential(2)} (${records.where}); weights ` +
      `${params.value.toExponential(2)} (${params.where})`);
    assert.deepStrictEqual([...order], [32 * 784], 'every batch holds 32 images');
    assertWithin(pixels, 1e-5, 'augmented batches');
    assertWithin(records, 1e-4, 'epoch records');
    assertWithin(params, 1e-4, 'final weights');
  });
});
