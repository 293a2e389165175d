/**
 * Data augmentation: random affine transforms and elastic distortions of images (Simard,
 * Steinkraus and Platt, 2003), drawn afresh for every image. The native core does the work
 * (native/data/augment.h, which defines the geometry and the order of the random draws);
 * augmentImagesReference is the same computation in plain TypeScript, draw for draw, used by
 * the tests and by the TypeScript backend.
 *
 * Images are count x channels x height x width values, row-major; every channel of an image
 * moves with the same displacement. Uint8 pixels become float(byte / 255) first.
 */
import { native } from './native';
import { Rng, RngStream } from './rng';
import { checkInteger, checkKnownKeys, checkNumber, rangeError, typeError } from './validate';

/**
 * Elastic distortion: a random displacement field per image, uniform(-1, 1) per pixel for dx
 * and dy, smoothed by a Gaussian of standard deviation sigma (truncated at 3 sigma, zero
 * outside the image) and scaled by alpha. The displacement's standard deviation more than
 * 3 sigma from the edges is about alpha * 0.163 / sigma pixels (1 px for alpha 36, sigma 6;
 * on a 28 x 28 digit that holds in the middle and it falls to about half at the edges).
 */
export interface ElasticOptions {
  /** Field scale in pixels, a number >= 0. Default MNIST_AUGMENT_DEFAULTS.elastic.alpha. */
  alpha?: number;
  /** Smoothness: the Gaussian's standard deviation in pixels, in (0, 1000]. Larger is
   * smoother and weaker. Default MNIST_AUGMENT_DEFAULTS.elastic.sigma. */
  sigma?: number;
}

/**
 * Affine transform about the image centre, each parameter drawn uniformly per image: the image
 * is sheared, rotated, scaled, then translated.
 */
export interface AffineOptions {
  /** Rotation range in degrees: the angle is uniform in [-rotation, rotation]; [0, 180].
   * Default 0. Positive angles turn the image clockwise as displayed. */
  rotation?: number;
  /** Scale range [low, high]: the factor is uniform in it; 0 < low <= high <= 100.
   * Default [1, 1]. */
  scale?: readonly [number, number];
  /** Horizontal shear range in degrees: uniform in [-shear, shear]; [0, 60]. Default 0. */
  shear?: number;
  /** Translation range in pixels: dx and dy each uniform in [-translation, translation];
   * [0, 1e6]. Default 0. */
  translation?: number;
}

/**
 * What augmentImages does to each image: an affine transform, then an elastic distortion, in
 * one resampling pass (bilinear, zero outside the image). A group left out is not applied;
 * `{}` is the identity.
 *
 * @example
 * const options: AugmentOptions = { elastic: { alpha: 34, sigma: 4 }, affine: { rotation: 10 } };
 */
export interface AugmentOptions {
  elastic?: ElasticOptions;
  affine?: AffineOptions;
}

/** Options with every field filled in; null for a group that is off. */
export interface ResolvedAugmentOptions {
  elastic: { alpha: number; sigma: number } | null;
  affine: { rotation: number; scale: [number, number]; shear: number; translation: number } | null;
}

/**
 * Settings for 28 x 28 MNIST digits that keep each digit recognisably itself while varying its
 * strokes, slant, size and position: elastic alpha 36, sigma 6 (a displacement of about 1 px
 * standard deviation that varies smoothly across the digit, close to the values of Ciresan et
 * al., 2010; Simard's alpha 34, sigma 4 bends strokes more sharply and sometimes smears them),
 * rotation +-10 degrees, scale 0.9 to 1.1, no shear, translation +-2 pixels.
 */
export const MNIST_AUGMENT_DEFAULTS: Readonly<{
  elastic: Readonly<Required<ElasticOptions>>;
  affine: Readonly<Required<AffineOptions>>;
}> = Object.freeze({
  elastic: Object.freeze({ alpha: 36, sigma: 6 }),
  affine: Object.freeze({
    rotation: 10,
    scale: Object.freeze([0.9, 1.1]) as readonly [number, number],
    shear: 0,
    translation: 2,
  }),
});

/** An options group: undefined (off) or a plain object with known keys. */
function checkGroup(name: string, value: unknown, known: readonly string[]): object | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw typeError(name, 'an object', value);
  }
  checkKnownKeys(name, value, known);
  return value;
}

/**
 * Validates augmentation options and fills in the defaults.
 *
 * @param options see AugmentOptions
 * @param name what error messages call the options (default 'options'); NeuralNet says
 *   'augment'
 * @returns every field of the groups given; null for the others
 * @throws TypeError for a wrong type or an unknown key (with the closest valid name);
 *   RangeError for a value out of range
 * @example
 * resolveAugmentOptions({ elastic: {} }).elastic; // { alpha: 36, sigma: 6 }
 */
export function resolveAugmentOptions(options: unknown, name = 'options'):
  ResolvedAugmentOptions {
  const top = checkGroup(name, options, ['elastic', 'affine']);
  if (top === undefined) throw typeError(name, 'an object', options);
  const { elastic, affine } = top as { elastic?: unknown; affine?: unknown };
  const resolved: ResolvedAugmentOptions = { elastic: null, affine: null };

  // Elastic: missing fields take the MNIST defaults.
  const elasticGroup = checkGroup(`${name}.elastic`, elastic, ['alpha', 'sigma']) as
    | ElasticOptions
    | undefined;
  if (elasticGroup) {
    const defaults = MNIST_AUGMENT_DEFAULTS.elastic;
    const alpha = checkNumber(`${name}.elastic.alpha`, elasticGroup.alpha ?? defaults.alpha, 0);
    const sigma = elasticGroup.sigma ?? defaults.sigma;
    checkNumber(`${name}.elastic.sigma`, sigma);
    if (sigma <= 0 || sigma > 1000) {
      throw rangeError(`${name}.elastic.sigma`, 'a number in (0, 1000]', sigma);
    }
    resolved.elastic = { alpha, sigma };
  }

  // Affine: missing fields leave that part out.
  const affineGroup = checkGroup(`${name}.affine`, affine,
    ['rotation', 'scale', 'shear', 'translation']) as AffineOptions | undefined;
  if (affineGroup) {
    const rotation = checkNumber(`${name}.affine.rotation`, affineGroup.rotation ?? 0, 0, 180);
    const shear = checkNumber(`${name}.affine.shear`, affineGroup.shear ?? 0, 0, 60);
    const translation = checkNumber(`${name}.affine.translation`,
      affineGroup.translation ?? 0, 0, 1e6);
    const scale = affineGroup.scale ?? [1, 1];
    if (!Array.isArray(scale) || scale.length !== 2) {
      throw typeError(`${name}.affine.scale`, 'an array [low, high]', scale);
    }
    const low = checkNumber(`${name}.affine.scale[0]`, scale[0]);
    if (low <= 0 || low > 100) {
      throw rangeError(`${name}.affine.scale[0]`, 'a number in (0, 100]', low);
    }
    const high = checkNumber(`${name}.affine.scale[1]`, scale[1]);
    if (high < low || high > 100) {
      throw rangeError(`${name}.affine.scale[1]`, `a number in [scale[0] = ${low}, 100]`, high);
    }
    resolved.affine = { rotation, scale: [low, high], shear, translation };
  }
  return resolved;
}

/** Checks the images and their shape; returns the number of values per image. */
function checkImages(
  images: unknown, count: unknown, channels: unknown, height: unknown, width: unknown,
): number {
  if (!(images instanceof Float32Array || images instanceof Uint8Array)) {
    throw typeError('images', 'a Float32Array or Uint8Array', images);
  }
  checkInteger('count', count, 0);
  checkInteger('channels', channels, 1);
  checkInteger('height', height, 1, 65536);
  checkInteger('width', width, 1, 65536);
  const perImage = (channels as number) * (height as number) * (width as number);
  if (perImage > 2 ** 28) {
    throw new RangeError(`Expected channels x height x width <= ${2 ** 28} but received ` +
      `${channels} x ${height} x ${width} = ${perImage}`);
  }
  const total = perImage * (count as number);
  if (images.length !== total) {
    throw rangeError('images',
      `count x channels x height x width = ${count} x ${channels} x ${height} x ${width} = ` +
      `${total} values`, images);
  }
  return perImage;
}

/** Checks a seed: an integer in [0, 2^32). */
function checkSeed(seed: unknown): number {
  return checkInteger('seed', seed, 0, 4294967295);
}

/**
 * Augments a batch of images in the native core: each image gets its own random affine
 * transform and elastic distortion (see AugmentOptions), drawn from Rng(seed, augment) as
 * native/data/augment.h defines. Runs synchronously: meant for previews and tests; training
 * augments inside the native epoch loop.
 *
 * @param images count x channels x height x width values: Float32Array, or Uint8Array (each
 *   byte becomes float(byte / 255))
 * @param count number of images, an integer >= 0
 * @param channels, height, width the shape of one image: integers, channels >= 1, height and
 *   width in [1, 65536], channels x height x width <= 2^28
 * @param options see AugmentOptions; MNIST_AUGMENT_DEFAULTS for digits
 * @param seed an integer in [0, 2^32)
 * @returns a new Float32Array of the same shape
 * @throws TypeError / RangeError for bad arguments, naming the parameter
 * @example
 * const pixels = new Uint8Array(2 * 28 * 28);
 * const out = augmentImages(pixels, 2, 1, 28, 28, MNIST_AUGMENT_DEFAULTS, 42);
 * out.length; // 1568
 */
export function augmentImages(
  images: Float32Array | Uint8Array,
  count: number,
  channels: number,
  height: number,
  width: number,
  options: AugmentOptions,
  seed: number,
): Float32Array {
  checkImages(images, count, channels, height, width);
  const resolved = resolveAugmentOptions(options);
  checkSeed(seed);
  const nativeOptions: { elastic?: object; affine?: object } = {};
  if (resolved.elastic) nativeOptions.elastic = resolved.elastic;
  if (resolved.affine) nativeOptions.affine = resolved.affine;
  const augment = native().augmentImages as (
    images: Float32Array | Uint8Array, count: number, channels: number, height: number,
    width: number, options: object, seed: number) => Float32Array;
  return augment(images, count, channels, height, width, nativeOptions, seed);
}

/** The normalised Gaussian weights w[-R .. R], R = ceil(3 sigma), in double. */
function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.ceil(3 * sigma);
  const weights = new Float64Array(2 * radius + 1);
  let total = 0;
  for (let k = -radius; k <= radius; k++) {
    weights[k + radius] = Math.exp(-(k * k) / (2 * sigma * sigma));
    total += weights[k + radius];
  }
  for (let i = 0; i < weights.length; i++) weights[i] /= total;
  return weights;
}

/**
 * The plain TypeScript version of augmentImages: the same draws and the same math (in double,
 * rounded to float32 at the end), so its results agree with the native core's to float
 * rounding (about 1e-6 on [0, 1] pixels).
 *
 * @param seed an integer in [0, 2^32), or an Rng to draw from (the TypeScript backend keeps
 *   one Rng(seed, RngStream.augment) across batches); it advances by one nextU32 per image
 * @returns a new Float32Array of the same shape
 * @throws as augmentImages
 * @example
 * const out = augmentImagesReference(new Float32Array(784), 1, 1, 28, 28, { elastic: {} }, 7);
 * out.length; // 784
 */
export function augmentImagesReference(
  images: Float32Array | Uint8Array,
  count: number,
  channels: number,
  height: number,
  width: number,
  options: AugmentOptions,
  seed: number | Rng,
): Float32Array {
  const perImage = checkImages(images, count, channels, height, width);
  const { elastic, affine } = resolveAugmentOptions(options);
  const rng = seed instanceof Rng ? seed : new Rng(checkSeed(seed), RngStream.augment);
  const plane = height * width;
  const out = new Float32Array(perImage * count);

  // One seed per image, in image order, before any work.
  const seeds = new Uint32Array(count);
  for (let n = 0; n < count; n++) seeds[n] = rng.nextU32();

  const weights = elastic ? gaussianKernel(elastic.sigma) : new Float64Array(1);
  const radius = (weights.length - 1) / 2;
  const noiseX = new Float64Array(plane), noiseY = new Float64Array(plane);
  const alongYX = new Float64Array(plane), alongYY = new Float64Array(plane);
  const fieldX = new Float64Array(plane), fieldY = new Float64Array(plane);
  const source = new Float32Array(perImage);
  const cx = (width - 1) / 2, cy = (height - 1) / 2;

  for (let n = 0; n < count; n++) {
    // The source image as float32.
    for (let i = 0; i < perImage; i++) {
      const value = images[n * perImage + i];
      source[i] = images instanceof Uint8Array ? value / 255 : value;
    }
    const imageRng = new Rng(seeds[n], RngStream.augment);

    // Affine draws: angle, scale, shear, tx, ty; M = F^-1 for F = s R(a) S(h).
    let m00 = 1, m01 = 0, m10 = 0, m11 = 1, tx = 0, ty = 0;
    if (affine) {
      const draw = (low: number, high: number): number => low + (high - low) * imageRng.uniform();
      const angle = (draw(-affine.rotation, affine.rotation) * Math.PI) / 180;
      const scale = draw(affine.scale[0], affine.scale[1]);
      const shear = (draw(-affine.shear, affine.shear) * Math.PI) / 180;
      tx = draw(-affine.translation, affine.translation);
      ty = draw(-affine.translation, affine.translation);
      const cos = Math.cos(angle), sin = Math.sin(angle), tan = Math.tan(shear);
      m00 = (cos + tan * sin) / scale;
      m01 = (sin - tan * cos) / scale;
      m10 = -sin / scale;
      m11 = cos / scale;
    }

    // Elastic field: dx noise row-major, then dy; smoothed along columns (y), then along rows
    // (x), noise outside the image being zero; times alpha.
    fieldX.fill(0);
    fieldY.fill(0);
    if (elastic) {
      for (let i = 0; i < plane; i++) noiseX[i] = imageRng.uniform() * 2 - 1;
      for (let i = 0; i < plane; i++) noiseY[i] = imageRng.uniform() * 2 - 1;
      for (let row = 0; row < height; row++) {
        const first = Math.max(-radius, -row), last = Math.min(radius, height - 1 - row);
        for (let col = 0; col < width; col++) {
          let sumX = 0, sumY = 0;
          for (let k = first; k <= last; k++) {
            sumX += weights[k + radius] * noiseX[(row + k) * width + col];
            sumY += weights[k + radius] * noiseY[(row + k) * width + col];
          }
          alongYX[row * width + col] = sumX;
          alongYY[row * width + col] = sumY;
        }
      }
      for (let row = 0; row < height; row++) {
        for (let col = 0; col < width; col++) {
          let sumX = 0, sumY = 0;
          const first = Math.max(-radius, -col), last = Math.min(radius, width - 1 - col);
          for (let k = first; k <= last; k++) {
            sumX += weights[k + radius] * alongYX[row * width + col + k];
            sumY += weights[k + radius] * alongYY[row * width + col + k];
          }
          fieldX[row * width + col] = elastic.alpha * sumX;
          fieldY[row * width + col] = elastic.alpha * sumY;
        }
      }
    }

    // Resampling: q = c + M (p + D(p) - c - t), bilinear, zero outside the image.
    const at = (base: number, y: number, x: number): number =>
      x < 0 || x >= width || y < 0 || y >= height ? 0 : source[base + y * width + x];
    for (let row = 0; row < height; row++) {
      for (let col = 0; col < width; col++) {
        const i = row * width + col;
        const u = col + fieldX[i] - cx - tx, v = row + fieldY[i] - cy - ty;
        const qx = cx + m00 * u + m01 * v, qy = cy + m10 * u + m11 * v;
        const x0 = Math.floor(qx), y0 = Math.floor(qy);
        const fx = qx - x0, fy = qy - y0;
        for (let c = 0; c < channels; c++) {
          const base = c * plane;
          const v00 = at(base, y0, x0), v01 = at(base, y0, x0 + 1);
          const v10 = at(base, y0 + 1, x0), v11 = at(base, y0 + 1, x0 + 1);
          const top = v00 + fx * (v01 - v00), bottom = v10 + fx * (v11 - v10);
          out[n * perImage + c * plane + i] = top + fy * (bottom - top);
        }
      }
    }
  }
  return out;
}
