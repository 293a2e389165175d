/**
 * Layers that only name a shape: input, reshape and flatten. Data is row-major, so the
 * forward and backward passes hand their argument through unchanged.
 *
 * Shapes: x [N, F] -> y [N, F]; only the per-sample shape that the spec records changes.
 */
import type { InputLayerSpec, ReshapeLayerSpec } from '../backend';
import type { ForwardContext, JsLayer, Param } from './layer';

/** input, reshape or flatten: the identity on data. */
export class ShapeLayer implements JsLayer {
  readonly params: Param[] = [];

  constructor(readonly spec: InputLayerSpec | ReshapeLayerSpec) {}

  forward(input: Float32Array, _n?: number, _context?: ForwardContext): Float32Array {
    return input;
  }

  preActivation(): Float32Array {
    throw new Error(`Layer '${this.spec.name}' (${this.spec.kind}) has no nonlinearity`);
  }

  backward(
    gradOutput: Float32Array,
    _n: number,
    needInputGradient: boolean,
    _gradientIsPreActivation = false,
  ): Float32Array | null {
    return needInputGradient ? gradOutput : null;
  }
}
