import * as assert from 'assert';
import { DenseLayer, InputLayer, NeuralNet, softmax } from '../../lib';
import { blobs, capturePrint, hasJsBackend, scriptedBackend } from '../helpers/estimator';

const SCRIPT = {
  trainLoss: [0.9, 0.5, 0.6],
  validLoss: [0.8, 0.4, 0.45],
  validAccuracy: [0.6, 0.8, 0.75],
  seconds: 1.5,
};

function mlp(extra: Record<string, unknown>): NeuralNet {
  return new NeuralNet({
    layers: [['input', InputLayer], ['hidden', DenseLayer], ['output', DenseLayer]],
    input_shape: [null, 4],
    hidden_num_units: 5,
    output_num_units: 2,
    output_nonlinearity: softmax,
    max_epochs: 3,
    ...extra,
  } as never);
}

describe('estimator: verbose output', () => {
  const data = blobs(20, 2, 4);

  it('prints nolearn\'s layer table and epoch rows, marking the best losses', async () => {
    const { print, text } = capturePrint();
    const net = mlp({ verbose: 1, print, backend: scriptedBackend(SCRIPT) });
    await net.fit(data.X, data.y);
    assert.strictEqual(text(), [
      '# Neural Network with 37 learnable parameters',
      '',
      '## Layer information',
      '',
      '  #  name    size',
      '---  ------  ------',
      '  0  input   4',
      '  1  hidden  5',
      '  2  output  2',
      '',
      '  epoch    train loss    valid loss    train/val    valid acc  dur',
      '-------  ------------  ------------  -----------  -----------  -----',
      '      1      0.90000*      0.80000*      1.12500      0.60000  1.50s',
      '      2      0.50000*      0.40000*      1.25000      0.80000  1.50s',
      '      3      0.60000       0.45000       1.33333      0.75000  1.50s',
      '',
    ].join('\n'));

    // A second fit continues the table without repeating the headers.
    const before = text().length;
    await net.fit(data.X, data.y, { epochs: 1 });
    assert.strictEqual(text().slice(before),
      '      4      0.90000       0.80000       1.12500      0.60000  1.50s\n');
  });

  it('drops validation columns without a validation set and prints custom scores', async () => {
    const quiet = capturePrint();
    await mlp({ verbose: 1, print: quiet.print, backend: scriptedBackend(SCRIPT), eval_size: 0,
      max_epochs: 1 }).fit(data.X, data.y);
    assert.ok(quiet.text().endsWith([
      '  epoch    train loss  dur',
      '-------  ------------  -----',
      '      1      0.90000*  1.50s',
      '',
    ].join('\n')), quiet.text());

    const scored = capturePrint();
    await mlp({ verbose: 1, print: scored.print, backend: scriptedBackend(SCRIPT), max_epochs: 1,
      custom_scores: [['half', () => 0.5]] }).fit(data.X, data.y);
    const lines = scored.text().trimEnd().split('\n');
    assert.strictEqual(lines[lines.length - 3],
      '  epoch    train loss    valid loss    train/val    valid acc     half  dur');
    assert.match(lines[lines.length - 1],
      /^ {6}1 {6}0\.90000\* {6}0\.80000\* {6}1\.12500 {6}0\.60000  0\.50000  \d\.\d\ds$/);
  });

  it('prints nothing unless verbose', async () => {
    const { print, text } = capturePrint();
    const net = mlp({ print, backend: scriptedBackend(SCRIPT) });
    await net.fit(data.X, data.y);
    assert.strictEqual(text(), '');
    assert.strictEqual(net.trainHistory.length, 3);
  });

  it('prints real epochs from the JS backend in the same format', async function () {
    if (!hasJsBackend()) this.skip();
    const { print, text } = capturePrint();
    await mlp({ verbose: 1, print, backend: 'js', max_epochs: 2 }).fit(data.X, data.y);
    const rows = text().trimEnd().split('\n').slice(-2);
    for (const row of rows) {
      const number = '\\d\\.\\d{5}';
      const pattern = `^ {6}\\d {6}${number}[* ] {6}${number}[* ] {6}${number} {6}${number}  ` +
        '\\d+\\.\\d\\ds$';
      assert.match(row, new RegExp(pattern), row);
    }
  });
});
