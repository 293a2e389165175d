import * as assert from 'assert';
import type { DropoutLayerSpec, ReshapeLayerSpec } from '../../lib/backend/backend';
import { DropoutLayer } from '../../lib/backend/js/dropout';
import { ShapeLayer } from '../../lib/backend/js/reshape';
import { Rng, RngStream } from '../../lib/rng';
import { randomArray } from '../helpers/numeric';
import { assertGradientReport, checkLayerGradients } from '../helpers/gradient-check';
import { SpecBuilder } from '../helpers/spec';

function dropoutLayer(inputShape: number[], p: number): DropoutLayer {
  return new DropoutLayer(
    new SpecBuilder(inputShape).dropout(p).build().layers[1] as DropoutLayerSpec,
  );
}

describe('js backend: dropout', () => {
  it('keeps an element when uniform() >= p, scaled by 1 / (1 - p), in storage order', () => {
    const p = 0.3;
    const layer = dropoutLayer([2, 3], p);
    const x = randomArray(4 * 6, 1);
    const y = layer.forward(x, 4, { training: true, dropoutRng: new Rng(5, RngStream.dropout) });
    const reference = new Rng(5, RngStream.dropout);
    const scale = 1 / (1 - p);
    for (let i = 0; i < x.length; i++) {
      const expected = reference.uniform() >= p ? Math.fround(x[i] * scale) : 0;
      assert.strictEqual(y[i], expected, `element ${i}`);
    }
  });

  it('multiplies the gradient by the same mask', () => {
    const layer = dropoutLayer([10], 0.5);
    const x = Float32Array.from({ length: 20 }, () => 1);
    const y = layer.forward(x, 2, { training: true, dropoutRng: new Rng(6) });
    const grad = layer.backward(
      Float32Array.from({ length: 20 }, () => 3),
      2,
      true,
      false,
    )!;
    for (let i = 0; i < 20; i++) assert.strictEqual(grad[i], 3 * y[i], `element ${i}`);
    assert.ok(y.some((v) => v === 0) && y.some((v) => v === 2), 'both kept and dropped elements');
  });

  it('draws one uniform per element even for p = 0', () => {
    const rng = new Rng(7);
    const layer = dropoutLayer([3], 0);
    const x = randomArray(6, 2);
    assert.deepStrictEqual(
      Array.from(layer.forward(x, 2, { training: true, dropoutRng: rng })),
      Array.from(x),
    );
    const reference = new Rng(7);
    for (let i = 0; i < 6; i++) reference.uniform();
    assert.strictEqual(rng.nextU32(), reference.nextU32());
  });

  it('is the identity without training, drawing nothing', () => {
    const layer = dropoutLayer([4], 0.5);
    const x = randomArray(8, 3);
    const y = layer.forward(x, 2, { training: false, dropoutRng: null });
    assert.deepStrictEqual(Array.from(y), Array.from(x));
    assert.strictEqual(layer.backward(x, 2, true, false), x);
  });

  it('drops about p of the elements', () => {
    const layer = dropoutLayer([1000], 0.25);
    const y = layer.forward(new Float32Array(10000).fill(1), 10, {
      training: true,
      dropoutRng: new Rng(8),
    });
    const dropped = y.filter((v) => v === 0).length / y.length;
    // binomial standard error sqrt(0.25 * 0.75 / 1e4) ~ 0.0043; allow 4 of them
    assert.ok(Math.abs(dropped - 0.25) < 0.018, `dropped fraction ${dropped}`);
  });

  it('passes a finite-difference check with a fixed mask (eps 1e-3)', () => {
    const layer = dropoutLayer([2, 2], 0.4);
    const context = () => ({ training: true, dropoutRng: new Rng(9) });
    const report = checkLayerGradients(layer, randomArray(12, 4), 3, { context });
    assertGradientReport(report, 1e-3, 'dropout');
  });
});

describe('js backend: input, reshape, flatten', () => {
  for (const kind of ['reshape', 'flatten'] as const) {
    it(`${kind} hands data and gradients through unchanged`, () => {
      const builder = new SpecBuilder([2, 3, 2]);
      if (kind === 'reshape') builder.reshape([3, 4]);
      else builder.flatten();
      const spec = builder.build().layers[1] as ReshapeLayerSpec;
      assert.deepStrictEqual(spec.outputShape, kind === 'reshape' ? [3, 4] : [12]);
      const layer = new ShapeLayer(spec);
      const x = randomArray(24, 5);
      assert.deepStrictEqual(
        Array.from(layer.forward(x, 2, { training: true, dropoutRng: null })),
        Array.from(x),
      );
      assert.deepStrictEqual(Array.from(layer.backward(x, 2, true, false)!), Array.from(x));
      assert.strictEqual(layer.backward(x, 2, false, false), null);
    });
  }
});
