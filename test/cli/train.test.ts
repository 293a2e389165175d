/**
 * `lamina train` on small subsets of MNIST: the printed run, the files of the run folder, the
 * JSON summary, network files, CSV and IDX data, the progress bar, interrupting and resuming.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { getNumThreads, setNumThreads } from '../../lib/build-info';
import { HISTORY_COLUMNS } from '../../lib/cli/train';
import { PRESETS } from '../../lib/cli/presets';
import { writeIdx } from '../../lib/data/idx';
import { loadMnist } from '../../lib/data/mnist';
import { temporaryFolder } from '../data/temp';
import { finished, nativeAvailable, runCli, spawnCli, writeMnistCsv } from './helpers';

/** Reads a JSON file. */
function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Rows of a CSV file without quoting. */
function readCsv(file: string): string[][] {
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => line.split(','));
}

/** The test error a run printed, as a fraction. */
function printedError(out: string): number {
  const match = /Test error ([\d.]+)% \((\d+) of (\d+) images\)/.exec(out);
  assert.ok(match, `no test error in:\n${out}`);
  return Number(match[2]) / Number(match[3]);
}

describe('cli: train', function () {
  this.timeout(60000);
  const folder = temporaryFolder('cli-train');
  const native = nativeAvailable();

  describe('preset mlp, 600 images, 2 epochs', () => {
    let result: Awaited<ReturnType<typeof runCli>>;
    let dir = '';
    let jsonFile = '';
    before(async () => {
      dir = path.join(folder(), 'mlp');
      jsonFile = path.join(folder(), 'mlp-summary.json');
      result = await runCli(['train', '--preset', 'mlp', '--limit', '600', '--epochs', '2',
        '--out', dir, '--json', jsonFile, '--backend', native ? 'native' : 'js']);
    });

    it('exits 0 and prints the run, the layer table, the epoch rows and the result', () => {
      assert.strictEqual(result.code, 0, result.err);
      assert.strictEqual(result.err, '');
      const out = result.out;
      assert.match(out, /^Training mlp on MNIST\n/);
      assert.match(out, /images +540 training, 60 validation, 100 test \(28x28, 10 classes\)/);
      const { learningRate, finalLearningRate } = PRESETS.mlp;
      assert.ok(out.includes('  training  2 epochs, batches of 128, nesterov_momentum, ' +
        `learning rate ${learningRate} -> ${finalLearningRate} (linear), seed 42\n`), out);
      assert.strictEqual(out.split('# Neural Network with 159010 learnable parameters').length, 2);
      assert.match(out, /\n {6}1 +[\d.]+\* +[\d.]+\* +[\d.]+ +[\d.]+ +[\d.]+s\n {6}2 /);
      assert.ok(out.includes('Confusion matrix (rows: true class, columns: predicted)\n' +
        'true\\pred    0    1'), out);
      assert.ok(out.includes(`report   ${path.join(dir, 'report.html')}`), out);
    });

    it('writes the model, history.csv, report.html, run.json and summary.json', () => {
      for (const name of ['model.safetensors', 'history.csv', 'report.html', 'run.json',
        'summary.json']) {
        assert.ok(fs.existsSync(path.join(dir, name)), `${name} in ${dir}`);
      }
      assert.ok(!fs.existsSync(path.join(dir, 'checkpoint.safetensors')), 'checkpoint removed');
      const rows = readCsv(path.join(dir, 'history.csv'));
      assert.deepStrictEqual(rows[0], [...HISTORY_COLUMNS]);
      assert.deepStrictEqual(rows[0], ['epoch', 'train_loss', 'valid_loss', 'train_val_ratio',
        'valid_accuracy', 'dur', 'train_loss_best', 'valid_loss_best']);
      assert.strictEqual(rows.length, 3);
      assert.deepStrictEqual(rows.slice(1).map((row) => row[0]), ['1', '2']);
      for (const row of rows.slice(1)) {
        for (const cell of row.slice(1, 6)) assert.ok(Number.isFinite(Number(cell)), cell);
        assert.ok(['true', 'false'].includes(row[6]) && ['true', 'false'].includes(row[7]));
      }
    });

    it('writes a JSON summary with the documented fields and types', () => {
      const summary = readJson(jsonFile);
      assert.deepStrictEqual(summary, readJson(path.join(dir, 'summary.json')));
      assert.strictEqual(summary.preset, 'mlp');
      assert.strictEqual(summary.epochs, 2);
      assert.strictEqual(summary.params, 159010);
      assert.strictEqual(summary.train_samples, 540);
      assert.strictEqual(summary.test_samples, 100);
      assert.strictEqual(typeof summary.train_seconds, 'number');
      assert.ok((summary.train_seconds as number) > 0);
      const epochSeconds = summary.epoch_seconds as number[];
      assert.ok(Array.isArray(epochSeconds) && epochSeconds.length === 2);
      assert.ok(epochSeconds.every((value) => typeof value === 'number' && value > 0));
      const sum = epochSeconds.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - (summary.train_seconds as number)) < 1e-9,
        `train_seconds ${summary.train_seconds} vs sum of epochs ${sum}`);
      const error = summary.test_error as number;
      assert.ok(typeof error === 'number' && error >= 0 && error <= 1);
      assert.ok(Math.abs(error + (summary.test_accuracy as number) - 1) < 1e-12);
      assert.ok(Math.abs(error - printedError(result.out)) < 1e-12);
      assert.strictEqual(summary.test_errors, Math.round(error * 100));
      if (native) {
        assert.ok(['openblas', 'builtin'].includes(summary.gemm as string));
        assert.ok(Number.isInteger(summary.threads) && (summary.threads as number) >= 1);
      }
      const history = summary.history as Array<Record<string, unknown>>;
      assert.strictEqual(history.length, 2);
      assert.deepStrictEqual(history.map((entry) => entry.epoch), [1, 2]);
      for (const key of HISTORY_COLUMNS) {
        assert.ok(key in history[0], `history records have ${key}`);
      }
      const confusion = summary.confusion as number[][];
      assert.strictEqual(confusion.length, 10);
      assert.strictEqual(confusion.flat().reduce((a, b) => a + b, 0), 100);
    });

    it('saves the run settings that --resume reads', () => {
      const run = readJson(path.join(dir, 'run.json'));
      assert.deepStrictEqual(run.network, { preset: 'mlp' });
      assert.deepStrictEqual(run.data, { kind: 'mnist' });
      assert.strictEqual(run.limit, 600);
      assert.strictEqual(run.epochs, 2);
      assert.strictEqual(run.learningRate, PRESETS.mlp.learningRate);
      assert.strictEqual(run.finalLearningRate, PRESETS.mlp.finalLearningRate);
    });
  });

  it('names the run folder after the date and time when --out is not given', async () => {
    const cwd = process.cwd();
    const work = fs.mkdtempSync(path.join(folder(), 'cwd-'));
    const now = () => new Date(2025, 0, 2, 3, 4, 5);
    try {
      process.chdir(work);
      const args = ['train', '--preset', 'logreg', '--limit', '60', '--epochs', '1'];
      assert.strictEqual((await runCli(args, { now })).code, 0);
      assert.strictEqual((await runCli(args, { now })).code, 0);
    } finally {
      process.chdir(cwd);
    }
    assert.deepStrictEqual(fs.readdirSync(path.join(work, 'runs')).sort(),
      ['20250102-030405', '20250102-030405-2']);
    assert.ok(fs.existsSync(path.join(work, 'runs', '20250102-030405-2', 'report.html')));
  });

  it('trains on the JS backend', async () => {
    const dir = path.join(folder(), 'js');
    const result = await runCli(['train', '--preset', 'logreg', '--limit', '600', '--epochs', '1',
      '--backend', 'js', '--out', dir]);
    assert.strictEqual(result.code, 0, result.err);
    assert.match(result.out, /backend +js \(plain TypeScript, one thread\)\n/);
    assert.match(result.out, /training +1 epoch, batches of 128/);
    assert.match(result.out, /Training took .* \(1 epoch, /);
    assert.strictEqual(readJson(path.join(dir, 'summary.json')).params, 7850);
    assert.strictEqual(readJson(path.join(dir, 'summary.json')).backend, 'js');
  });

  it('trains lenet on the native backend (600 images, 1 epoch)', async function () {
    if (!native) {
      console.log('      (skipped: the native backend does not load here)');
      return this.skip();
    }
    const dir = path.join(folder(), 'lenet');
    const threads = getNumThreads();
    let result: Awaited<ReturnType<typeof runCli>>;
    try {
      result = await runCli(['train', '--limit', '600', '--epochs', '1', '--out', dir,
        '--threads', '2']);
    } finally {
      setNumThreads(threads);
    }
    assert.strictEqual(result.code, 0, result.err);
    assert.match(result.out, /^Training lenet on MNIST\n/);
    const summary = readJson(path.join(dir, 'summary.json'));
    assert.strictEqual(summary.preset, 'lenet');
    assert.strictEqual(summary.params, 91190);
    assert.strictEqual(summary.threads, 2);
    assert.strictEqual(summary.epochs, 1);
    assert.ok((summary.test_error as number) < 0.9, `test error ${summary.test_error}`);
  });

  it('trains a network described in JSON, with settings from the file', async () => {
    const file = path.join(folder(), 'net.json');
    fs.writeFileSync(file, JSON.stringify({
      layers: [['input', 'InputLayer'], ['DenseLayer', { name: 'hidden', num_units: 50,
        W: { GlorotUniform: 'relu' } }], ['output', 'DenseLayer']],
      input_shape: [null, 784],
      output_nonlinearity: 'softmax',
      output_num_units: 10,
      output_b: { Constant: 0 },
      update: 'adam',
      update_learning_rate: 0.002,
      max_epochs: 2,
      batch_size: 64,
    }, null, 2));
    const dir = path.join(folder(), 'json-net');
    const result = await runCli(['train', '--layers', file, '--limit', '600', '--out', dir]);
    assert.strictEqual(result.code, 0, result.err);
    assert.match(result.out, /^Training net on MNIST\n/);
    assert.match(result.out, /2 epochs, batches of 64, adam, learning rate 0\.002, seed 42/);
    const summary = readJson(path.join(dir, 'summary.json'));
    assert.strictEqual(summary.params, 784 * 50 + 50 + 50 * 10 + 10);
    assert.strictEqual(summary.epochs, 2);
    assert.strictEqual(summary.update, 'adam');
    assert.strictEqual(summary.preset, null);
    assert.strictEqual(summary.layers_file, file);
    assert.strictEqual(summary.eval_size, 0.2);

    // Flags win over the file.
    const flagged = path.join(folder(), 'json-net-flags');
    const again = await runCli(['train', '--layers', file, '--limit', '600', '--epochs', '1',
      '--learning-rate', '0.001', '--eval-size', '0', '--out', flagged]);
    assert.strictEqual(again.code, 0, again.err);
    const flaggedSummary = readJson(path.join(flagged, 'summary.json'));
    assert.strictEqual(flaggedSummary.epochs, 1);
    assert.strictEqual(flaggedSummary.learning_rate, 0.001);
    assert.strictEqual(flaggedSummary.valid_samples, 0);
    assert.strictEqual(readCsv(path.join(flagged, 'history.csv'))[1][2], '',
      'no validation set: valid_loss is empty');
  });

  it('trains on CSV tables (header with a label column, or none)', async () => {
    const withHeader = fs.mkdtempSync(path.join(folder(), 'csv-'));
    const tables = await writeMnistCsv(withHeader, 300, 60);
    const dir = path.join(folder(), 'csv-run');
    const result = await runCli(['train', '--preset', 'logreg', '--epochs', '1', '--train',
      tables.train, '--test', tables.test, '--label-column', 'label', '--out', dir]);
    assert.strictEqual(result.code, 0, result.err);
    assert.ok(result.out.startsWith(`Training logreg on ${tables.train} / ${tables.test}\n`),
      result.out);
    const summary = readJson(path.join(dir, 'summary.json'));
    assert.strictEqual(summary.test_samples, 60);
    assert.strictEqual((summary.train_samples as number) + (summary.valid_samples as number),
      300);

    // No header: the label is column 0.
    const bare = fs.mkdtempSync(path.join(folder(), 'csv-'));
    const plain = await writeMnistCsv(bare, 120, 30, { header: false });
    const plainRun = await runCli(['train', '--preset', 'logreg', '--epochs', '1', '--train',
      plain.train, '--test', plain.test, '--out', path.join(folder(), 'csv-plain')]);
    assert.strictEqual(plainRun.code, 0, plainRun.err);
    assert.match(plainRun.out, /30 test \(28x28, 10 classes\)/);

    // A label column name that is not there.
    const wrong = await runCli(['train', '--preset', 'logreg', '--train', tables.train,
      '--test', tables.test, '--label-column', 'digit']);
    assert.strictEqual(wrong.code, 2);
    assert.strictEqual(wrong.err.split('\n')[0], `error: --label-column digit: --train ` +
      `${tables.train} has no column of that name; its columns start label, pixel0, pixel1, ` +
      'pixel2, pixel3');
  });

  it('warns when the labels leave classes without a training image (a 255 among digits)',
    async () => {
      const tables = await writeMnistCsv(fs.mkdtempSync(path.join(folder(), 'gap-')), 300, 60);
      const lines = fs.readFileSync(tables.train, 'utf8').split('\n');
      lines[8] = lines[8].replace(/^\d+,/, '255,'); // row 8 is training image 7
      fs.writeFileSync(tables.train, lines.join('\n'));
      const result = await runCli(['train', '--preset', 'logreg', '--epochs', '1', '--train',
        tables.train, '--test', tables.test, '--out', path.join(folder(), 'gap-run')]);
      assert.strictEqual(result.code, 0, result.err);
      assert.ok(result.err.includes('warning: the labels run from 0 to 255 (training image 7), ' +
        'so the network has 256 outputs, but classes 10, 11, 12, 13, 14 and 240 more have no ' +
        'training image. Labels should be 0 to K-1 for K classes'), result.err);
      assert.match(result.out, /256 classes/);

      // A table of one class: two outputs, the second without images.
      for (const table of [tables.train, tables.test]) {
        const single = fs.readFileSync(table, 'utf8').split('\n')
          .map((line, i) => (i === 0 || line === '' ? line : line.replace(/^\d+,/, '0,')));
        fs.writeFileSync(table, single.join('\n'));
      }
      const one = await runCli(['train', '--preset', 'logreg', '--epochs', '1', '--train',
        tables.train, '--test', tables.test, '--out', path.join(folder(), 'one-class-run')]);
      assert.strictEqual(one.code, 0, one.err);
      assert.ok(one.err.includes('warning: a network has at least 2 outputs, so the network ' +
        'has 2 outputs, but class 1 has no training image.'), one.err);

      // MNIST's own labels leave no gap: no warning.
      const clean = await runCli(['train', '--preset', 'logreg', '--epochs', '1', '--limit',
        '600', '--out', path.join(folder(), 'no-gap-run')]);
      assert.strictEqual(clean.code, 0, clean.err);
      assert.ok(!clean.err.includes('warning'), clean.err);
    });

  it('trains on gzipped IDX files in a folder (--data)', async () => {
    const { train, test } = await loadMnist();
    const dir = fs.mkdtempSync(path.join(folder(), 'idx-'));
    await writeIdx(path.join(dir, 'train-images-idx3-ubyte.gz'), train.X.subarray(0, 200 * 784),
      [200, 28, 28]);
    await writeIdx(path.join(dir, 'train-labels-idx1-ubyte.gz'),
      Uint8Array.from(train.y.subarray(0, 200)), [200]);
    await writeIdx(path.join(dir, 't10k-images-idx3-ubyte.gz'), test.X.subarray(0, 50 * 784),
      [50, 28, 28]);
    await writeIdx(path.join(dir, 't10k-labels-idx1-ubyte.gz'),
      Uint8Array.from(test.y.subarray(0, 50)), [50]);
    const result = await runCli(['train', '--preset', 'logreg', '--epochs', '1', '--data', dir,
      '--out', path.join(folder(), 'idx-run')]);
    assert.strictEqual(result.code, 0, result.err);
    assert.ok(result.out.startsWith(`Training logreg on MNIST files in ${dir}\n`), result.out);
    assert.match(result.out, /50 test \(28x28, 10 classes\)/);
  });

  it('draws a progress bar with samples/s and ETA on a terminal, then clears it',
    async function () {
      if (!native) {
        console.log('      (skipped: the native backend does not load here)');
        return this.skip();
      }
      let drawn = '';
      const terminal = { isTTY: true, columns: 120, write: (text: string) => {
        drawn += text;
        return true;
      } };
      const result = await runCli(['train', '--limit', '3000', '--epochs', '1', '--out',
        path.join(folder(), 'progress')], { progress: terminal });
      assert.strictEqual(result.code, 0, result.err);
      // eslint-disable-next-line no-control-regex
      const plain = drawn.replace(/\x1b\[[0-9;]*[A-Za-z]|\x1b[78]/g, '\n');
      const bars = plain.split('\n').filter((line) => line.startsWith('epoch 1/1 ['));
      assert.ok(bars.length >= 1, `progress lines in ${JSON.stringify(drawn.slice(0, 400))}`);
      assert.match(bars[bars.length - 1],
        /^epoch 1\/1 \[[=-]{20}\] \d+\/22 \| \d+ samples\/s \| ETA \d+s \| loss \d+\.\d{4}$/);
      assert.ok(drawn.endsWith('\x1b[2K'), 'the bar clears its line at the end');
      // The epoch table is printed to out, never into the bar's stream.
      assert.ok(!drawn.includes('train loss'));
    });

  it('stops after an interrupt, saves a checkpoint, and resumes to the full run', async () => {
    const dir = path.join(folder(), 'interrupted');
    const controller = new AbortController();
    let printed = '';
    const interrupted = await runCli(['train', '--preset', 'mlp', '--limit', '600', '--epochs',
      '3', '--out', dir], {
      signal: controller.signal,
      out: (text) => {
        printed += text;
        // Ctrl-C as the first epoch's row is printed.
        if (/\n {6}1 /.test(printed)) controller.abort();
      },
    });
    assert.strictEqual(interrupted.code, 130);
    assert.ok(interrupted.err.includes('Interrupted: stopping after the current batch'),
      interrupted.err);
    assert.ok(interrupted.err.includes('Saved a checkpoint after 1 complete epoch to ' +
      `${path.join(dir, 'checkpoint.safetensors')}\nResume with: lamina train --resume ${dir}\n`),
    interrupted.err);
    assert.ok(fs.existsSync(path.join(dir, 'checkpoint.safetensors')));
    assert.ok(!fs.existsSync(path.join(dir, 'model.safetensors')));
    assert.strictEqual(readCsv(path.join(dir, 'history.csv')).length, 2);

    const json = path.join(folder(), 'resumed.json');
    const resumed = await runCli(['train', '--resume', dir, '--json', json]);
    assert.strictEqual(resumed.code, 0, resumed.err);
    assert.match(resumed.out, /^Resuming mlp on MNIST\n/);
    assert.match(resumed.out, /training +epochs 2-3 of 3,/);
    assert.match(resumed.out, /\n {6}2 .*\n {6}3 /);
    assert.ok(!/\n {6}1 /.test(resumed.out), 'epoch 1 is not trained again');
    const summary = readJson(json);
    assert.strictEqual(summary.epochs, 3);
    assert.deepStrictEqual((summary.history as Array<{ epoch: number }>).map((e) => e.epoch),
      [1, 2, 3]);
    assert.strictEqual((summary.epoch_seconds as number[]).length, 3);
    assert.strictEqual(readCsv(path.join(dir, 'history.csv')).length, 4);
    assert.ok(!fs.existsSync(path.join(dir, 'checkpoint.safetensors')));

    // A finished run continues only with more epochs.
    const more = await runCli(['train', '--resume', dir, '--epochs', '4']);
    assert.strictEqual(more.code, 0, more.err);
    assert.strictEqual(readJson(path.join(dir, 'summary.json')).epochs, 4);
    const none = await runCli(['train', '--resume', dir]);
    assert.strictEqual(none.code, 0, none.err);
    assert.match(none.out, /The run already has 4 epochs; nothing to train/);
  });

  it('carries on and writes its files when the reader of its output goes (| head)',
    async () => {
      const dir = path.join(folder(), 'closed-pipe');
      const child = spawnCli(['train', '--preset', 'logreg', '--limit', '1200', '--epochs', '3',
        '--no-progress', '--out', dir], folder());
      const done = finished(child);
      // Read the first line, then close the pipe, as `head -1` does.
      child.stdout!.once('data', () => child.stdout!.destroy());
      const result = await done;
      assert.strictEqual(result.code, 0, `exit ${result.code} ${result.signal}\n${result.err}`);
      assert.ok(!result.err.includes('EPIPE'), result.err);
      assert.strictEqual(readJson(path.join(dir, 'summary.json')).epochs, 3);
    });

  it('Ctrl-C in a terminal run: exit 130, checkpoint, resume hint', async function () {
    const dir = path.join(folder(), 'sigint');
    const args = native ? ['train', '--limit', '3000', '--epochs', '20']
      : ['train', '--preset', 'logreg', '--backend', 'js', '--limit', '6000', '--epochs', '50'];
    const child = spawnCli([...args, '--out', dir], folder());
    const done = finished(child);
    let seen = '';
    child.stdout!.on('data', (chunk) => {
      seen += chunk;
      if (/\n {6}1 /.test(seen)) child.kill('SIGINT');
    });
    const result = await done;
    assert.strictEqual(result.code, 130, `exit ${result.code} ${result.signal}\n${result.err}`);
    assert.ok(result.err.includes('Interrupted: stopping after the current batch'), result.err);
    assert.ok(result.err.includes(`Resume with: lamina train --resume ${dir}\n`), result.err);
    const history = readCsv(path.join(dir, 'history.csv'));
    assert.ok(history.length >= 2 && history.length < 21, `${history.length - 1} epochs`);

    // Resume to one more epoch than was done.
    const epochs = history.length - 1 + 1;
    const resumed = await runCli(['train', '--resume', dir, '--epochs', String(epochs)]);
    assert.strictEqual(resumed.code, 0, resumed.err);
    assert.strictEqual(readJson(path.join(dir, 'summary.json')).epochs, epochs);
  });
});
