import * as assert from 'assert';
import type { InitSpec } from '../../lib/backend/backend';
import { fans } from '../../lib/backend/js/init';
import { Network } from '../../lib/backend/js/network';
import { Rng, RngStream } from '../../lib/rng';
import { SpecBuilder } from '../helpers/spec';

function stats(values: Float32Array): { mean: number; std: number; largest: number } {
  let sum = 0;
  let sumSquares = 0;
  let largest = 0;
  for (const v of values) {
    sum += v;
    sumSquares += v * v;
    largest = Math.max(largest, Math.abs(v));
  }
  const mean = sum / values.length;
  return { mean, std: Math.sqrt(sumSquares / values.length - mean * mean), largest };
}

/** W of a dense [inputs x units] layer initialised with init. */
function denseWeights(inputs: number, units: number, init: InitSpec, seed = 1): Float32Array {
  const spec = new SpecBuilder([inputs]).dense(units, 'linear', { W: init }).build();
  return new Network(spec, seed).params[0].values;
}

/** W of a conv [K, C, 3, 3] layer initialised with init. */
function convWeights(K: number, C: number, init: InitSpec): Float32Array {
  const spec = new SpecBuilder([C, 8, 8]).conv2d(K, 3, 'linear', { W: init }).build();
  return new Network(spec, 2).params[0].values;
}

describe('js backend: init', () => {
  it('uses Lasagne fans for dense and conv weights', () => {
    assert.deepStrictEqual(fans([300, 200]), { fanIn: 300, fanOut: 200 });
    assert.deepStrictEqual(fans([16, 8, 3, 5]), { fanIn: 8 * 15, fanOut: 16 * 15 });
  });

  it('draws from Rng(seed, init): layers in order, W then b, lo + (hi - lo) uniform()', () => {
    const spec = new SpecBuilder([3])
      .dense(2, 'tanh', {
        W: { kind: 'glorot_uniform', gain: 1 },
        b: { kind: 'uniform', low: -1, high: 3 },
      })
      .dense(2, 'linear', { W: { kind: 'normal', mean: 0.5, std: 2 }, b: null })
      .build();
    const params = new Network(spec, 77).params;
    const rng = new Rng(77, RngStream.init);
    const limit = Math.sqrt(6 / (3 + 2));
    const W1 = Array.from({ length: 6 }, () => Math.fround(-limit + 2 * limit * rng.uniform()));
    const b1 = Array.from({ length: 2 }, () => Math.fround(-1 + 4 * rng.uniform()));
    const W2 = Array.from({ length: 4 }, () => Math.fround(0.5 + 2 * rng.normal()));
    assert.deepStrictEqual(
      params.map((p) => `${p.layer}.${p.name}`),
      ['dense1.W', 'dense1.b', 'dense2.W'],
    );
    assert.deepStrictEqual(Array.from(params[0].values), W1);
    assert.deepStrictEqual(Array.from(params[1].values), b1);
    assert.deepStrictEqual(Array.from(params[2].values), W2);
  });

  it('keeps constant biases without drawing', () => {
    const spec = new SpecBuilder([2])
      .dense(3, 'linear', { b: { kind: 'constant', value: 0.25 } })
      .build();
    assert.deepStrictEqual(Array.from(new Network(spec, 1).params[1].values), [0.25, 0.25, 0.25]);
  });

  // Statistics on 120,000 draws: std of a uniform or normal sample is known to ~0.5%;
  // each check allows 2%.
  it('glorot_uniform: U(-a, a), a = gain sqrt(6 / (fanIn + fanOut))', () => {
    const limit = 2 * Math.sqrt(6 / (400 + 300));
    const { mean, std, largest } = stats(
      denseWeights(400, 300, { kind: 'glorot_uniform', gain: 2 }),
    );
    assert.ok(largest <= limit && largest > 0.999 * limit, `largest ${largest} vs limit ${limit}`);
    assert.ok(Math.abs(std / (limit / Math.sqrt(3)) - 1) < 0.02, `std ${std}`);
    assert.ok(Math.abs(mean) < 0.02 * limit, `mean ${mean}`);
  });

  it('glorot_normal: N(0, gain sqrt(2 / (fanIn + fanOut)))', () => {
    const expected = Math.sqrt(2 / (400 + 300));
    const { mean, std } = stats(denseWeights(400, 300, { kind: 'glorot_normal', gain: 1 }));
    assert.ok(Math.abs(std / expected - 1) < 0.02, `std ${std} vs ${expected}`);
    assert.ok(Math.abs(mean) < 0.02 * expected, `mean ${mean}`);
  });

  it('he_uniform on conv: U(-a, a), a = gain sqrt(3 / (C FH FW))', () => {
    const gain = Math.SQRT2;
    const limit = gain * Math.sqrt(3 / (64 * 9));
    const { std, largest } = stats(convWeights(200, 64, { kind: 'he_uniform', gain }));
    assert.ok(largest <= limit && largest > 0.999 * limit, `largest ${largest} vs limit ${limit}`);
    assert.ok(Math.abs(std / (limit / Math.sqrt(3)) - 1) < 0.02, `std ${std}`);
  });

  it('he_normal on conv: N(0, gain sqrt(1 / (C FH FW)))', () => {
    const expected = Math.SQRT2 * Math.sqrt(1 / (64 * 9));
    const { std } = stats(convWeights(200, 64, { kind: 'he_normal', gain: Math.SQRT2 }));
    assert.ok(Math.abs(std / expected - 1) < 0.02, `std ${std} vs ${expected}`);
  });

  it('glorot on conv uses fanOut = K FH FW', () => {
    const limit = Math.sqrt(6 / (64 * 9 + 200 * 9));
    const { largest } = stats(convWeights(200, 64, { kind: 'glorot_uniform', gain: 1 }));
    assert.ok(largest <= limit && largest > 0.999 * limit, `largest ${largest} vs limit ${limit}`);
  });

  it('normal and uniform use their own parameters', () => {
    const normal = stats(denseWeights(400, 300, { kind: 'normal', mean: 3, std: 0.5 }));
    assert.ok(
      Math.abs(normal.mean - 3) < 0.01 && Math.abs(normal.std / 0.5 - 1) < 0.02,
      JSON.stringify(normal),
    );
    const values = denseWeights(400, 300, { kind: 'uniform', low: 1, high: 2 });
    const uniform = stats(values);
    assert.ok(
      values.every((v) => v >= 1 && v <= 2),
      'uniform in [1, 2]',
    );
    assert.ok(Math.abs(uniform.mean - 1.5) < 0.01, `mean ${uniform.mean}`);
  });

  it('gives the same weights for the same seed and different ones otherwise', () => {
    const init: InitSpec = { kind: 'glorot_uniform', gain: 1 };
    assert.deepStrictEqual(denseWeights(10, 10, init, 5), denseWeights(10, 10, init, 5));
    assert.notDeepStrictEqual(denseWeights(10, 10, init, 5), denseWeights(10, 10, init, 6));
  });
});
