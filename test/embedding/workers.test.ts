/**
 * The addon is context-aware: worker threads load the built package (dist/lib) and train at
 * the same time as the main thread, with results that do not depend on what else runs, and
 * workers that come and go leave no memory and no threads behind.
 */
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { getNumThreads, setNumThreads } from '../../lib';
import { readMnistTrain } from '../helpers/mnist-subset';
import { buildNet, JobData, runTrainJob, TrainJob, TrainResult } from './worker-jobs';
import { CYCLE_SAMPLES } from './worker-cycles';

const WORKER_SCRIPT = path.join(__dirname, 'worker-jobs.js');

/** Three different networks, so that one job's numbers leaking into another would show. */
const JOBS: TrainJob[] = [
  { seed: 11, hidden: 96, epochs: 15, learningRate: 0.02, threads: 2 },
  { seed: 12, hidden: 64, epochs: 15, learningRate: 0.03, threads: 2 },
  { seed: 13, hidden: 80, epochs: 15, learningRate: 0.01, threads: 2 },
];

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.strictEqual(a.length, b.length, 'lengths differ');
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i] - b[i]));
  return largest;
}

/** A worker that builds the job's network, says it is ready, and trains when told to. */
class TrainWorker {
  readonly ready: Promise<void>;
  readonly result: Promise<TrainResult>;
  private readonly worker: Worker;

  constructor(job: TrainJob, data: JobData) {
    this.worker = new Worker(WORKER_SCRIPT, { workerData: { role: 'train', job, data } });
    let onReady: () => void = () => undefined;
    this.ready = new Promise((resolve) => {
      onReady = resolve;
    });
    this.result = new Promise((resolve, reject) => {
      this.worker.on('message', (message) => {
        if (message.ready) onReady();
        else if (message.result) resolve(message.result);
        else reject(new Error(`worker failed: ${message.error}`));
      });
      this.worker.on('error', reject);
      this.worker.on('exit', (code) => reject(new Error(`worker exited with code ${code}`)));
    });
  }

  go(): void {
    this.worker.postMessage('go');
  }

  async finish(): Promise<TrainResult> {
    try {
      return await this.result;
    } finally {
      await this.worker.terminate();
    }
  }
}

/** Runs a job alone in a worker of its own. */
async function aloneInWorker(job: TrainJob, data: JobData): Promise<TrainResult> {
  const worker = new TrainWorker(job, data);
  await worker.ready;
  worker.go();
  return worker.finish();
}

/** Compares two runs of one job: everything must be bitwise equal. */
function assertSameRun(name: string, alone: TrainResult, together: TrainResult): void {
  const differences = [
    maxDifference(alone.trainLoss, together.trainLoss),
    maxDifference(alone.validLoss, together.validLoss),
    ...alone.params.map((values, i) => maxDifference(values, together.params[i])),
    maxDifference(alone.probabilities, together.probabilities),
  ];
  const largest = Math.max(...differences);
  console.log(`      ${name}: final train loss ${together.trainLoss.at(-1)!.toFixed(6)}, ` +
    `largest difference from the run alone ${largest} (tolerance 0: bitwise equal)`);
  assert.strictEqual(largest, 0, `${name} differs from its run alone by up to ${largest}`);
}

describe('embedding: worker threads', function () {
  this.timeout(60000);
  let data: JobData;
  let threadsBefore: number;

  before(() => {
    // The thread count is one for the whole process: the jobs set it to 2 (every job, every
    // thread), and it is put back for the tests that follow.
    threadsBefore = getNumThreads();
    setNumThreads(2);
    // 3000 training images (2400 train + 600 validation after the default split) and 500 to
    // predict.
    const mnist = readMnistTrain(3500);
    data = {
      x: mnist.x.slice(0, 3000 * 784),
      y: mnist.y.slice(0, 3000),
      testX: mnist.x.slice(3000 * 784),
    };
  });

  after(() => setNumThreads(threadsBefore));

  it('two workers and the main thread train at once, each exactly as it trains alone',
    async () => {
      // Each job alone: two in a worker of their own, one on the main thread.
      const alone = [
        await aloneInWorker(JOBS[0], data),
        await aloneInWorker(JOBS[1], data),
        await runTrainJob(buildNet(JOBS[2]), data),
      ];

      // All three at once: the workers load the package and build their nets first, then all
      // start training together.
      const workers = [new TrainWorker(JOBS[0], data), new TrainWorker(JOBS[1], data)];
      await Promise.all(workers.map((worker) => worker.ready));
      const mainNet = buildNet(JOBS[2]).initialize();
      workers.forEach((worker) => worker.go());
      const together = await Promise.all([
        ...workers.map((worker) => worker.finish()),
        runTrainJob(mainNet, data),
      ]);

      // They did overlap: every job started before any finished.
      const lastStart = Math.max(...together.map((result) => result.started));
      const firstEnd = Math.min(...together.map((result) => result.finished));
      const t0 = Math.min(...together.map((result) => result.started));
      console.log(`      fit intervals (ms): ${together.map((result) =>
        `[${result.started - t0}, ${result.finished - t0}]`).join(' ')}; alone: ` +
        `${alone.map((result) => result.finished - result.started).join(', ')} ms`);
      assert.ok(lastStart < firstEnd, 'the three trainings did not overlap');

      // Each is bitwise what it is alone, and it learned.
      ['worker 1', 'worker 2', 'main thread'].forEach((name, i) => {
        assertSameRun(name, alone[i], together[i]);
        const losses = together[i].trainLoss;
        assert.ok(losses.at(-1)! < 0.6 * losses[0],
          `${name}: loss ${losses[0]} -> ${losses.at(-1)}`);
        assert.ok(together[i].validAccuracy.at(-1)! > 0.85,
          `${name}: validation accuracy ${together[i].validAccuracy.at(-1)}`);
      });

      // The equality is not vacuous: different jobs give different weights.
      const between = maxDifference(together[0].params[3], together[1].params[3]);
      assert.ok(between > 1e-3, `jobs 1 and 2 have the same output bias (difference ${between})`);
    });

  it('terminating 80 workers while their epoch callbacks run never takes the process down',
    async () => {
      // Each worker trains a tiny network one short epoch after another, so a termination
      // often lands while the training thread's callback runs JavaScript. Before the build
      // defined NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS this ended the process (a fatal
      // "Error::Error napi_define_properties" or an uncaught Napi::Error) in 3 runs of 3.
      const script = path.join(__dirname, 'worker-cycles.js');
      const output = await new Promise<string>((resolve, reject) => {
        execFile(process.execPath, [script, 'terminations', '80'], { timeout: 50000 },
          (error, stdout, stderr) => (error
            ? reject(new Error(`${error.message}\n${stderr.split('\n').slice(0, 3).join('\n')}`))
            : resolve(stdout)));
      });
      const { terminated, ms } = JSON.parse(output);
      console.log(`      ${terminated} workers terminated in the middle of training (${ms} ms)`);
      assert.strictEqual(terminated, 80);
    });

  it('thirty workers that load the package, train and exit (or are terminated while training) ' +
    'leave nothing behind',
    async function () {
      if (process.platform !== 'linux') this.skip(); // counts threads in /proc/self/task
      const script = path.join(__dirname, 'worker-cycles.js');
      // glibc's allocator set to give memory back as it is freed: one arena (memory freed by
      // ended threads is reused, not cached per thread) and blocks of 64 KB or more mapped
      // one by one (returned on free). RSS then follows live memory within a few MB; with the
      // defaults it wanders by up to 15 MB. A leak shows either way.
      const env = { ...process.env, MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: '65536' };
      const output = await new Promise<string>((resolve, reject) => {
        execFile(process.execPath, ['--expose-gc', script, '6', '30'], { timeout: 60000, env },
          (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`))
            : resolve(stdout)));
      });
      const figures = JSON.parse(output);
      const { start, baseline, end, series, results, exitCodes } = figures;
      // Growth: the lowest RSS over the last 5 workers minus the lowest over the first 5, 25
      // workers apart: a leak is in every reading, memory held for a moment is not.
      const growth = Math.min(...series.slice(-5)) - Math.min(...series.slice(0, 5));
      console.log(`      RSS: ${start.rssMb.toFixed(1)} MB at start, ` +
        `${baseline.rssMb.toFixed(1)} MB after 6 warm-up workers, then after each worker ` +
        `${series.join(' ')} MB (growth ${growth.toFixed(1)} MB)`);
      console.log(`      threads: ${start.threads} at start, ${baseline.threads} after warm-up, ` +
        `${results[0].threadsInside} while a worker ran, ${end.threads} after 30 workers`);

      // Every worker computed the right numbers; the terminated ones ended (code 1).
      assert.strictEqual(results.length, 20);
      assert.deepStrictEqual(exitCodes, new Array(10).fill(1));
      for (const result of results) {
        assert.strictEqual(result.openblasOrAuto, 2 * 192);
        assert.strictEqual(result.builtin, 2 * 192);
        assert.ok(Number.isFinite(result.trainLoss) && result.trainLoss < 2.3, result.trainLoss);
      }

      // Memory: a model of 784 -> 512 -> 10 left undisposed and never freed would add about
      // 6 MB per worker (119 MB for 20 models kept alive, measured with the settings above),
      // a leaked copy of the training set CYCLE_SAMPLES * 784 bytes (78 MB over 25 workers).
      // Allow 10 MB.
      const leakOfData = (25 * CYCLE_SAMPLES * 784) / 1e6;
      assert.ok(growth < 10, `RSS grew by ${growth.toFixed(1)} MB over 25 workers (a leaked ` +
        `training set per worker would be ${leakOfData.toFixed(0)} MB)`);

      // Threads: workers really started threads (their own, the OpenMP team of the built-in
      // GEMM), and all of them ended. Tolerance: 2 threads that Node may start late on its own.
      assert.ok(results[0].threadsInside > baseline.threads,
        `no extra thread while a worker ran (${results[0].threadsInside})`);
      assert.ok(end.threads <= baseline.threads + 2,
        `${end.threads - baseline.threads} threads more than after warm-up`);
    });
});
