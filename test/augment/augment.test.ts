import * as assert from 'assert';
import {
  AugmentOptions, augmentImages, augmentImagesReference, MNIST_AUGMENT_DEFAULTS,
  resolveAugmentOptions, Rng, RngStream,
} from '../../lib';
import { readMnistTrain } from '../helpers/mnist-subset';

/** Largest |a - b| and where. */
function largestDifference(a: Float32Array, b: Float32Array): { diff: number; at: number } {
  assert.strictEqual(a.length, b.length, 'lengths');
  let diff = 0, at = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= diff)) {
      diff = Number.isNaN(d) ? Infinity : d;
      at = i;
    }
  }
  return { diff, at };
}

/** count images of c x h x w values in [0, 1], with runs of exact 0 and 1 like MNIST. */
function randomImages(count: number, c: number, h: number, w: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: count * c * h * w }, () => {
    const u = rng.uniform();
    return u < 0.4 ? 0 : u > 0.8 ? 1 : (u - 0.4) * 2.5;
  });
}

const STRONG: AugmentOptions = {
  elastic: { alpha: 34, sigma: 4 },
  affine: { rotation: 30, scale: [0.7, 1.3], shear: 20, translation: 3 },
};

describe('augment', () => {
  const mnist = readMnistTrain(64);

  describe('native core and TypeScript reference', () => {
    // Both follow native/data/augment.h draw for draw; the core computes in float, the
    // reference in double, so pixels in [0, 1] agree to about 1e-6. Tolerance 1e-5.
    const TOLERANCE = 1e-5;
    const cases: Array<{ name: string; images: Float32Array | Uint8Array; shape: number[];
      options: AugmentOptions }> = [
      { name: 'MNIST digits, defaults', images: mnist.x, shape: [64, 1, 28, 28],
        options: MNIST_AUGMENT_DEFAULTS },
      { name: 'MNIST digits, strong', images: mnist.x, shape: [64, 1, 28, 28], options: STRONG },
      { name: 'elastic only, sigma 4', images: mnist.x, shape: [16, 1, 28, 28],
        options: { elastic: { alpha: 34, sigma: 4 } } },
      { name: 'affine only', images: mnist.x, shape: [16, 1, 28, 28],
        options: { affine: STRONG.affine } },
      { name: '3 channels, 20 x 33', images: randomImages(5, 3, 20, 33, 1), shape: [5, 3, 20, 33],
        options: STRONG },
      { name: 'kernel wider than the image', images: randomImages(4, 2, 13, 9, 2),
        shape: [4, 2, 13, 9], options: { elastic: { alpha: 12, sigma: 9 } } },
    ];
    for (const { name, images, shape, options } of cases) {
      it(`agree within ${TOLERANCE}: ${name}`, () => {
        const [n, c, h, w] = shape;
        const pixels = images.subarray(0, n * c * h * w);
        const fromNative = augmentImages(pixels, n, c, h, w, options, 12345);
        const fromReference = augmentImagesReference(pixels, n, c, h, w, options, 12345);
        const { diff, at } = largestDifference(fromNative, fromReference);
        assert.ok(diff <= TOLERANCE, `largest difference ${diff} at ${at} ` +
          `(native ${fromNative[at]}, reference ${fromReference[at]})`);
        console.log(`      largest difference ${diff.toExponential(2)}`);
      });
    }

    it('take bytes as float(byte / 255) exactly', () => {
      const scaled = Float32Array.from(mnist.x, (byte) => byte / 255);
      const fromBytes = augmentImages(mnist.x, 64, 1, 28, 28, STRONG, 9);
      assert.deepStrictEqual(fromBytes, augmentImages(scaled, 64, 1, 28, 28, STRONG, 9));
      const eight = 8 * 784;
      assert.deepStrictEqual(
        augmentImagesReference(mnist.x.subarray(0, eight), 8, 1, 28, 28, STRONG, 9),
        augmentImagesReference(scaled.subarray(0, eight), 8, 1, 28, 28, STRONG, 9));
    });
  });

  describe('behaviour', () => {
    it('is the identity for {}, alpha 0 and affine ranges of zero', () => {
      const images = randomImages(6, 2, 11, 7, 3);
      const identities: AugmentOptions[] = [
        {},
        { elastic: { alpha: 0 } },
        { elastic: { alpha: 0 }, affine: {} },
        { affine: { rotation: 0, scale: [1, 1], shear: 0, translation: 0 } },
      ];
      for (const options of identities) {
        assert.deepStrictEqual(augmentImages(images, 6, 2, 11, 7, options, 5), images,
          `native ${JSON.stringify(options)}`);
        assert.deepStrictEqual(augmentImagesReference(images, 6, 2, 11, 7, options, 5), images,
          `reference ${JSON.stringify(options)}`);
      }
    });

    it('gives the same images for the same seed and others for another', () => {
      const a = augmentImages(mnist.x, 64, 1, 28, 28, MNIST_AUGMENT_DEFAULTS, 1);
      assert.deepStrictEqual(augmentImages(mnist.x, 64, 1, 28, 28, MNIST_AUGMENT_DEFAULTS, 1), a);
      const b = augmentImages(mnist.x, 64, 1, 28, 28, MNIST_AUGMENT_DEFAULTS, 2);
      let differing = 0;
      for (let i = 0; i < a.length; i++) differing += a[i] !== b[i] ? 1 : 0;
      assert.ok(differing > a.length / 20, `seeds 1 and 2 differ in ${differing} pixels`);
    });

    it('draws one nextU32 per image from a given Rng, each image from its own seed', () => {
      const rng = new Rng(77, RngStream.augment);
      const batch = augmentImagesReference(mnist.x.subarray(0, 4 * 784), 4, 1, 28, 28,
        MNIST_AUGMENT_DEFAULTS, rng);
      const expected = new Rng(77, RngStream.augment);
      for (let i = 0; i < 4; i++) expected.nextU32();
      assert.strictEqual(rng.nextU32(), expected.nextU32(), 'generator position');

      // Image 2 of the batch is what a batch of one gets from the generator after 2 draws.
      const replay = new Rng(77, RngStream.augment);
      replay.nextU32();
      replay.nextU32();
      const single = augmentImagesReference(mnist.x.subarray(2 * 784, 3 * 784), 1, 1, 28, 28,
        MNIST_AUGMENT_DEFAULTS, replay);
      assert.deepStrictEqual(single, batch.subarray(2 * 784, 3 * 784));

      // A seed means a fresh Rng(seed, RngStream.augment).
      assert.deepStrictEqual(batch, augmentImagesReference(mnist.x.subarray(0, 4 * 784), 4, 1,
        28, 28, MNIST_AUGMENT_DEFAULTS, 77));
    });

    it('keeps pixels in [0, 1]', () => {
      const wild: AugmentOptions = { ...STRONG, elastic: { alpha: 200, sigma: 1 } };
      for (const options of [MNIST_AUGMENT_DEFAULTS, STRONG, wild]) {
        const out = augmentImages(mnist.x, 64, 1, 28, 28, options, 4);
        const reference = augmentImagesReference(mnist.x.subarray(0, 16 * 784), 16, 1, 28, 28,
          options, 4);
        for (const values of [out, reference]) {
          let low = Infinity, high = -Infinity;
          for (const value of values) {
            low = Math.min(low, value);
            high = Math.max(high, value);
          }
          assert.ok(low >= 0 && high <= 1, `range [${low}, ${high}]`);
          assert.ok(high > 0.5, `the digits went dark: max ${high}`);
        }
      }
    });

    it('keeps the defaults mild: the ink centre moves less than 2.5 pixels on average', () => {
      // Translation alone (+-2 px on each axis) moves it 1.5 px on average; rotation and scale
      // about the image centre add a little. The amount of ink stays within 20%. A check that
      // the defaults do not wreck digits; the preview picture is the real judge.
      const out = augmentImages(mnist.x, 64, 1, 28, 28, MNIST_AUGMENT_DEFAULTS, 8);
      let shift = 0, kept = 0;
      for (let n = 0; n < 64; n++) {
        const centre = (values: ArrayLike<number>, scale: number) => {
          let mass = 0, x = 0, y = 0;
          for (let i = 0; i < 784; i++) {
            const v = values[n * 784 + i] * scale;
            mass += v;
            x += v * (i % 28);
            y += v * Math.floor(i / 28);
          }
          return { x: x / mass, y: y / mass, mass };
        };
        const before = centre(mnist.x, 1 / 255), after = centre(out, 1);
        shift += Math.hypot(after.x - before.x, after.y - before.y) / 64;
        kept += after.mass / before.mass / 64;
      }
      assert.ok(shift < 2.5, `mean centre shift ${shift}`);
      console.log(`      mean centre shift ${shift.toFixed(2)} px, ink kept ${kept.toFixed(3)}`);
      assert.ok(kept > 0.8 && kept < 1.2, `ink kept ${kept}`);
    });
  });

  describe('validation', () => {
    const images = new Float32Array(2 * 784);
    const call = (options: unknown, seed: unknown = 0) => () =>
      augmentImages(images, 2, 1, 28, 28, options as AugmentOptions, seed as number);
    const bad: Array<[string, () => unknown, typeof TypeError | typeof RangeError, string]> = [
      ['images type', () => augmentImages([1, 2] as unknown as Float32Array, 1, 1, 1, 2, {}, 0),
        TypeError,
        'Expected a Float32Array or Uint8Array for images but received an array of length 2'],
      ['images length', () => augmentImages(images, 3, 1, 28, 28, {}, 0), RangeError,
        'Expected count x channels x height x width = 3 x 1 x 28 x 28 = 2352 values for ' +
        'images but received a Float32Array of length 1568'],
      ['count', () => augmentImages(images, -1, 1, 28, 28, {}, 0), RangeError,
        'Expected an integer >= 0 for count but received -1 (number)'],
      ['channels', () => augmentImages(images, 2, 0, 28, 28, {}, 0), RangeError,
        'Expected an integer >= 1 for channels but received 0 (number)'],
      ['height', () => augmentImages(images, 2, 1, '28' as unknown as number, 28, {}, 0),
        TypeError, 'Expected an integer for height but received "28" (string)'],
      ['width', () => augmentImages(images, 2, 1, 28, 70000, {}, 0), RangeError,
        'Expected an integer in [1, 65536] for width but received 70000 (number)'],
      ['image size', () => augmentImages(images, 2, 1000, 1000, 1000, {}, 0), RangeError,
        'Expected channels x height x width <= 268435456 but received 1000 x 1000 x 1000 = ' +
        '1000000000'],
      ['options', call(null), TypeError, 'Expected an object for options but received null'],
      ['unknown group', call({ elastik: {} }), TypeError,
        "Unknown parameter 'elastik' for options; did you mean 'elastic'?"],
      ['unknown key', call({ elastic: { alhpa: 3 } }), TypeError,
        "Unknown parameter 'alhpa' for options.elastic; did you mean 'alpha'?"],
      ['group type', call({ affine: 10 }), TypeError,
        'Expected an object for options.affine but received 10 (number)'],
      ['alpha', call({ elastic: { alpha: -1 } }), RangeError,
        'Expected a number >= 0 for options.elastic.alpha but received -1 (number)'],
      ['sigma 0', call({ elastic: { sigma: 0 } }), RangeError,
        'Expected a number in (0, 1000] for options.elastic.sigma but received 0 (number)'],
      ['sigma type', call({ elastic: { sigma: '4' } }), TypeError,
        'Expected a number for options.elastic.sigma but received "4" (string)'],
      ['rotation', call({ affine: { rotation: 200 } }), RangeError,
        'Expected a number in [0, 180] for options.affine.rotation but received 200 (number)'],
      ['scale type', call({ affine: { scale: 1.1 } }), TypeError,
        'Expected an array [low, high] for options.affine.scale but received 1.1 (number)'],
      ['scale low', call({ affine: { scale: [0, 1] } }), RangeError,
        'Expected a number in (0, 100] for options.affine.scale[0] but received 0 (number)'],
      ['scale order', call({ affine: { scale: [1.2, 0.9] } }), RangeError,
        'Expected a number in [scale[0] = 1.2, 100] for options.affine.scale[1] but received ' +
        '0.9 (number)'],
      ['shear', call({ affine: { shear: 75 } }), RangeError,
        'Expected a number in [0, 60] for options.affine.shear but received 75 (number)'],
      ['translation', call({ affine: { translation: -2 } }), RangeError,
        'Expected a number in [0, 1000000] for options.affine.translation but received -2 ' +
        '(number)'],
      ['seed range', call({}, 2 ** 32), RangeError,
        'Expected an integer in [0, 4294967295] for seed but received 4294967296 (number)'],
      ['seed type', call({}, '1'), TypeError,
        'Expected an integer for seed but received "1" (string)'],
      ['reference seed', () => augmentImagesReference(images, 2, 1, 28, 28, {}, 1.5), RangeError,
        'Expected an integer in [0, 4294967295] for seed but received 1.5 (number)'],
      ['reference images length', () => augmentImagesReference(images, 1, 1, 28, 28, {}, 0),
        RangeError, 'Expected count x channels x height x width = 1 x 1 x 28 x 28 = 784 values ' +
        'for images but received a Float32Array of length 1568'],
    ];
    for (const [name, run, errorClass, message] of bad) {
      it(`rejects a bad ${name}`, () => {
        assert.throws(run, (error: unknown) => {
          assert.ok(error instanceof errorClass, `${String(error)} is not a ${errorClass.name}`);
          assert.strictEqual((error as Error).message, message);
          return true;
        });
      });
    }

    it('fills the defaults and leaves groups out', () => {
      assert.deepStrictEqual(resolveAugmentOptions({}), { elastic: null, affine: null });
      assert.deepStrictEqual(resolveAugmentOptions({ elastic: {}, affine: { rotation: 5 } }), {
        elastic: { alpha: 36, sigma: 6 },
        affine: { rotation: 5, scale: [1, 1], shear: 0, translation: 0 },
      });
      assert.ok(Object.isFrozen(MNIST_AUGMENT_DEFAULTS));
      assert.ok(Object.isFrozen(MNIST_AUGMENT_DEFAULTS.affine.scale));
    });

    it('runs the documented examples', () => {
      const pixels = new Uint8Array(2 * 28 * 28);
      assert.strictEqual(augmentImages(pixels, 2, 1, 28, 28, MNIST_AUGMENT_DEFAULTS, 42).length,
        1568);
      assert.strictEqual(
        augmentImagesReference(new Float32Array(784), 1, 1, 28, 28, { elastic: {} }, 7).length,
        784);
      assert.deepStrictEqual(resolveAugmentOptions({ elastic: {} }).elastic,
        { alpha: 36, sigma: 6 });
    });
  });
});
