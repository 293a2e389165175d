/**
 * 2-D max and average pooling, forward and backward.
 *
 * Shapes: x [N, C, H, W] -> y [N, C, OH, OW]. Output row oy covers input rows
 * [oy SH - PH, oy SH - PH + PoolH), and likewise for columns. Cells outside the input are
 * padding: -inf for max, zeros for the average.
 *
 * Output length along one axis (L = input + 2 pad):
 *   ignoreBorder true:  floor((L - pool) / stride) + 1
 *   ignoreBorder false: Lasagne's rule, so that a partial window at the far border still
 *                       produces an output: ceil(L / stride) when stride >= pool, else
 *                       max(0, ceil((L - pool) / stride)) + 1. Lasagne allows this only with
 *                       pad 0; with padding the same rule is applied to the padded length L.
 * A window is clipped to the padded input [-pad, input + pad) (it can reach past it only
 * when ignoreBorder is false).
 *
 * max: the largest input cell of the window; the gradient goes to the first largest cell in
 *   row-major order within the window (ties do not split it). A window holding no input cell
 *   (padding only; possible only with pad and ignoreBorder false) outputs 0 and passes no
 *   gradient.
 * average: the sum of the input cells of the window divided by
 *   includePadding true  ('average_inc_pad'): the number of window cells inside the padded
 *                        input [-pad, input + pad), padding cells included;
 *   includePadding false ('average_exc_pad'): the number of window cells inside the input.
 *   A window with a zero divisor outputs 0. The gradient gives each input cell of the
 *   window g / divisor. Sums are in double; each stored value is rounded once.
 */
import type { Pool2DLayerSpec } from '../backend';
import { Float32Scratch, Float64Scratch, ForwardContext, JsLayer, Param } from './layer';

/** Output length of pooling along one axis (see the file comment). */
export function poolOutputLength(
  input: number,
  pool: number,
  stride: number,
  pad: number,
  ignoreBorder: boolean,
): number {
  const length = input + 2 * pad;
  if (ignoreBorder) return Math.floor((length - pool) / stride) + 1;
  if (stride >= pool) return Math.ceil(length / stride);
  return Math.max(0, Math.ceil((length - pool) / stride)) + 1;
}

/** Max or average pooling over 2-D windows of each channel. */
export class Pool2DLayer implements JsLayer {
  readonly params: Param[] = [];
  private readonly C: number;
  private readonly H: number;
  private readonly Wd: number;
  private readonly OH: number;
  private readonly OW: number;
  /** Per output row / column: first and last (exclusive) input index, and the divisor span. */
  private readonly rows: Window[];
  private readonly cols: Window[];
  private readonly y = new Float32Scratch();
  private readonly gradInput = new Float32Scratch();
  private readonly gradSums = new Float64Scratch();
  /** max: per output element, the input index (within its plane) that won; -1 for none. */
  private winners: Int32Array = new Int32Array(0);

  constructor(readonly spec: Pool2DLayerSpec) {
    [this.C, this.H, this.Wd] = spec.inputShape;
    [, this.OH, this.OW] = spec.outputShape;
    this.rows = windows(this.H, this.OH, spec.poolSize[0], spec.stride[0], spec.pad[0]);
    this.cols = windows(this.Wd, this.OW, spec.poolSize[1], spec.stride[1], spec.pad[1]);
  }

  forward(input: Float32Array, n: number, _context?: ForwardContext): Float32Array {
    const { C, H, Wd, OH, OW } = this;
    const y = this.y.get(n * C * OH * OW);
    const isMax = this.spec.kind === 'maxpool2d';
    if (isMax && this.winners.length < y.length) this.winners = new Int32Array(y.length);

    for (let plane = 0; plane < n * C; plane++) {
      const xBase = plane * H * Wd;
      const yBase = plane * OH * OW;
      for (let oy = 0; oy < OH; oy++) {
        const row = this.rows[oy];
        for (let ox = 0; ox < OW; ox++) {
          const col = this.cols[ox];
          const out = yBase + oy * OW + ox;
          if (isMax) {
            let best = 0;
            let winner = -1;
            for (let iy = row.first; iy < row.last; iy++) {
              for (let ix = col.first; ix < col.last; ix++) {
                const v = input[xBase + iy * Wd + ix];
                if (winner < 0 || v > best) {
                  best = v;
                  winner = iy * Wd + ix;
                }
              }
            }
            y[out] = best;
            this.winners[out] = winner;
          } else {
            const divisor = this.divisor(row, col);
            let sum = 0;
            for (let iy = row.first; iy < row.last; iy++) {
              for (let ix = col.first; ix < col.last; ix++) sum += input[xBase + iy * Wd + ix];
            }
            y[out] = divisor > 0 ? sum / divisor : 0;
          }
        }
      }
    }
    return y;
  }

  preActivation(): Float32Array {
    throw new Error(`Layer '${this.spec.name}' (${this.spec.kind}) has no nonlinearity`);
  }

  backward(
    gradOutput: Float32Array,
    n: number,
    needInputGradient: boolean,
    _gradientIsPreActivation = false,
  ): Float32Array | null {
    if (!needInputGradient) return null;
    const { C, H, Wd, OH, OW } = this;
    const gradInput = this.gradInput.get(n * C * H * Wd);
    const isMax = this.spec.kind === 'maxpool2d';

    for (let plane = 0; plane < n * C; plane++) {
      const sums = this.gradSums.zeroed(H * Wd);
      const yBase = plane * OH * OW;
      for (let oy = 0; oy < OH; oy++) {
        const row = this.rows[oy];
        for (let ox = 0; ox < OW; ox++) {
          const col = this.cols[ox];
          const g = gradOutput[yBase + oy * OW + ox];
          if (isMax) {
            const winner = this.winners[yBase + oy * OW + ox];
            if (winner >= 0) sums[winner] += g;
          } else {
            const divisor = this.divisor(row, col);
            if (divisor === 0) continue;
            const share = g / divisor;
            for (let iy = row.first; iy < row.last; iy++) {
              for (let ix = col.first; ix < col.last; ix++) sums[iy * Wd + ix] += share;
            }
          }
        }
      }
      gradInput.set(sums, plane * H * Wd);
    }
    return gradInput;
  }

  private divisor(row: Window, col: Window): number {
    if (this.spec.includePadding) return row.paddedCount * col.paddedCount;
    return (row.last - row.first) * (col.last - col.first);
  }
}

/** One output position along an axis: its input cells [first, last) and padded cell count. */
interface Window {
  first: number;
  last: number;
  paddedCount: number;
}

function windows(
  input: number,
  outputs: number,
  pool: number,
  stride: number,
  pad: number,
): Window[] {
  const result: Window[] = [];
  for (let o = 0; o < outputs; o++) {
    const start = o * stride - pad;
    const end = start + pool;
    const first = Math.min(Math.max(start, 0), input);
    const last = Math.max(Math.min(end, input), first);
    const paddedCount = Math.max(0, Math.min(end, input + pad) - Math.max(start, -pad));
    result.push({ first, last, paddedCount });
  }
  return result;
}
