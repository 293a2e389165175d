/**
 * The eight update rules with Lasagne's semantics (g gradient, p parameter, t the step count
 * from 1, shared by all parameters and counted per update call):
 *   sgd        p -= lr g
 *   momentum   v = mu v - lr g; p += v
 *   nesterov_momentum  v = mu v - lr g; p += mu v - lr g
 *   adagrad    a += g^2; p -= lr g / sqrt(a + eps)
 *   rmsprop    a = rho a + (1 - rho) g^2; p -= lr g / sqrt(a + eps)
 *   adadelta   a = rho a + (1 - rho) g^2; u = g sqrt(d + eps) / sqrt(a + eps); p -= lr u;
 *              d = rho d + (1 - rho) u^2
 *   adam       m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 *              p -= lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps)
 *   adamax     m = b1 m + (1 - b1) g; u = max(b2 u, |g|); p -= lr / (1 - b1^t) m / (u + eps)
 *
 * Rounding: state (v, a, d, m, u) and parameters are Float32Arrays. Each element's new state
 * is computed in double from the float32 operands and rounded once when stored; the
 * parameter step then uses the rounded new state (as the formulas read, new state first).
 * adadelta's u is not stored and stays in double. The bias corrections are computed in
 * double. State starts at zero; it persists across train calls until reset, and it is reset
 * when a train call uses a different rule than the state was built for.
 */
import type { UpdateSpec } from '../backend';
import type { Param } from './layer';

type Rule = UpdateSpec['rule'];

/** How many state arrays each rule keeps per parameter. */
const STATE_ARRAYS: Record<Rule, number> = {
  sgd: 0,
  momentum: 1,
  nesterov_momentum: 1,
  adagrad: 1,
  rmsprop: 1,
  adadelta: 2,
  adam: 2,
  adamax: 2,
};

/** Optimizer state for a list of parameters, and the step that applies one update. */
export class Updater {
  private rule: Rule | null = null;
  private state = new Map<Param, Float32Array[]>();
  /** Updates applied since the state was created (t of adam and adamax after a step). */
  private steps = 0;

  /** Drops all state: the next step starts from zero state and t = 1. */
  reset(): void {
    this.rule = null;
    this.state.clear();
    this.steps = 0;
  }

  /** The number of updates applied since the last reset. */
  get stepCount(): number {
    return this.steps;
  }

  /** Applies one update to every param from its grad, with learningRate overriding spec's. */
  step(params: readonly Param[], spec: UpdateSpec, learningRate: number): void {
    if (this.rule !== spec.rule) {
      this.reset();
      this.rule = spec.rule;
    }
    this.steps++;
    for (const param of params) this.stepParam(param, spec, learningRate);
  }

  private stateOf(param: Param, rule: Rule): Float32Array[] {
    let arrays = this.state.get(param);
    if (!arrays) {
      arrays = [];
      for (let i = 0; i < STATE_ARRAYS[rule]; i++)
        arrays.push(new Float32Array(param.values.length));
      this.state.set(param, arrays);
    }
    return arrays;
  }

  private stepParam(param: Param, spec: UpdateSpec, lr: number): void {
    const p = param.values;
    const g = param.grad;
    const size = p.length;
    const [first, second] = this.stateOf(param, spec.rule);
    const { momentum: mu, rho, epsilon: eps, beta1, beta2 } = spec;
    const t = this.steps;

    switch (spec.rule) {
      case 'sgd':
        for (let i = 0; i < size; i++) p[i] = p[i] - lr * g[i];
        return;
      case 'momentum': {
        const v = first;
        for (let i = 0; i < size; i++) {
          v[i] = mu * v[i] - lr * g[i];
          p[i] = p[i] + v[i];
        }
        return;
      }
      case 'nesterov_momentum': {
        const v = first;
        for (let i = 0; i < size; i++) {
          v[i] = mu * v[i] - lr * g[i];
          p[i] = p[i] + mu * v[i] - lr * g[i];
        }
        return;
      }
      case 'adagrad': {
        const a = first;
        for (let i = 0; i < size; i++) {
          a[i] = a[i] + g[i] * g[i];
          p[i] = p[i] - (lr * g[i]) / Math.sqrt(a[i] + eps);
        }
        return;
      }
      case 'rmsprop': {
        const a = first;
        for (let i = 0; i < size; i++) {
          a[i] = rho * a[i] + (1 - rho) * g[i] * g[i];
          p[i] = p[i] - (lr * g[i]) / Math.sqrt(a[i] + eps);
        }
        return;
      }
      case 'adadelta': {
        const a = first;
        const d = second;
        for (let i = 0; i < size; i++) {
          a[i] = rho * a[i] + (1 - rho) * g[i] * g[i];
          const u = (g[i] * Math.sqrt(d[i] + eps)) / Math.sqrt(a[i] + eps);
          p[i] = p[i] - lr * u;
          d[i] = rho * d[i] + (1 - rho) * u * u;
        }
        return;
      }
      case 'adam': {
        const m = first;
        const v = second;
        const stepSize = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
        for (let i = 0; i < size; i++) {
          m[i] = beta1 * m[i] + (1 - beta1) * g[i];
          v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
          p[i] = p[i] - (stepSize * m[i]) / (Math.sqrt(v[i]) + eps);
        }
        return;
      }
      case 'adamax': {
        const m = first;
        const u = second;
        const stepSize = lr / (1 - beta1 ** t);
        for (let i = 0; i < size; i++) {
          m[i] = beta1 * m[i] + (1 - beta1) * g[i];
          u[i] = Math.max(beta2 * u[i], Math.abs(g[i]));
          p[i] = p[i] - (stepSize * m[i]) / (u[i] + eps);
        }
        return;
      }
    }
  }
}
