import * as assert from 'assert';
import { runLenet } from '../../examples/lenet';
import { runLogreg } from '../../examples/logreg';
import { runMlp } from '../../examples/mlp';
import { runMlp2 } from '../../examples/mlp2';
import { capturePrint, hasJsBackend } from '../helpers/estimator';

describe('estimator: the MNIST examples on a small subset (JS backend)', function () {
  this.timeout(120000);
  before(function () {
    if (!hasJsBackend()) {
      // eslint-disable-next-line no-console
      console.log('    (skipped: lib/backend/js is not there yet)');
      this.skip();
    }
  });

  // Test accuracy after a few epochs on a few images: well above chance (0.1), well below what
  // the full runs reach.
  const cases = [
    { name: 'logreg', run: runLogreg, params: 7850, trainSize: 2000, epochs: 3, accuracy: 0.7 },
    { name: 'mlp', run: runMlp, params: 159010, trainSize: 1000, epochs: 3, accuracy: 0.6 },
    { name: 'mlp2', run: runMlp2, params: 545810, trainSize: 500, epochs: 2, accuracy: 0.25 },
  ];
  for (const { name, run, params, trainSize, epochs, accuracy } of cases) {
    it(`${name}: ${params} parameters, learns from ${trainSize} images`, async () => {
      const { print, text } = capturePrint();
      const result = await run({ backend: 'js', trainSize, testSize: 500, epochs, print });
      assert.ok(text().startsWith(`# Neural Network with ${params} learnable parameters\n`));
      const history = result.net.trainHistory;
      assert.strictEqual(history.length, epochs);
      assert.ok(history[epochs - 1].train_loss < history[0].train_loss,
        `train loss ${history.map((entry) => entry.train_loss.toFixed(4)).join(' -> ')}`);
      assert.ok(result.testAccuracy > accuracy, `test accuracy ${result.testAccuracy}`);
    });
  }

  it('lenet: 91190 parameters, trains two epochs on 300 images', async () => {
    const { print, text } = capturePrint();
    const result = await runLenet({ backend: 'js', trainSize: 300, testSize: 200, epochs: 2,
      print });
    assert.ok(text().startsWith('# Neural Network with 91190 learnable parameters\n'));
    assert.ok(text().includes('  2  conv1     32x24x24\n'), text());
    const history = result.net.trainHistory;
    assert.ok(history[1].train_loss < history[0].train_loss,
      `train loss ${history[0].train_loss} -> ${history[1].train_loss}`);
    assert.ok(result.testAccuracy >= 0 && result.testAccuracy <= 1);
  });
});
