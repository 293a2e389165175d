/**
 * Cancellation and repetition on the native backend: a fit started and aborted 50 times, 50
 * networks trained and disposed, and 200 networks fitted at once. The process's memory must
 * not grow past a stated bound once warm, and no thread may be left behind (Linux: the
 * entries of /proc/self/task).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import { DenseLayer, InputLayer, NeuralNet, softmax } from '../../lib';
import { nativeAvailable } from '../cli/helpers';

/** RSS growth allowed over the repeated phase, after a warm-up of the same work. */
const RSS_BOUND_MB = 48;
/** Threads allowed above the warm count: V8 may start a helper thread for GC or compiling. */
const THREAD_TOLERANCE = 2;

/**
 * Under AddressSanitizer (.ci/reliability.sh preloads it) freed memory waits in a quarantine
 * of up to 256 MB before reuse, so RSS measures the sanitizer, not the library: the figures are
 * printed but the bound is not checked there.
 */
const SANITIZED = /libasan/.test(process.env.LD_PRELOAD ?? '');

const rssMb = () => process.memoryUsage().rss / 2 ** 20;

/** The threads of this process, or NaN where /proc is not there. */
function threadCount(): number {
  try {
    return fs.readdirSync('/proc/self/task').length;
  } catch {
    return NaN;
  }
}

/** Lets finished native threads be joined and the garbage collector run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    (global as { gc?: () => void }).gc?.();
  }
}

/** A small classifier of 64 inputs (a 2-layer MLP) on the native backend; each fit copies
 * the 1 MB of X into the core, so a leaked copy per fit would show in the RSS. */
function smallNet(seed: number, epochs = 2): NeuralNet {
  return new NeuralNet({
    layers: [new InputLayer({ shape: [null, 64] }), new DenseLayer({ numUnits: 32 }),
      new DenseLayer({ name: 'out', numUnits: 4, nonlinearity: softmax })],
    max_epochs: epochs, batch_size: 16, verbose: 0, seed, backend: 'native',
  });
}

const X = Float32Array.from({ length: 4096 * 64 }, (_, i) => Math.sin(i * 0.37));
const y = Int32Array.from({ length: 4096 }, (_, i) => i % 4);

describe('reliability: lifecycle (abort, dispose, many at once)', function () {
  this.timeout(60000);

  before(function () {
    if (!nativeAvailable()) {
      console.log('      (skipped: the native addon is not built)');
      this.skip();
    }
  });

  it(`50 aborted fits and 50 trained-and-disposed nets: RSS grows < ${RSS_BOUND_MB} MB, ` +
    'no thread left', async () => {
    // One round: a long fit aborted after its first epoch, then a net trained and disposed.
    const aborted = smallNet(7, 100000);
    const round = async (i: number): Promise<void> => {
      const controller = new AbortController();
      const fit = aborted.fit(X, y, { signal: controller.signal });
      setTimeout(() => controller.abort(), 2);
      await assert.rejects(fit, { name: 'AbortError', message: 'Training was aborted' });
      const net = smallNet(i);
      await net.fit(X, y);
      assert.strictEqual((await net.predict(X.subarray(0, 64 * 8))).length, 8);
      net.dispose();
    };

    // Warm-up: thread pools (libuv, OpenMP, BLAS) and allocator arenas settle.
    for (let i = 0; i < 10; i++) await round(i);
    await settle();
    const warmRss = rssMb();
    const warmThreads = threadCount();

    const started = Date.now();
    for (let i = 0; i < 50; i++) await round(100 + i);
    await settle();
    const endRss = rssMb();
    const endThreads = threadCount();
    console.log(`      50 rounds in ${((Date.now() - started) / 1000).toFixed(1)} s; RSS ` +
      `${warmRss.toFixed(1)} MB after warm-up, ${endRss.toFixed(1)} MB at the end (` +
      `${(endRss - warmRss).toFixed(1)} MB, bound ${RSS_BOUND_MB}); threads ${warmThreads} ` +
      `-> ${endThreads} (tolerance ${THREAD_TOLERANCE}); ${aborted.trainHistory.length} ` +
      'epochs finished before the aborts');
    if (SANITIZED) console.log('      (RSS bound not checked: the sanitizer keeps freed memory)');
    else assert.ok(endRss - warmRss < RSS_BOUND_MB, `RSS grew by ${endRss - warmRss} MB`);
    if (!Number.isNaN(warmThreads)) {
      assert.ok(endThreads <= warmThreads + THREAD_TOLERANCE,
        `threads ${warmThreads} -> ${endThreads}`);
    }
  });

  it('200 networks fitted at once (200 NeuralNet instances): all resolve', async () => {
    const before = threadCount();
    const started = Date.now();
    const nets = Array.from({ length: 200 }, (_, i) => smallNet(i, 1));
    const small = X.subarray(0, 32 * 64);
    const results = await Promise.allSettled(nets.map((net) => net.fit(small, y.subarray(0, 32))));
    const failed = results.filter((result) => result.status === 'rejected');
    assert.deepStrictEqual(failed, [], 'every fit resolves');
    for (const net of nets) assert.strictEqual(net.trainHistory.length, 1);

    // Different seeds, different weights: they did not share a model.
    const first = nets[0].getParams()[0].values;
    assert.ok(nets.slice(1).every((net) => net.getParams()[0].values[0] !== first[0] ||
      net.getParams()[0].values[1] !== first[1]), 'models are separate');
    nets.forEach((net) => net.dispose());
    await settle();
    const after = threadCount();
    console.log(`      200 fits in ${((Date.now() - started) / 1000).toFixed(1)} s; threads ` +
      `${before} -> ${after}`);
    if (!Number.isNaN(before)) {
      assert.ok(after <= before + THREAD_TOLERANCE, `threads ${before} -> ${after}`);
    }
  });
});
