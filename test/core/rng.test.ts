import * as assert from 'assert';
import { Rng, RngStream } from '../../lib';
import { native } from '../../lib/native';

interface Draws {
  u32: Uint32Array;
  uniform: Float64Array;
  below: Uint32Array;
  normal: Float64Array;
}

// The same vectors are checked by the C++ kernel tests (native/test/kernel-tests.cc).
const VECTORS: Array<{ seed: number; stream: number; u32: number[] }> = [
  { seed: 42, stream: 0, u32: [2837322924, 544945897, 479756282, 3500138142] },
  { seed: 0, stream: 2, u32: [843645543, 4171405172, 1123272483, 3441330610] },
];

describe('rng', () => {
  it('produces the fixed test vectors', () => {
    for (const { seed, stream, u32 } of VECTORS) {
      const rng = new Rng(seed, stream);
      assert.deepStrictEqual(u32.map(() => rng.nextU32()), u32, `seed ${seed} stream ${stream}`);
    }
  });

  it('draws the same stream as the native core', () => {
    const draws = native().rngDraws as (seed: number, stream: number, count: number) => Draws;
    for (const [seed, stream] of [[1, 0], [123456789, RngStream.dropout], [4294967295, 7]]) {
      const count = 1000;
      const fromNative = draws(seed, stream, count);
      const generators = [0, 1, 2, 3].map(() => new Rng(seed, stream));
      for (let i = 0; i < count; i++) {
        assert.strictEqual(generators[0].nextU32(), fromNative.u32[i], `u32 ${i}`);
        assert.strictEqual(generators[1].uniform(), fromNative.uniform[i], `uniform ${i}`);
        assert.strictEqual(generators[2].below(1000), fromNative.below[i], `below ${i}`);
        // libm and V8 may round log/cos differently in the last bit.
        const normal = generators[3].normal();
        assert.ok(Math.abs(normal - fromNative.normal[i]) <= 1e-12, `normal ${i}: ${normal} vs ${fromNative.normal[i]}`);
      }
    }
  });

  it('gives independent streams for one seed', () => {
    assert.notStrictEqual(new Rng(5, RngStream.init).nextU32(), new Rng(5, RngStream.shuffle).nextU32());
  });

  it('draws uniforms in [0, 1) with the right mean', () => {
    const rng = new Rng(9);
    let sum = 0;
    for (let i = 0; i < 100000; i++) {
      const u = rng.uniform();
      assert.ok(u >= 0 && u < 1);
      sum += u;
    }
    // standard error of the mean is 0.29 / sqrt(1e5) ~ 0.0009; allow 5 of them
    assert.ok(Math.abs(sum / 100000 - 0.5) < 0.005, `mean ${sum / 100000}`);
  });

  it('draws normals with mean 0 and variance 1', () => {
    const rng = new Rng(10);
    let sum = 0;
    let squares = 0;
    const n = 100000;
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      sum += x;
      squares += x * x;
    }
    assert.ok(Math.abs(sum / n) < 0.02, `mean ${sum / n}`);
    assert.ok(Math.abs(squares / n - 1) < 0.03, `variance ${squares / n}`);
  });

  it('shuffles into a permutation', () => {
    const order = new Rng(3).permutation(1000);
    assert.deepStrictEqual(Array.from(order).sort((x, y) => x - y), Array.from({ length: 1000 }, (_, i) => i));
    assert.notDeepStrictEqual(Array.from(order.slice(0, 10)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
