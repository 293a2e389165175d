/**
 * Losses and penalties.
 *
 * Shapes: z (pre-activation of the softmax output) and y (output) are [N, K]; labels [N]
 * (Int32Array, cross-entropy), targets [N, K] (Float32Array, squared error).
 *
 * Each function returns the SUM over the N samples of the per-sample loss, in double, and
 * when given a grad array writes the gradient of the batch MEAN (sum / N), rounded once to
 * float32:
 *   categorical cross-entropy, fused with the softmax and computed from z in double:
 *     loss_n = logsumexp(z_n) - z_n[label],  dz_nk = (exp(z_nk - logsumexp(z_n)) - onehot) / N
 *   squared error: loss_n = mean_k (y_nk - t_nk)^2, dy_nk = 2 (y_nk - t_nk) / (N K).
 * Penalties: l1 sum |W| + l2 sum W^2 over the penalized params (W of dense and conv layers),
 * gradient l1 sign(W) + 2 l2 W (sign(0) = 0).
 */
import type { Param } from './layer';

/** Labels [N] or target values [N, K] of a batch. */
export type Targets = Int32Array | Float32Array;

/** Fused softmax cross-entropy from pre-activations z [N, K] (see the file comment). */
export function crossEntropy(
  z: Float32Array,
  labels: Int32Array,
  n: number,
  classes: number,
  grad: Float32Array | null,
): number {
  let total = 0;
  for (let sample = 0; sample < n; sample++) {
    const row = sample * classes;
    const label = labels[sample];

    // log-sum-exp of the row
    let largest = -Infinity;
    for (let k = 0; k < classes; k++) largest = Math.max(largest, z[row + k]);
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += Math.exp(z[row + k] - largest);
    const logSumExp = largest + Math.log(sum);

    // loss and gradient
    total += logSumExp - z[row + label];
    if (!grad) continue;
    for (let k = 0; k < classes; k++) {
      const probability = Math.exp(z[row + k] - logSumExp);
      grad[row + k] = (probability - (k === label ? 1 : 0)) / n;
    }
  }
  return total;
}

/** Squared error of outputs y [N, K] against targets [N, K] (see the file comment). */
export function squaredError(
  y: Float32Array,
  targets: Float32Array,
  n: number,
  outputs: number,
  grad: Float32Array | null,
): number {
  let total = 0;
  const size = n * outputs;
  for (let i = 0; i < size; i++) {
    const difference = y[i] - targets[i];
    total += difference * difference;
    if (grad) grad[i] = (2 * difference) / size;
  }
  return total / outputs;
}

/** Number of samples whose first largest output equals the label. */
export function countCorrect(
  y: Float32Array,
  labels: Int32Array,
  n: number,
  classes: number,
): number {
  let correct = 0;
  for (let sample = 0; sample < n; sample++) {
    const row = sample * classes;
    let best = 0;
    for (let k = 1; k < classes; k++) if (y[row + k] > y[row + best]) best = k;
    if (best === labels[sample]) correct++;
  }
  return correct;
}

/** l1 sum |W| + l2 sum W^2 over the penalized params, in double. */
export function penalty(params: readonly Param[], l1: number, l2: number): number {
  if (l1 === 0 && l2 === 0) return 0;
  let sumAbs = 0;
  let sumSquares = 0;
  for (const param of params) {
    if (!param.penalized) continue;
    for (const w of param.values) {
      sumAbs += Math.abs(w);
      sumSquares += w * w;
    }
  }
  return l1 * sumAbs + l2 * sumSquares;
}

/** Adds l1 sign(W) + 2 l2 W to the grad of each penalized param (one rounding per element). */
export function addPenaltyGradient(params: readonly Param[], l1: number, l2: number): void {
  if (l1 === 0 && l2 === 0) return;
  for (const param of params) {
    if (!param.penalized) continue;
    const { values, grad } = param;
    for (let i = 0; i < values.length; i++) {
      grad[i] = grad[i] + l1 * Math.sign(values[i]) + 2 * l2 * values[i];
    }
  }
}
