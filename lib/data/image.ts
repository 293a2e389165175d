/**
 * Digits as PNG pictures: write one digit or a captioned grid of digits, read any PNG back as a
 * grey image, and frame a picture of a handwritten digit the way MNIST's digits were framed so
 * that a network trained on MNIST can read it.
 */
import * as fs from 'fs';
import { PNG } from 'pngjs';
import { checkBoolean, checkInteger, rangeError, typeError } from '../validate';
import { writeFileAtomic } from './atomic';
import { checkOptions, checkPath, optionalBoolean, optionalInteger } from './check';
import { checkDataset, DatasetLike, defaultImageShape } from './dataset';
import { DataFormatError } from './errors';
import {
  drawText, FONT_CHARACTERS, GLYPH_HEIGHT, textWidth, unsupportedCharacter,
} from './font';

/** A grey image: width x height pixels, row-major, 0 black .. 255 white. */
export interface GreyImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** MNIST's frame: digits are scaled to fit DIGIT_BOX pixels and centred in FRAME pixels. */
const FRAME = 28;
const DIGIT_BOX = 20;

/** Encodes a grey image as PNG (8-bit grey) and writes it atomically. */
async function writeGreyPng(path: string, image: GreyImage): Promise<void> {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  const encoded = PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
  await writeFileAtomic(path, [encoded]);
}

/** One sample's pixels as bytes: uint8 as is, float32 0..1 scaled to 0..255 and clamped. */
function toBytes(pixels: Uint8Array | Float32Array, invert: boolean): Uint8Array {
  const bytes = pixels instanceof Uint8Array
    ? Uint8Array.from(pixels)
    : Uint8Array.from(pixels, (value) => Math.round(Math.min(1, Math.max(0, value)) * 255));
  if (invert) for (let i = 0; i < bytes.length; i++) bytes[i] = 255 - bytes[i];
  return bytes;
}

/** Options of writeDigitPng. */
export interface DigitPngOptions {
  /** Image height. Default: sqrt(pixels.length) when square (28 for MNIST). */
  rows?: number;
  /** Image width. Default: as rows. */
  cols?: number;
  /** Each pixel becomes a scale x scale square, 1..64. Default 1. */
  scale?: number;
  /** Draw dark ink on white instead of MNIST's white ink on black. Default false. */
  invert?: boolean;
}

/**
 * Writes one digit as a grey PNG, atomically.
 *
 * @param path the PNG file to write
 * @param pixels one image, row-major: Uint8Array 0..255, or Float32Array 0..1 (clamped)
 * @param options rows, cols (default square), scale (default 1), invert (default false)
 * @throws TypeError / RangeError for bad arguments
 *
 * @example
 * await writeDigitPng('first.png', mnist.train.X.subarray(0, 784), { scale: 4 });
 */
export async function writeDigitPng(
  path: string,
  pixels: Uint8Array | Float32Array,
  options?: DigitPngOptions,
): Promise<void> {
  checkPath('path', path);
  if (!(pixels instanceof Uint8Array || pixels instanceof Float32Array)) {
    throw typeError('pixels', 'a Uint8Array or Float32Array', pixels);
  }
  const opts = checkOptions<DigitPngOptions>('writeDigitPng', options,
    ['rows', 'cols', 'scale', 'invert']);
  const { rows, cols } = imageShape(pixels.length, opts.rows, opts.cols, 'pixels.length');
  const scale = optionalInteger('options.scale', opts.scale, 1, 1, 64);
  const invert = optionalBoolean('options.invert', opts.invert, false);
  const bytes = toBytes(pixels, invert);
  const width = cols * scale;
  const canvas = new Uint8Array(width * rows * scale);
  blit(canvas, width, bytes, rows, cols, 0, 0, scale);
  await writeGreyPng(path, { width, height: rows * scale, data: canvas });
}

/** Checks rows and cols options against a pixel count, or infers a square. */
function imageShape(
  features: number, rows: unknown, cols: unknown, what: string,
): { rows: number; cols: number } {
  if (rows === undefined && cols === undefined) {
    const shape = defaultImageShape(features);
    if (shape.rows === 1 && features > 1) {
      throw new RangeError(`Expected options.rows and options.cols for ${what} = ${features}, ` +
        'which is not a square number of pixels');
    }
    return shape;
  }
  const height = checkInteger('options.rows', rows ?? features / (cols as number), 1);
  const width = checkInteger('options.cols', cols ?? features / height, 1);
  if (height * width !== features) {
    throw new RangeError(`Expected options.rows x options.cols to equal ${what} = ${features} ` +
      `but received ${height} x ${width} = ${height * width}`);
  }
  return { rows: height, cols: width };
}

/** Copies a rows x cols image into the canvas at (left, top), each pixel scale x scale. */
function blit(
  canvas: Uint8Array, width: number, image: Uint8Array, rows: number, cols: number,
  left: number, top: number, scale: number,
): void {
  for (let y = 0; y < rows * scale; y++) {
    const source = Math.floor(y / scale) * cols;
    const target = (top + y) * width + left;
    for (let x = 0; x < cols * scale; x++) {
      canvas[target + x] = image[source + Math.floor(x / scale)];
    }
  }
}

/** Options of writeDigitGrid. */
export interface DigitGridOptions {
  /** Which samples to draw, in order. Default: the first min(n, 100). */
  indices?: ArrayLike<number>;
  /** Cells per row of the grid. Default ceil(sqrt(count)). */
  columns?: number;
  /** Each pixel becomes a scale x scale square, 1..64. Default 2. */
  scale?: number;
  /** Pixels between cells and around the grid, 0..64. Default 2. */
  padding?: number;
  /**
   * One caption per drawn sample, written under its image with the built-in 3 x 5 font:
   * digits, letters (drawn upper case), space and : . % - + = / ( ) ! ?. Text wider than the
   * cell is clipped.
   */
  captions?: readonly string[];
  /** Dark ink on white instead of white on black. Default false. */
  invert?: boolean;
}

/**
 * Writes a grid of digits (optionally captioned, for example with true and predicted labels)
 * as a grey PNG, atomically. Cells are separated by mid-grey padding.
 *
 * @param path the PNG file to write
 * @param images a dataset; see DatasetLike (rows and cols default to square)
 * @param options indices, columns, scale (2), padding (2), captions, invert
 * @throws TypeError / RangeError for bad arguments, including a caption character the font
 *   does not have
 *
 * @example
 * await writeDigitGrid('errors.png', test, {
 *   indices: wrong, captions: wrong.map((i) => `${test.y[i]}:${predicted[i]}`),
 * });
 */
export async function writeDigitGrid(
  path: string,
  images: DatasetLike,
  options?: DigitGridOptions,
): Promise<void> {
  // Arguments.
  checkPath('path', path);
  const data = checkDataset('images', images);
  const opts = checkOptions<DigitGridOptions>('writeDigitGrid', options,
    ['indices', 'columns', 'scale', 'padding', 'captions', 'invert']);
  const indices = opts.indices ?? Array.from({ length: Math.min(data.n, 100) }, (_, i) => i);
  if (indices === null || typeof indices !== 'object' || typeof indices.length !== 'number') {
    throw typeError('options.indices', 'an array of sample indices', indices);
  }
  const count = indices.length;
  for (let i = 0; i < count; i++) checkInteger(`options.indices[${i}]`, indices[i], 0, data.n - 1);
  const columns = optionalInteger('options.columns', opts.columns,
    Math.max(1, Math.ceil(Math.sqrt(count))), 1);
  const scale = optionalInteger('options.scale', opts.scale, 2, 1, 64);
  const padding = optionalInteger('options.padding', opts.padding, 2, 0, 64);
  const invert = optionalBoolean('options.invert', opts.invert, false);
  const captions = opts.captions;
  if (captions !== undefined) {
    if (!Array.isArray(captions)) {
      throw typeError('options.captions', 'an array of strings', captions);
    }
    if (captions.length !== count) {
      throw rangeError('options.captions', `one caption per drawn sample (${count})`, captions);
    }
    captions.forEach((caption, i) => {
      if (typeof caption !== 'string') {
        throw typeError(`options.captions[${i}]`, 'a string', caption);
      }
      const bad = unsupportedCharacter(caption);
      if (bad !== undefined) {
        throw new RangeError(`The character ${JSON.stringify(bad)} of options.captions[${i}] is ` +
          `not supported for captions; the font has ${JSON.stringify(FONT_CHARACTERS)} and a-z`);
      }
    });
  }

  // Layout: cells of the scaled image plus a caption strip, padding between and around.
  const { rows, cols, features } = data;
  const fontScale = Math.max(1, Math.floor(scale / 2));
  const captionHeight = captions ? (GLYPH_HEIGHT + 2) * fontScale : 0;
  const cellWidth = cols * scale;
  const cellHeight = rows * scale + captionHeight;
  const gridRows = Math.max(1, Math.ceil(count / columns));
  const width = padding + Math.min(columns, Math.max(count, 1)) * (cellWidth + padding);
  const height = padding + gridRows * (cellHeight + padding);
  const ink = invert ? 0 : 255;
  const canvas = new Uint8Array(width * height).fill(128);

  // Cells: image, then the caption centred under it.
  for (let cell = 0; cell < count; cell++) {
    const left = padding + (cell % columns) * (cellWidth + padding);
    const top = padding + Math.floor(cell / columns) * (cellHeight + padding);
    const sample = indices[cell];
    const pixels = toBytes(data.X.subarray(sample * features, (sample + 1) * features), invert);
    blit(canvas, width, pixels, rows, cols, left, top, scale);
    if (!captions) continue;
    const stripTop = top + rows * scale;
    for (let y = stripTop; y < stripTop + captionHeight; y++) {
      canvas.fill(255 - ink, y * width + left, y * width + left + cellWidth);
    }
    const textLeft = left + Math.floor((cellWidth - textWidth(captions[cell], fontScale)) / 2);
    drawText(canvas, width, captions[cell], textLeft, stripTop + fontScale, fontScale, ink, left,
      left + cellWidth);
  }
  await writeGreyPng(path, { width, height, data: canvas });
}

/**
 * Reads a PNG of any size and colour type as a grey image. Colour becomes grey by the Rec. 601
 * luma weights (0.299 R + 0.587 G + 0.114 B). Transparent pixels are laid over the background
 * that contrasts with the ink: white when the opaque content is dark on average, else black.
 *
 * @param path the PNG file
 * @returns { width, height, data } with 0 black .. 255 white
 * @throws DataFormatError when the file is not a readable PNG
 *
 * @example
 * const picture = await readPng('drawing.png');
 * picture.width; // as stored
 */
export async function readPng(path: string): Promise<GreyImage> {
  checkPath('path', path);
  const content = await fs.promises.readFile(path);
  let png: PNG;
  try {
    png = PNG.sync.read(content);
  } catch (error) {
    const said = error instanceof Error ? error.message : String(error);
    // pngjs reports a file that ends early by its stream's state: say what it means.
    const reason = /read requests waitng on finished stream|unexpected end/i.test(said)
      ? `it ends early (truncated after ${content.length} bytes)` : said;
    throw new DataFormatError(`${path} is not a readable PNG: ${reason}`, path);
  }

  // Grey from RGBA (pngjs hands every colour type over as 8-bit RGBA).
  const { width, height } = png;
  const rgba = png.data;
  const count = width * height;
  const grey = new Float64Array(count);
  let alphaTotal = 0;
  let alphaWeighted = 0;
  let transparent = false;
  for (let i = 0; i < count; i++) {
    const value = (299 * rgba[4 * i] + 587 * rgba[4 * i + 1] + 114 * rgba[4 * i + 2]) / 1000;
    const alpha = rgba[4 * i + 3] / 255;
    grey[i] = value;
    alphaTotal += alpha;
    alphaWeighted += alpha * value;
    if (alpha < 1) transparent = true;
  }

  // Lay transparent pixels over the contrasting background.
  const data = new Uint8Array(count);
  const background = transparent && (alphaTotal === 0 || alphaWeighted / alphaTotal < 128)
    ? 255 : 0;
  for (let i = 0; i < count; i++) {
    const alpha = rgba[4 * i + 3] / 255;
    data[i] = Math.round(alpha * grey[i] + (1 - alpha) * background);
  }
  return { width, height, data };
}

/** Ink: a level above 10% of full intensity, once the levels are set. */
const INK = 25.5;

/** The mean level of the fullest of 16 equal histogram bins: a picture's background. */
function commonestLevel(pixels: Uint8Array): number {
  const counts = new Float64Array(16);
  const sums = new Float64Array(16);
  for (const value of pixels) {
    counts[value >> 4]++;
    sums[value >> 4] += value;
  }
  let fullest = 0;
  for (let bin = 1; bin < 16; bin++) if (counts[bin] > counts[fullest]) fullest = bin;
  return sums[fullest] / counts[fullest];
}

/**
 * Zeroes the ink that is not part of the digit, in place. The ink is split into 8-connected
 * pieces; a piece whose box spans at least 90% of both sides of the picture while filling
 * under a quarter of that box is a frame drawn around it (as in a tile of `lamina show`) and
 * goes, as does any piece with under a tenth of the ink of the largest one left (a caption,
 * a speck of dust).
 */
function keepDigitInk(grey: Float64Array, width: number, height: number): void {
  // Label the pieces with an explicit stack (no recursion on big pictures).
  const piece = new Int32Array(grey.length).fill(-1);
  const pieces: Array<{ mass: number; pixels: number; left: number; top: number;
    right: number; bottom: number }> = [];
  const stack: number[] = [];
  for (let start = 0; start < grey.length; start++) {
    if (grey[start] <= INK || piece[start] >= 0) continue;
    const id = pieces.length;
    const found = { mass: 0, pixels: 0, left: width, top: height, right: -1, bottom: -1 };
    piece[start] = id;
    stack.push(start);
    while (stack.length > 0) {
      const at = stack.pop()!;
      const x = at % width;
      const y = (at - x) / width;
      found.mass += grey[at];
      found.pixels++;
      found.left = Math.min(found.left, x);
      found.top = Math.min(found.top, y);
      found.right = Math.max(found.right, x);
      found.bottom = Math.max(found.bottom, y);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const next = ny * width + nx;
          if (grey[next] > INK && piece[next] < 0) {
            piece[next] = id;
            stack.push(next);
          }
        }
      }
    }
    pieces.push(found);
  }
  if (pieces.length < 2) return;

  // Frames first (when something else is left), then pieces far smaller than the largest.
  const keep = pieces.map(({ pixels, left, top, right, bottom }) => {
    const boxWidth = right - left + 1;
    const boxHeight = bottom - top + 1;
    return !(boxWidth >= 0.9 * width && boxHeight >= 0.9 * height &&
      pixels < 0.25 * boxWidth * boxHeight);
  });
  if (!keep.some(Boolean)) keep.fill(true);
  let largest = 0;
  pieces.forEach(({ mass }, id) => {
    if (keep[id]) largest = Math.max(largest, mass);
  });
  pieces.forEach(({ mass }, id) => {
    if (mass < 0.1 * largest) keep[id] = false;
  });
  for (let i = 0; i < grey.length; i++) {
    if (piece[i] >= 0 && !keep[piece[i]]) grey[i] = 0;
  }
}

/**
 * Frames a picture of one handwritten digit the way MNIST's digits are framed, so a network
 * trained on MNIST can read it:
 *   1. Background: the commonest level (the fullest of 16 histogram bins). When it is light
 *      (> 127.5) the picture is inverted, so ink is bright on dark as in MNIST.
 *   2. Levels: the background level maps to 0 and the brightest pixel to 255 (clamped). Ink
 *      that is not the digit is dropped: a frame drawn around the picture (a piece of ink
 *      spanning 90% of both sides but filling under a quarter of its box, like the tiles
 *      `lamina show` draws) and pieces with under a tenth of the largest piece's ink (a
 *      caption, specks).
 *   3. Crop to the bounding box of the ink: pixels above 10% of full intensity.
 *   4. Scale so the longer side is 20 pixels, keeping the aspect ratio: area averaging along
 *      an axis that shrinks, bilinear interpolation along one that grows.
 *   5. Place in a 28 x 28 frame, shifted by whole pixels so that the centre of mass (intensity
 *      weighted, pixel centres at integer coordinates) lies as near as possible to (14, 14),
 *      where MNIST's digits have theirs. Ink shifted past the frame is dropped.
 * A picture without ink gives an all-zero frame.
 *
 * @param image a grey image (see readPng)
 * @returns 784 pixels, row-major, 0 background .. 255 ink
 * @throws TypeError / RangeError for an image whose fields do not fit together
 *
 * @example
 * const digit = frameDigit({ width: 2, height: 2, data: Uint8Array.from([0, 255, 0, 255]) });
 */
export function frameDigit(image: GreyImage): Uint8Array {
  // Arguments.
  if (image === null || typeof image !== 'object') {
    throw typeError('image', 'a grey image { width, height, data }', image);
  }
  const width = checkInteger('image.width', image.width, 1);
  const height = checkInteger('image.height', image.height, 1);
  if (!(image.data instanceof Uint8Array)) {
    throw typeError('image.data', 'a Uint8Array', image.data);
  }
  if (image.data.length !== width * height) {
    throw rangeError('image.data', `width x height = ${width * height} pixels`, image.data);
  }

  // 1. Background: the commonest level (the fullest of 16 histogram bins, averaged); invert
  //    a light background.
  const source = image.data;
  const background0 = commonestLevel(source);
  const invert = background0 > 127.5;
  const grey = Float64Array.from(source, (value) => (invert ? 255 - value : value));
  const background = invert ? 255 - background0 : background0;

  // 2. Levels: background to 0, the brightest pixel to 255.
  let peak = 0;
  for (const value of grey) peak = Math.max(peak, value);
  const frame = new Uint8Array(FRAME * FRAME);
  if (peak <= background) return frame;
  const gain = 255 / (peak - background);
  for (let i = 0; i < grey.length; i++) {
    grey[i] = Math.min(255, Math.max(0, (grey[i] - background) * gain));
  }

  // 2b. Keep the digit: drop ink that frames the picture and specks beside the digit.
  keepDigitInk(grey, width, height);

  // 3. Bounding box of the ink.
  let top = height;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (grey[y * width + x] <= INK) continue;
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
      left = Math.min(left, x);
      right = Math.max(right, x);
    }
  }
  const boxWidth = right - left + 1;
  const boxHeight = bottom - top + 1;
  const cropped = new Float64Array(boxWidth * boxHeight);
  for (let y = 0; y < boxHeight; y++) {
    const start = (top + y) * width + left;
    cropped.set(grey.subarray(start, start + boxWidth), y * boxWidth);
  }

  // 4. Scale the longer side to 20 pixels.
  const longer = Math.max(boxWidth, boxHeight);
  const scaledWidth = Math.max(1, Math.round((boxWidth * DIGIT_BOX) / longer));
  const scaledHeight = Math.max(1, Math.round((boxHeight * DIGIT_BOX) / longer));
  const scaled = resample(cropped, boxWidth, boxHeight, scaledWidth, scaledHeight);

  // 5. Centre of mass to (14, 14), by a whole-pixel shift.
  let mass = 0;
  let sumX = 0;
  let sumY = 0;
  for (let y = 0; y < scaledHeight; y++) {
    for (let x = 0; x < scaledWidth; x++) {
      const value = scaled[y * scaledWidth + x];
      mass += value;
      sumX += value * x;
      sumY += value * y;
    }
  }
  const shiftX = Math.round(FRAME / 2 - sumX / mass);
  const shiftY = Math.round(FRAME / 2 - sumY / mass);
  for (let y = 0; y < scaledHeight; y++) {
    const frameY = y + shiftY;
    if (frameY < 0 || frameY >= FRAME) continue;
    for (let x = 0; x < scaledWidth; x++) {
      const frameX = x + shiftX;
      if (frameX < 0 || frameX >= FRAME) continue;
      frame[frameY * FRAME + frameX] = Math.round(scaled[y * scaledWidth + x]);
    }
  }
  return frame;
}

/** Per output position along one axis: the source positions and their weights. */
function axisWeights(sourceSize: number, targetSize: number): Array<Array<[number, number]>> {
  const ratio = sourceSize / targetSize;
  return Array.from({ length: targetSize }, (_, i) => {
    if (ratio >= 1) {
      // Shrinking: average the source cells the output cell covers, by overlap.
      const start = i * ratio;
      const end = (i + 1) * ratio;
      const weights: Array<[number, number]> = [];
      for (let j = Math.floor(start); j < Math.min(sourceSize, Math.ceil(end)); j++) {
        const overlap = Math.min(end, j + 1) - Math.max(start, j);
        if (overlap > 1e-12) weights.push([j, overlap / ratio]);
      }
      return weights;
    }
    // Growing: interpolate between the two nearest source centres.
    const centre = Math.min(sourceSize - 1, Math.max(0, (i + 0.5) * ratio - 0.5));
    const below = Math.floor(centre);
    const fraction = centre - below;
    return [[below, 1 - fraction], [Math.min(sourceSize - 1, below + 1), fraction]];
  });
}

/** Resizes a float image: rows first, then columns. */
function resample(
  source: Float64Array, width: number, height: number, targetWidth: number, targetHeight: number,
): Float64Array {
  const across = axisWeights(width, targetWidth);
  const down = axisWeights(height, targetHeight);
  const wide = new Float64Array(targetWidth * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < targetWidth; x++) {
      let sum = 0;
      for (const [j, weight] of across[x]) sum += source[y * width + j] * weight;
      wide[y * targetWidth + x] = sum;
    }
  }
  const result = new Float64Array(targetWidth * targetHeight);
  for (let y = 0; y < targetHeight; y++) {
    for (let x = 0; x < targetWidth; x++) {
      let sum = 0;
      for (const [j, weight] of down[y]) sum += wide[j * targetWidth + x] * weight;
      result[y * targetWidth + x] = sum;
    }
  }
  return result;
}

/** Options of readDigitPng. */
export interface ReadDigitOptions {
  /** Frame the picture as MNIST's digits (frameDigit). Default true. With false the PNG must
   * already be 28 x 28 and is returned as grey pixels unchanged. */
  frame?: boolean;
}

/**
 * Reads a PNG of a handwritten digit as 28 x 28 MNIST-like pixels: readPng, then frameDigit.
 *
 * @param path the PNG (any size, colour or grey, with or without alpha)
 * @param options frame (default true)
 * @returns 784 pixels, row-major, 0 background .. 255 ink
 * @throws DataFormatError when the file is not a readable PNG, or (frame false) not 28 x 28
 *
 * @example
 * const digit = await readDigitPng('my-seven.png');
 * digit.length; // 784, ready to classify with a network trained on MNIST
 */
export async function readDigitPng(path: string, options?: ReadDigitOptions): Promise<Uint8Array> {
  checkPath('path', path);
  const opts = checkOptions<ReadDigitOptions>('readDigitPng', options, ['frame']);
  const frame = opts.frame === undefined ? true : checkBoolean('options.frame', opts.frame);
  const picture = await readPng(path);
  if (frame) return frameDigit(picture);
  if (picture.width !== FRAME || picture.height !== FRAME) {
    throw new DataFormatError(`${path} is ${picture.width} x ${picture.height} pixels; without ` +
      `framing (options.frame false) a digit must be ${FRAME} x ${FRAME}`, path);
  }
  return picture.data;
}
