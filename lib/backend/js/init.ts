/**
 * Weight initialisation, Lasagne's definitions, drawn from one Rng(seed, RngStream.init):
 * layers in order, W then b, elements in storage order.
 *
 * Fans: dense fanIn = inputs, fanOut = units; conv fanIn = C FH FW, fanOut = K FH FW.
 *   glorot_uniform  U(-a, a), a = gain sqrt(6 / (fanIn + fanOut))
 *   glorot_normal   N(0, s),  s = gain sqrt(2 / (fanIn + fanOut))
 *   he_uniform      U(-a, a), a = gain sqrt(3 / fanIn)
 *   he_normal       N(0, s),  s = gain sqrt(1 / fanIn)
 *   uniform         U(low, high);  normal  N(mean, std);  constant  value (no draws)
 * A uniform draw is lo + (hi - lo) rng.uniform() and a normal draw mean + std rng.normal(),
 * both in double, rounded to float32 when stored.
 */
import type { InitSpec } from '../backend';
import { Rng, RngStream } from '../../rng';
import type { Param } from './layer';

/** The fans of a parameter: for W of dense [I, U] and conv [K, C, FH, FW]. */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  if (shape.length === 4) {
    const receptive = shape[2] * shape[3];
    return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
  }
  // a bias: only the fan-free initialisers make sense; Lasagne uses the length for both
  return { fanIn: shape[0], fanOut: shape[0] };
}

/** Fills values from init with draws from rng (see the file comment). */
export function fillInit(
  init: InitSpec,
  values: Float32Array,
  shape: readonly number[],
  rng: Rng,
): void {
  const { fanIn, fanOut } = fans(shape);
  switch (init.kind) {
    case 'constant':
      values.fill(init.value);
      return;
    case 'uniform':
      fillUniform(values, init.low, init.high, rng);
      return;
    case 'normal':
      fillNormal(values, init.mean, init.std, rng);
      return;
    case 'glorot_uniform': {
      const limit = init.gain * Math.sqrt(6 / (fanIn + fanOut));
      fillUniform(values, -limit, limit, rng);
      return;
    }
    case 'glorot_normal':
      fillNormal(values, 0, init.gain * Math.sqrt(2 / (fanIn + fanOut)), rng);
      return;
    case 'he_uniform': {
      const limit = init.gain * Math.sqrt(3 / fanIn);
      fillUniform(values, -limit, limit, rng);
      return;
    }
    case 'he_normal':
      fillNormal(values, 0, init.gain * Math.sqrt(1 / fanIn), rng);
      return;
  }
}

function fillUniform(values: Float32Array, low: number, high: number, rng: Rng): void {
  for (let i = 0; i < values.length; i++) values[i] = low + (high - low) * rng.uniform();
}

function fillNormal(values: Float32Array, mean: number, std: number, rng: Rng): void {
  for (let i = 0; i < values.length; i++) values[i] = mean + std * rng.normal();
}

/**
 * Initialises params (in layer order, W before b) from seed; inits[i] is the InitSpec of
 * params[i].
 */
export function initializeParams(params: Param[], inits: InitSpec[], seed: number): void {
  const rng = new Rng(seed, RngStream.init);
  params.forEach((param, i) => fillInit(inits[i], param.values, param.shape, rng));
}
