/**
 * Nonlinearities, forward and backward, and the standalone nonlinearity layer.
 *
 * Shapes: z pre-activation and y output are [N, F]; softmax normalises over the F features
 * of each sample, every other function is elementwise.
 *
 * Rounding: y = f(z) is computed in double from the float32 z and rounded once to float32.
 * NaN propagates: rectify, leaky_rectify and elu test z <= 0, so f(NaN) = NaN and a diverged
 * network shows up as a NaN loss.
 * Derivatives are computed in double from the float32 output y (not from z):
 *   rectify        y > 0 ? 1 : 0           (0 at z = 0)
 *   leaky_rectify  y > 0 ? 1 : 0.01        (Lasagne's default leakiness; 0.01 at z = 0)
 *   elu            y > 0 ? 1 : y + 1       (= exp(z) for z <= 0, so 1 at z = 0)
 *   tanh           1 - y^2
 *   sigmoid        y (1 - y)
 *   softplus       1 - exp(-y)             (= sigmoid(z))
 *   linear         1
 *   softmax        dz_i = y_i (g_i - sum_j g_j y_j)
 * and the gradient dz = g * f'(y) is rounded once to float32.
 */
import type { Nonlinearity, NonlinearityLayerSpec } from '../backend';
import { Float32Scratch, ForwardContext, JsLayer, Param, sizeOf } from './layer';

/** Slope of leaky_rectify for negative inputs (Lasagne's leaky_rectify). */
export const LEAKINESS = 0.01;

/** The nonlinearities this backend implements. */
export const NONLINEARITIES: readonly Nonlinearity[] = [
  'rectify',
  'softmax',
  'tanh',
  'sigmoid',
  'linear',
  'leaky_rectify',
  'elu',
  'softplus',
];

/** log(1 + exp(z)) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** Writes y = f(z) for z, y of [N, F] (y may not alias z for softmax). */
export function nonlinearityForward(
  kind: Nonlinearity,
  z: Float32Array,
  y: Float32Array,
  n: number,
  features: number,
): void {
  const size = n * features;
  switch (kind) {
    case 'linear':
      y.set(z.subarray(0, size));
      return;
    case 'rectify':
      for (let i = 0; i < size; i++) y[i] = z[i] <= 0 ? 0 : z[i];
      return;
    case 'leaky_rectify':
      for (let i = 0; i < size; i++) y[i] = z[i] <= 0 ? LEAKINESS * z[i] : z[i];
      return;
    case 'elu':
      for (let i = 0; i < size; i++) y[i] = z[i] <= 0 ? Math.expm1(z[i]) : z[i];
      return;
    case 'tanh':
      for (let i = 0; i < size; i++) y[i] = Math.tanh(z[i]);
      return;
    case 'sigmoid':
      for (let i = 0; i < size; i++) y[i] = 1 / (1 + Math.exp(-z[i]));
      return;
    case 'softplus':
      for (let i = 0; i < size; i++) y[i] = softplus(z[i]);
      return;
    case 'softmax':
      softmaxForward(z, y, n, features);
      return;
  }
}

/** Softmax over the features of each sample: exp(z - max) / sum exp(z - max), in double. */
export function softmaxForward(
  z: Float32Array,
  y: Float32Array,
  n: number,
  features: number,
): void {
  for (let sample = 0; sample < n; sample++) {
    const row = sample * features;
    let largest = -Infinity;
    for (let j = 0; j < features; j++) largest = Math.max(largest, z[row + j]);
    let sum = 0;
    for (let j = 0; j < features; j++) sum += Math.exp(z[row + j] - largest);
    for (let j = 0; j < features; j++) y[row + j] = Math.exp(z[row + j] - largest) / sum;
  }
}

/** Writes gradZ = gradY * f'(z), with f' computed from the output y; all [N, F]. */
export function nonlinearityBackward(
  kind: Nonlinearity,
  y: Float32Array,
  gradY: Float32Array,
  gradZ: Float32Array,
  n: number,
  features: number,
): void {
  const size = n * features;
  switch (kind) {
    case 'linear':
      gradZ.set(gradY.subarray(0, size));
      return;
    case 'rectify':
      for (let i = 0; i < size; i++) gradZ[i] = y[i] > 0 ? gradY[i] : 0;
      return;
    case 'leaky_rectify':
      for (let i = 0; i < size; i++) gradZ[i] = y[i] > 0 ? gradY[i] : LEAKINESS * gradY[i];
      return;
    case 'elu':
      for (let i = 0; i < size; i++) gradZ[i] = y[i] > 0 ? gradY[i] : gradY[i] * (y[i] + 1);
      return;
    case 'tanh':
      for (let i = 0; i < size; i++) gradZ[i] = gradY[i] * (1 - y[i] * y[i]);
      return;
    case 'sigmoid':
      for (let i = 0; i < size; i++) gradZ[i] = gradY[i] * y[i] * (1 - y[i]);
      return;
    case 'softplus':
      for (let i = 0; i < size; i++) gradZ[i] = gradY[i] * -Math.expm1(-y[i]);
      return;
    case 'softmax':
      for (let sample = 0; sample < n; sample++) {
        const row = sample * features;
        let dot = 0;
        for (let j = 0; j < features; j++) dot += gradY[row + j] * y[row + j];
        for (let j = 0; j < features; j++) gradZ[row + j] = y[row + j] * (gradY[row + j] - dot);
      }
      return;
  }
}

/** A standalone nonlinearity: y = f(x), any input shape, output shape = input shape. */
export class NonlinearityLayer implements JsLayer {
  readonly params: Param[] = [];
  private readonly features: number;
  private input: Float32Array = new Float32Array(0);
  private readonly output = new Float32Scratch();
  private readonly gradInput = new Float32Scratch();
  private lastOutput: Float32Array = new Float32Array(0);

  constructor(readonly spec: NonlinearityLayerSpec) {
    this.features = sizeOf(spec.inputShape);
  }

  forward(input: Float32Array, n: number, _context?: ForwardContext): Float32Array {
    this.input = input;
    const output = this.output.get(n * this.features);
    nonlinearityForward(this.spec.nonlinearity, input, output, n, this.features);
    this.lastOutput = output;
    return output;
  }

  preActivation(): Float32Array {
    return this.input;
  }

  backward(
    gradOutput: Float32Array,
    n: number,
    needInputGradient: boolean,
    gradientIsPreActivation: boolean,
  ): Float32Array | null {
    if (!needInputGradient) return null;
    if (gradientIsPreActivation) return gradOutput;
    const gradInput = this.gradInput.get(n * this.features);
    nonlinearityBackward(
      this.spec.nonlinearity,
      this.lastOutput,
      gradOutput,
      gradInput,
      n,
      this.features,
    );
    return gradInput;
  }
}
