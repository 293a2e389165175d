/**
 * NeuralNet's augment and batch_transform options: augmentation during training is
 * deterministic for a seed, changes the training batches, never touches validation or
 * prediction; option errors name the parameter; the transform sees every training batch with
 * its shape, and what it does to a batch is what the network trains on. On both backends where
 * it matters; small MNIST subsets keep it fast.
 */
import * as assert from 'assert';
import {
  Conv2DLayer,
  DenseLayer,
  InputLayer,
  MaxPool2DLayer,
  MNIST_AUGMENT_DEFAULTS,
  NeuralNet,
  ReshapeLayer,
  setNumThreads,
  getNumThreads,
  softmax,
} from '../../lib';
import type { BatchInfo } from '../../lib';
import { readMnistTrain } from '../helpers/mnist-subset';
import { hasJsBackend } from '../helpers/estimator';

const mnist = readMnistTrain(320);
const train = { X: mnist.x.subarray(0, 256 * 784), y: mnist.y.subarray(0, 256) };
const valid = { X: mnist.x.subarray(256 * 784), y: mnist.y.subarray(256) };

/** input [784] -> reshape [1, 28, 28] -> conv(6, 5x5) -> maxpool(2) -> dense(10, softmax). */
function smallCnn(extra: Record<string, unknown> = {}): NeuralNet {
  return new NeuralNet({
    layers: [['input', InputLayer], ['image', ReshapeLayer], ['conv', Conv2DLayer],
      ['pool', MaxPool2DLayer], ['output', DenseLayer]],
    input_shape: [null, 784],
    image_shape: [[0], 1, 28, 28],
    conv_num_filters: 6,
    conv_filter_size: [5, 5],
    pool_pool_size: [2, 2],
    output_num_units: 10,
    output_nonlinearity: softmax,
    update_learning_rate: 0.05,
    batch_size: 50,
    max_epochs: 2,
    train_split: false,
    seed: 3,
    ...extra,
  } as never);
}

/** Largest |a - b| over two arrays. */
function largestDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.strictEqual(a.length, b.length);
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i] - b[i]));
  return largest;
}

function weightsOf(net: NeuralNet): Float32Array[] {
  return net.getParams().map((param) => param.values);
}

function rejectsWith(promise: Promise<unknown>, name: string, message: string):
  Promise<void> {
  return assert.rejects(promise, (error: Error) => {
    assert.strictEqual(error.name, name);
    assert.strictEqual(error.message, message);
    return true;
  });
}

const backends = (['native', 'js'] as const).filter((name) => name === 'native' ||
  hasJsBackend());

describe('estimator: augment and batch_transform', function () {
  this.timeout(60000);

  describe('augment', () => {
    it('is deterministic for a seed, whatever the thread count (native)', async () => {
      const threads = getNumThreads();
      const runs: Float32Array[][] = [];
      try {
        for (const count of [2, 1, 2]) {
          setNumThreads(count);
          const net = smallCnn({ augment: true });
          await net.fit(train.X, train.y);
          runs.push(weightsOf(net));
          net.dispose();
        }
      } finally {
        setNumThreads(threads);
      }
      for (const run of runs.slice(1)) {
        run.forEach((values, i) => assert.deepStrictEqual(values, runs[0][i],
          'same seed, same weights (bit for bit)'));
      }
      const other = smallCnn({ augment: true, seed: 4 });
      await other.fit(train.X, train.y);
      assert.ok(largestDifference(weightsOf(other)[0], runs[0][0]) > 0, 'another seed differs');
    });

    it('changes the training batches, and continues its draws across fit calls', async () => {
      const plain = smallCnn();
      const augmented = smallCnn({ augment: true });
      await plain.fit(train.X, train.y);
      await augmented.fit(train.X, train.y);
      const plainLoss = plain.trainHistory.map((entry) => entry.train_loss);
      const augmentedLoss = augmented.trainHistory.map((entry) => entry.train_loss);
      // The first epoch starts from the same weights; distorted digits are harder.
      assert.notStrictEqual(plainLoss[0], augmentedLoss[0]);
      assert.ok(augmentedLoss[1] > plainLoss[1],
        `augmented train loss ${augmentedLoss[1]} above plain ${plainLoss[1]}`);

      // Two fit calls of one epoch draw what one call of two epochs draws.
      const stepwise = smallCnn({ augment: true });
      await stepwise.fit(train.X, train.y, { epochs: 1 });
      await stepwise.fit(train.X, train.y, { epochs: 1 });
      weightsOf(stepwise).forEach((values, i) =>
        assert.deepStrictEqual(values, weightsOf(augmented)[i]));
    });

    for (const backend of backends) {
      it(`never applies to validation or prediction (${backend})`, async () => {
        const augmented = smallCnn({ augment: { elastic: { alpha: 60, sigma: 4 } }, backend,
          train_split: valid, max_epochs: 1 });
        await augmented.fit(train.X, train.y);
        const plain = smallCnn({ backend });
        plain.setParams(augmented.getParams());
        const withOption = await augmented.predictProba(valid.X);
        const without = await plain.predictProba(valid.X);
        assert.deepStrictEqual(withOption, without, 'predictions are identical');

        // The validation loss of the epoch is the loss of those plain predictions.
        let loss = 0;
        for (let i = 0; i < 64; i++) loss -= Math.log(withOption[i * 10 + valid.y[i]]);
        const recorded = augmented.trainHistory[0].valid_loss;
        assert.ok(Math.abs(loss / 64 - recorded) <= 1e-5 * recorded,
          `valid_loss ${recorded} = mean cross-entropy of the predictions ${loss / 64}`);
      });
    }

    it('rejects bad options, naming the parameter', () => {
      const throwsWith = (extra: Record<string, unknown>, name: string, message: string) =>
        assert.throws(() => smallCnn(extra), (error: Error) => {
          assert.strictEqual(error.name, name);
          assert.strictEqual(error.message, message);
          return true;
        });
      throwsWith({ augment: 5 }, 'TypeError',
        'Expected true, false or an object { elastic, affine } for augment but received 5 ' +
        '(number)');
      throwsWith({ augment: 'elastic' }, 'TypeError',
        'Expected true, false or an object { elastic, affine } for augment but received ' +
        '"elastic" (string)');
      throwsWith({ augment: { elastic: { alpha: -1 } } }, 'RangeError',
        'Expected a number >= 0 for augment.elastic.alpha but received -1 (number)');
      throwsWith({ augment: { elastic: { sigma: 0 } } }, 'RangeError',
        'Expected a number in (0, 1000] for augment.elastic.sigma but received 0 (number)');
      throwsWith({ augment: { affine: { rotation: 200 } } }, 'RangeError',
        'Expected a number in [0, 180] for augment.affine.rotation but received 200 (number)');
      throwsWith({ augment: { affine: { scale: [1.2, 1.1] } } }, 'RangeError',
        'Expected a number in [scale[0] = 1.2, 100] for augment.affine.scale[1] but received ' +
        '1.1 (number)');
      assert.throws(() => smallCnn({ augment: { elastik: {} } }),
        (error: Error) => error instanceof TypeError && /augment/.test(error.message) &&
          /elastic/.test(error.message));
      throwsWith({ batch_transform: 5 }, 'TypeError',
        'Expected a function (X, y, info) => void | Float32Array for batch_transform but ' +
        'received 5 (number)');

      // Inputs that are not images.
      assert.throws(() => new NeuralNet({
        layers: [['input', InputLayer], ['output', DenseLayer]],
        input_shape: [null, 784],
        output_num_units: 10,
        output_nonlinearity: softmax,
        augment: true,
      } as never), {
        name: 'TypeError',
        message: 'augment is not supported for inputs of shape [784]: augmentation needs ' +
          'images; give the input layer a shape [C, H, W] or [H, W], or follow it with a ' +
          'ReshapeLayer to [C, H, W] (e.g. reshape_shape: [[0], 1, 28, 28])',
      });
    });

    it('takes true as the MNIST defaults and image-shaped inputs without a reshape', async () => {
      const byDefaults = smallCnn({ augment: true, max_epochs: 1 });
      const explicit = smallCnn({ augment: MNIST_AUGMENT_DEFAULTS, max_epochs: 1 });
      await byDefaults.fit(train.X, train.y);
      await explicit.fit(train.X, train.y);
      weightsOf(byDefaults).forEach((values, i) =>
        assert.deepStrictEqual(values, weightsOf(explicit)[i]));

      // An input layer of shape [1, 28, 28] is an image already.
      const images = new NeuralNet({
        layers: [['input', InputLayer], ['conv', Conv2DLayer], ['output', DenseLayer]],
        input_shape: [null, 1, 28, 28],
        conv_num_filters: 2,
        conv_filter_size: [5, 5],
        output_num_units: 10,
        output_nonlinearity: softmax,
        max_epochs: 1,
        train_split: false,
        augment: { affine: { rotation: 15 } },
      } as never);
      await images.fit(train.X.subarray(0, 64 * 784), train.y.subarray(0, 64));
      assert.strictEqual(images.trainHistory.length, 1);
    });
  });

  describe('batch_transform', () => {
    for (const backend of backends) {
      it(`sees every training batch with its shape (${backend})`, async () => {
        const seen: Array<{ length: number; labels: number[]; info: BatchInfo }> = [];
        const net = smallCnn({ backend, augment: true, train_split: valid,
          batch_transform: (X: Float32Array, y: Int32Array, info: BatchInfo) => {
            seen.push({ length: X.length, labels: Array.from(y), info });
          } });
        await net.fit(train.X.subarray(0, 120 * 784), train.y.subarray(0, 120));
        // 120 samples in batches of 50: 50, 50, 20; two epochs; validation not seen.
        assert.deepStrictEqual(seen.map((batch) => batch.info.count), [50, 50, 20, 50, 50, 20]);
        assert.deepStrictEqual(seen.map((batch) => batch.length),
          [50, 50, 20, 50, 50, 20].map((count) => count * 784));
        assert.deepStrictEqual(seen.map((batch) => [batch.info.epoch, batch.info.batch,
          batch.info.batches]), [[1, 1, 3], [1, 2, 3], [1, 3, 3], [2, 1, 3], [2, 2, 3],
          [2, 3, 3]]);
        for (const batch of seen) {
          assert.deepStrictEqual(batch.info.shape, [784]);
          assert.strictEqual(batch.labels.length, batch.info.count);
        }
        // Each epoch holds every training label once (shuffled).
        const sorted = (labels: number[]) => [...labels].sort((a, b) => a - b);
        const epochLabels = seen.slice(0, 3).flatMap((batch) => batch.labels);
        assert.deepStrictEqual(sorted(epochLabels), sorted(Array.from(train.y.subarray(0, 120))));
      });

      it(`trains on what it returns, in place or as a new array (${backend})`, async () => {
        const fillInPlace = smallCnn({ backend, max_epochs: 1,
          batch_transform: (X: Float32Array) => {
            X.fill(0.5);
          } });
        const returnNew = smallCnn({ backend, max_epochs: 1,
          batch_transform: (X: Float32Array) => new Float32Array(X.length).fill(0.5) });
        const plain = smallCnn({ backend, max_epochs: 1 });
        for (const net of [fillInPlace, returnNew, plain]) await net.fit(train.X, train.y);
        weightsOf(fillInPlace).forEach((values, i) =>
          assert.deepStrictEqual(values, weightsOf(returnNew)[i]));
        assert.ok(largestDifference(weightsOf(fillInPlace)[0], weightsOf(plain)[0]) > 0);
      });

      it(`rejects a wrong result and passes on what the transform throws (${backend})`,
        async () => {
          const tooShort = smallCnn({ backend, batch_transform: () => new Float32Array(3) });
          await rejectsWith(tooShort.fit(train.X, train.y), 'RangeError',
            'Expected a Float32Array of 39200 values (50 samples of 784) for the result of ' +
            'batchTransform but received a Float32Array of length 3');
          const promise = smallCnn({ backend, batch_transform: async () => undefined });
          await rejectsWith(promise.fit(train.X, train.y), 'TypeError',
            'An asynchronous batchTransform is not supported: the transform must change the ' +
            'batch before it returns (return nothing, or a Float32Array)');
          const wrongType = smallCnn({ backend, batch_transform: () => [1, 2] });
          await rejectsWith(wrongType.fit(train.X, train.y), 'TypeError',
            'Expected undefined or a Float32Array for the result of batchTransform but ' +
            'received an array of length 2');
          // With augmentation on, so that a batch being prepared is dropped on the way out.
          let calls = 0;
          const throwing = smallCnn({ backend, augment: true, batch_transform: () => {
            calls++;
            if (calls === 2) throw new Error('no more batches');
          } });
          await rejectsWith(throwing.fit(train.X, train.y), 'Error', 'no more batches');
          assert.strictEqual(calls, 2, 'training stopped at the failing batch');
          assert.strictEqual(throwing.trainHistory.length, 0);
          // The net is usable afterwards.
          await throwing.fit(train.X, train.y, { epochs: 1 });
          assert.strictEqual(throwing.trainHistory.length, 1);
        });
    }
  });
});
