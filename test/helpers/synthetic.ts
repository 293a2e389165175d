/**
 * Small synthetic datasets for training tests: easy enough that a tiny network learns them
 * in a few epochs, deterministic from a seed.
 */
import type { Dataset } from '../../lib/backend/backend';
import { Rng } from '../../lib/rng';

/** Three Gaussian blobs in 2-D (centres (-2, 0), (2, 0), (0, 2.5), std 0.6): labels 0..2. */
export function blobs(n: number, seed: number): Dataset & { y: Int32Array } {
  const rng = new Rng(seed);
  const centres = [
    [-2, 0],
    [2, 0],
    [0, 2.5],
  ];
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 3;
    y[i] = label;
    x[2 * i] = centres[label][0] + 0.6 * rng.normal();
    x[2 * i + 1] = centres[label][1] + 0.6 * rng.normal();
  }
  return { x, y, n };
}

/**
 * 8x8 uint8 images: a horizontal bar (label 0) or a vertical bar (label 1) at a random row or
 * column, on noise up to 60.
 */
export function bars(n: number, seed: number): Dataset & { x: Uint8Array; y: Int32Array } {
  const rng = new Rng(seed);
  const x = new Uint8Array(n * 64);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const line = rng.below(8);
    y[i] = label;
    for (let row = 0; row < 8; row++) {
      for (let col = 0; col < 8; col++) {
        const onBar = label === 0 ? row === line : col === line;
        x[i * 64 + row * 8 + col] = onBar ? 200 + rng.below(56) : rng.below(60);
      }
    }
  }
  return { x, y, n };
}

/** Regression: 4 inputs in [-1, 1), two targets (sum and first minus last). */
export function linearTargets(n: number, seed: number): Dataset & { y: Float32Array } {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 4);
  const y = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 4; j++) x[i * 4 + j] = 2 * rng.uniform() - 1;
    y[2 * i] = x[i * 4] + x[i * 4 + 1] + x[i * 4 + 2] + x[i * 4 + 3];
    y[2 * i + 1] = x[i * 4] - x[i * 4 + 3];
  }
  return { x, y, n };
}
