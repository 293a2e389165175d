/**
 * Augmentation cost: one MNIST epoch (60,000 digits in batches of 128) through augmentImages,
 * with the MNIST defaults and with each part alone, and a few batches of the TypeScript
 * reference. Optionally writes a preview grid: each row a digit, then distortions of it.
 *
 *   node dist/bench/augment.js [--threads 2] [--preview /tmp/augment-preview.png]
 *     [--alpha 34] [--sigma 4] [--rotation 10] [--scale 0.9,1.1] [--shear 10] [--translation 2]
 *
 * Prints ms per batch and seconds per epoch (the best of 3 epochs, timed with hrtime).
 */
import {
  AugmentOptions, augmentImages, augmentImagesReference, buildInfo, loadMnistSync,
  MNIST_AUGMENT_DEFAULTS, setNumThreads, writeDigitGrid,
} from '../lib';

const BATCH = 128;

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}

/** The defaults, with any setting given on the command line replaced. */
function optionsFromArguments(): AugmentOptions {
  const number = (name: string, fallback: number) => Number(argument(name) ?? fallback);
  const elastic = MNIST_AUGMENT_DEFAULTS.elastic, affine = MNIST_AUGMENT_DEFAULTS.affine;
  const scale = (argument('scale') ?? affine.scale.join(',')).split(',').map(Number);
  return {
    elastic: { alpha: number('alpha', elastic.alpha), sigma: number('sigma', elastic.sigma) },
    affine: {
      rotation: number('rotation', affine.rotation),
      scale: [scale[0], scale[1]],
      shear: number('shear', affine.shear),
      translation: number('translation', affine.translation),
    },
  };
}

/** Seconds for one epoch of batches through run, the best of rounds epochs. */
function timeEpoch(pixels: Uint8Array, n: number, rounds: number,
  run: (batch: Uint8Array, count: number, seed: number) => void): number {
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    for (let first = 0, seed = 0; first < n; first += BATCH, seed++) {
      const count = Math.min(BATCH, n - first);
      run(pixels.subarray(first * 784, (first + count) * 784), count, seed);
    }
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return best;
}

async function main(): Promise<void> {
  setNumThreads(Number(argument('threads') ?? 2));
  const info = buildInfo();
  const mnist = loadMnistSync();
  const { X, n } = mnist.train;
  const batches = Math.ceil(n / BATCH);
  const options = optionsFromArguments();
  console.log(`lamina ${info.version}: threads=${info.threads}, openmp=${info.openmp}; ` +
    `${n} images in ${batches} batches of ${BATCH}; options ${JSON.stringify(options)}`);

  // The native core: the options given, then each part alone.
  const cases: Array<[string, AugmentOptions]> = [
    ['affine + elastic', options],
    ['elastic only', { elastic: options.elastic }],
    ['affine only', { affine: options.affine }],
    ['identity (copy)', {}],
  ];
  for (const [name, each] of cases) {
    const seconds = timeEpoch(X, n, 3, (batch, count, seed) => {
      augmentImages(batch, count, 1, 28, 28, each, seed);
    });
    console.log(`native ${name.padEnd(17)} ${(seconds / batches * 1e3).toFixed(3)} ms/batch  ` +
      `${seconds.toFixed(3)} s/epoch`);
  }

  // The TypeScript reference, on 20 batches.
  const sample = 20 * BATCH;
  const reference = timeEpoch(X.subarray(0, sample * 784), sample, 1, (batch, count, seed) => {
    augmentImagesReference(batch, count, 1, 28, 28, options, seed);
  });
  console.log(`typescript reference     ${(reference / 20 * 1e3).toFixed(3)} ms/batch  ` +
    `${(reference / 20 * batches).toFixed(1)} s/epoch (estimated from 20 batches)`);

  // The preview: 10 digits (one per class), each followed by 9 distortions.
  const preview = argument('preview');
  if (preview === undefined) return;
  const digits: number[] = [];
  for (let label = 0; label < 10; label++) digits.push(mnist.train.y.indexOf(label));
  const variants = 9;
  const grid = new Float32Array(digits.length * (variants + 1) * 784);
  digits.forEach((index, row) => {
    const original = X.subarray(index * 784, (index + 1) * 784);
    const copies = new Uint8Array(variants * 784);
    for (let v = 0; v < variants; v++) copies.set(original, v * 784);
    const distorted = augmentImages(copies, variants, 1, 28, 28, options, 1000 + row);
    const at = row * (variants + 1) * 784;
    for (let i = 0; i < 784; i++) grid[at + i] = original[i] / 255;
    grid.set(distorted, at + 784);
  });
  await writeDigitGrid(preview, { X: grid, n: digits.length * (variants + 1), rows: 28, cols: 28 },
    { columns: variants + 1, scale: 3, padding: 2 });
  console.log(`wrote ${preview}: each row a digit, then ${variants} distortions of it`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
