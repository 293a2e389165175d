import * as assert from 'assert';
import type {
  EpochRecord,
  NetworkSpec,
  ProgressTick,
  TrainOptions,
} from '../../lib/backend/backend';
import { jsBackend } from '../../lib/backend/js';
import { getBackend } from '../../lib/backend';
import { assertClose } from '../helpers/numeric';
import { SpecBuilder, trainSpec, updateSpec } from '../helpers/spec';
import { bars, blobs, linearTargets } from '../helpers/synthetic';

function mlpSpec(): NetworkSpec {
  return new SpecBuilder([2]).dense(16, 'rectify').dense(3, 'softmax').build();
}

function cnnSpec(): NetworkSpec {
  return new SpecBuilder([1, 8, 8])
    .conv2d(4, 3, 'rectify')
    .maxpool2d(2)
    .dropout(0.2)
    .dense(2, 'softmax')
    .build();
}

function options(overrides: Partial<TrainOptions>): TrainOptions {
  return { train: blobs(90, 1), firstEpoch: 1, epochs: 1, spec: trainSpec(), ...overrides };
}

describe('js backend: training', () => {
  it('is what getBackend("js") returns', () => {
    assert.strictEqual(getBackend('js'), jsBackend);
    assert.strictEqual(jsBackend.name, 'js');
  });

  it('trains an MLP on three blobs (loss drops, accuracy > 90%)', async () => {
    const model = jsBackend.createModel(mlpSpec(), 1);
    const records = await model.train(
      options({
        train: blobs(300, 2),
        valid: blobs(150, 3),
        epochs: 15,
        spec: trainSpec({ update: updateSpec('adam', { learningRate: 0.01 }), batchSize: 16 }),
      }),
    );
    const first = records[0];
    const last = records[records.length - 1];
    assert.ok(
      last.trainLoss < 0.3 * first.trainLoss,
      `train loss ${first.trainLoss} -> ${last.trainLoss}`,
    );
    assert.ok(last.validAccuracy > 0.9, `valid accuracy ${last.validAccuracy}`);
    assert.deepStrictEqual(
      records.map((r) => r.epoch),
      Array.from({ length: 15 }, (_, i) => i + 1),
    );
  });

  it('trains a small CNN with dropout on uint8 bars (loss drops, accuracy > 90%)', async () => {
    const model = jsBackend.createModel(cnnSpec(), 2);
    const records = await model.train({
      train: bars(200, 4),
      valid: bars(100, 5),
      firstEpoch: 1,
      epochs: 8,
      spec: trainSpec({
        update: updateSpec('nesterov_momentum', { learningRate: 0.05 }),
        batchSize: 20,
      }),
    });
    const first = records[0];
    const last = records[records.length - 1];
    assert.ok(
      last.trainLoss < 0.5 * first.trainLoss,
      `train loss ${first.trainLoss} -> ${last.trainLoss}`,
    );
    assert.ok(last.validAccuracy > 0.9, `valid accuracy ${last.validAccuracy}`);
  });

  it('fits a regression with squared error (NaN accuracy)', async () => {
    const spec = new SpecBuilder([4]).dense(8, 'tanh').dense(2, 'linear').build();
    const model = jsBackend.createModel(spec, 3);
    const records = await model.train({
      train: linearTargets(200, 6),
      valid: linearTargets(50, 7),
      firstEpoch: 1,
      epochs: 10,
      spec: trainSpec({
        loss: 'squared_error',
        update: updateSpec('adam', { learningRate: 0.02 }),
      }),
    });
    assert.ok(
      records[9].trainLoss < 0.2 * records[0].trainLoss,
      `${records[0].trainLoss} -> ${records[9].trainLoss}`,
    );
    assert.ok(Number.isNaN(records[9].validAccuracy));
    assert.ok(records[9].validLoss < 0.2 * records[0].validLoss);
  });

  it('reproduces weights and losses exactly from a seed', async () => {
    const run = async (seed: number) => {
      const model = jsBackend.createModel(cnnSpec(), seed);
      const records = await model.train({
        train: bars(60, 8),
        firstEpoch: 1,
        epochs: 2,
        spec: trainSpec({ update: updateSpec('momentum'), batchSize: 16 }),
      });
      return { losses: records.map((r) => r.trainLoss), params: model.getParams() };
    };
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    assert.deepStrictEqual(a.losses, b.losses);
    assert.deepStrictEqual(a.params, b.params);
    assert.notDeepStrictEqual(a.losses, c.losses);
  });

  it('reports validation loss and accuracy consistent with predict', async () => {
    const model = jsBackend.createModel(mlpSpec(), 4);
    const valid = blobs(30, 9);
    const [record] = await model.train(options({ valid, spec: trainSpec({ batchSize: 7 }) }));
    const output = await model.predict(valid);
    let loss = 0;
    let correct = 0;
    for (let i = 0; i < valid.n; i++) {
      const row = Array.from(output.subarray(i * 3, i * 3 + 3));
      loss -= Math.log(row[valid.y[i]]);
      if (row.indexOf(Math.max(...row)) === valid.y[i]) correct++;
    }
    // validLoss comes from log-sum-exp of the pre-activations, predict from float32 softmax
    assertClose([record.validLoss], [loss / valid.n], 1e-6, 'validLoss');
    assert.strictEqual(record.validAccuracy, correct / valid.n);
  });

  it('reports trainLoss as the sample-weighted mean of batch objectives', async () => {
    // batchSize 7 over 10 samples: batches of 7 and 3; lr 0 keeps the weights fixed
    const model = jsBackend.createModel(mlpSpec(), 5);
    const train = blobs(10, 10);
    const spec = trainSpec({
      batchSize: 7,
      l2: 0.01,
      update: updateSpec('sgd', { learningRate: 0 }),
    });
    const [withPenalty] = await model.train(options({ train, spec, valid: train }));
    const W = model.getParams().filter((p) => p.name === 'W');
    const sumSquares = W.reduce((sum, p) => sum + p.values.reduce((s, w) => s + w * w, 0), 0);
    assertClose(
      [withPenalty.trainLoss],
      [withPenalty.validLoss + 0.01 * sumSquares],
      1e-12,
      'trainLoss',
    );
  });

  it('scales uint8 inputs by 1/255', async () => {
    const model = jsBackend.createModel(cnnSpec(), 6);
    const data = bars(10, 11);
    const asFloat = Float32Array.from(data.x, (v) => v / 255);
    const fromBytes = await model.predict({ x: data.x, n: data.n });
    const fromFloats = await model.predict({ x: asFloat, n: data.n });
    assert.deepStrictEqual(fromBytes, fromFloats);
  });

  it('predicts any layer, independent of the batch size', async () => {
    const model = jsBackend.createModel(cnnSpec(), 7);
    const data = bars(23, 12);
    const pooled = await model.predict(data, { layer: 'maxpool2', batchSize: 5 });
    assert.strictEqual(pooled.length, 23 * 4 * 3 * 3);
    assert.deepStrictEqual(await model.predict(data, { batchSize: 4 }), await model.predict(data));
    const input = await model.predict(data, { layer: 'input' });
    assert.deepStrictEqual(
      input,
      Float32Array.from(data.x, (v) => v / 255),
    );
  });

  it('uses the per-epoch learning rates and stops when onEpoch returns false', async () => {
    const model = jsBackend.createModel(mlpSpec(), 8);
    const before = model.getParams();
    const seen: EpochRecord[] = [];
    const records = await model.train(
      options({
        firstEpoch: 4,
        epochs: 3,
        learningRates: [0, 0, 0.1],
        onEpoch: (record) => {
          seen.push(record);
          return record.epoch < 5;
        },
      }),
    );
    assert.deepStrictEqual(
      records.map((r) => r.epoch),
      [4, 5],
    );
    assert.deepStrictEqual(seen, records);
    assert.deepStrictEqual(model.getParams(), before, 'learning rate 0 leaves the weights alone');
    assert.ok(records.every((r) => r.seconds >= 0 && Number.isNaN(r.validLoss)));
  });

  it('sends progress ticks within epochs', async () => {
    const model = jsBackend.createModel(mlpSpec(), 9);
    const ticks: ProgressTick[] = [];
    const [record] = await model.train(
      options({
        spec: trainSpec({ batchSize: 10 }),
        progressIntervalMs: 0,
        onProgress: (t) => ticks.push(t),
      }),
    );
    assert.deepStrictEqual(
      ticks.map((t) => t.batch),
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    assert.ok(ticks.every((t) => t.batches === 9 && t.epoch === 1 && t.samplesPerSecond > 0));
    assert.strictEqual(ticks[8].samples, 90);
    assertClose([ticks[8].trainLoss], [record.trainLoss], 1e-12, 'last tick loss');
  });

  it('stops between batches on abort with an AbortError, keeping the last batch', async () => {
    const spec = trainSpec({ batchSize: 10, shuffle: false, update: updateSpec('momentum') });
    const train = blobs(90, 13);
    const controller = new AbortController();
    const model = jsBackend.createModel(mlpSpec(), 10);
    const training = model.train({
      train,
      firstEpoch: 1,
      epochs: 5,
      spec,
      progressIntervalMs: 0,
      signal: controller.signal,
      onProgress: (tick) => {
        if (tick.batch === 3) controller.abort();
      },
    });
    await assert.rejects(training, (error: Error) => {
      assert.strictEqual(error.name, 'AbortError');
      assert.match(error.message, /aborted/);
      return true;
    });

    // the same three batches, trained without interruption
    const reference = jsBackend.createModel(mlpSpec(), 10);
    await reference.train({
      train: { x: train.x.slice(0, 60), y: train.y.slice(0, 30), n: 30 },
      firstEpoch: 1,
      epochs: 1,
      spec,
    });
    assert.deepStrictEqual(model.getParams(), reference.getParams());

    // an already aborted signal trains nothing
    const untouched = jsBackend.createModel(mlpSpec(), 10);
    const before = untouched.getParams();
    await assert.rejects(untouched.train(options({ signal: AbortSignal.abort() })), {
      name: 'AbortError',
    });
    assert.deepStrictEqual(untouched.getParams(), before);
  });

  it('rejects a second concurrent train call and finishes the first', async () => {
    const model = jsBackend.createModel(mlpSpec(), 11);
    const first = model.train(options({ epochs: 2 }));
    await assert.rejects(model.train(options({})), {
      name: 'Error',
      message: /train\(\) is already running on this model/,
    });
    assert.throws(
      () => model.setParams([]),
      /Cannot call setParams\(\) while train\(\) is running/,
    );
    assert.throws(
      () => model.resetUpdates(),
      /Cannot call resetUpdates\(\) while train\(\) is running/,
    );
    assert.strictEqual((await first).length, 2);
    await model.train(options({})); // free again
  });

  it('rejects a diverging loss, naming the epoch and batch', async () => {
    const model = jsBackend.createModel(mlpSpec(), 12);
    const train = blobs(90, 14);
    train.x[2 * 45] = NaN; // sample 45: batch 5 of 9 without shuffling
    await assert.rejects(
      model.train(
        options({
          train,
          epochs: 2,
          firstEpoch: 3,
          spec: trainSpec({ batchSize: 10, shuffle: false }),
        }),
      ),
      { message: /Training diverged: the loss is NaN at epoch 3, batch 5 of 9/ },
    );
    assert.ok(
      model.getParams().every((p) => p.values.every(Number.isFinite)),
      'weights stay finite',
    );
  });

  it('drops optimizer state on resetUpdates', async () => {
    const spec = trainSpec({ shuffle: false, batchSize: 10, update: updateSpec('momentum') });
    const train = blobs(30, 15);
    const model = jsBackend.createModel(mlpSpec(), 13);
    await model.train(options({ train, spec }));
    const afterFirst = model.getParams();
    model.resetUpdates();
    await model.train(options({ train, spec, firstEpoch: 2 }));

    // a fresh model from the same weights, so fresh momentum, takes the same epoch
    const fresh = jsBackend.createModel(mlpSpec(), 99);
    fresh.setParams(afterFirst);
    await fresh.train(options({ train, spec }));
    assert.deepStrictEqual(model.getParams(), fresh.getParams());

    // without the reset, the velocity carries over and the weights differ
    const carried = jsBackend.createModel(mlpSpec(), 13);
    await carried.train(options({ train, spec, epochs: 2 }));
    assert.notDeepStrictEqual(carried.getParams(), fresh.getParams());
  });

  it('rejects losses that do not fit the network or targets', async () => {
    const linear = jsBackend.createModel(new SpecBuilder([2]).dense(3, 'linear').build(), 1);
    await assert.rejects(linear.train(options({})), {
      name: 'Error',
      message: new RegExp(
        'categorical_crossentropy is not supported for an output layer without softmax: ' +
          "the last layer 'dense1'",
      ),
    });
    const model = jsBackend.createModel(mlpSpec(), 1);
    await assert.rejects(model.train(options({ spec: trainSpec({ loss: 'squared_error' }) })), {
      name: 'TypeError',
      message: /squared_error is not supported for class labels \(Int32Array\)/,
    });
    const oneHot = { ...blobs(9, 1), y: new Float32Array(27) };
    await assert.rejects(model.train(options({ train: oneHot })), {
      name: 'TypeError',
      message:
        'categorical_crossentropy is not supported for Float32Array targets: ' +
        'pass class labels as an Int32Array of n values',
    });
  });
});
