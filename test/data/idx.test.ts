import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import {
  DataFormatError, decodeIdx, IdxArray, readIdx, readIdxSync, writeIdx, writeIdxSync,
} from '../../lib/data';
import * as lamina from '../../lib';
import { leftoverTemporaries, temporaryFolder } from './temp';

/** One array of every element type, with the extreme values each can hold. */
const SAMPLES: Array<{ type: string; code: number; data: IdxArray }> = [
  { type: 'ubyte', code: 0x08, data: Uint8Array.from([0, 1, 127, 128, 254, 255]) },
  { type: 'byte', code: 0x09, data: Int8Array.from([-128, -1, 0, 1, 64, 127]) },
  { type: 'short', code: 0x0b, data: Int16Array.from([-32768, -2, 0, 258, 1000, 32767]) },
  {
    type: 'int', code: 0x0c,
    data: Int32Array.from([-2147483648, -1, 0, 16909060, 7, 2147483647]),
  },
  { type: 'float', code: 0x0d, data: Float32Array.from([-0, 1, -1.5, 3.4e38, 1e-45, NaN]) },
  {
    type: 'double', code: 0x0e,
    data: Float64Array.from([-0, Math.PI, -1e308, 5e-324, Infinity, NaN]),
  },
];

function expectFormatError(action: () => unknown, file: string, ...parts: Array<string | RegExp>) {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof DataFormatError, `expected a DataFormatError, got ${error}`);
    assert.strictEqual(error.path, file);
    assert.ok(error.message.includes(file), `message names the file: ${error.message}`);
    for (const part of parts) {
      if (typeof part === 'string') {
        assert.ok(error.message.includes(part), `"${part}" in: ${error.message}`);
      } else {
        assert.match(error.message, part);
      }
    }
    return true;
  });
}

describe('data/idx', () => {
  const folder = temporaryFolder('idx');

  it('round-trips every element type through writer and reader (sync and async)', async () => {
    for (const { type, data } of SAMPLES) {
      const file = path.join(folder(), `${type}-idx2`);
      writeIdxSync(file, data, [2, 3]);
      for (const read of [readIdxSync(file), await readIdx(file)]) {
        assert.strictEqual(read.type, type);
        assert.deepStrictEqual(read.dims, [2, 3]);
        assert.strictEqual(read.data.constructor, data.constructor, type);
        assert.strictEqual(read.data.byteOffset, 0, 'data has its own buffer');
        assert.deepStrictEqual(read.data, data, type);
      }
      await writeIdx(file, data, [1, 2, 3, 1]);
      assert.deepStrictEqual((await readIdx(file)).dims, [1, 2, 3, 1]);
    }
    assert.deepStrictEqual(leftoverTemporaries(folder()), []);
  });

  it('writes the header and the elements big-endian', () => {
    const file = path.join(folder(), 'bytes-idx1');
    writeIdxSync(file, Int16Array.from([0x0102, -2]));
    assert.deepStrictEqual([...fs.readFileSync(file)],
      [0, 0, 0x0b, 1, 0, 0, 0, 2, 0x01, 0x02, 0xff, 0xfe]);
    writeIdxSync(file, Float32Array.from([1]), [1, 1]);
    assert.deepStrictEqual([...fs.readFileSync(file)],
      [0, 0, 0x0d, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0x3f, 0x80, 0, 0]);
    writeIdxSync(file, Float64Array.from([-2]));
    assert.deepStrictEqual([...fs.readFileSync(file)].slice(8), [0xc0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('reads the dims of any rank: scalar, empty and many axes', async () => {
    const file = path.join(folder(), 'rank');
    writeIdxSync(file, Float32Array.from([2.5]), []);
    assert.deepStrictEqual(readIdxSync(file),
      { type: 'float', dims: [], data: Float32Array.from([2.5]) });
    writeIdxSync(file, new Int32Array(0), [4, 0, 3]);
    assert.deepStrictEqual(readIdxSync(file),
      { type: 'int', dims: [4, 0, 3], data: new Int32Array(0) });
    const dims = [2, 1, 2, 1, 2, 1, 2];
    const data = Uint8Array.from({ length: 16 }, (_, i) => i * 3);
    await writeIdx(file, data, dims);
    assert.deepStrictEqual(await readIdx(file), { type: 'ubyte', dims, data });
  });

  it('reads gzip-compressed files, recognised from the content and not the name', async () => {
    const data = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i));
    const named = path.join(folder(), 'values-idx1-double.gz');
    await writeIdx(named, data);
    assert.deepStrictEqual([...fs.readFileSync(named).subarray(0, 2)], [0x1f, 0x8b], '.gz ' +
      'compresses');
    const unnamed = path.join(folder(), 'values-idx1-double');
    writeIdxSync(unnamed, data, undefined, { gzip: true });
    assert.deepStrictEqual([...fs.readFileSync(unnamed).subarray(0, 2)], [0x1f, 0x8b]);
    const plainNamedGz = path.join(folder(), 'plain.gz');
    writeIdxSync(plainNamedGz, data, undefined, { gzip: false });
    assert.strictEqual(fs.readFileSync(plainNamedGz)[0], 0);
    for (const file of [named, unnamed, plainNamedGz]) {
      assert.deepStrictEqual((await readIdx(file)).data, data, file);
      assert.deepStrictEqual(readIdxSync(file).data, data, file);
      assert.deepStrictEqual(decodeIdx(fs.readFileSync(file)).data, data, file);
    }
  });

  it('rejects a truncated file, naming the file and both sizes', async () => {
    const file = path.join(folder(), 'short-idx3-ubyte');
    writeIdxSync(file, new Uint8Array(2 * 3 * 4), [2, 3, 4]);
    fs.truncateSync(file, 16 + 24 - 1);
    const parts = ['is truncated', 'ubyte, dims 2 x 3 x 4', 'promises 40 bytes', 'the file ' +
      'holds 39 bytes'];
    expectFormatError(() => readIdxSync(file), file, ...parts);
    await assert.rejects(readIdx(file), (error: Error) => {
      expectFormatError(() => { throw error; }, file, ...parts);
      return true;
    });

    // A header cut short, and a file too short for any header.
    fs.truncateSync(file, 10);
    expectFormatError(() => readIdxSync(file), file, 'is truncated', 'declares 3 dimensions',
      'needs 16 bytes', 'holds 10 bytes');
    fs.writeFileSync(file, Buffer.from([0, 0, 8]));
    expectFormatError(() => readIdxSync(file), file, 'is truncated', 'at least 4',
      'holds 3 bytes');
  });

  it('rejects a file larger than its header promises', async () => {
    const file = path.join(folder(), 'long-idx1-int');
    writeIdxSync(file, Int32Array.from([1, 2, 3]));
    fs.appendFileSync(file, Buffer.from([9, 9]));
    const parts = ['is larger than its header promises', 'int, dims 3', 'promises 20 bytes',
      '(8 header + 12 data)', 'the file holds 22 bytes'];
    expectFormatError(() => readIdxSync(file), file, ...parts);
    await assert.rejects(readIdx(file), DataFormatError);

    // Compressed: the decompressed size is what counts.
    const packed = path.join(folder(), 'long-idx1-int.gz');
    fs.writeFileSync(packed, zlib.gzipSync(fs.readFileSync(file)));
    expectFormatError(() => readIdxSync(packed), packed, 'promises 20 bytes',
      'its decompressed content holds 22 bytes');
  });

  it('rejects a bad magic number and corrupt gzip', () => {
    const file = path.join(folder(), 'not-idx');
    fs.writeFileSync(file, 'hello world, not an IDX file');
    expectFormatError(() => readIdxSync(file), file, 'is not an IDX file',
      'starts with bytes 0x68 0x65', 'two zero bytes');
    fs.writeFileSync(file, Buffer.from([0, 0, 0x0a, 1, 0, 0, 0, 0]));
    expectFormatError(() => readIdxSync(file), file, 'element type code 0x0a',
      '0x08 (unsigned byte)', '0x0e (float64)');
    fs.writeFileSync(file, Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5]));
    expectFormatError(() => readIdxSync(file), file, 'starts like gzip but does not decompress');
    expectFormatError(() => decodeIdx(Buffer.from([7, 0, 8, 0]), 'my buffer'), 'my buffer',
      'starts with bytes 0x07 0x00');
  });

  it('validates its arguments', async () => {
    const file = path.join(folder(), 'args');
    assert.throws(() => readIdxSync(42 as unknown as string),
      { name: 'TypeError', message: 'Expected a file path (string) for path but received 42 ' +
        '(number)' });
    await assert.rejects(readIdx(''),
      { name: 'RangeError', message: 'Expected a non-empty file path for path but received "" ' +
        '(string)' });
    assert.throws(() => writeIdxSync(file, [1, 2] as unknown as Uint8Array), {
      name: 'TypeError',
      message: 'Expected a Uint8Array, Int8Array, Int16Array, Int32Array, Float32Array or ' +
        'Float64Array for data but received an array of length 2',
    });
    assert.throws(() => writeIdxSync(file, new Uint8Array(6), [2, 4]), {
      name: 'RangeError',
      message: 'Expected sizes whose product is data.length = 6 for dims but received [2, 4] ' +
        '(product 8)',
    });
    assert.throws(() => writeIdxSync(file, new Uint8Array(6), [2, 3.5]),
      { name: 'RangeError', message: 'Expected an integer in [0, 4294967295] for dims[1] but ' +
        'received 3.5 (number)' });
    assert.throws(() => writeIdxSync(file, new Uint8Array(1), new Array(256).fill(1)),
      { name: 'RangeError', message: 'Expected at most 255 dimensions for dims but received an ' +
        'array of length 256' });
    await assert.rejects(writeIdx(file, new Uint8Array(1), [1], { gzp: true } as never),
      { name: 'TypeError',
        message: "Unknown parameter 'gzp' for writeIdx; did you mean 'gzip'?" });
    assert.throws(() => writeIdxSync(file, new Uint8Array(1), [1], { gzip: 'yes' } as never),
      { name: 'TypeError', message: 'Expected a boolean for options.gzip but received "yes" ' +
        '(string)' });
    assert.throws(() => decodeIdx('abc' as never),
      { name: 'TypeError', message: 'Expected a Buffer or Uint8Array for content but received ' +
        '"abc" (string)' });
    assert.ok(!fs.existsSync(file), 'nothing written on bad arguments');
  });

  it('replaces files atomically and leaves no temporary file when a write fails', async () => {
    const file = path.join(folder(), 'atomic-idx1-ubyte');
    writeIdxSync(file, Uint8Array.from([1, 2, 3]));
    await writeIdx(file, Uint8Array.from([4, 5]));
    assert.deepStrictEqual(readIdxSync(file).data, Uint8Array.from([4, 5]));
    const missing = path.join(folder(), 'no-such-folder', 'x-idx1-ubyte');
    await assert.rejects(writeIdx(missing, Uint8Array.from([1])), { code: 'ENOENT' });
    // A folder in the way of the rename: the temporary file must be cleaned up.
    const blocked = path.join(folder(), 'blocked');
    fs.mkdirSync(blocked);
    fs.writeFileSync(path.join(blocked, 'inside'), 'x');
    await assert.rejects(writeIdx(blocked, Uint8Array.from([1])));
    assert.throws(() => writeIdxSync(blocked, Uint8Array.from([1])));
    assert.deepStrictEqual(leftoverTemporaries(folder()), []);
  });

  it('is exported from the package entry point', () => {
    assert.strictEqual(lamina.readIdx, readIdx);
    assert.strictEqual(lamina.DataFormatError, DataFormatError);
  });
});
