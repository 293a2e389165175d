/**
 * The safetensors format (as Hugging Face's `safetensors` package reads it), float32 tensors:
 *   bytes 0..7   N, the header length, unsigned 64-bit little-endian
 *   bytes 8..    the header: UTF-8 JSON, padded with spaces to a multiple of 8 bytes,
 *                { "__metadata__": { string: string }, "<name>": { "dtype": "F32",
 *                  "shape": [...], "data_offsets": [begin, end] }, ... }
 *   then         the data: each tensor's values, little-endian, at [begin, end) counted from
 *                the end of the header, contiguous and in order
 * Reading accepts F32 and F64 (converted to float32); a malformed file is a DataFormatError
 * naming the file and what is wrong.
 */
import { DataFormatError } from './data/errors';

/** One named tensor. */
export interface NamedTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** The content of a safetensors file. */
export interface SafetensorsContent {
  tensors: NamedTensor[];
  metadata: Record<string, string>;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The bytes of values, little-endian. */
function littleEndianBytes(values: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const bytes = new Uint8Array(values.byteLength);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return bytes;
}

/**
 * Encodes tensors and metadata as safetensors, as chunks to write in order.
 *
 * @throws RangeError when a tensor's values do not match its shape or a name repeats
 */
export function encodeSafetensors(tensors: readonly NamedTensor[],
  metadata: Readonly<Record<string, string>>): Uint8Array[] {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const tensor of tensors) {
    const count = tensor.shape.reduce((product, n) => product * n, 1);
    if (count !== tensor.values.length) {
      throw new RangeError(`Tensor '${tensor.name}' has ${tensor.values.length} values but its ` +
        `shape ${tensor.shape.join('x')} holds ${count}`);
    }
    if (tensor.name in header) throw new RangeError(`Tensor name '${tensor.name}' repeats`);
    header[tensor.name] = {
      dtype: 'F32',
      shape: tensor.shape,
      data_offsets: [offset, offset + tensor.values.byteLength],
    };
    offset += tensor.values.byteLength;
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    json = Buffer.concat([json, Buffer.alloc(padded - json.length, 0x20)]);
  }
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  return [prefix, json, ...tensors.map((tensor) => littleEndianBytes(tensor.values))];
}

const DTYPE_SIZES: Record<string, number> = { F32: 4, F64: 8 };

/**
 * Decodes a safetensors file's bytes.
 *
 * @param path the file, for messages
 * @throws DataFormatError for a truncated or malformed file, or an unsupported dtype
 */
export function decodeSafetensors(bytes: Uint8Array, path: string): SafetensorsContent {
  const fail = (problem: string): DataFormatError =>
    new DataFormatError(`${path} is not a valid safetensors file: ${problem}`, path);

  // Header.
  if (bytes.length < 8) {
    throw fail(`it has ${bytes.length} bytes, fewer than the 8 of the header length (truncated?)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) {
    throw fail(`the header is ${headerLength} bytes long but the file has only ` +
      `${bytes.length - 8} after the length (truncated?)`);
  }
  const headerEnd = 8 + Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, headerEnd - 8)
      .toString('utf8'));
  } catch (error) {
    throw fail(`its header is not JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw fail('its header is not a JSON object');
  }

  // Metadata.
  const entries = header as Record<string, unknown>;
  const metadata: Record<string, string> = {};
  const rawMetadata = entries.__metadata__;
  if (rawMetadata !== undefined && rawMetadata !== null) {
    if (typeof rawMetadata !== 'object' || Array.isArray(rawMetadata)) {
      throw fail('__metadata__ is not an object');
    }
    for (const [key, value] of Object.entries(rawMetadata)) {
      if (typeof value !== 'string') throw fail(`__metadata__.${key} is not a string`);
      metadata[key] = value;
    }
  }

  // Tensors.
  const dataLength = bytes.length - headerEnd;
  const tensors: NamedTensor[] = [];
  for (const [name, entry] of Object.entries(entries)) {
    if (name === '__metadata__') continue;
    const info = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (info === null || typeof info !== 'object') throw fail(`entry '${name}' is not an object`);
    const size = typeof info.dtype === 'string' ? DTYPE_SIZES[info.dtype] : undefined;
    if (size === undefined) {
      throw fail(`tensor '${name}' has dtype ${JSON.stringify(info.dtype)}; only F32 and F64 ` +
        'are supported');
    }
    const shape = info.shape;
    if (!Array.isArray(shape) || !shape.every((n) => Number.isInteger(n) && n >= 0)) {
      throw fail(`tensor '${name}' has shape ${JSON.stringify(shape)}, not a list of sizes`);
    }
    const offsets = info.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 ||
      !offsets.every((n) => Number.isInteger(n) && n >= 0) || offsets[1] < offsets[0]) {
      throw fail(`tensor '${name}' has data_offsets ${JSON.stringify(offsets)}`);
    }
    const count = (shape as number[]).reduce((product, n) => product * n, 1);
    if (offsets[1] - offsets[0] !== count * size) {
      throw fail(`tensor '${name}' of shape ${shape.join('x')} needs ${count * size} bytes but ` +
        `its data_offsets span ${offsets[1] - offsets[0]}`);
    }
    if (offsets[1] > dataLength) {
      throw fail(`tensor '${name}' ends at byte ${offsets[1]} of the data but the file holds ` +
        `${dataLength} bytes of data (truncated?)`);
    }
    const values = new Float32Array(count);
    const start = headerEnd + offsets[0];
    for (let i = 0; i < count; i++) {
      values[i] = size === 4 ? view.getFloat32(start + 4 * i, true)
        : view.getFloat64(start + 8 * i, true);
    }
    tensors.push({ name, shape: shape as number[], values });
  }
  return { tensors, metadata };
}
