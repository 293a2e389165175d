/**
 * 2-D convolution layer (cross-correlation: filters are not flipped), forward and backward.
 *
 * Shapes: x [N, C, H, W], W [K, C, FH, FW] = [K, R] with R = C FH FW, b [K],
 * z and y [N, K, OH, OW] = [N, K, P] with P = OH OW,
 * OH = floor((H + 2 PH - FH) / SH) + 1 and OW likewise (stride S, zero padding P per side).
 * Output position (oy, ox) reads input row iy = oy SH + fy - PH and column
 * ix = ox SW + fx - PW; positions outside the input are zeros.
 *
 * Each sample is unfolded by im2col into columns [R, P] (row r = (c, fy, fx), zeros where the
 * tap falls in the padding), so that z[k] = b[k] + W[k] . columns, a plain matrix product.
 * Sums run over r in storage order, in double, rounded once when stored.
 */
import type { Conv2DLayerSpec } from '../backend';
import { Float32Scratch, Float64Scratch, ForwardContext, JsLayer, makeParam, Param } from './layer';
import { nonlinearityBackward, nonlinearityForward } from './nonlinearities';

/** Output length of a convolution along one axis. */
export function convOutputLength(
  input: number,
  filter: number,
  stride: number,
  pad: number,
): number {
  return Math.floor((input + 2 * pad - filter) / stride) + 1;
}

/** A 2-D convolution with an optional bias and a nonlinearity. */
export class Conv2DLayer implements JsLayer {
  readonly params: Param[];
  readonly W: Param;
  readonly b: Param | null;
  private readonly C: number;
  private readonly H: number;
  private readonly Wd: number;
  private readonly K: number;
  private readonly R: number;
  private readonly P: number;
  private input: Float32Array = new Float32Array(0);
  private readonly columns = new Float32Scratch();
  private readonly z = new Float32Scratch();
  private readonly y = new Float32Scratch();
  private readonly gradZ = new Float32Scratch();
  private readonly gradInput = new Float32Scratch();
  private readonly rowSums = new Float64Scratch();
  private readonly gradWSums = new Float64Scratch();
  private readonly gradColumns = new Float64Scratch();
  private readonly gradInputSums = new Float64Scratch();
  private lastZ: Float32Array = new Float32Array(0);
  private lastY: Float32Array = new Float32Array(0);

  constructor(readonly spec: Conv2DLayerSpec) {
    [this.C, this.H, this.Wd] = spec.inputShape;
    const [K, OH, OW] = spec.outputShape;
    const [FH, FW] = spec.filterSize;
    this.K = K;
    this.R = this.C * FH * FW;
    this.P = OH * OW;
    this.W = makeParam(spec.name, 'W', [K, this.C, FH, FW], true);
    this.b = spec.b === null ? null : makeParam(spec.name, 'b', [K], false);
    this.params = this.b === null ? [this.W] : [this.W, this.b];
  }

  /** Unfolds sample [C, H, W] (at xBase in x) into columns [R, P]. */
  private im2col(x: Float32Array, xBase: number, columns: Float32Array): void {
    const { C, H, Wd } = this;
    const [, OH, OW] = this.spec.outputShape;
    const [FH, FW] = this.spec.filterSize;
    const [SH, SW] = this.spec.stride;
    const [PH, PW] = this.spec.pad;
    let r = 0;
    for (let c = 0; c < C; c++) {
      for (let fy = 0; fy < FH; fy++) {
        for (let fx = 0; fx < FW; fx++, r++) {
          for (let oy = 0; oy < OH; oy++) {
            const iy = oy * SH + fy - PH;
            const out = (r * OH + oy) * OW;
            for (let ox = 0; ox < OW; ox++) {
              const ix = ox * SW + fx - PW;
              const inside = iy >= 0 && iy < H && ix >= 0 && ix < Wd;
              columns[out + ox] = inside ? x[xBase + (c * H + iy) * Wd + ix] : 0;
            }
          }
        }
      }
    }
  }

  /** Adds columns-shaped gradients [R, P] back onto the input gradient [C, H, W]. */
  private col2im(gradColumns: Float64Array, gradX: Float64Array): void {
    const { C, H, Wd } = this;
    const [, OH, OW] = this.spec.outputShape;
    const [FH, FW] = this.spec.filterSize;
    const [SH, SW] = this.spec.stride;
    const [PH, PW] = this.spec.pad;
    let r = 0;
    for (let c = 0; c < C; c++) {
      for (let fy = 0; fy < FH; fy++) {
        for (let fx = 0; fx < FW; fx++, r++) {
          for (let oy = 0; oy < OH; oy++) {
            const iy = oy * SH + fy - PH;
            if (iy < 0 || iy >= H) continue;
            const from = (r * OH + oy) * OW;
            for (let ox = 0; ox < OW; ox++) {
              const ix = ox * SW + fx - PW;
              if (ix >= 0 && ix < Wd) gradX[(c * H + iy) * Wd + ix] += gradColumns[from + ox];
            }
          }
        }
      }
    }
  }

  /** x [N, C, H, W] -> y [N, K, OH, OW]; z[n, k, p] = b[k] + sum_r W[k, r] columns[r, p]. */
  forward(input: Float32Array, n: number, _context?: ForwardContext): Float32Array {
    const { C, H, Wd, K, R, P } = this;
    const weights = this.W.values;
    const bias = this.b?.values;
    const columns = this.columns.get(R * P);
    const z = this.z.get(n * K * P);

    for (let sample = 0; sample < n; sample++) {
      this.im2col(input, sample * C * H * Wd, columns);
      for (let k = 0; k < K; k++) {
        const sums = this.rowSums.zeroed(P);
        if (bias) sums.fill(bias[k]);
        for (let r = 0; r < R; r++) {
          const w = weights[k * R + r];
          const row = r * P;
          for (let p = 0; p < P; p++) sums[p] += w * columns[row + p];
        }
        z.set(sums, (sample * K + k) * P);
      }
    }

    const y = this.y.get(z.length);
    nonlinearityForward(this.spec.nonlinearity, z, y, n, K * P);
    this.input = input;
    this.lastZ = z;
    this.lastY = y;
    return y;
  }

  preActivation(): Float32Array {
    return this.lastZ;
  }

  /**
   * gradY [N, K, OH, OW] -> gradX [N, C, H, W]:
   *   gradb[k]    = sum_n sum_p gradZ[n, k, p]
   *   gradW[k, r] = sum_n sum_p gradZ[n, k, p] columns_n[r, p]
   *   gradX       = col2im(sum_k W[k, r] gradZ[n, k, p])
   * each summed in double and rounded once.
   */
  backward(
    gradOutput: Float32Array,
    n: number,
    needInputGradient: boolean,
    gradientIsPreActivation: boolean,
  ): Float32Array | null {
    const { C, H, Wd, K, R, P } = this;
    const x = this.input;
    const weights = this.W.values;

    // gradient of the pre-activation
    let gradZ = gradOutput;
    if (!gradientIsPreActivation) {
      gradZ = this.gradZ.get(n * K * P);
      nonlinearityBackward(this.spec.nonlinearity, this.lastY, gradOutput, gradZ, n, K * P);
    }

    // bias
    if (this.b) {
      const gradb = this.b.grad;
      for (let k = 0; k < K; k++) {
        let sum = 0;
        for (let sample = 0; sample < n; sample++) {
          const plane = (sample * K + k) * P;
          for (let p = 0; p < P; p++) sum += gradZ[plane + p];
        }
        gradb[k] = sum;
      }
    }

    // weights, and the input when asked
    const gradW = this.gradWSums.zeroed(K * R);
    const columns = this.columns.get(R * P);
    const gradInput = needInputGradient ? this.gradInput.get(n * C * H * Wd) : null;
    for (let sample = 0; sample < n; sample++) {
      this.im2col(x, sample * C * H * Wd, columns);
      const gradColumns = gradInput ? this.gradColumns.zeroed(R * P) : null;
      for (let k = 0; k < K; k++) {
        const plane = (sample * K + k) * P;
        for (let r = 0; r < R; r++) {
          const row = r * P;
          let sum = 0;
          for (let p = 0; p < P; p++) sum += gradZ[plane + p] * columns[row + p];
          gradW[k * R + r] += sum;
          if (gradColumns) {
            const w = weights[k * R + r];
            for (let p = 0; p < P; p++) gradColumns[row + p] += w * gradZ[plane + p];
          }
        }
      }
      if (gradInput && gradColumns) {
        const gradX = this.gradInputSums.zeroed(C * H * Wd);
        this.col2im(gradColumns, gradX);
        gradInput.set(gradX, sample * C * H * Wd);
      }
    }
    this.W.grad.set(gradW);
    return gradInput;
  }
}
