/**
 * What every layer of the JS backend implements, and the small buffer helpers they share.
 *
 * Shape letters used across lib/backend/js: N batch, F features of one sample (everything
 * after the batch axis, flattened), C channels, H and W height and width, K filters.
 *
 * Float32 semantics of the whole backend: every tensor (activations, gradients, parameters,
 * optimizer state) is stored in a Float32Array. Each stored element is computed in double
 * from float32 operands, sums included, and rounded to float32 once, when it is stored. The
 * native core computes in float32 with its own summation order, so the two backends agree to
 * rounding, not bit for bit.
 */
import type { LayerSpec } from '../backend';
import type { Rng } from '../../rng';

/** One learnable parameter with its gradient of the last backward pass. */
export interface Param {
  layer: string;
  name: 'W' | 'b';
  shape: number[];
  values: Float32Array;
  grad: Float32Array;
  /** Whether L1/L2 penalties apply: the W of dense and conv layers, never biases. */
  penalized: boolean;
}

/** What a forward pass needs besides its input. */
export interface ForwardContext {
  /** Training: dropout draws masks. Otherwise every layer is deterministic. */
  training: boolean;
  /** The dropout generator (RngStream.dropout); required when training. */
  dropoutRng: Rng | null;
}

/** A layer of the JS backend: forward and backward over a batch of N samples. */
export interface JsLayer {
  readonly spec: LayerSpec;
  /** Learnable parameters, W before b. */
  readonly params: Param[];
  /**
   * Computes the output [N, F_out] of input [N, F_in]. The returned array belongs to the
   * layer and stays valid until its next forward call; layers never write to their input.
   */
  forward(input: Float32Array, n: number, context: ForwardContext): Float32Array;
  /**
   * The pre-activation [N, F_out] of the last forward pass, before the nonlinearity (for the
   * fused softmax cross-entropy). Only dense, conv2d and nonlinearity layers have one; the
   * others throw.
   */
  preActivation(): Float32Array;
  /**
   * Back-propagates gradOutput [N, F_out] through the last forward pass: fills the grad of
   * every param (overwriting it) and returns the gradient of the input [N, F_in], or null
   * when needInputGradient is false. With gradientIsPreActivation, gradOutput is the gradient
   * of the pre-activation and the nonlinearity is skipped.
   */
  backward(
    gradOutput: Float32Array,
    n: number,
    needInputGradient: boolean,
    gradientIsPreActivation: boolean,
  ): Float32Array | null;
}

/** A growable float32 buffer: get(length) returns a view of the first length elements. */
export class Float32Scratch {
  private buffer: Float32Array = new Float32Array(0);

  get(length: number): Float32Array {
    if (this.buffer.length < length) this.buffer = new Float32Array(length);
    return this.buffer.subarray(0, length);
  }
}

/** A growable double buffer for accumulators; zeroed(length) returns a zero-filled view. */
export class Float64Scratch {
  private buffer: Float64Array = new Float64Array(0);

  zeroed(length: number): Float64Array {
    if (this.buffer.length < length) this.buffer = new Float64Array(length);
    const view = this.buffer.subarray(0, length);
    view.fill(0);
    return view;
  }
}

/** Product of the axes of a shape (1 for []). */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const axis of shape) size *= axis;
  return size;
}

/** Makes a parameter of the given shape, zero-filled (init.ts fills it). */
export function makeParam(
  layer: string,
  name: 'W' | 'b',
  shape: number[],
  penalized: boolean,
): Param {
  const size = sizeOf(shape);
  return {
    layer,
    name,
    shape,
    values: new Float32Array(size),
    grad: new Float32Array(size),
    penalized,
  };
}
