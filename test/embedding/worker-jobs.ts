/**
 * The jobs the embedding tests run in worker threads, and on the main thread for comparison.
 * This file is also the workers' entry script: started as a Worker with workerData.role set,
 * it loads the built package (dist/lib, through the import below), runs its job and posts
 * the result.
 *
 *   role 'train': waits for a 'go' message (so that several workers start training at the same
 *   moment), trains an MLP and posts its losses, weights and predictions.
 *   role 'cycle': runs a GEMM on each GEMM provider and a tiny fit, then ends.
 *   role 'interrupted': starts a long fit and says so ('training'); the test terminates it.
 *   role 'spin': trains a tiny network for ever, one short epoch after another, each with an
 *   epoch callback, so that a termination often lands while native code calls JavaScript.
 */
import * as fs from 'fs';
import { isMainThread, parentPort, workerData } from 'worker_threads';
import * as lamina from '../../lib';

/** An MLP to train on MNIST pixels: 784 -> hidden (ReLU) -> 10 (softmax). */
export interface TrainJob {
  seed: number;
  /** Units of the hidden layer. */
  hidden: number;
  epochs: number;
  learningRate: number;
  /** What the job passes to setNumThreads (for the whole process) before training. */
  threads: number;
}

/** Training data: MNIST pixels (uint8, n x 784) and labels, plus images to predict. */
export interface JobData {
  x: Uint8Array;
  y: Int32Array;
  testX: Uint8Array;
}

/** What a training job produces. */
export interface TrainResult {
  trainLoss: number[];
  validLoss: number[];
  validAccuracy: number[];
  params: Float32Array[];
  probabilities: Float32Array;
  /** Wall-clock times (ms since the epoch) around fit, to show that jobs overlapped. */
  started: number;
  finished: number;
}

/** What a cycle job reports. */
export interface CycleResult {
  openblasOrAuto: number;
  builtin: number;
  trainLoss: number;
  /** Threads of the process while this worker held its OpenMP team and training was done. */
  threadsInside: number;
}

/** The network of a training job, untrained. */
export function buildNet(job: TrainJob): lamina.NeuralNet {
  return new lamina.NeuralNet({
    layers: [
      ['input', lamina.InputLayer],
      ['hidden', lamina.DenseLayer],
      ['output', lamina.DenseLayer],
    ],
    input_shape: [null, 784],
    hidden_num_units: job.hidden,
    output_nonlinearity: lamina.softmax,
    output_num_units: 10,
    update_learning_rate: job.learningRate,
    update_momentum: 0.9,
    max_epochs: job.epochs,
    seed: job.seed,
    backend: 'native',
  });
}

/** Trains the job's network (net built beforehand, so that only fit is timed). */
export async function runTrainJob(net: lamina.NeuralNet, data: JobData): Promise<TrainResult> {
  const started = Date.now();
  await net.fit(data.x, data.y);
  const finished = Date.now();
  const history = net.trainHistory;
  const result: TrainResult = {
    trainLoss: history.map((entry) => entry.train_loss),
    validLoss: history.map((entry) => entry.valid_loss),
    validAccuracy: history.map((entry) => entry.valid_accuracy),
    params: net.getParams().map((param) => param.values),
    probabilities: await net.predictProba(data.testX),
    started,
    finished,
  };
  net.dispose();
  return result;
}

/** The GEMMs and the fit of a cycle job (the model is left for the worker's exit to free). */
export async function runCycleJob(data: { x: Uint8Array; y: Int32Array }): Promise<CycleResult> {
  // C = A * B with A all 1 and B all 2: every entry is 2 * n. Large enough (n^3 > 48^3) that
  // the built-in GEMM starts an OpenMP team on this thread.
  const n = 192;
  const a = new Float32Array(n * n).fill(1);
  const b = new Float32Array(n * n).fill(2);
  const c = new Float32Array(n * n);
  const builtin = new Float32Array(n * n);
  lamina.gemm(n, n, n, a, b, c);
  lamina.gemm(n, n, n, a, b, builtin, { provider: 'builtin' });

  // One epoch of an MLP of 784 -> 512 -> 10; no dispose(): ending the worker must free the
  // model.
  const net = buildNet({ seed: 5, hidden: 512, epochs: 1, learningRate: 0.01, threads: 2 });
  await net.fit(data.x, data.y);
  return {
    openblasOrAuto: c[n * n - 1],
    builtin: builtin[0],
    trainLoss: net.trainHistory[0].train_loss,
    threadsInside: fs.readdirSync('/proc/self/task').length,
  };
}

// The worker's entry.
if (!isMainThread && parentPort && workerData && typeof workerData.role === 'string') {
  const port = parentPort;
  const fail = (error: unknown): void => {
    port.postMessage({ error: error instanceof Error ? error.stack : String(error) });
  };
  if (workerData.role === 'train') {
    const job = workerData.job as TrainJob;
    lamina.setNumThreads(job.threads);
    const net = buildNet(job).initialize();
    port.once('message', () => {
      runTrainJob(net, workerData.data as JobData).then(
        (result) => port.postMessage({ result }),
        fail,
      );
    });
    port.postMessage({ ready: true });
  } else if (workerData.role === 'cycle') {
    lamina.setNumThreads(2);
    runCycleJob(workerData.data).then((result) => port.postMessage({ result }), fail);
  } else if (workerData.role === 'spin') {
    const x = new Float32Array(256 * 2).map((_, i) => (i % 7) / 7);
    const y = new Int32Array(256).map((_, i) => i % 3);
    const net = new lamina.NeuralNet({
      layers: [['input', lamina.InputLayer], ['output', lamina.DenseLayer]],
      input_shape: [null, 2],
      output_nonlinearity: lamina.softmax,
      output_num_units: 3,
      max_epochs: 1e9,
      train_split: false,
      on_epoch_finished: () => undefined,
    });
    net.fit(x, y).catch(fail);
    port.postMessage({ training: true });
  } else if (workerData.role === 'interrupted') {
    lamina.setNumThreads(2);
    const net = buildNet({ seed: 6, hidden: 256, epochs: 1000, learningRate: 0.01, threads: 2 });
    net.fit(workerData.data.x, workerData.data.y).catch(fail);
    port.postMessage({ training: true });
  }
}
