import * as assert from 'assert';
import type { UpdateSpec } from '../../lib/backend/backend';
import { makeParam, Param } from '../../lib/backend/js/layer';
import { Updater } from '../../lib/backend/js/updates';
import { assertClose } from '../helpers/numeric';
import { updateSpec } from '../helpers/spec';

// Three steps from p = [1, -0.5] with the gradients below, lr 0.1, momentum 0.9, rho 0.9,
// epsilon 1e-6 (1e-8 for adam and adamax), beta1 0.9, beta2 0.999. The expected parameters
// after each step were computed independently from Lasagne's formulas, in double precision.
const GRADIENTS = [
  [0.5, -0.25],
  [0.1, 0.3],
  [-0.2, 0.05],
];
const EXPECTED: Record<UpdateSpec['rule'], number[][]> = {
  sgd: [
    [0.95, -0.475],
    [0.94, -0.505],
    [0.96, -0.51],
  ],
  momentum: [
    [0.95, -0.475],
    [0.8949999999999999, -0.4825],
    [0.8654999999999999, -0.49424999999999997],
  ],
  nesterov_momentum: [
    [0.905, -0.4525],
    [0.8455, -0.48925],
    [0.8389500000000001, -0.504825],
  ],
  adagrad: [
    [0.9000001999994, -0.4000007999904001],
    [0.8803886242001141, -0.47682267607554707],
    [0.9169034005092154, -0.48952264780798144],
  ],
  rmsprop: [
    [0.683778558348752, -0.1837975291690615],
    [0.618547138931184, -0.4318585177748838],
    [0.7446579640065313, -0.47503019760022897],
  ],
  adadelta: [
    [0.9996837785583488, -0.4996837975291691],
    [0.9995915283227949, -0.5000345947130668],
    [0.9997692088113866, -0.5001109786123249],
  ],
  adam: [
    [0.9000000632455132, -0.4000001264909464],
    [0.8196960152288328, -0.4142945879786452],
    [0.7852606594885206, -0.43337321628820025],
  ],
  adamax: [
    [0.900000002, -0.4000000039999998],
    [0.842047313628577, -0.41315789829824545],
    [0.8202324885172989, -0.42762500945360904],
  ],
};

function spec(rule: UpdateSpec['rule']): UpdateSpec {
  const epsilon = rule === 'adam' || rule === 'adamax' ? 1e-8 : 1e-6;
  return updateSpec(rule, {
    learningRate: 0.1,
    momentum: 0.9,
    rho: 0.9,
    epsilon,
    beta1: 0.9,
    beta2: 0.999,
  });
}

function param(values: number[]): Param {
  const p = makeParam('dense', 'W', [values.length], true);
  p.values.set(values);
  return p;
}

describe('js backend: updates', () => {
  for (const rule of Object.keys(EXPECTED) as UpdateSpec['rule'][]) {
    it(`${rule} follows Lasagne over three steps`, () => {
      const updater = new Updater();
      const p = param([1, -0.5]);
      GRADIENTS.forEach((gradient, step) => {
        p.grad.set(gradient);
        updater.step([p], spec(rule), 0.1);
        // float32 parameters and state: ~1e-7 relative per step
        assertClose(
          p.values,
          Float32Array.from(EXPECTED[rule][step]),
          1e-6,
          `${rule} step ${step + 1}`,
        );
      });
      assert.strictEqual(updater.stepCount, 3);
    });
  }

  it('uses the learning rate it is given, not the spec one', () => {
    const updater = new Updater();
    const p = param([1]);
    p.grad.set([2]);
    updater.step([p], updateSpec('sgd', { learningRate: 100 }), 0.25);
    assert.deepStrictEqual(Array.from(p.values), [0.5]);
  });

  it('keeps state across steps until reset, and resets when the rule changes', () => {
    const momentum = spec('momentum');
    const run = (updater: Updater, p: Param): void => {
      p.grad.set([1]);
      updater.step([p], momentum, 0.1);
    };
    const updater = new Updater();
    const p = param([0]);
    run(updater, p);
    run(updater, p); // v = -0.1 then -0.19: p = -0.29
    assertClose(p.values, [-0.29], 1e-7, 'two momentum steps');
    updater.reset();
    run(updater, p); // fresh v = -0.1
    assertClose(p.values, [-0.39], 1e-7, 'after reset');
    p.grad.set([1]);
    updater.step([p], spec('sgd'), 0.1);
    run(updater, p); // switching rules dropped v: fresh v = -0.1 again
    assertClose(p.values, [-0.59], 1e-7, 'after a rule change');
    assert.strictEqual(updater.stepCount, 1);
  });

  it('counts adam steps per update call, shared by all parameters', () => {
    const updater = new Updater();
    const a = param([1]);
    const b = param([1]);
    a.grad.set([0.5]);
    b.grad.set([0.5]);
    updater.step([a, b], spec('adam'), 0.1);
    // first step: m = 0.05, v = 0.00025, p -= 0.1 sqrt(0.001) / 0.1 * m / sqrt(v) = 0.1
    assertClose(a.values, [0.9], 1e-6, 'adam first step a');
    assertClose(b.values, [0.9], 1e-6, 'adam first step b');
  });
});
