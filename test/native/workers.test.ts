/**
 * The addon in worker threads: it keeps no static state, so several workers load it and train
 * at once, and a worker that ends in the middle of training takes its training thread down
 * cleanly.
 */
import * as assert from 'assert';
import * as path from 'path';
import { Worker } from 'worker_threads';

// Runs in each worker: trains a small MLP and posts its final loss and first weights.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const { nativeBackend } = require(workerData.native);
const { SpecBuilder, trainSpec } = require(workerData.spec);
const { blobs } = require(workerData.synthetic);
(async () => {
  const spec = new SpecBuilder([2]).dense(16, 'rectify').dense(3, 'softmax').build();
  const model = nativeBackend.createModel(spec, 3);
  parentPort.postMessage({ started: true });
  const records = await model.train({
    train: blobs(workerData.samples, 1),
    firstEpoch: 1,
    epochs: workerData.epochs,
    spec: trainSpec(),
  });
  parentPort.postMessage({
    loss: records[records.length - 1].trainLoss,
    w: model.getParams()[0].values.slice(0, 4),
  });
})().catch((error) => parentPort.postMessage({ error: String(error) }));
`;

function startWorker(samples: number, epochs: number): Worker {
  const dist = path.join(__dirname, '..', '..');
  return new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      native: path.join(dist, 'lib', 'backend', 'native.js'),
      spec: path.join(dist, 'test', 'helpers', 'spec.js'),
      synthetic: path.join(dist, 'test', 'helpers', 'synthetic.js'),
      samples,
      epochs,
    },
  });
}

function result(worker: Worker): Promise<{ loss: number; w: Float32Array }> {
  return new Promise((resolve, reject) => {
    worker.on('message', (message) => {
      if (message.error) reject(new Error(message.error));
      else if (!message.started) resolve(message);
    });
    worker.on('error', reject);
  });
}

describe('native backend in worker threads', () => {
  it('two workers train at once and agree with each other', async () => {
    const workers = [startWorker(300, 3), startWorker(300, 3)];
    const [a, b] = await Promise.all(workers.map(result));
    await Promise.all(workers.map((worker) => worker.terminate()));
    assert.ok(Number.isFinite(a.loss) && a.loss < 1.2, `loss ${a.loss}`);
    assert.strictEqual(a.loss, b.loss);
    assert.deepStrictEqual(a.w, b.w);
  });

  it('terminating a worker in the middle of training neither crashes nor hangs', async () => {
    const worker = startWorker(200000, 100);
    await new Promise<void>((resolve) =>
      worker.on('message', (m) => m.started && setTimeout(resolve, 100)),
    );
    const code = await worker.terminate();
    assert.strictEqual(code, 1);
  });
});
