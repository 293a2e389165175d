/**
 * Parity of whole training runs, JS against native, from the same seed:
 *   - each update rule over 3 epochs of 5 shuffled batches (15 steps) on a small MLP with
 *     dropout: epoch losses within 1e-6 relative, final weights within 1e-5 (|a - b| / (1 + |b|));
 *   - LeNet on the first 512 MNIST training images for 2 epochs (batches of 32, Nesterov
 *     momentum, dropout on), validated on the next 256: epoch losses and accuracies within 1e-5
 *     relative, final weights within 1e-5. Measured when written: 3e-9 and 4e-8; the margin
 *     leaves room for rounding differences to grow over 32 steps through rectify and max-pool
 *     kinks, or for a different summation order (threads, BLAS).
 * Each comparison prints its largest difference.
 */
import * as assert from 'assert';
import type {
  Backend,
  EpochRecord,
  NetworkSpec,
  ParamTensor,
  TrainOptions,
  UpdateSpec,
} from '../../lib/backend/backend';
import { jsBackend } from '../../lib/backend/js';
import { readMnistTrain } from '../helpers/mnist-subset';
import { lenetSpec, SpecBuilder, trainSpec, updateSpec } from '../helpers/spec';
import { blobs } from '../helpers/synthetic';
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

async function train(
  backend: Backend,
  spec: NetworkSpec,
  seed: number,
  options: TrainOptions,
): Promise<{ records: EpochRecord[]; params: ParamTensor[]; seconds: number }> {
  const model = backend.createModel(spec, seed);
  const started = process.hrtime.bigint();
  const records = await model.train(options);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const params = model.getParams();
  model.dispose();
  return { records, params, seconds };
}

function compareRecords(js: EpochRecord[], native: EpochRecord[]): Largest {
  assert.deepStrictEqual(
    js.map((r) => r.epoch),
    native.map((r) => r.epoch),
    'epochs run',
  );
  let worst = largestRelative(
    js.map((r) => r.trainLoss),
    native.map((r) => r.trainLoss),
    'trainLoss',
  );
  const validated = js.filter((r) => !Number.isNaN(r.validLoss));
  if (validated.length > 0) {
    worst = worse(
      worst,
      largestRelative(
        js.map((r) => r.validLoss),
        native.map((r) => r.validLoss),
        'validLoss',
      ),
    );
    worst = worse(
      worst,
      largestRelative(
        js.map((r) => r.validAccuracy),
        native.map((r) => r.validAccuracy),
        'validAccuracy',
      ),
    );
  }
  return worst;
}

describe('parity: JS and native training', function () {
  before(function () {
    if (!other) {
      note(`skipped: ${reason}`);
      this.skip();
    }
  });

  const RULES: Array<[UpdateSpec['rule'], Partial<UpdateSpec>]> = [
    ['sgd', { learningRate: 0.1 }],
    ['momentum', { learningRate: 0.05 }],
    ['nesterov_momentum', { learningRate: 0.05 }],
    ['adagrad', { learningRate: 0.1 }],
    ['rmsprop', { learningRate: 0.01 }],
    ['adadelta', { learningRate: 1 }],
    ['adam', { learningRate: 0.01 }],
    ['adamax', { learningRate: 0.01 }],
  ];
  for (const [rule, overrides] of RULES) {
    it(`${rule} over 15 steps`, async () => {
      const spec = new SpecBuilder([2])
        .dense(12, 'tanh')
        .dropout(0.2)
        .dense(8, 'rectify')
        .dense(3, 'softmax')
        .build();
      const options: TrainOptions = {
        train: blobs(40, 21),
        valid: blobs(20, 22),
        firstEpoch: 1,
        epochs: 3,
        spec: trainSpec({ batchSize: 8, l2: 1e-3, update: updateSpec(rule, overrides) }),
      };
      const js = await train(jsBackend, spec, 5, options);
      const native = await train(other as Backend, spec, 5, options);
      const records = compareRecords(js.records, native.records);
      const params = compareParams(js.params, native.params);
      note(
        `${rule}: records ${records.value.toExponential(2)}, ` +
          `weights ${params.value.toExponential(2)} (${params.where})`,
      );
      assertWithin(records, 1e-6, `${rule} epoch records`);
      assertWithin(params, 1e-5, `${rule} final weights`);
    });
  }

  it('LeNet on 512 MNIST images, 2 epochs, dropout on', async function () {
    this.timeout(120000);
    const mnist = readMnistTrain(512 + 256);
    const options: TrainOptions = {
      train: { x: mnist.x.subarray(0, 512 * 784), y: mnist.y.subarray(0, 512), n: 512 },
      valid: { x: mnist.x.subarray(512 * 784), y: mnist.y.subarray(512), n: 256 },
      firstEpoch: 1,
      epochs: 2,
      spec: trainSpec({
        batchSize: 32,
        update: updateSpec('nesterov_momentum', { learningRate: 0.01, momentum: 0.9 }),
      }),
    };
    const js = await train(jsBackend, lenetSpec(), 42, options);
    const native = await train(other as Backend, lenetSpec(), 42, options);
    const records = compareRecords(js.records, native.records);
    const params = compareParams(js.params, native.params);
    note(
      `js ${js.seconds.toFixed(2)} s, other ${native.seconds.toFixed(2)} s; ` +
        `trainLoss js ${js.records.map((r) => r.trainLoss.toFixed(6)).join(', ')}, ` +
        `other ${native.records.map((r) => r.trainLoss.toFixed(6)).join(', ')}`,
    );
    note(
      `records ${records.value.toExponential(2)} (${records.where}); ` +
        `weights ${params.value.toExponential(2)} (${params.where})`,
    );
    assert.ok(js.records[1].trainLoss < js.records[0].trainLoss, 'LeNet learns');
    assertWithin(records, 1e-5, 'LeNet epoch records');
    assertWithin(params, 1e-5, 'LeNet final weights');
  });
});
