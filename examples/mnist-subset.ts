/**
 * MNIST for the examples: the first trainSize training images and testSize test images (all
 * by default), pixels as uint8 (scaled by 1/255 as batches are drawn), labels as Int32Array.
 */
import { loadMnist } from '../lib/data/mnist';

/** Images and labels of one part. */
export interface Digits {
  X: Uint8Array;
  y: Int32Array;
}

/** Options shared by the examples. */
export interface ExampleOptions {
  /** Training images used (the first ones), default 60000. */
  trainSize?: number;
  /** Test images used, default 10000. */
  testSize?: number;
  /** Epochs, default the example's (as in the nolearn tutorial). */
  epochs?: number;
  /** 'native' (default) or 'js'. */
  backend?: 'native' | 'js';
  /** 1 prints the layer table and one row per epoch. Default 1. */
  verbose?: number;
  /** Where verbose output goes, default stdout. */
  print?: (text: string) => void;
  /** Seed, default 42. */
  seed?: number;
  /** Fraction held out for validation, default 0.2 (nolearn's); 0 for none. */
  evalSize?: number;
}

/** What an example returns. */
export interface ExampleResult<Net> {
  net: Net;
  /** Accuracy on the test images used. */
  testAccuracy: number;
}

/** Loads MNIST and keeps the first images of each part. */
export async function loadDigits(trainSize = 60000, testSize = 10000):
  Promise<{ train: Digits; test: Digits }> {
  const { train, test } = await loadMnist();
  const take = (part: Digits, n: number): Digits => ({
    X: part.X.subarray(0, Math.min(n, part.y.length) * 784),
    y: part.y.subarray(0, Math.min(n, part.y.length)),
  });
  return { train: take(train, trainSize), test: take(test, testSize) };
}

/** Reads `node dist/examples/x.js [epochs] [trainSize]` arguments. */
export function commandLine(): ExampleOptions {
  const [epochs, trainSize] = process.argv.slice(2).map(Number);
  return {
    epochs: Number.isInteger(epochs) && epochs > 0 ? epochs : undefined,
    trainSize: Number.isInteger(trainSize) && trainSize > 0 ? trainSize : undefined,
  };
}
