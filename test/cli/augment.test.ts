/**
 * `lamina train` with augmentation: --augment and the lenet-elastic preset on small MNIST
 * subsets (the printed settings, the summary, resuming), and the error for a network whose
 * input is not an image.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { PRESETS } from '../../lib/cli/presets';
import { temporaryFolder } from '../data/temp';
import { nativeAvailable, runCli } from './helpers';

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

describe('cli: train with augmentation', function () {
  this.timeout(60000);
  const folder = temporaryFolder('cli-augment');
  const backend = nativeAvailable() ? 'native' : 'js';

  it('trains the lenet-elastic preset with elastic and affine distortions', async () => {
    assert.deepStrictEqual(PRESETS['lenet-elastic'].augment, ['elastic', 'affine']);
    const dir = path.join(folder(), 'lenet-elastic');
    const result = await runCli(['train', '--preset', 'lenet-elastic', '--limit', '300',
      '--epochs', '1', '--out', dir, '--backend', backend]);
    assert.strictEqual(result.code, 0, result.err);
    assert.match(result.out, /^Training lenet-elastic on MNIST\n/);
    assert.ok(result.out.includes('  augment   elastic (alpha 36, sigma 6), affine (rotation ' +
      '10, scale 0.9-1.1, shear 0, translation 2), on every training batch\n'), result.out);
    const summary = readJson(path.join(dir, 'summary.json'));
    assert.deepStrictEqual(summary.augment, ['elastic', 'affine']);
    assert.strictEqual(summary.epochs, 1);
    assert.deepStrictEqual(readJson(path.join(dir, 'run.json')).augment, ['elastic', 'affine']);
    assert.ok(fs.readFileSync(path.join(dir, 'report.html'), 'utf8').includes('augmentation'));

    // Resuming keeps the augmentation of the run.
    const resumed = await runCli(['train', '--resume', dir, '--epochs', '2']);
    assert.strictEqual(resumed.code, 0, resumed.err);
    assert.ok(resumed.out.includes('  augment   elastic (alpha 36, sigma 6)'), resumed.out);
    assert.deepStrictEqual(readJson(path.join(dir, 'summary.json')).epochs, 2);
  });

  it('takes --augment elastic for the lenet preset', async () => {
    const dir = path.join(folder(), 'lenet');
    const result = await runCli(['train', '--preset', 'lenet', '--limit', '300', '--epochs', '1',
      '--augment', 'elastic', '--out', dir, '--backend', backend]);
    assert.strictEqual(result.code, 0, result.err);
    assert.ok(result.out.includes('  augment   elastic (alpha 36, sigma 6), on every training ' +
      'batch\n'), result.out);
    assert.deepStrictEqual(readJson(path.join(dir, 'summary.json')).augment, ['elastic']);
  });

  it('refuses --augment for a network whose input is not an image', async () => {
    const result = await runCli(['train', '--preset', 'mlp', '--limit', '300', '--augment',
      'affine', '--out', path.join(folder(), 'mlp')]);
    assert.strictEqual(result.code, 2);
    assert.strictEqual(result.out, '');
    assert.ok(result.err.startsWith('error: --preset mlp: augment is not supported for inputs ' +
      'of shape [784]: augmentation needs images;'), result.err);
  });
});
