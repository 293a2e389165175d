import * as assert from 'assert';
import { loadMnistSync, splitDataset, splitIndices } from '../../lib/data';
import { Rng, RngStream } from '../../lib/rng';

/** Labels 0..classes-1 with uneven class sizes, in a scrambled order. */
function unevenLabels(n: number, classes: number): Int32Array {
  const labels = Int32Array.from({ length: n },
    (_, i) => Math.floor(Math.sqrt((i * classes * classes) / n)));
  return new Rng(99).shuffle(labels);
}

function countsOf(labels: Int32Array, indices: Uint32Array): Map<number, number> {
  const counts = new Map<number, number>();
  for (const i of indices) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  return counts;
}

function assertPartition(train: Uint32Array, valid: Uint32Array, n: number): void {
  assert.strictEqual(train.length + valid.length, n);
  const seen = new Uint8Array(n);
  for (const list of [train, valid]) {
    for (let k = 0; k < list.length; k++) {
      if (k > 0) assert.ok(list[k] > list[k - 1], 'ascending and without repeats');
      assert.strictEqual(seen[list[k]], 0, `index ${list[k]} in both sets`);
      seen[list[k]] = 1;
    }
  }
}

describe('data/split', () => {
  it('holds out round(evalSize x count) of every class (default 0.2)', () => {
    const labels = unevenLabels(1003, 7);
    const { train, valid } = splitIndices(labels);
    assertPartition(train, valid, labels.length);
    const all = countsOf(labels, Uint32Array.from({ length: labels.length }, (_, i) => i));
    const held = countsOf(labels, valid);
    let worst = 0;
    for (const [label, count] of all) {
      const expected = 0.2 * count;
      worst = Math.max(worst, Math.abs((held.get(label) ?? 0) - expected));
      assert.strictEqual(held.get(label) ?? 0, Math.round(expected), `class ${label} of ${count}`);
    }
    console.log('      largest deviation from evalSize x class count: ' +
      `${worst.toFixed(2)} samples`);
    assert.ok(worst <= 0.5, 'within half a sample, tolerance 1');
  });

  it('follows the documented algorithm exactly', () => {
    const labels = unevenLabels(500, 4);
    const { train, valid } = splitIndices(labels, { evalSize: 0.3, seed: 1234 });
    const rng = new Rng(1234, RngStream.split);
    const expectedValid: number[] = [];
    for (const label of [0, 1, 2, 3]) {
      const members = Uint32Array.from([...labels.keys()].filter((i) => labels[i] === label));
      rng.shuffle(members);
      expectedValid.push(...members.subarray(0, Math.round(0.3 * members.length)));
    }
    assert.deepStrictEqual([...valid], expectedValid.sort((a, b) => a - b));
    assert.strictEqual(train.length, 500 - valid.length);
  });

  it('is reproducible from the seed', () => {
    const labels = unevenLabels(400, 5);
    const first = splitIndices(labels, { seed: 7 });
    assert.deepStrictEqual(splitIndices(labels, { seed: 7 }), first);
    assert.notDeepStrictEqual(splitIndices(labels, { seed: 8 }).valid, first.valid);
    assert.deepStrictEqual(splitIndices(labels), splitIndices(labels, { seed: 0 }), 'default ' +
      'seed 0');
  });

  it('splits MNIST into 48,000 and 12,000', () => {
    const { train } = loadMnistSync();
    const { train: kept, valid } = splitIndices(train.y, { seed: 42 });
    assert.deepStrictEqual([kept.length, valid.length], [48000, 12000]);
    const held = countsOf(train.y, valid);
    assert.strictEqual(held.get(1), Math.round(0.2 * 6742));
  });

  it('splits without stratifying for targets, counts or when asked', () => {
    const targets = Float32Array.from({ length: 50 }, (_, i) => i / 10);
    const { train, valid } = splitIndices(targets, { evalSize: 0.1 });
    assertPartition(train, valid, 50);
    assert.strictEqual(valid.length, 5);
    const byCount = splitIndices(50, { evalSize: 0.1 });
    assert.deepStrictEqual(byCount, { train, valid }, 'the same draws as for 50 targets');
    const plain = splitIndices(unevenLabels(50, 3), { evalSize: 0.1, stratify: false });
    assert.deepStrictEqual(plain, { train, valid });
  });

  it('gives no validation set for evalSize 0', () => {
    const { train, valid } = splitIndices(Int32Array.from([1, 2, 1, 2]), { evalSize: 0 });
    assert.deepStrictEqual([...train], [0, 1, 2, 3]);
    assert.strictEqual(valid.length, 0);
    const four = { X: new Uint8Array(8), y: Int32Array.from([1, 2, 1, 2]) };
    const split = splitDataset(four, { evalSize: 0 });
    assert.strictEqual(split.valid, null);
    assert.strictEqual(split.train.n, 4);
  });

  it('splits datasets, by evalSize or explicitly', () => {
    const X = Uint8Array.from({ length: 10 * 4 }, (_, i) => i);
    const y = Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    const dataset = { X, y, rows: 2, cols: 2 };
    const { train, valid } = splitDataset(dataset, { evalSize: 0.4, seed: 3 });
    const indices = splitIndices(y, { evalSize: 0.4, seed: 3 });
    assert.ok(valid);
    assert.deepStrictEqual([train.n, valid.n, valid.rows, valid.features], [6, 4, 2, 4]);
    valid.y!.forEach((label, k) => {
      const source = indices.valid[k];
      assert.strictEqual(label, y[source]);
      assert.deepStrictEqual(valid.X.subarray(k * 4, k * 4 + 4),
        X.subarray(source * 4, source * 4 + 4));
    });

    const byIndices = splitDataset(dataset, { validIndices: [9, 0] });
    assert.deepStrictEqual(byIndices.valid!.y, Int32Array.from([0, 1]));
    assert.deepStrictEqual(byIndices.train.X.subarray(0, 4), X.subarray(4, 8));
    const other = { X: new Uint8Array(8), y: Int32Array.from([1, 0]) };
    const explicit = splitDataset(dataset, { valid: other });
    assert.strictEqual(explicit.train.X, X);
    assert.strictEqual(explicit.valid!.X, other.X);
  });

  it('validates its arguments', () => {
    const y = Int32Array.from([0, 1, 0, 1]);
    const dataset = { X: new Uint8Array(8), y };
    assert.throws(() => splitIndices(y, { evalSize: 1 }),
      { name: 'RangeError', message: 'Expected a number in [0, 1) for options.evalSize but ' +
        'received 1 (number)' });
    assert.throws(() => splitIndices(y, { evalSize: -0.1 }),
      { name: 'RangeError', message: 'Expected a number in [0, 1) for options.evalSize but ' +
        'received -0.1 (number)' });
    assert.throws(() => splitIndices(y, { evalSize: '0.2' } as never),
      { name: 'TypeError', message: 'Expected a number for options.evalSize but received "0.2" ' +
        '(string)' });
    assert.throws(() => splitIndices(y, { seed: -1 }),
      { name: 'RangeError', message: 'Expected an integer in [0, 4294967295] for options.seed ' +
        'but received -1 (number)' });
    assert.throws(() => splitIndices(y, { eval_size: 0.1 } as never),
      { name: 'TypeError', message: "Unknown parameter 'eval_size' for splitIndices; did you " +
        "mean 'evalSize'?" });
    assert.throws(() => splitIndices([0, 1] as never),
      { name: 'TypeError', message: 'Expected an Int32Array, a Float32Array or a sample count ' +
        'for labels but received an array of length 2' });
    assert.throws(() => splitIndices(new Float32Array(4), { stratify: true }), {
      name: 'TypeError',
      message: 'options.stratify is not supported for Float32Array (regression) labels: ' +
        'stratifying needs Int32Array class labels',
    });
    assert.throws(() => splitDataset(dataset, { validIndices: [1, 1] }),
      { name: 'RangeError', message: 'Expected indices that appear once for ' +
        'options.validIndices[1] but received 1 (number)' });
    assert.throws(() => splitDataset(dataset, { validIndices: [4] }),
      { name: 'RangeError', message: 'Expected an integer in [0, 3] for options.validIndices[0] ' +
        'but received 4 (number)' });
    assert.throws(() => splitDataset(dataset, { valid: { X: new Uint8Array(3), n: 1 } }),
      { name: 'RangeError', message: 'Expected 2 features per sample for options.valid (as the ' +
        'dataset) but received 3' });
    assert.throws(() => splitDataset(dataset, { valid: dataset, evalSize: 0.1 } as never), {
      name: 'TypeError',
      message: 'splitDataset takes either evalSize / seed / stratify or an explicit valid / ' +
        'validIndices, not both',
    });
    assert.throws(() => splitDataset(null as never),
      { name: 'TypeError', message: 'Expected a dataset { X, y?, n?, features?, rows?, cols? } ' +
        'for dataset but received null' });
  });
});
