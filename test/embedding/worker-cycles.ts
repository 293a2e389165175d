/**
 * Starts and ends worker threads that load Lamina, one after another (every third one
 * terminated in the middle of training), and measures what stays behind: resident memory and
 * the threads of the process. Run in a child process of its own
 * with --expose-gc (the measurements must not see the test runner's own allocations):
 *
 *   node --expose-gc dist/test/embedding/worker-cycles.js WARMUP CYCLES
 *
 * Prints one line of JSON: the figures at start, after warm-up, after every cycle, and at the
 * end. With `terminations COUNT` instead, it terminates COUNT workers 5 to 24 ms into a run of
 * tiny epochs and prints { terminated, ms } (or dies, which is what that mode tests).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { readMnistTrain } from '../helpers/mnist-subset';
import type { CycleResult } from './worker-jobs';

const WORKER_SCRIPT = path.join(__dirname, 'worker-jobs.js');

/** Samples of the tiny fit: a leak of one copy of them per worker would be n * 784 bytes. */
export const CYCLE_SAMPLES = 4000;

function threadCount(): number {
  return fs.readdirSync('/proc/self/task').length;
}

function rssMb(): number {
  return process.memoryUsage().rss / 1e6;
}

/** Collects garbage a few times with pauses, so finalizers of ended workers have run. */
async function settle(): Promise<void> {
  const gc = (global as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One worker: start, run the cycle job, exit; resolves with its result once it has exited. */
function cycle(data: { x: Uint8Array; y: Int32Array }): Promise<CycleResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SCRIPT, { workerData: { role: 'cycle', data } });
    let message: { result?: CycleResult; error?: string } = {};
    worker.on('message', (received) => {
      message = received;
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (message.result) resolve(message.result);
      else reject(new Error(message.error ?? `the worker exited with code ${code} and no result`));
    });
  });
}

/** One worker terminated 50 ms into a long training; resolves with its exit code. */
function interrupted(data: { x: Uint8Array; y: Int32Array }): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SCRIPT, { workerData: { role: 'interrupted', data } });
    worker.on('message', (message) => {
      if (message.training) setTimeout(() => worker.terminate().then(resolve, reject), 50);
      else reject(new Error(message.error ?? 'unexpected message'));
    });
    worker.on('error', reject);
  });
}

/** Terminates count workers of role 'spin', each 5 to 24 ms after it started training. */
async function terminations(count: number): Promise<void> {
  const started = Date.now();
  for (let i = 0; i < count; i++) {
    await new Promise<void>((resolve, reject) => {
      const worker = new Worker(WORKER_SCRIPT, { workerData: { role: 'spin' } });
      worker.on('message', (message) => {
        if (!message.training) reject(new Error(message.error ?? 'unexpected message'));
        else setTimeout(() => worker.terminate().then(() => resolve(), reject), 5 + (i % 20));
      });
      worker.on('error', reject);
    });
  }
  process.stdout.write(JSON.stringify({ terminated: count, ms: Date.now() - started }) + '\n');
}

async function main(): Promise<void> {
  if (process.argv[2] === 'terminations') return terminations(Number(process.argv[3] ?? 80));
  const warmup = Number(process.argv[2] ?? 3);
  const cycles = Number(process.argv[3] ?? 20);
  const data = readMnistTrain(CYCLE_SAMPLES);
  const start = { threads: threadCount(), rssMb: rssMb() };

  // Warm-up: the first workers load the addon into the process for good, start OpenBLAS's
  // thread pool and the libuv pool, and grow the allocators' arenas.
  for (let i = 0; i < warmup; i++) await cycle(data);
  await settle();
  const baseline = { threads: threadCount(), rssMb: rssMb() };

  // Every third worker is terminated in the middle of training instead.
  const results: CycleResult[] = [];
  const exitCodes: number[] = [];
  const series: number[] = [];
  for (let i = 0; i < cycles; i++) {
    if (i % 3 === 2) exitCodes.push(await interrupted(data));
    else results.push(await cycle(data));
    await settle();
    series.push(Number(rssMb().toFixed(1)));
  }
  await settle();
  const end = { threads: threadCount(), rssMb: rssMb() };
  process.stdout.write(JSON.stringify({ start, baseline, end, series, results, exitCodes }) +
    '\n');
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  });
}
