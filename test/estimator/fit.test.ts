import * as assert from 'assert';
import {
  adam,
  Conv2DLayer,
  DenseLayer,
  InputLayer,
  MaxPool2DLayer,
  NeuralNet,
  softmax,
  TrainSplit,
} from '../../lib';
import { blobs, hasJsBackend, hasNativeBackend } from '../helpers/estimator';

function classifier(extra: Record<string, unknown> = {}): NeuralNet {
  return new NeuralNet({
    layers: [['input', InputLayer], ['hidden', DenseLayer], ['output', DenseLayer]],
    input_shape: [null, 6],
    hidden_num_units: 12,
    output_num_units: 3,
    output_nonlinearity: softmax,
    update_learning_rate: 0.1,
    max_epochs: 15,
    batch_size: 16,
    backend: 'js',
    ...extra,
  } as never);
}

describe('estimator: fit, predict and score (JS backend)', function () {
  before(function () {
    if (!hasJsBackend()) {
      // eslint-disable-next-line no-console
      console.log('    (skipped: lib/backend/js is not there yet)');
      this.skip();
    }
  });

  const train = blobs(240, 3, 6, 1);
  const test = blobs(90, 3, 6, 2);

  it('learns a separable three-class task', async () => {
    const net = classifier();
    await net.fit(train.X, train.y);
    const history = net.trainHistory;
    assert.strictEqual(history.length, 15);
    assert.ok(history[14].train_loss < history[0].train_loss / 4,
      `train loss ${history[0].train_loss} -> ${history[14].train_loss}`);
    assert.ok(history[14].valid_accuracy >= 0.95, `valid accuracy ${history[14].valid_accuracy}`);
    const accuracy = await net.score(test.X, test.y);
    assert.ok(accuracy >= 0.95, `test accuracy ${accuracy}`);

    // predict agrees with the argmax of predictProba; probabilities sum to 1.
    const proba = await net.predictProba(test.X);
    const labels = await net.predict(test.X);
    assert.ok(labels instanceof Int32Array);
    assert.strictEqual(proba.length, 90 * 3);
    let largest = 0;
    for (let i = 0; i < 90; i++) {
      const row = Array.from(proba.subarray(i * 3, i * 3 + 3));
      largest = Math.max(largest, Math.abs(row[0] + row[1] + row[2] - 1));
      assert.strictEqual(labels[i], row.indexOf(Math.max(...row)));
    }
    assert.ok(largest < 1e-5, `probability sums differ from 1 by up to ${largest}`);
  });

  it('continues from the current weights on a second fit and with partialFit', async () => {
    const net = classifier({ max_epochs: 2 });
    await net.fit(train.X, train.y);
    const after = net.trainHistory[1].train_loss;
    await net.partialFit(train.X, train.y);
    await net.fit(train.X, train.y, { epochs: 2 });
    const history = net.trainHistory;
    assert.deepStrictEqual(history.map((entry) => entry.epoch), [1, 2, 3, 4, 5]);
    assert.ok(history[4].train_loss < after, `${after} -> ${history[4].train_loss}`);
  });

  it('accepts X as Float32Array, nested arrays, Uint8Array and a dataset', async () => {
    const rows = Array.from({ length: 240 }, (_, i) => Array.from(train.X.subarray(i * 6,
      i * 6 + 6)));
    const flat = classifier({ max_epochs: 2 });
    const nested = classifier({ max_epochs: 2 });
    const dataset = classifier({ max_epochs: 2 });
    await flat.fit(train.X, train.y);
    await nested.fit(rows, Array.from(train.y));
    await dataset.fit({ X: train.X, y: train.y });
    assert.deepStrictEqual(nested.trainHistory.map((entry) => entry.train_loss),
      flat.trainHistory.map((entry) => entry.train_loss));
    assert.deepStrictEqual(dataset.getParams(), flat.getParams());

    // Uint8 pixels are scaled by 1/255: the same as Float32 values / 255.
    const pixels = Uint8Array.from(train.X, (value) => Math.round((value + 1) * 60));
    const scaled = Float32Array.from(pixels, (value) => value / 255);
    const fromPixels = classifier({ max_epochs: 1 });
    const fromFloats = classifier({ max_epochs: 1 });
    await fromPixels.fit(pixels, train.y);
    await fromFloats.fit(scaled, train.y);
    const difference = Math.abs(fromPixels.trainHistory[0].train_loss -
      fromFloats.trainHistory[0].train_loss);
    assert.ok(difference < 1e-6, `train loss differs by ${difference}`);
  });

  it('uses an explicit validation set or none', async () => {
    const explicit = classifier({ max_epochs: 1, train_split: { X: test.X, y: test.y } });
    await explicit.fit(train.X, train.y);
    assert.ok(explicit.trainHistory[0].valid_accuracy >= 0, 'has a validation accuracy');
    const none = classifier({ max_epochs: 1, train_split: false });
    await none.fit(train.X, train.y);
    const entry = none.trainHistory[0];
    assert.ok(Number.isNaN(entry.valid_loss) && Number.isNaN(entry.valid_accuracy) &&
      !entry.valid_loss_best);
    const unstratified = classifier({ max_epochs: 1,
      train_split: new TrainSplit({ eval_size: 0.25, stratify: false }) });
    await unstratified.fit(train.X, train.y);
  });

  it('fits a regression and scores R^2', async () => {
    // y = [x0 - x1, 2 x2] for x in [-1, 1)^3.
    const n = 200;
    const X = new Float32Array(n * 3);
    const y = new Float32Array(n * 2);
    let state = 5;
    for (let i = 0; i < X.length; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      X[i] = state / 2147483648 - 1;
    }
    for (let i = 0; i < n; i++) {
      y[2 * i] = X[3 * i] - X[3 * i + 1];
      y[2 * i + 1] = 2 * X[3 * i + 2];
    }
    const net = new NeuralNet({
      layers: [['input', InputLayer], ['hidden', DenseLayer], ['output', DenseLayer]],
      input_shape: [null, 3], hidden_num_units: 16, hidden_nonlinearity: 'tanh',
      output_num_units: 2, output_nonlinearity: null,
      regression: true, update: adam, update_learning_rate: 0.01, max_epochs: 60,
      batch_size: 20, backend: 'js',
    });
    await net.fit(X, y);
    const entry = net.trainHistory[59];
    assert.ok(Number.isNaN(entry.valid_accuracy));
    const r2 = await net.score(X, y);
    assert.ok(r2 > 0.95, `R^2 ${r2}`);
    const predicted = await net.predict(X.subarray(0, 6));
    assert.ok(predicted instanceof Float32Array && predicted.length === 4);
  });

  it('returns the output of a named layer and the parameters by layer', async () => {
    const net = classifier({ max_epochs: 1 });
    await net.fit(train.X, train.y);
    const hidden = await net.getOutput('hidden', test.X);
    assert.strictEqual(hidden.length, 90 * 12);
    assert.ok(hidden.every((value) => value >= 0), 'rectify output');
    const params = net.layers.hidden.params;
    assert.deepStrictEqual(params.map((param) => [param.name, param.shape]),
      [['W', [6, 12]], ['b', [12]]]);

    // The same output computed by hand from the parameters.
    const [W, b] = params;
    let largest = 0;
    for (let i = 0; i < 90; i++) {
      for (let u = 0; u < 12; u++) {
        let sum = b.values[u];
        for (let k = 0; k < 6; k++) sum += test.X[i * 6 + k] * W.values[k * 12 + u];
        largest = Math.max(largest, Math.abs(Math.max(0, sum) - hidden[i * 12 + u]));
      }
    }
    assert.ok(largest < 1e-5, `largest difference ${largest}`);
  });

  it('trains a small conv net', async () => {
    const images = new Float32Array(60 * 64);
    const labels = new Int32Array(60);
    for (let i = 0; i < 60; i++) {
      labels[i] = i % 2;
      // Class 0: a vertical bar; class 1: a horizontal bar.
      for (let k = 0; k < 8; k++) images[i * 64 + (labels[i] ? 3 * 8 + k : k * 8 + 3)] = 1;
    }
    const net = new NeuralNet({
      layers: [new InputLayer({ shape: [null, 1, 8, 8] }),
        new Conv2DLayer({ numFilters: 4, filterSize: 3, pad: 'same' }),
        new MaxPool2DLayer({ poolSize: 2 }),
        new DenseLayer({ numUnits: 2, nonlinearity: softmax })],
      max_epochs: 10, update_learning_rate: 0.05, batch_size: 10, backend: 'js',
    });
    await net.fit(images, labels);
    assert.strictEqual(await net.score(images, labels), 1);
  });

  it('stops when aborted, keeping the epochs done', async () => {
    const controller = new AbortController();
    const net = classifier({ max_epochs: 50, on_epoch_finished: () => {
      if (net.trainHistory.length === 2) controller.abort();
    } });
    await assert.rejects(net.fit(train.X, train.y, { signal: controller.signal }),
      { name: 'AbortError' });
    assert.strictEqual(net.trainHistory.length, 2);
  });
});

describe('estimator: the native backend, when built', function () {
  before(function () {
    if (!hasNativeBackend()) {
      // eslint-disable-next-line no-console
      console.log('    (skipped: the native addon does not load here)');
      this.skip();
    }
  });

  it('trains, predicts and saves through the estimator as the JS backend does', async () => {
    const data = blobs(120, 3, 6, 3);
    const options = {
      layers: [['input', InputLayer], ['hidden', DenseLayer], ['output', DenseLayer]],
      input_shape: [null, 6], hidden_num_units: 8, output_num_units: 3,
      output_nonlinearity: softmax, max_epochs: 3, batch_size: 16,
    };
    const native = new NeuralNet({ ...options, backend: 'native' } as never);
    const js = new NeuralNet({ ...options, backend: 'js' } as never);
    await native.fit(data.X, data.y);
    await js.fit(data.X, data.y);
    const largest = Math.max(...native.trainHistory.map((entry, i) =>
      Math.abs(entry.train_loss - js.trainHistory[i].train_loss)));
    assert.ok(largest < 1e-4, `train losses differ by up to ${largest}`);
    assert.deepStrictEqual(await native.predict(data.X), await js.predict(data.X));
  });
});
