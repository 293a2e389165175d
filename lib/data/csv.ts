/**
 * CSV tables of images: one row per sample, one column per pixel, and optionally a label
 * column, the layout of the MNIST CSV files that circulate on the web. Parsing streams through
 * csv-parse, so a table larger than memory as text still loads; writing formats rows with
 * csv-stringify and replaces the target atomically. Gzip-compressed tables (recognised from
 * their first bytes, 1f 8b) are read transparently.
 */
import * as fs from 'fs';
import { Readable, pipeline } from 'stream';
import * as zlib from 'zlib';
import { parse, CsvError } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { checkChoice, checkInteger, rangeError, typeError } from '../validate';
import { writeFileAtomic } from './atomic';
import { checkOptions, checkPath, optionalBoolean, optionalString } from './check';
import { checkDataset, defaultImageShape, DatasetLike, ImageDataset } from './dataset';
import { DataFormatError } from './errors';

/** Options of fromCsv. */
export interface CsvReadOptions {
  /** Whether the first row names the columns. Default true. */
  header?: boolean;
  /**
   * The label column: its name (needs a header row) or its 0-based index; null when the table
   * has no labels. Default 'digit' with a header row, column 0 without.
   */
  labelColumn?: string | number | null;
  /**
   * Pixel array type. 'auto' (default): Uint8Array when every pixel is an integer in 0..255 and
   * some pixel exceeds 1 (8-bit intensities, as MNIST), else Float32Array (already scaled or
   * real-valued pixels, including tables of only 0 and 1, which would otherwise read as nearly
   * black 8-bit pixels). 'uint8': require integers 0..255. 'float32': always Float32Array.
   */
  pixels?: 'auto' | 'uint8' | 'float32';
  /**
   * Label array type. 'auto' (default): Int32Array (classes) when every label is an integer,
   * else Float32Array (regression targets). 'int32' requires integers; 'float32' always.
   */
  labels?: 'auto' | 'int32' | 'float32';
  /** Field delimiter. Default ','. */
  delimiter?: string;
  /** Image height; with cols, must multiply to the pixel count. Default: square if possible. */
  rows?: number;
  /** Image width; see rows. */
  cols?: number;
}

const READ_KEYS = ['header', 'labelColumn', 'pixels', 'labels', 'delimiter', 'rows', 'cols'];

/** A number cell: optional sign, digits with optional fraction, optional exponent. */
const NUMBER_PATTERN = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** The number in a cell, or NaN when the cell is not a finite decimal number. */
function parseCell(text: string): number {
  // Fast path: up to three plain digits, the common pixel.
  const length = text.length;
  if (length > 0 && length <= 3) {
    let value = 0;
    let i = 0;
    for (; i < length; i++) {
      const digit = text.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    if (i === length) return value;
  }
  if (!NUMBER_PATTERN.test(text)) return NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : NaN;
}

/** Growable storage for pixels that starts as bytes and widens to float32 when needed. */
class PixelStore {
  bytes: Uint8Array | null;
  floats: Float32Array | null;
  length = 0;
  max = -Infinity;

  constructor(float: boolean) {
    this.bytes = float ? null : new Uint8Array(1 << 16);
    this.floats = float ? new Float32Array(1 << 16) : null;
  }

  reserve(extra: number): void {
    const array = this.bytes ?? this.floats!;
    if (this.length + extra <= array.length) return;
    let capacity = array.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    if (this.bytes) {
      this.bytes = grow(this.bytes, new Uint8Array(capacity), this.length);
    } else {
      this.floats = grow(this.floats!, new Float32Array(capacity), this.length);
    }
  }

  widen(): void {
    const floats = new Float32Array(this.bytes!.length);
    for (let i = 0; i < this.length; i++) floats[i] = this.bytes![i];
    this.bytes = null;
    this.floats = floats;
  }
}

function grow<T extends Uint8Array | Float32Array | Int32Array>(
  from: T, to: T, length: number,
): T {
  to.set(from.subarray(0, length));
  return to;
}

/** Where a cell is, for messages. */
interface Place {
  path: string;
  header: boolean;
  names: string[] | null;
}

function rowText(place: Place, row: number, line: number): string {
  const counting = place.header ? 'not counting the header row' : 'the file has no header row';
  return `data row ${row} (1-based, ${counting}; line ${line})`;
}

function columnText(place: Place, column: number): string {
  return place.names
    ? `column ${JSON.stringify(place.names[column])} (0-based index ${column})`
    : `column index ${column} (0-based)`;
}

function cellError(
  place: Place, row: number, line: number, column: number, text: string, expected: string,
): DataFormatError {
  const content = text.length === 0 ? 'is empty' : `holds ${JSON.stringify(text)}`;
  return new DataFormatError(`CSV file ${place.path}: ${rowText(place, row, line)}, ` +
    `${columnText(place, column)} ${content}; expected ${expected}`, place.path);
}

/** Resolves options.labelColumn against the header (or its absence) to an index or -1. */
function resolveLabelColumn(
  labelColumn: string | number | null, names: string[] | null, columns: number, path: string,
): number {
  if (labelColumn === null) return -1;
  if (typeof labelColumn === 'number') {
    if (labelColumn >= columns) {
      throw new DataFormatError(`CSV file ${path} has ${columns} columns, so it has no label ` +
        `column at index ${labelColumn} (options.labelColumn)`, path);
    }
    return labelColumn;
  }
  const index = names!.indexOf(labelColumn);
  if (index < 0) {
    const shown = names!.slice(0, 5).map((name) => JSON.stringify(name)).join(', ');
    const more = names!.length > 5 ? `, ... (${names!.length} in all)` : '';
    const quoted = JSON.stringify(labelColumn);
    throw new DataFormatError(`CSV file ${path} has no column named ${quoted} in its header` +
      ` (${shown}${more}); set options.labelColumn to the label column's name, or ` +
      'to null when the table has no labels', path);
  }
  return index;
}

/** Parse and decompression errors become DataFormatErrors naming the file. */
function wrapStreamError(error: unknown, path: string): unknown {
  if (error instanceof CsvError) {
    return new DataFormatError(`CSV file ${path} cannot be parsed: ${error.message}`, path);
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    const reason = (error as Error).message;
    return new DataFormatError(`CSV file ${path} starts like gzip but does not decompress: ` +
      reason, path);
  }
  return error;
}

/** Opens path as a stream of text bytes, gunzipping when the content starts like gzip. */
async function openText(path: string): Promise<Readable[]> {
  const magic = Buffer.alloc(2);
  const handle = await fs.promises.open(path, 'r');
  try {
    await handle.read(magic, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const file = fs.createReadStream(path);
  return magic[0] === 0x1f && magic[1] === 0x8b ? [file, zlib.createGunzip()] : [file];
}

/**
 * Reads a CSV table of images: one row per sample, a label column (optional) and one column
 * per pixel, in the order the pixels are stored (row-major).
 *
 * @param path the file, plain or gzip-compressed
 * @param options see CsvReadOptions: header (default true), labelColumn (default 'digit', or
 *   column 0 without a header; null for none), pixels / labels array types, delimiter, rows, cols
 * @returns the dataset; y is null when there is no label column
 * @throws DataFormatError naming the file, the data row (1-based, and whether the header row is
 *   counted) and the column (name and index) for a cell that is not a number or is empty, or a
 *   row with the wrong number of cells; also when the label column is missing from the header
 * @throws TypeError / RangeError for bad arguments
 *
 * @example
 * const table = await fromCsv('mnist_train.csv', { labelColumn: 'label' });
 * table.X; // Uint8Array of table.n x 784
 */
export async function fromCsv(path: string, options?: CsvReadOptions): Promise<ImageDataset> {
  // Arguments.
  checkPath('path', path);
  const opts = checkOptions<CsvReadOptions>('fromCsv', options, READ_KEYS);
  const header = optionalBoolean('options.header', opts.header, true);
  const labelColumn: string | number | null = opts.labelColumn === undefined
    ? (header ? 'digit' : 0) : opts.labelColumn;
  if (typeof labelColumn === 'number') {
    checkInteger('options.labelColumn', labelColumn, 0);
  } else if (typeof labelColumn === 'string') {
    if (!header) {
      throw new RangeError(`options.labelColumn names a column (${JSON.stringify(labelColumn)}) ` +
        'but options.header is false, so columns have no names; give its 0-based index instead');
    }
  } else if (labelColumn !== null) {
    throw typeError('options.labelColumn', 'a column name, a column index or null', labelColumn);
  }
  const pixels = opts.pixels === undefined ? 'auto'
    : checkChoice('options.pixels', opts.pixels, ['auto', 'uint8', 'float32'] as const);
  const labels = opts.labels === undefined ? 'auto'
    : checkChoice('options.labels', opts.labels, ['auto', 'int32', 'float32'] as const);
  const delimiter = optionalString('options.delimiter', opts.delimiter, ',');
  if (delimiter.length === 0) {
    throw rangeError('options.delimiter', 'a non-empty string', delimiter);
  }
  if ((opts.rows === undefined) !== (opts.cols === undefined)) {
    throw new TypeError('options.rows and options.cols go together: give both or neither');
  }

  // Parse the stream record by record.
  const parser = parse({
    delimiter, bom: true, info: true, relax_column_count: true, skip_empty_lines: true,
  });
  const sources = await openText(path);
  let streamError: Error | null = null;
  pipeline([...sources, parser], (error) => {
    if (error) streamError = error;
  });
  const place: Place = { path, header, names: null };
  const store = new PixelStore(pixels === 'float32');
  let targets: Int32Array | Float32Array = labels === 'float32'
    ? new Float32Array(1024) : new Int32Array(1024);
  let columns = -1;
  let labelIndex = -1;
  let row = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      // The first record: the header, or the first data row fixing the column count.
      if (columns < 0) {
        columns = record.length;
        if (header) place.names = record;
        labelIndex = resolveLabelColumn(labelColumn, place.names, columns, path);
        if (header) continue;
      }
      row++;
      if (record.length !== columns) {
        const reference = header ? 'the header has' : 'the first row has';
        throw new DataFormatError(`CSV file ${path}: ${rowText(place, row, info.lines)} has ` +
          `${record.length} cells but ${reference} ${columns}`, path);
      }

      // Label.
      if (labelIndex >= 0) {
        const text = record[labelIndex];
        const value = parseCell(text);
        if (Number.isNaN(value)) {
          throw cellError(place, row, info.lines, labelIndex, text, 'a number (the label)');
        }
        const integral = Number.isInteger(value) && Math.abs(value) <= 0x7fffffff;
        if (!integral && targets instanceof Int32Array) {
          if (labels === 'int32') {
            throw cellError(place, row, info.lines, labelIndex, text,
              'an integer label (options.labels is \'int32\')');
          }
          targets = Float32Array.from(targets);
        }
        if (!Number.isFinite(Math.fround(value))) {
          throw cellError(place, row, info.lines, labelIndex, text,
            'a number in the float32 range');
        }
        if (row > targets.length) targets = grow(targets, targets instanceof Int32Array
          ? new Int32Array(targets.length * 2) : new Float32Array(targets.length * 2), row - 1);
        targets[row - 1] = value;
      }

      // Pixels, every other column in order.
      store.reserve(columns);
      for (let column = 0; column < columns; column++) {
        if (column === labelIndex) continue;
        const text = record[column];
        const value = parseCell(text);
        if (Number.isNaN(value)) {
          throw cellError(place, row, info.lines, column, text, 'a number (a pixel)');
        }
        if (store.bytes) {
          if (Number.isInteger(value) && value >= 0 && value <= 255) {
            store.bytes[store.length++] = value;
            if (value > store.max) store.max = value;
            continue;
          }
          if (pixels === 'uint8') {
            throw cellError(place, row, info.lines, column, text,
              'an integer in 0..255 (options.pixels is \'uint8\')');
          }
          store.widen();
        }
        if (!Number.isFinite(Math.fround(value))) {
          throw cellError(place, row, info.lines, column, text, 'a number in the float32 range');
        }
        store.floats![store.length++] = value;
      }
    }
  } catch (error) {
    parser.destroy();
    throw wrapStreamError(error, path);
  }
  if (streamError) throw wrapStreamError(streamError, path);
  if (columns < 0) {
    throw new DataFormatError(`CSV file ${path} holds no rows` +
      (header ? ', not even a header row' : ''), path);
  }

  // Trim to size; in 'auto', tables of only 0 and 1 (or empty) become float32.
  const features = columns - (labelIndex >= 0 ? 1 : 0);
  let X: Uint8Array | Float32Array;
  if (store.bytes && (pixels === 'uint8' || store.max > 1)) {
    X = store.bytes.slice(0, store.length);
  } else {
    if (store.bytes) store.widen();
    X = store.floats!.slice(0, store.length);
  }
  const y = labelIndex >= 0 ? targets.slice(0, row) : null;
  let { rows, cols } = defaultImageShape(features);
  if (opts.rows !== undefined) {
    rows = checkInteger('options.rows', opts.rows, 0);
    cols = checkInteger('options.cols', opts.cols, 0);
    if (rows * cols !== features) {
      throw new RangeError(`Expected options.rows x options.cols to equal the ${features} pixel ` +
        `columns of ${path} but received ${rows} x ${cols} = ${rows * cols}`);
    }
  }
  return { X, y, n: row, features, rows, cols };
}

/** Options of toCsv. */
export interface CsvWriteOptions {
  /** Write a header row naming the columns. Default true. */
  header?: boolean;
  /**
   * Name of the label column, written first. Default 'digit'. null writes no label column even
   * when the dataset has labels. A dataset without labels has no label column.
   */
  labelColumn?: string | null;
  /** Pixel columns are named prefix + index: pixel0, pixel1, ... Default 'pixel'. */
  pixelPrefix?: string;
  /** Field delimiter. Default ','. */
  delimiter?: string;
  /** gzip-compress the file. Default: true when the path ends in `.gz`, else false. */
  gzip?: boolean;
}

const WRITE_KEYS = ['header', 'labelColumn', 'pixelPrefix', 'delimiter', 'gzip'];
const NUMBER_CHARACTERS = '0123456789.-+eE';
const BYTE_TEXT = Array.from({ length: 256 }, (_, value) => String(value));

/** The shortest decimal text that reads back as the same float32. */
function formatFloat32(value: number): string {
  if (Number.isInteger(value)) return String(value);
  for (let digits = 1; digits < 9; digits++) {
    const text = value.toPrecision(digits);
    if (Math.fround(Number(text)) === value) return String(Number(text));
  }
  return String(value);
}

/**
 * Writes a dataset as a CSV table atomically (a temporary file in the same folder, renamed over
 * path): a header row (label column first, then pixel0, pixel1, ...), then one row per sample.
 * Float32 values are written with the fewest digits that read back as the same float32.
 *
 * @param path the file to write (replaced if it exists)
 * @param dataset { X, y?, n? }; see DatasetLike
 * @param options see CsvWriteOptions: header, labelColumn ('digit'), pixelPrefix ('pixel'),
 *   delimiter (','), gzip (when path ends in .gz)
 * @throws TypeError / RangeError for bad arguments or a NaN / infinite value in the dataset
 *
 * @example
 * await toCsv('digits.csv', { X: pixels, y: labels });
 * const back = await fromCsv('digits.csv'); // the same X and y
 */
export async function toCsv(
  path: string,
  dataset: DatasetLike,
  options?: CsvWriteOptions,
): Promise<void> {
  // Arguments.
  checkPath('path', path);
  const data = checkDataset('dataset', dataset);
  const opts = checkOptions<CsvWriteOptions>('toCsv', options, WRITE_KEYS);
  const header = optionalBoolean('options.header', opts.header, true);
  const labelColumn = opts.labelColumn === undefined ? 'digit' : opts.labelColumn;
  if (labelColumn !== null && typeof labelColumn !== 'string') {
    throw typeError('options.labelColumn', 'a column name or null', labelColumn);
  }
  if (opts.labelColumn !== undefined && labelColumn !== null && data.y === null) {
    throw new RangeError(`options.labelColumn is ${JSON.stringify(labelColumn)} but the dataset ` +
      'has no labels (y is null); leave labelColumn out');
  }
  const prefix = optionalString('options.pixelPrefix', opts.pixelPrefix, 'pixel');
  const delimiter = optionalString('options.delimiter', opts.delimiter, ',');
  if (delimiter.length === 0) {
    throw rangeError('options.delimiter', 'a non-empty string', delimiter);
  }
  const compress = optionalBoolean('options.gzip', opts.gzip, path.endsWith('.gz'));
  const { X, n, features } = data;
  const y = labelColumn === null ? null : data.y;
  for (let i = 0; i < X.length; i++) {
    if (!Number.isFinite(X[i])) {
      const sample = Math.floor(i / features);
      throw new RangeError(`Expected finite pixels in dataset.X but received ${X[i]} at sample ` +
        `${sample}, pixel ${i - sample * features}`);
    }
  }
  if (y) {
    const bad = y.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) {
      throw new RangeError(`Expected finite labels in dataset.y but received ${y[bad]} at ` +
        `sample ${bad}`);
    }
  }

  // Rows in batches. csv-stringify formats the header and decides quoting; number cells
  // (digits, '.', '-', '+', 'e') never need quotes, so when the delimiter has none of those
  // characters, a row of numbers is its cells joined by the delimiter: exactly csv-stringify's
  // output, some 30 times faster (full MNIST: seconds instead of tens of seconds).
  const formatPixel = X instanceof Uint8Array
    ? (value: number) => BYTE_TEXT[value] : formatFloat32;
  const formatLabel = y instanceof Int32Array ? String : formatFloat32;
  const plainNumbers = ![...delimiter].some((character) => NUMBER_CHARACTERS.includes(character));
  function* batches(): Generator<string> {
    const names = Array.from({ length: features }, (_, j) => `${prefix}${j}`);
    if (header) yield stringify([y ? [labelColumn as string, ...names] : names], { delimiter });
    const batchSize = 256;
    for (let start = 0; start < n; start += batchSize) {
      const records: string[][] = [];
      for (let i = start; i < Math.min(n, start + batchSize); i++) {
        const record: string[] = y ? [formatLabel(y[i])] : [];
        for (let j = i * features; j < (i + 1) * features; j++) record.push(formatPixel(X[j]));
        records.push(record);
      }
      yield plainNumbers
        ? records.map((record) => `${record.join(delimiter)}\n`).join('')
        : stringify(records, { delimiter });
    }
  }
  const text = Readable.from(batches());
  await writeFileAtomic(path, compress ? text.pipe(zlib.createGzip()) : text);
}
