/**
 * Finite-difference gradient checks for JS backend layers.
 *
 * The scalar checked is L = sum_i y_i r_i in double, with y the layer output and r fixed
 * random weights, so that dL/dy = r. Each input and parameter element is moved by +-eps
 * (stored in float32, so the actual step is the float32 difference), L is recomputed, and
 * the central difference is compared with the backward pass. Differences are measured as
 * |numeric - analytic| / (1 + |analytic|); the report gives the largest and where it is.
 */
import * as assert from 'assert';
import type { ForwardContext, JsLayer } from '../../lib/backend/js/layer';
import { randomArray } from './numeric';

export interface GradientReport {
  largest: number;
  where: string;
  numeric: number;
  analytic: number;
}

/** One forward evaluation of L for the current input and parameters. */
type Objective = () => number;

/**
 * Central difference of objective with respect to values[index]; restores the value.
 */
export function centralDifference(
  values: Float32Array,
  index: number,
  eps: number,
  objective: Objective,
): number {
  const original = values[index];
  values[index] = original + eps;
  const up = values[index];
  const lossUp = objective();
  values[index] = original - eps;
  const down = values[index];
  const lossDown = objective();
  values[index] = original;
  return (lossUp - lossDown) / (up - down);
}

/** Compares numeric and analytic gradients of every element of values, updating report. */
export function compareGradient(
  label: string,
  values: Float32Array,
  analytic: ArrayLike<number>,
  eps: number,
  objective: Objective,
  report: GradientReport,
): void {
  for (let i = 0; i < values.length; i++) {
    const numeric = centralDifference(values, i, eps, objective);
    const difference = Math.abs(numeric - analytic[i]) / (1 + Math.abs(analytic[i]));
    if (!(difference <= report.largest)) {
      report.largest = Number.isNaN(difference) ? Infinity : difference;
      report.where = `${label}[${i}]`;
      report.numeric = numeric;
      report.analytic = analytic[i];
    }
  }
}

/**
 * Asserts the report is within tolerance, naming the worst element. With LAMINA_TEST_VERBOSE=1
 * in the environment it also prints the largest difference of passing checks.
 */
export function assertGradientReport(
  report: GradientReport,
  tolerance: number,
  what: string,
): void {
  if (process.env.LAMINA_TEST_VERBOSE === '1') {
    console.log(
      `      ${what}: largest gradient difference ` +
        `${report.largest.toExponential(2)} at ${report.where}`,
    );
  }
  assert.ok(
    report.largest <= tolerance,
    `${what}: largest gradient difference ${report.largest.toExponential(3)} > tolerance ` +
      `${tolerance.toExponential(1)} at ${report.where} (numeric ${report.numeric}, ` +
      `analytic ${report.analytic})`,
  );
}

export function emptyReport(): GradientReport {
  return { largest: 0, where: '(none)', numeric: NaN, analytic: NaN };
}

export interface LayerCheckOptions {
  /** Step of the central difference (default 1e-3). */
  eps?: number;
  /** A fresh context for each forward pass (dropout: a generator in the same state). */
  context?: () => ForwardContext;
  /** Skip the input gradient (e.g. the first layer). */
  skipInput?: boolean;
  seed?: number;
}

/**
 * Checks the input and parameter gradients of a layer on input [n, F_in] and returns the
 * report (the caller asserts it with its stated tolerance).
 */
export function checkLayerGradients(
  layer: JsLayer,
  input: Float32Array,
  n: number,
  options: LayerCheckOptions = {},
): GradientReport {
  const eps = options.eps ?? 1e-3;
  const context = options.context ?? (() => ({ training: false, dropoutRng: null }));
  const firstOutput = layer.forward(input, n, context());
  const weights = randomArray(firstOutput.length, options.seed ?? 99);
  const objective = (): number => {
    const y = layer.forward(input, n, context());
    let sum = 0;
    for (let i = 0; i < y.length; i++) sum += y[i] * weights[i];
    return sum;
  };

  // analytic gradients from one forward and backward pass
  objective();
  const gradInput = layer.backward(weights, n, true, false);
  const inputGradient = gradInput ? Float64Array.from(gradInput) : null;
  const paramGradients = layer.params.map((param) => Float64Array.from(param.grad));

  // numeric gradients
  const report = emptyReport();
  if (!options.skipInput && inputGradient) {
    compareGradient('input', input, inputGradient, eps, objective, report);
  }
  layer.params.forEach((param, i) => {
    compareGradient(param.name, param.values, paramGradients[i], eps, objective, report);
  });
  return report;
}
