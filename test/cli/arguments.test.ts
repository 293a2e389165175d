/**
 * Bad arguments: one error line, the subcommand's usage, exit code 2; missing files name the
 * path looked for; typos get the closest valid name.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { augmentOption, choiceOption, integerOption, numberOption } from '../../lib/cli/common';
import { indexOption } from '../../lib/cli/show';
import { packageRoot } from '../../lib/native';
import { temporaryFolder } from '../data/temp';
import { nativeAvailable, runCli } from './helpers';

/** Asserts a usage error: exit 2, the message on stderr, then the usage of the subcommand. */
async function assertUsageError(args: string[], message: string | RegExp, usage: string):
  Promise<void> {
  const result = await runCli(args);
  assert.strictEqual(result.code, 2, `exit code of lamina ${args.join(' ')}: ${result.err}`);
  assert.strictEqual(result.out, '');
  const lines = result.err.trimEnd().split('\n');
  if (typeof message === 'string') assert.strictEqual(lines[0], message);
  else assert.match(lines[0], message);
  assert.ok(result.err.includes(`Usage: ${usage}`), `usage line in:\n${result.err}`);
}

describe('cli: arguments', () => {
  const folder = temporaryFolder('cli-args');

  describe('option values', () => {
    it('parses integers and rejects the rest with the expected range', () => {
      const epochs = integerOption(1);
      assert.strictEqual(epochs('12'), 12);
      for (const bad of ['0', '-1', '1.5', 'x', '']) {
        assert.throws(() => epochs(bad), { code: 'commander.invalidArgument',
          message: 'Expected an integer >= 1.' });
      }
      assert.throws(() => integerOption(1, 1024)('2000'),
        { message: 'Expected an integer in [1, 1024].' });
    });

    it('parses numbers with open and closed bounds', () => {
      const rate = numberOption(0, Infinity, { lowOpen: true });
      assert.strictEqual(rate('0.05'), 0.05);
      assert.throws(() => rate('0'), { message: 'Expected a number > 0.' });
      const evalSize = numberOption(0, 1, { highOpen: true });
      assert.strictEqual(evalSize('0'), 0);
      assert.throws(() => evalSize('1'), { message: 'Expected a number >= 0 and < 1.' });
      assert.throws(() => evalSize('NaN'), { message: 'Expected a number >= 0 and < 1.' });
    });

    it('parses choices, suggesting the closest', () => {
      const preset = choiceOption(['logreg', 'mlp', 'mlp2', 'lenet'] as const);
      assert.strictEqual(preset('mlp2'), 'mlp2');
      assert.throws(() => preset('lenat'),
        { message: 'Expected one of logreg, mlp, mlp2, lenet; did you mean lenet?' });
      assert.throws(() => preset('resnet50'),
        { message: 'Expected one of logreg, mlp, mlp2, lenet.' });
    });

    it('parses --augment lists and --index ranges', () => {
      assert.deepStrictEqual(augmentOption('elastic'), ['elastic']);
      assert.deepStrictEqual(augmentOption('elastic, affine,elastic'), ['elastic', 'affine']);
      assert.throws(() => augmentOption('elastik'),
        { message: 'Expected one of elastic, affine; did you mean elastic?' });
      assert.deepStrictEqual(indexOption('3:10'), { start: 3, end: 10 });
      assert.deepStrictEqual(indexOption('5'), { start: 5, end: 6 });
      assert.deepStrictEqual(indexOption(':4'), { start: undefined, end: 4 });
      assert.deepStrictEqual(indexOption('7:'), { start: 7, end: undefined });
      assert.throws(() => indexOption('9:3'), { message: 'Expected A < B but received 9:3.' });
      assert.throws(() => indexOption('a:b'), /Expected A:B/);
    });
  });

  describe('help and info (exit 0)', () => {
    it('lists the commands and the options of each', async () => {
      const root = await runCli(['--help']);
      assert.strictEqual(root.code, 0);
      for (const name of ['train', 'evaluate', 'predict', 'show', 'info']) {
        assert.match(root.out, new RegExp(`\\n  ${name} `), root.out);
      }
      const train = await runCli(['train', '--help']);
      assert.strictEqual(train.code, 0);
      for (const option of ['--preset', '--layers', '--data', '--train', '--test',
        '--label-column', '--limit', '--epochs', '--batch-size', '--learning-rate',
        '--final-learning-rate', '--update', '--threads', '--seed', '--eval-size', '--augment',
        '--backend', '--out', '--json', '--resume', '--no-progress']) {
        assert.ok(train.out.includes(`  ${option} `), `${option} in train --help`);
      }
    });

    it('prints the build information', async function () {
      if (!nativeAvailable()) return this.skip();
      const text = await runCli(['info']);
      assert.strictEqual(text.code, 0);
      assert.match(text.out, /^version +\d+\.\d+\.\d+\ngemm +(openblas|builtin)\n/);
      const json = await runCli(['info', '--json']);
      assert.ok(['openblas', 'builtin'].includes(JSON.parse(json.out).gemm));
    });

    it('prints the version with --version or -V', async () => {
      const { version } = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'),
        'utf8'));
      for (const flag of ['--version', '-V']) {
        const result = await runCli([flag]);
        assert.strictEqual(result.code, 0, result.err);
        assert.strictEqual(result.out, `${version}\n`);
      }
    });
  });

  describe('usage errors (exit 2)', () => {
    it('rejects a bad option value with the subcommand usage', async () => {
      await assertUsageError(['train', '--epochs', '0'],
        "error: option '--epochs <n>' argument '0' is invalid. Expected an integer >= 1.",
        'lamina train [options]');
      await assertUsageError(['train', '--preset', 'lenat'],
        "error: option '--preset <name>' argument 'lenat' is invalid. Expected one of " +
        'logreg, mlp, mlp2, lenet, lenet-elastic; did you mean lenet?', 'lamina train [options]');
      await assertUsageError(['train', '--eval-size', '1'],
        "error: option '--eval-size <x>' argument '1' is invalid. Expected a number >= 0 and " +
        '< 1.', 'lamina train [options]');
      await assertUsageError(['evaluate', 'model.safetensors', '--limit', 'all'],
        "error: option '--limit <n>' argument 'all' is invalid. Expected an integer >= 1.",
        'lamina evaluate [options] <model>');
    });

    it('suggests the closest option for a misspelled one', async () => {
      const result = await runCli(['train', '--epoch', '3']);
      assert.strictEqual(result.code, 2);
      assert.strictEqual(result.err.split('\n')[0], "error: unknown option '--epoch'");
      assert.ok(result.err.includes('(Did you mean --epochs?)'), result.err);
      assert.ok(result.err.includes('Usage: lamina train [options]'), result.err);
    });

    it('rejects an unknown command', async () => {
      const result = await runCli(['trian']);
      assert.strictEqual(result.code, 2);
      assert.match(result.err, /^error: unknown command 'trian'\n\(Did you mean train\?\)/);
    });

    it('rejects options that cannot go together', async () => {
      await assertUsageError(['train', '--preset', 'mlp', '--layers', 'net.json'],
        'error: --preset and --layers are two ways to give the network; give one',
        'lamina train [options]');
      await assertUsageError(['train', '--train', 'a.csv'],
        'error: --train needs --test (the table the test error is measured on)',
        'lamina train [options]');
      await assertUsageError(['train', '--data', 'dir', '--train', 'a.csv', '--test', 'b.csv'],
        'error: --data (IDX files) and --train/--test (CSV tables) are two sources of images; ' +
        'give one', 'lamina train [options]');
      await assertUsageError(['train', '--label-column', 'label'],
        'error: --label-column applies to CSV tables: give it with --train and --test',
        'lamina train [options]');
      await assertUsageError(['train', '--resume', 'runs/x', '--preset', 'mlp', '--limit', '5'],
        'error: --preset, --limit cannot be changed when resuming: --resume takes the settings ' +
        'of the run from its run.json (only --epochs, --threads, --backend, --json and ' +
        '--no-progress may be given)', 'lamina train [options]');
    });

    it('rejects missing arguments of predict and show', async () => {
      await assertUsageError(['predict', 'model.safetensors'],
        "error: missing required argument 'inputs'", 'lamina predict [options] <model> ' +
        '<inputs...>');
      await assertUsageError(['show'], "error: required option '--out <file.png>' not " +
        'specified', 'lamina show [options]');
    });
  });

  describe('missing files name the path looked for (exit 2)', () => {
    it('a --data folder that does not exist', async () => {
      const missing = path.join(folder(), 'no-such-folder');
      await assertUsageError(['train', '--data', missing],
        `error: --data: no such folder: ${missing}`, 'lamina train [options]');
    });

    it('a --data folder without the MNIST files', async () => {
      const empty = path.join(folder(), 'empty');
      fs.mkdirSync(empty);
      await assertUsageError(['train', '--data', empty],
        `error: --data: The MNIST folder ${empty} has no trainImages file: looked for ` +
        'train-images-idx3-ubyte, train-images-idx3-ubyte.gz, train-images.idx3-ubyte, ' +
        'train-images.idx3-ubyte.gz', 'lamina train [options]');
    });

    it('CSV tables, models, network files and run folders', async () => {
      const missing = (name: string) => path.join(folder(), name);
      await assertUsageError(['train', '--train', missing('a.csv'), '--test', missing('b.csv')],
        `error: --train: no such file: ${missing('a.csv')}`, 'lamina train [options]');
      await assertUsageError(['evaluate', missing('m.safetensors')],
        `error: model: no such file: ${missing('m.safetensors')}`,
        'lamina evaluate [options] <model>');
      await assertUsageError(['train', '--layers', missing('net.json')],
        `error: --layers: no such file: ${missing('net.json')}`, 'lamina train [options]');
      await assertUsageError(['train', '--resume', missing('run')],
        `error: --resume: no such folder: ${missing('run')}`, 'lamina train [options]');
      fs.mkdirSync(missing('not-a-run'));
      await assertUsageError(['train', '--resume', missing('not-a-run')],
        `error: --resume: ${missing('not-a-run')} is not a run folder: looked for ` +
        `${path.join(missing('not-a-run'), 'run.json')}`, 'lamina train [options]');
    });
  });

  describe('tables, run folders and pictures that cannot serve', () => {
    /** Asserts a failure (exit 1) with one error line. */
    async function assertFailure(args: string[], message: string): Promise<void> {
      const result = await runCli(args);
      assert.strictEqual(result.code, 1, `exit code of lamina ${args.join(' ')}: ${result.err}`);
      assert.strictEqual(result.err, `${message}\n`);
    }
    const table = (name: string, text: string) => {
      const file = path.join(folder(), name);
      fs.writeFileSync(file, text);
      return file;
    };

    it('an empty table, a header without rows, a label column past the last', async () => {
      const empty = table('empty.csv', '');
      const headerOnly = table('header.csv', 'label,p0,p1,p2,p3\n');
      const small = table('small.csv', 'label,p0,p1,p2,p3\n1,0,0,255,0\n0,9,0,0,0\n');
      await assertFailure(['train', '--train', empty, '--test', small],
        `error: --train ${empty} is empty: expected a table with one image per row`);
      await assertFailure(['train', '--train', headerOnly, '--test', small],
        `error: --train ${headerOnly} has a header row but no images`);
      await assertUsageError(['train', '--train', small, '--test', small, '--label-column', '9'],
        `error: --label-column 9: --train ${small} has 5 columns, numbered 0 to 4`,
        'lamina train [options]');
    });

    it('--out naming a file', async () => {
      const file = table('not-a-folder', 'x');
      await assertUsageError(['train', '--limit', '60', '--out', file],
        `error: --out ${file} is a file, not a folder; give a folder for the run's files`,
        'lamina train [options]');
      await assertUsageError(['train', '--limit', '60', '--out', path.join(file, 'run')],
        `error: --out ${path.join(file, 'run')}: ${file} is a file, so the folder cannot be ` +
        'made there', 'lamina train [options]');
    });

    it('a truncated PNG', async function () {
      if (!nativeAvailable()) this.skip();
      const model = path.join(folder(), 'tiny-model');
      const trained = await runCli(['train', '--preset', 'logreg', '--limit', '60', '--epochs',
        '1', '--out', model]);
      assert.strictEqual(trained.code, 0, trained.err);
      const picture = path.join(folder(), 'seven.png');
      const shown = await runCli(['show', '--index', '0:1', '--out', picture]);
      assert.strictEqual(shown.code, 0, shown.err);
      const truncated = table('truncated.png', '');
      fs.writeFileSync(truncated, fs.readFileSync(picture).subarray(0, 100));
      await assertFailure(['predict', path.join(model, 'model.safetensors'), truncated],
        `error: input: ${truncated} is not a readable PNG: it ends early (truncated after 100 ` +
        'bytes)');
    });
  });

  describe('--layers files', () => {
    const write = (name: string, json: unknown) => {
      const file = path.join(folder(), name);
      fs.writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
      return file;
    };
    const good = {
      layers: [['input', 'InputLayer'], ['hidden', 'DenseLayer'], ['output', 'DenseLayer']],
      input_shape: [null, 784],
      hidden_num_units: 20,
      output_nonlinearity: 'softmax',
      output_num_units: 10,
    };

    it('names a misspelled parameter and the closest valid one', async () => {
      const file = write('typo.json', { ...good, hiden_num_units: 20, hidden_num_units:
        undefined });
      await assertUsageError(['train', '--layers', file, '--limit', '60'],
        `error: --layers ${file}: Unknown parameter 'hiden_num_units' for NeuralNet; did you ` +
        "mean 'hidden_num_units'?", 'lamina train [options]');
    });

    it('names an unknown layer class, initializer and nonlinearity', async () => {
      const badClass = write('class.json', { ...good, layers: [['input', 'InputLayer'],
        ['hidden', 'DenseLayr'], ['output', 'DenseLayer']] });
      await assertUsageError(['train', '--layers', badClass],
        `error: --layers ${badClass}: unknown layer class 'DenseLayr' at layers[1][1]; did ` +
        "you mean 'DenseLayer'?", 'lamina train [options]');
      const badInit = write('init.json', { ...good, hidden_W: 'GlorotUnifrom' });
      await assertUsageError(['train', '--layers', badInit],
        `error: --layers ${badInit}: unknown initializer 'GlorotUnifrom' for hidden_W; did ` +
        "you mean 'GlorotUniform'?", 'lamina train [options]');
      const badNonlinearity = write('nonlinearity.json', { ...good,
        output_nonlinearity: 'sofmax' });
      await assertUsageError(['train', '--layers', badNonlinearity, '--limit', '60'],
        `error: --layers ${badNonlinearity}: Expected a nonlinearity (rectify, softmax, tanh, ` +
        'sigmoid, linear, leaky_rectify, elu, softplus), its name or null for ' +
        "output_nonlinearity but received \"sofmax\" (string); did you mean 'softmax'?",
        'lamina train [options]');
    });

    it('rejects invalid JSON, a missing layer list and options that are code', async () => {
      const broken = write('broken.json', '{"layers": [');
      await assertUsageError(['train', '--layers', broken],
        new RegExp(`^error: --layers ${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not ` +
          'valid JSON: '), 'lamina train [options]');
      const noLayers = write('nolayers.json', { input_shape: [null, 784] });
      await assertUsageError(['train', '--layers', noLayers],
        `error: --layers ${noLayers}: expected "layers": a list such as [["input", ` +
        '"InputLayer"], ["output", "DenseLayer"]] but found undefined',
        'lamina train [options]');
      const verbose = write('verbose.json', { ...good, verbose: 1 });
      await assertUsageError(['train', '--layers', verbose],
        `error: --layers ${verbose}: 'verbose' is not supported in a network file: lamina ` +
        'train prints the epoch table', 'lamina train [options]');
    });

    it('rejects a network whose input does not fit the images', async () => {
      const file = write('small.json', { ...good, input_shape: [null, 100] });
      await assertUsageError(['train', '--layers', file, '--limit', '60', '--out',
        path.join(folder(), 'small')],
      'error: the network takes 100 inputs but the images have 784 pixels (28x28)',
      'lamina train [options]');
    });
  });
});
