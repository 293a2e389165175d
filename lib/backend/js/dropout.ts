/**
 * Inverted dropout, forward and backward.
 *
 * Shapes: x and y [N, F], any input shape.
 *
 * Training: for the batch, one rng.uniform() per element in storage order (sample, then
 * features), drawn even when p is 0 so that the stream does not depend on p; the element is
 * kept when uniform() >= p and multiplied by scale = 1 / (1 - p), and set to +0 otherwise.
 * The scale stays a double: a kept y is fround(x * (1 / (1 - p))), rounded once. The backward
 * pass applies the same mask and scale to the gradient. Prediction and validation: the
 * identity, no draws.
 */
import type { DropoutLayerSpec } from '../backend';
import { Float32Scratch, ForwardContext, JsLayer, Param, sizeOf } from './layer';

/** Inverted dropout with drop probability p. */
export class DropoutLayer implements JsLayer {
  readonly params: Param[] = [];
  private readonly features: number;
  private readonly scale: number;
  private readonly y = new Float32Scratch();
  /** 1 where the last training pass kept the element, 0 where it dropped it. */
  private mask: Uint8Array = new Uint8Array(0);
  private readonly gradInput = new Float32Scratch();
  /** Whether the last forward pass drew a mask (training) or was the identity. */
  private masked = false;

  constructor(readonly spec: DropoutLayerSpec) {
    this.features = sizeOf(spec.inputShape);
    this.scale = 1 / (1 - spec.p);
  }

  forward(input: Float32Array, n: number, context: ForwardContext): Float32Array {
    this.masked = context.training;
    if (!context.training) return input;
    const rng = context.dropoutRng;
    if (!rng) throw new Error(`Layer '${this.spec.name}' (dropout) needs a generator to train`);
    const size = n * this.features;
    if (this.mask.length < size) this.mask = new Uint8Array(size);
    const y = this.y.get(size);
    const { p } = this.spec;
    for (let i = 0; i < size; i++) {
      const keep = rng.uniform() >= p;
      this.mask[i] = keep ? 1 : 0;
      y[i] = keep ? input[i] * this.scale : 0;
    }
    return y;
  }

  preActivation(): Float32Array {
    throw new Error(`Layer '${this.spec.name}' (dropout) has no nonlinearity`);
  }

  backward(
    gradOutput: Float32Array,
    n: number,
    needInputGradient: boolean,
    _gradientIsPreActivation = false,
  ): Float32Array | null {
    if (!needInputGradient) return null;
    if (!this.masked) return gradOutput;
    const size = n * this.features;
    const gradInput = this.gradInput.get(size);
    for (let i = 0; i < size; i++) gradInput[i] = this.mask[i] ? gradOutput[i] * this.scale : 0;
    return gradInput;
  }
}
