/**
 * Dense layer, forward and backward: y = f(x W + b).
 *
 * Shapes: x [N, I] (the trailing axes of the input flattened, I = prod(inputShape)),
 * W [I, U] row-major, b [U], z and y [N, U].
 */
import type { DenseLayerSpec } from '../backend';
import {
  Float32Scratch,
  Float64Scratch,
  ForwardContext,
  JsLayer,
  makeParam,
  Param,
  sizeOf,
} from './layer';
import { nonlinearityBackward, nonlinearityForward } from './nonlinearities';

/** A fully connected layer with an optional bias and a nonlinearity. */
export class DenseLayer implements JsLayer {
  readonly params: Param[];
  readonly W: Param;
  readonly b: Param | null;
  private readonly inputs: number;
  private readonly units: number;
  private input: Float32Array = new Float32Array(0);
  private readonly z = new Float32Scratch();
  private readonly y = new Float32Scratch();
  private readonly gradZ = new Float32Scratch();
  private readonly gradInput = new Float32Scratch();
  private readonly rowSums = new Float64Scratch();
  private readonly gradWSums = new Float64Scratch();
  private lastZ: Float32Array = new Float32Array(0);
  private lastY: Float32Array = new Float32Array(0);

  constructor(readonly spec: DenseLayerSpec) {
    this.inputs = sizeOf(spec.inputShape);
    this.units = spec.numUnits;
    this.W = makeParam(spec.name, 'W', [this.inputs, this.units], true);
    this.b = spec.b === null ? null : makeParam(spec.name, 'b', [this.units], false);
    this.params = this.b === null ? [this.W] : [this.W, this.b];
  }

  /**
   * x [N, I] -> y [N, U]; each z[n, u] = b[u] + sum_i x[n, i] W[i, u] summed in double.
   * Zero inputs are skipped (common in MNIST and after rectify); this differs from a full sum
   * only when W holds inf or NaN, which the trainer has already rejected as divergence.
   */
  forward(input: Float32Array, n: number, _context?: ForwardContext): Float32Array {
    const { inputs, units } = this;
    const W = this.W.values;
    const b = this.b?.values;
    const z = this.z.get(n * units);
    for (let sample = 0; sample < n; sample++) {
      const sums = this.rowSums.zeroed(units);
      if (b) for (let u = 0; u < units; u++) sums[u] = b[u];
      for (let i = 0; i < inputs; i++) {
        const x = input[sample * inputs + i];
        if (x === 0) continue;
        const wRow = i * units;
        for (let u = 0; u < units; u++) sums[u] += x * W[wRow + u];
      }
      z.set(sums, sample * units);
    }
    const y = this.y.get(n * units);
    nonlinearityForward(this.spec.nonlinearity, z, y, n, units);
    this.input = input;
    this.lastZ = z;
    this.lastY = y;
    return y;
  }

  preActivation(): Float32Array {
    return this.lastZ;
  }

  /**
   * gradY [N, U] -> gradX [N, I]; gradW[i, u] = sum_n x[n, i] gradZ[n, u],
   * gradb[u] = sum_n gradZ[n, u], gradX[n, i] = sum_u W[i, u] gradZ[n, u], each summed in
   * double and rounded once.
   */
  backward(
    gradOutput: Float32Array,
    n: number,
    needInputGradient: boolean,
    gradientIsPreActivation: boolean,
  ): Float32Array | null {
    const { inputs, units } = this;
    const x = this.input;

    // gradient of the pre-activation
    let gradZ = gradOutput;
    if (!gradientIsPreActivation) {
      gradZ = this.gradZ.get(n * units);
      nonlinearityBackward(this.spec.nonlinearity, this.lastY, gradOutput, gradZ, n, units);
    }

    // weights and bias
    const gradW = this.gradWSums.zeroed(inputs * units);
    for (let sample = 0; sample < n; sample++) {
      const zRow = sample * units;
      for (let i = 0; i < inputs; i++) {
        const xi = x[sample * inputs + i];
        if (xi === 0) continue;
        const wRow = i * units;
        for (let u = 0; u < units; u++) gradW[wRow + u] += xi * gradZ[zRow + u];
      }
    }
    this.W.grad.set(gradW);
    if (this.b) {
      const gradb = this.b.grad;
      for (let u = 0; u < units; u++) {
        let sum = 0;
        for (let sample = 0; sample < n; sample++) sum += gradZ[sample * units + u];
        gradb[u] = sum;
      }
    }

    // input
    if (!needInputGradient) return null;
    const W = this.W.values;
    const gradInput = this.gradInput.get(n * inputs);
    for (let sample = 0; sample < n; sample++) {
      const zRow = sample * units;
      for (let i = 0; i < inputs; i++) {
        const wRow = i * units;
        let sum = 0;
        for (let u = 0; u < units; u++) sum += W[wRow + u] * gradZ[zRow + u];
        gradInput[sample * inputs + i] = sum;
      }
    }
    return gradInput;
  }
}
