import * as assert from 'assert';
import { makeParam } from '../../lib/backend/js/layer';
import {
  addPenaltyGradient,
  countCorrect,
  crossEntropy,
  penalty,
  squaredError,
} from '../../lib/backend/js/loss';
import { Network } from '../../lib/backend/js/network';
import { Rng } from '../../lib/rng';
import { assertClose, randomArray } from '../helpers/numeric';
import { assertGradientReport, compareGradient, emptyReport } from '../helpers/gradient-check';
import { SpecBuilder, trainSpec } from '../helpers/spec';

describe('js backend: losses', () => {
  it('computes cross-entropy from pre-activations (hand-checked)', () => {
    const z = Float32Array.from([1, 2, 3, 1, 2, 3]);
    const grad = new Float32Array(6);
    const total = crossEntropy(z, Int32Array.from([2, 0]), 2, 3, grad);
    // -log softmax: 0.40760596444438013 for class 2, 2.40760596444438013 for class 0
    assert.ok(
      Math.abs(total - (0.40760596444438013 + 2.4076059644443801)) < 1e-12,
      `total ${total}`,
    );
    const p = [0.09003057317038048, 0.2447284710547977, 0.665240955774822];
    const expected = [p[0] / 2, p[1] / 2, (p[2] - 1) / 2, (p[0] - 1) / 2, p[1] / 2, p[2] / 2];
    assertClose(grad, Float32Array.from(expected), 1e-7, 'cross-entropy gradient');
  });

  it('computes squared error as the mean over samples and outputs (hand-checked)', () => {
    const grad = new Float32Array(4);
    // per-sample means: ((1-0)^2 + (2-4)^2) / 2 = 2.5 and ((0-0)^2 + (1-0)^2) / 2 = 0.5
    const total = squaredError(
      Float32Array.from([1, 2, 0, 1]),
      Float32Array.from([0, 4, 0, 0]),
      2,
      2,
      grad,
    );
    assert.strictEqual(total, 3);
    // 2 (y - t) / (N K)
    assert.deepStrictEqual(Array.from(grad), [0.5, -1, 0, 0.5]);
  });

  it('passes a finite-difference check: cross-entropy (eps 1e-3)', () => {
    const labels = Int32Array.from([0, 4, 2]);
    const z = randomArray(15, 3);
    const grad = new Float32Array(15);
    crossEntropy(z, labels, 3, 5, grad);
    const report = emptyReport();
    compareGradient('z', z, grad, 1e-3, () => crossEntropy(z, labels, 3, 5, null) / 3, report);
    // the loss is computed in double from float32 z: differences ~1e-8; allow 1e-4
    assertGradientReport(report, 1e-4, 'cross-entropy');
  });

  it('passes a finite-difference check: squared error (eps 1e-3)', () => {
    const y = randomArray(12, 4);
    const targets = randomArray(12, 5);
    const grad = new Float32Array(12);
    squaredError(y, targets, 3, 4, grad);
    const report = emptyReport();
    compareGradient('y', y, grad, 1e-3, () => squaredError(y, targets, 3, 4, null) / 3, report);
    assertGradientReport(report, 1e-4, 'squared error');
  });

  it('penalizes W only: l1 sum |W| + l2 sum W^2, gradient l1 sign(W) + 2 l2 W', () => {
    const W = makeParam('dense', 'W', [3], true);
    const b = makeParam('dense', 'b', [1], false);
    W.values.set([1, -2, 0]);
    b.values.set([100]);
    assert.ok(Math.abs(penalty([W, b], 0.1, 0.01) - 0.35) < 1e-12);
    assert.strictEqual(penalty([W, b], 0, 0), 0);
    addPenaltyGradient([W, b], 0.1, 0.01);
    assertClose(W.grad, Float32Array.from([0.12, -0.14, 0]), 1e-7, 'penalty gradient');
    assert.deepStrictEqual(Array.from(b.grad), [0]);
  });

  it('counts argmax predictions, ties to the first class', () => {
    const y = Float32Array.from([0.1, 0.7, 0.2, 0.5, 0.5, 0, 0.3, 0.3, 0.4]);
    assert.strictEqual(countCorrect(y, Int32Array.from([1, 0, 2]), 3, 3), 3);
    assert.strictEqual(countCorrect(y, Int32Array.from([1, 1, 2]), 3, 3), 2);
  });
});

describe('js backend: whole-network gradients', () => {
  // The objective of a batch (data loss + penalties) against central differences of every
  // parameter and input element, the dropout mask fixed by a fresh generator per pass.
  function checkNetwork(
    network: Network,
    x: Float32Array,
    targets: Int32Array | Float32Array,
    n: number,
    loss: 'categorical_crossentropy' | 'squared_error',
  ): ReturnType<typeof emptyReport> {
    const spec = trainSpec({ loss, l1: 1e-4, l2: 1e-3 });
    const objective = () => network.computeGradients(x, targets, n, spec, new Rng(3)).objective;
    objective();
    const analytic = network.params.map((param) => Float64Array.from(param.grad));
    const report = emptyReport();
    network.params.forEach((param, i) => {
      compareGradient(
        `${param.layer}.${param.name}`,
        param.values,
        analytic[i],
        1e-3,
        objective,
        report,
      );
    });
    return report;
  }

  it('matches finite differences for a CNN with cross-entropy, dropout and penalties', () => {
    const spec = new SpecBuilder([2, 6, 6])
      .conv2d(3, 3, 'tanh', { pad: 1, b: { kind: 'uniform', low: -0.1, high: 0.1 } })
      .avgpool2d(2)
      .dropout(0.3)
      .conv2d(2, 2, 'elu', { stride: 1 })
      .maxpool2d(2, { ignoreBorder: false })
      .flatten()
      .dense(4, 'softmax')
      .build();
    const network = new Network(spec, 1);
    const report = checkNetwork(
      network,
      randomArray(3 * 72, 6),
      Int32Array.from([0, 3, 1]),
      3,
      'categorical_crossentropy',
    );
    // float32 activations over a 2e-3 step, through 6 layers: allow 2e-3
    assertGradientReport(report, 2e-3, 'CNN objective');
  });

  it('matches finite differences for an MLP with squared error and penalties', () => {
    const spec = new SpecBuilder([5])
      .dense(6, 'softplus', { W: { kind: 'he_normal', gain: 1 } })
      .dense(4, 'sigmoid')
      .nonlinearity('leaky_rectify')
      .dense(3, 'linear')
      .build();
    const network = new Network(spec, 2);
    const report = checkNetwork(
      network,
      randomArray(4 * 5, 7),
      randomArray(12, 8),
      4,
      'squared_error',
    );
    assertGradientReport(report, 2e-3, 'MLP objective');
  });
});
