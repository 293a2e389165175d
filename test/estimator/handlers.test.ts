import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  AdjustVariable,
  DenseLayer,
  EarlyStopping,
  InputLayer,
  NeuralNet,
  RememberBestWeights,
  RestoreBestWeights,
  SaveCheckpoint,
  softmax,
  StepDecay,
} from '../../lib';
import type { HistoryEntry } from '../../lib';
import {
  blobs,
  capturePrint,
  hasJsBackend,
  scriptedBackend,
  ScriptLog,
  temporaryFolder,
} from '../helpers/estimator';

const SCRIPT = {
  trainLoss: [1.0, 0.8, 0.7, 0.6, 0.5, 0.4],
  validLoss: [0.8, 0.4, 0.5, 0.6, 0.7, 0.9],
  validAccuracy: [0.5, 0.7, 0.6, 0.6, 0.6, 0.5],
};

function scriptedNet(extra: Record<string, unknown>, log?: ScriptLog): NeuralNet {
  return new NeuralNet({
    layers: [['input', InputLayer], ['output', DenseLayer]],
    input_shape: [null, 4],
    output_num_units: 2,
    output_nonlinearity: softmax,
    max_epochs: 6,
    backend: scriptedBackend(SCRIPT, log),
    ...extra,
  } as never);
}

const data = blobs(20, 2, 4);

describe('estimator: handlers and callbacks', () => {
  it('records history with best-so-far flags across fit calls', async () => {
    const net = scriptedNet({ max_epochs: 3 });
    await net.fit(data.X, data.y);
    await net.fit(data.X, data.y, { epochs: 3 });
    const history = net.trainHistory;
    assert.deepStrictEqual(history.map((entry) => entry.epoch), [1, 2, 3, 4, 5, 6]);
    assert.deepStrictEqual(history.map((entry) => entry.train_loss_best),
      [true, true, true, true, true, true]);
    assert.deepStrictEqual(history.map((entry) => entry.valid_loss_best),
      [true, true, false, false, false, false]);
    assert.strictEqual(history[1].train_val_ratio, 0.8 / 0.4);
    assert.strictEqual(history[1].valid_accuracy, 0.7);
    assert.strictEqual(history[1].dur, 1.5);
  });

  it('stops early after patience epochs and restores the best weights', async () => {
    const { print, text } = capturePrint();
    const stopper = new EarlyStopping({ patience: 3 });
    const net = scriptedNet({ on_epoch_finished: [stopper], verbose: 1, print });
    await net.fit(data.X, data.y);
    assert.strictEqual(net.trainHistory.length, 5, 'epochs 3, 4, 5 did not improve on epoch 2');
    assert.deepStrictEqual([stopper.stoppedEpoch, stopper.bestEpoch, stopper.bestValue],
      [5, 2, 0.4]);
    // The scripted model sets every weight to its epoch number.
    assert.ok(net.getParams().every((param) => param.values.every((value) => value === 2)));
    assert.ok(text().includes('Early stopping.\nBest valid_loss was 0.400000 at epoch 2.\n'),
      text());
  });

  it('remembers and restores the best weights at the end of training', async () => {
    const remember = new RememberBestWeights();
    const best = new RememberBestWeights({ key: 'valid_accuracy', loss: false });
    const net = scriptedNet({ on_epoch_finished: [remember, best],
      on_training_finished: [new RestoreBestWeights({ remember })] });
    await net.fit(data.X, data.y);
    assert.strictEqual(net.trainHistory.length, 6);
    assert.deepStrictEqual([remember.bestEpoch, remember.bestValue], [2, 0.4]);
    assert.deepStrictEqual([best.bestEpoch, best.bestValue], [2, 0.7]);
    assert.ok(net.getParams().every((param) => param.values.every((value) => value === 2)));
  });

  it('stops when a handler returns false and calls start and finish callbacks', async () => {
    const calls: string[] = [];
    const net = scriptedNet({
      on_training_started: (_: NeuralNet, history: readonly HistoryEntry[]) => {
        calls.push(`start ${history.length}`);
      },
      on_epoch_finished: {
        handle: (_: NeuralNet, history: readonly HistoryEntry[]) => history.length < 2,
      },
      on_training_finished: [(_: NeuralNet, history: readonly HistoryEntry[]) => {
        calls.push(`finish ${history.length}`);
      }],
    });
    await net.fit(data.X, data.y);
    assert.deepStrictEqual(calls, ['start 0', 'finish 2']);
  });

  it('changes the learning rate per epoch with AdjustVariable and StepDecay', async () => {
    const linear: ScriptLog = { trainCalls: [], predictCalls: [] };
    const net = scriptedNet({ max_epochs: 4, update_learning_rate: 0.03,
      on_epoch_finished: [new AdjustVariable('update_learning_rate', 0.03, 0.0001),
        new AdjustVariable('update_momentum', 0.9, 0.999)] }, linear);
    await net.fit(data.X, data.y);
    const rates = linear.trainCalls.map((call) => call.spec.update.learningRate);
    const expected = [0.03, 0.03 - 0.0299 / 3, 0.03 - 2 * 0.0299 / 3, 0.0001];
    rates.forEach((rate, i) => assert.ok(Math.abs(rate - expected[i]) < 1e-12,
      `epoch ${i + 1}: ${rate} vs ${expected[i]}`));
    const momenta = linear.trainCalls.map((call) => call.spec.update.momentum);
    assert.ok(Math.abs(momenta[3] - 0.999) < 1e-12, `momentum ${momenta}`);
    assert.strictEqual(linear.trainCalls.every((call) => call.epochs === 1), true);

    const step: ScriptLog = { trainCalls: [], predictCalls: [] };
    await scriptedNet({ max_epochs: 5, update_learning_rate: 0.1,
      on_epoch_finished: [new StepDecay({ every: 2, factor: 0.5 })] }, step).fit(data.X, data.y);
    assert.deepStrictEqual(step.trainCalls.map((call) => call.spec.update.learningRate),
      [0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  it('trains in one backend call without per-epoch callbacks', async () => {
    const log: ScriptLog = { trainCalls: [], predictCalls: [] };
    await scriptedNet({}, log).fit(data.X, data.y);
    assert.deepStrictEqual(log.trainCalls.map((call) => [call.firstEpoch, call.epochs]), [[1, 6]]);
    const spec = log.trainCalls[0].spec;
    assert.deepStrictEqual(spec, {
      loss: 'categorical_crossentropy',
      l1: 0,
      l2: 0,
      update: { rule: 'nesterov_momentum', learningRate: 0.01, momentum: 0.9, rho: 0.9,
        epsilon: 1e-8, beta1: 0.9, beta2: 0.999 },
      batchSize: 128,
      shuffle: true,
    });
    // 20 samples, 20% held out, stratified: 2 of each class.
    assert.deepStrictEqual([log.trainCalls[0].train.n, log.trainCalls[0].valid?.n], [16, 4]);
  });

  it('computes custom scores on the validation set and calls on_batch_finished', async () => {
    const log: ScriptLog = { trainCalls: [], predictCalls: [] };
    const ticks: number[] = [];
    const net = scriptedNet({
      max_epochs: 2,
      custom_scores: [['accuracy', (yTrue: Int32Array, yOutput: Float32Array[]) =>
        yOutput.filter((row, i) => (row[1] > row[0] ? 1 : 0) === yTrue[i]).length / yTrue.length]],
      on_batch_finished: (_: NeuralNet, tick: { epoch: number }) => ticks.push(tick.epoch),
    }, log);
    await net.fit(data.X, data.y);
    // The scripted output predicts class i % 2 for validation sample i; the held-out samples
    // are 2 of each class in index order (classes alternate), so y = [0, 1, 0, 1] or similar.
    const valid = log.trainCalls[0].valid!;
    const predicted = Array.from({ length: valid.n }, (_, i) => i % 2);
    const expected = predicted.filter((label, i) => label === valid.y![i]).length / valid.n;
    assert.deepStrictEqual(net.trainHistory.map((entry) => entry.accuracy), [expected, expected]);
    assert.deepStrictEqual(ticks, [1, 2]);
  });

  for (const backend of ['native', 'js'] as const) {
    it(`hears the last batch of every epoch, however short (${backend})`, async () => {
      const ticks: Array<{ epoch: number; batch: number; batches: number; samples: number }> = [];
      const blobData = blobs(60, 3, 4, 1);
      const net = new NeuralNet({
        layers: [['input', InputLayer], ['output', DenseLayer]],
        input_shape: [null, 4], output_num_units: 3, output_nonlinearity: softmax,
        max_epochs: 3, batch_size: 16, eval_size: 0, backend,
        on_batch_finished: (_: NeuralNet, tick) => ticks.push(tick),
      });
      await net.fit(blobData.X, blobData.y);
      // Epochs of 4 batches take far less than the 100 ms throttle: one tick each, the last.
      const last = ticks.filter((tick) => tick.batch === tick.batches);
      assert.deepStrictEqual(last.map((tick) => [tick.epoch, tick.batches, tick.samples]),
        [[1, 4, 60], [2, 4, 60], [3, 4, 60]]);
    });
  }

  it('rejects bad handler options, naming the handler and the option', () => {
    const cases: Array<[() => unknown, ErrorConstructor, string]> = [
      [() => new RestoreBestWeights(undefined as never), TypeError, 'Expected an options ' +
        'object { remember } for RestoreBestWeights options but received undefined'],
      [() => new RestoreBestWeights({ remember: 1 as never }), TypeError,
        'Expected a RememberBestWeights for RestoreBestWeights remember but received 1 (number)'],
      [() => new RememberBestWeights({ loss: 1 as never }), TypeError,
        'Expected a boolean for RememberBestWeights loss but received 1 (number)'],
      [() => new StepDecay({} as never), TypeError,
        'Expected an integer for StepDecay every but received undefined'],
      [() => new StepDecay({ every: 2, factor: -1 }), RangeError,
        'Expected a number >= 0 for StepDecay factor but received -1 (number)'],
      [() => new StepDecay({ every: 2, name: 'lr' as never }), RangeError,
        "Expected one of 'update_learning_rate', 'update_momentum' for the scheduled variable " +
        'but received "lr" (string)'],
      [() => new EarlyStopping({ patience: 0 }), RangeError,
        'Expected an integer >= 1 for EarlyStopping patience but received 0 (number)'],
      [() => new EarlyStopping({ patiense: 3 } as never), TypeError,
        "Unknown parameter 'patiense' for EarlyStopping; did you mean 'patience'?"],
      [() => new SaveCheckpoint({} as never), TypeError,
        'Expected a file path for SaveCheckpoint path but received undefined'],
      [() => new SaveCheckpoint({ path: 'x', every: 0 }), RangeError,
        'Expected an integer >= 1 for SaveCheckpoint every but received 0 (number)'],
      [() => new AdjustVariable('update_learning_rate', 'a' as never, 1), TypeError,
        'Expected a number for AdjustVariable start but received "a" (string)'],
    ];
    for (const [make, type, message] of cases) {
      assert.throws(make, (error: Error) => {
        assert.strictEqual(error.constructor, type, error.message);
        assert.strictEqual(error.message, message);
        return true;
      });
    }
  });

  it('saves checkpoints every N epochs', async () => {
    const { folder, cleanup } = temporaryFolder();
    try {
      const checkpoint = new SaveCheckpoint({ path: path.join(folder, 'net-{epoch}.safetensors'),
        every: 2 });
      const best = new SaveCheckpoint({ path: path.join(folder, 'best.params'), onlyBest: true,
        paramsOnly: true });
      await scriptedNet({ on_epoch_finished: [checkpoint, best] }).fit(data.X, data.y);
      assert.deepStrictEqual(checkpoint.written.map((file) => path.basename(file)),
        ['net-2.safetensors', 'net-4.safetensors', 'net-6.safetensors']);
      assert.strictEqual(best.written.length, 2, 'epochs 1 and 2 had the best valid loss');
      const loaded = await NeuralNet.load(checkpoint.written[1],
        { backend: scriptedBackend(SCRIPT) });
      assert.strictEqual(loaded.trainHistory.length, 4);
      assert.ok(loaded.getParams().every((param) => param.values.every((value) => value === 4)));
      assert.deepStrictEqual(fs.readdirSync(folder).sort(),
        ['best.params', 'net-2.safetensors', 'net-4.safetensors', 'net-6.safetensors']);
    } finally {
      cleanup();
    }
  });

  it('gives the same numbers in one call and epoch by epoch (JS backend)', async function () {
    if (!hasJsBackend()) this.skip();
    const options = {
      layers: [['input', InputLayer], ['hidden', DenseLayer], ['output', DenseLayer]],
      input_shape: [null, 4], hidden_num_units: 6, output_num_units: 2,
      output_nonlinearity: softmax, max_epochs: 3, backend: 'js', batch_size: 8,
    };
    const single = new NeuralNet(options as never);
    const stepwise = new NeuralNet({ ...options, on_epoch_finished: () => undefined } as never);
    await single.fit(data.X, data.y);
    await stepwise.fit(data.X, data.y);
    const losses = (net: NeuralNet) => net.trainHistory.map((entry) => [entry.train_loss,
      entry.valid_loss]);
    assert.deepStrictEqual(losses(stepwise), losses(single));
    assert.deepStrictEqual(stepwise.getParams(), single.getParams());
  });
});
