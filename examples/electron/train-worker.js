// Runs in a worker thread of the main process: loads MNIST, trains an MLP (784 -> 200 -> 10)
// on the first trainSize images, and posts progress: 'status' lines, throttled 'batch' ticks,
// one 'epoch' row per epoch, then 'done' with the test accuracy (or 'failed').
// Lamina trains on native threads of its own; this worker only relays their reports.
'use strict';

const { parentPort, workerData } = require('worker_threads');
const lamina = require('lamina');

const controller = new AbortController();
parentPort.on('message', (message) => {
  if (message === 'stop') controller.abort();
});
// Listening for 'stop' must not keep the worker alive: it ends when training is over.
parentPort.unref();

async function main() {
  const { trainSize, epochs } = workerData;
  const info = lamina.buildInfo();
  parentPort.postMessage({
    type: 'status',
    text: `Lamina ${info.version}: ${info.gemm} GEMM, ${info.threads} threads, ` +
      `${info.prebuilt ? 'prebuilt binary' : 'built from source'}. Loading MNIST...`,
  });
  const { train, test } = await lamina.loadMnist();

  const net = new lamina.NeuralNet({
    layers: [
      ['input', lamina.InputLayer],
      ['hidden', lamina.DenseLayer],
      ['output', lamina.DenseLayer],
    ],
    input_shape: [null, 784],
    hidden_num_units: 200,
    output_nonlinearity: lamina.softmax,
    output_num_units: 10,
    update: lamina.nesterov_momentum,
    update_learning_rate: 0.01,
    update_momentum: 0.9,
    max_epochs: epochs,
    on_batch_finished: (_net, tick) => {
      parentPort.postMessage({ type: 'batch', epoch: tick.epoch, epochs, batch: tick.batch,
        batches: tick.batches, trainLoss: tick.trainLoss });
    },
    on_epoch_finished: (_net, history) => {
      const entry = history[history.length - 1];
      parentPort.postMessage({ type: 'epoch', epochs, epoch: entry.epoch,
        trainLoss: entry.train_loss, validLoss: entry.valid_loss,
        validAccuracy: entry.valid_accuracy, seconds: entry.dur });
    },
  });

  parentPort.postMessage({ type: 'status', text: `Training on ${trainSize} images...` });
  await net.fit(train.X.subarray(0, trainSize * 784), train.y.subarray(0, trainSize),
    { signal: controller.signal });
  const accuracy = await net.score(test.X, test.y);
  net.dispose();
  parentPort.postMessage({ type: 'done', accuracy, testImages: test.n });
}

main().catch((error) => {
  const stopped = error && error.name === 'AbortError';
  parentPort.postMessage(stopped ? { type: 'done', stopped: true }
    : { type: 'failed', error: String(error && error.message) });
});
