/**
 * The native backend end to end, through lib/backend/native.ts: learning, reproducibility,
 * callbacks, cancellation, errors.
 */
import * as assert from 'assert';
import type { EpochRecord, NetworkSpec, ProgressTick } from '../../lib/backend/backend';
import { nativeBackend } from '../../lib/backend/native';
import { setNumThreads, getNumThreads } from '../../lib';
import { SpecBuilder, trainSpec, updateSpec } from '../helpers/spec';
import { bars, blobs, linearTargets } from '../helpers/synthetic';

function mlpSpec(): NetworkSpec {
  return new SpecBuilder([2])
    .dense(16, 'rectify', { name: 'hidden' })
    .dense(3, 'softmax', { name: 'output' })
    .build();
}

function cnnSpec(): NetworkSpec {
  return new SpecBuilder([64])
    .reshape([1, 8, 8], 'image')
    .conv2d(6, 3, 'rectify', { name: 'conv' })
    .maxpool2d(2, { name: 'pool' })
    .dropout(0.2, 'drop')
    .dense(2, 'softmax', { name: 'output' })
    .build();
}

function argmaxAccuracy(probabilities: Float32Array, labels: Int32Array, classes: number): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = probabilities.subarray(i * classes, (i + 1) * classes);
    let best = 0;
    for (let c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
    if (best === labels[i]) correct++;
  }
  return correct / labels.length;
}

describe('native backend', () => {
  describe('learning', () => {
    it('a small MLP learns three blobs (loss falls below a quarter)', async () => {
      const train = blobs(600, 1);
      const valid = blobs(300, 2);
      const model = nativeBackend.createModel(mlpSpec(), 7);
      const records = await model.train({
        train,
        valid,
        firstEpoch: 1,
        epochs: 8,
        spec: trainSpec({ update: updateSpec('nesterov_momentum', { learningRate: 0.05 }) }),
      });
      assert.strictEqual(records.length, 8);
      const first = records[0].trainLoss;
      const last = records[records.length - 1].trainLoss;
      assert.ok(last < first / 4, `train loss ${first} -> ${last}`);
      assert.ok(records[7].validAccuracy > 0.95, `valid accuracy ${records[7].validAccuracy}`);
      const probabilities = await model.predict(valid);
      assert.strictEqual(probabilities.length, 300 * 3);
      for (let i = 0; i < 300; i++) {
        const sum = probabilities[3 * i] + probabilities[3 * i + 1] + probabilities[3 * i + 2];
        assert.ok(Math.abs(sum - 1) < 1e-5, `row ${i} sums to ${sum}`);
      }
      assert.ok(argmaxAccuracy(probabilities, valid.y, 3) > 0.95);
      model.dispose();
    });

    it('a small CNN learns bars from uint8 pixels (loss falls below a quarter)', async () => {
      const train = bars(512, 3);
      const valid = bars(128, 4);
      const model = nativeBackend.createModel(cnnSpec(), 11);
      const records = await model.train({
        train,
        valid,
        firstEpoch: 1,
        epochs: 10,
        spec: trainSpec({ update: updateSpec('nesterov_momentum', { learningRate: 0.05 }) }),
      });
      const first = records[0].trainLoss;
      const last = records[records.length - 1].trainLoss;
      assert.ok(last < first / 4, `train loss ${first} -> ${last}`);
      assert.ok(records[records.length - 1].validAccuracy >= 0.95);
      model.dispose();
    });

    it('squared error regression with adam fits linear targets', async () => {
      const train = linearTargets(512, 5);
      const spec = new SpecBuilder([4]).dense(16, 'tanh').dense(2, 'linear').build();
      const model = nativeBackend.createModel(spec, 3);
      const records = await model.train({
        train,
        valid: linearTargets(128, 6),
        firstEpoch: 1,
        epochs: 20,
        spec: trainSpec({
          loss: 'squared_error',
          update: updateSpec('adam', { learningRate: 0.01 }),
        }),
      });
      assert.ok(
        records[19].trainLoss < records[0].trainLoss / 10,
        `${records[0].trainLoss} -> ${records[19].trainLoss}`,
      );
      assert.ok(Number.isNaN(records[19].validAccuracy));
      assert.ok(records[19].validLoss < 0.05, `valid loss ${records[19].validLoss}`);
    });

    it('every update rule lowers the loss of the MLP', async () => {
      const rules = [
        'sgd',
        'momentum',
        'nesterov_momentum',
        'adagrad',
        'rmsprop',
        'adadelta',
        'adam',
        'adamax',
      ] as const;
      const rates: Record<string, number> = {
        sgd: 0.1,
        momentum: 0.05,
        nesterov_momentum: 0.05,
        adagrad: 0.1,
        rmsprop: 0.01,
        adadelta: 1,
        adam: 0.01,
        adamax: 0.02,
      };
      for (const rule of rules) {
        const model = nativeBackend.createModel(mlpSpec(), 5);
        const records = await model.train({
          train: blobs(300, 9),
          firstEpoch: 1,
          epochs: 5,
          spec: trainSpec({ update: updateSpec(rule, { learningRate: rates[rule] }), l2: 1e-4 }),
        });
        assert.ok(
          records[4].trainLoss < records[0].trainLoss * 0.8,
          `${rule}: ${records[0].trainLoss} -> ${records[4].trainLoss}`,
        );
      }
    });
  });

  describe('reproducibility', () => {
    it('the same seed and thread count give bit-identical weights', async () => {
      const run = async (): Promise<Float32Array[]> => {
        const model = nativeBackend.createModel(cnnSpec(), 21);
        await model.train({
          train: bars(300, 8),
          firstEpoch: 1,
          epochs: 2,
          spec: trainSpec({ update: updateSpec('adam') }),
        });
        return model.getParams().map((param) => param.values);
      };
      const a = await run();
      const b = await run();
      assert.strictEqual(a.length, b.length);
      a.forEach((values, i) => assert.deepStrictEqual(values, b[i], `param ${i}`));
    });

    it('different thread counts agree closely (tolerance 1e-4)', async () => {
      const threads = getNumThreads();
      const run = async (n: number): Promise<Float32Array> => {
        setNumThreads(n);
        const model = nativeBackend.createModel(cnnSpec(), 21);
        await model.train({ train: bars(300, 8), firstEpoch: 1, epochs: 1, spec: trainSpec() });
        return model.getParams()[0].values;
      };
      try {
        const one = await run(1);
        const two = await run(2);
        let worst = 0;
        one.forEach((value, i) => (worst = Math.max(worst, Math.abs(value - two[i]))));
        assert.ok(worst < 1e-4, `largest difference ${worst}`);
      } finally {
        setNumThreads(threads);
      }
    });
  });

  describe('callbacks and cancellation', () => {
    it('sends an epoch record per epoch and throttled progress ticks', async () => {
      const model = nativeBackend.createModel(mlpSpec(), 1);
      const ticks: ProgressTick[] = [];
      const epochs: EpochRecord[] = [];
      const records = await model.train({
        train: blobs(100, 1),
        firstEpoch: 4,
        epochs: 2,
        spec: trainSpec({ batchSize: 32 }),
        progressIntervalMs: 0,
        onProgress: (tick) => ticks.push(tick),
        onEpoch: (record) => {
          epochs.push(record);
        },
      });
      assert.deepStrictEqual(
        records.map((r) => r.epoch),
        [4, 5],
      );
      assert.deepStrictEqual(epochs, records);
      // 100 samples in batches of 32: 4 batches, the last of 4 samples
      assert.strictEqual(ticks.length, 8);
      assert.deepStrictEqual(
        ticks.slice(0, 4).map((t) => [t.epoch, t.batch, t.batches, t.samples]),
        [
          [4, 1, 4, 32],
          [4, 2, 4, 64],
          [4, 3, 4, 96],
          [4, 4, 4, 100],
        ],
      );
      assert.ok(Math.abs(ticks[3].trainLoss - records[0].trainLoss) < 1e-12);
      assert.ok(ticks.every((t) => t.samplesPerSecond > 0));
      assert.ok(Number.isNaN(records[0].validLoss) && Number.isNaN(records[0].validAccuracy));
      assert.ok(records[0].seconds >= 0);
    });

    it('stops after the epoch whose onEpoch returns false, reading parameters there', async () => {
      const model = nativeBackend.createModel(mlpSpec(), 1);
      let seen = 0;
      const records = await model.train({
        train: blobs(100, 1),
        firstEpoch: 1,
        epochs: 5,
        spec: trainSpec(),
        onEpoch: () => {
          seen++;
          assert.strictEqual(model.getParams().length, 4);
          return seen < 2;
        },
      });
      assert.strictEqual(records.length, 2);
    });

    it('an aborted signal rejects with an AbortError between batches', async () => {
      const model = nativeBackend.createModel(cnnSpec(), 2);
      const before = model.getParams()[0].values;
      const controller = new AbortController();
      let ticks = 0;
      const promise = model.train({
        train: bars(4000, 1),
        firstEpoch: 1,
        epochs: 50,
        spec: trainSpec({ batchSize: 8 }),
        progressIntervalMs: 0,
        signal: controller.signal,
        onProgress: () => {
          ticks++;
          if (ticks === 3) controller.abort();
        },
      });
      await assert.rejects(promise, (error: Error) => error.name === 'AbortError');
      assert.ok(ticks < 400, `stopped after ${ticks} batches`);
      const after = model.getParams()[0].values;
      assert.notDeepStrictEqual(after, before, 'the completed batches changed the weights');
      const records = await model.train({
        train: bars(64, 2),
        firstEpoch: 1,
        epochs: 1,
        spec: trainSpec(),
      });
      assert.strictEqual(records.length, 1);
    });

    it('rejects at once when the signal is already aborted', async () => {
      const model = nativeBackend.createModel(mlpSpec(), 1);
      await assert.rejects(
        model.train({
          train: blobs(30, 1),
          firstEpoch: 1,
          epochs: 1,
          spec: trainSpec(),
          signal: AbortSignal.abort(),
        }),
        { name: 'AbortError' },
      );
    });

    it('an exception in a callback stops training and becomes the rejection', async () => {
      const model = nativeBackend.createModel(mlpSpec(), 1);
      await assert.rejects(
        model.train({
          train: blobs(100, 1),
          firstEpoch: 1,
          epochs: 3,
          spec: trainSpec(),
          onEpoch: () => {
            throw new Error('from the callback');
          },
        }),
        /from the callback/,
      );
      assert.strictEqual(
        (await model.train({ train: blobs(30, 1), firstEpoch: 1, epochs: 1, spec: trainSpec() }))
          .length,
        1,
      );
    });
  });

  describe('errors', () => {
    it('a NaN loss names the epoch and the batch', async () => {
      const data = blobs(100, 1);
      data.x[2 * 70] = NaN; // sample 70 is in batch 3 of 32 without shuffling
      const model = nativeBackend.createModel(mlpSpec(), 1);
      await assert.rejects(
        model.train({
          train: data,
          firstEpoch: 2,
          epochs: 1,
          spec: trainSpec({ shuffle: false }),
        }),
        (error: Error) =>
          error.constructor === Error &&
          /the loss is NaN at epoch 2, batch 3 of 4/.test(error.message),
      );
    });

    it('a second concurrent train call is rejected', async () => {
      const model = nativeBackend.createModel(mlpSpec(), 1);
      const options = { train: blobs(3000, 1), firstEpoch: 1, epochs: 3, spec: trainSpec() };
      const running = model.train(options);
      await assert.rejects(model.train(options), /train\(\) is already running on this model/);
      assert.rejects(model.predict(blobs(3, 1)), /cannot predict while the model trains/);
      assert.throws(() => model.setParams([]), /cannot set parameters while the model trains/);
      await running;
    });

    it('inconsistent network specs get errors naming the layer and field', () => {
      const spec = mlpSpec();
      spec.layers[2].inputShape = [15];
      assert.throws(
        () => nativeBackend.createModel(spec, 1),
        (error: Error) =>
          error.constructor === Error &&
          error.message ===
            "network spec, layer 2 ('output'): expected inputShape [16] " +
              '(the outputShape of layer 1 ' +
              "'hidden') but received [15]",
      );
      const conv = cnnSpec();
      conv.layers[2].outputShape = [6, 5, 5];
      assert.throws(
        () => nativeBackend.createModel(conv, 1),
        /layer 2 \('conv'\): expected outputShape \[6, 6, 6\]/,
      );
      const kind = mlpSpec();
      (kind.layers[1] as unknown as { kind: string }).kind = 'dens';
      assert.throws(
        () => nativeBackend.createModel(kind, 1),
        /layer 1 \('hidden'\): expected one of 'input', 'dense'.* for kind but received 'dens'/,
      );
      const nonlinearity = mlpSpec();
      (nonlinearity.layers[1] as unknown as { nonlinearity: string }).nonlinearity = 'relu';
      assert.throws(
        () => nativeBackend.createModel(nonlinearity, 1),
        /expected one of 'rectify'.* for nonlinearity but received 'relu'/,
      );
      assert.throws(() => nativeBackend.createModel({} as NetworkSpec, 1), TypeError);
      assert.throws(() => nativeBackend.createModel(mlpSpec(), -1), RangeError);
      assert.throws(
        () => nativeBackend.createModel(mlpSpec(), '1' as unknown as number),
        TypeError,
      );
    });

    it('bad train options and data are rejected before training', async () => {
      const model = nativeBackend.createModel(mlpSpec(), 1);
      const data = blobs(10, 1);
      await assert.rejects(
        model.train({ train: data, firstEpoch: 1, epochs: 1, spec: trainSpec({ batchSize: 0 }) }),
        RangeError,
      );
      await assert.rejects(
        model.train({
          train: data,
          firstEpoch: 1,
          epochs: 1,
          spec: trainSpec({ update: updateSpec('sgd', { rule: 'sdg' as 'sgd' }) }),
        }),
        /Expected one of 'sgd'.* for options.spec.update.rule but received "sdg"/,
      );
      await assert.rejects(
        model.train({
          train: { ...data, y: new Int32Array(10).fill(3) },
          firstEpoch: 1,
          epochs: 1,
          spec: trainSpec(),
        }),
        /options.train.y\[0\]/,
      );
      await assert.rejects(
        model.train({
          train: { ...data, x: new Float64Array(20) as unknown as Float32Array },
          firstEpoch: 1,
          epochs: 1,
          spec: trainSpec(),
        }),
        TypeError,
      );
      const regression = nativeBackend.createModel(
        new SpecBuilder([2]).dense(3, 'rectify').build(),
        1,
      );
      await assert.rejects(
        regression.train({ train: data, firstEpoch: 1, epochs: 1, spec: trainSpec() }),
        new RegExp(
          "categorical_crossentropy needs a softmax output layer, but the last layer 'dense1' " +
            "has nonlinearity 'rectify'",
        ),
      );
    });
  });

  describe('parameters and prediction', () => {
    it('getParams and setParams round-trip, with shapes', () => {
      const model = nativeBackend.createModel(cnnSpec(), 1);
      const params = model.getParams();
      assert.deepStrictEqual(
        params.map((p) => [p.layer, p.name, p.shape]),
        [
          ['conv', 'W', [6, 1, 3, 3]],
          ['conv', 'b', [6]],
          ['output', 'W', [54, 2]],
          ['output', 'b', [2]],
        ],
      );
      params[0].values.fill(0.5);
      model.setParams([params[0]]);
      assert.ok(model.getParams()[0].values.every((v) => v === 0.5));
      assert.throws(
        () => model.setParams([{ ...params[0], layer: 'cnv' }]),
        /did you mean 'conv'/,
      );
      assert.throws(
        () => model.setParams([{ ...params[0], values: new Float32Array(3) }]),
        RangeError,
      );
    });

    it('predicts a named layer and refuses unknown names', async () => {
      const model = nativeBackend.createModel(cnnSpec(), 1);
      const data = bars(5, 1);
      const pooled = await model.predict(data, { layer: 'pool', batchSize: 2 });
      assert.strictEqual(pooled.length, 5 * 6 * 3 * 3);
      const image = await model.predict(data, { layer: 'image' });
      image.forEach((value, i) => assert.strictEqual(value, Math.fround(data.x[i] / 255)));
      await assert.rejects(model.predict(data, { layer: 'pol' }), /did you mean 'pool'/);
      model.dispose();
      assert.throws(() => model.getParams(), /disposed/);
    });
  });
});
