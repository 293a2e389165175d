/**
 * Nothing the user saved is lost: every writer of the library and of the `lamina` command
 * replaces its file atomically, so a write that fails part-way (a full disk), a flush that
 * fails (a failing disk) or a rename that fails (a read-only folder) leaves the previous file
 * exactly as it was and no temporary file behind. Faults are injected into fs (faults.ts);
 * where the machine lets root mount a tmpfs, a really full file system is tried as well.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  DenseLayer, InputLayer, NeuralNet, softmax, toCsv, writeDigitGrid, writeDigitPng, writeIdx,
  writeIdxSync,
} from '../../lib';
import { leftoverTemporaries, temporaryFolder } from '../data/temp';
import { finished, nativeAvailable, runCli, spawnCli, writeMnistCsv } from '../cli/helpers';
import { FaultStep, faultCode, withFault } from './faults';

const STEPS: FaultStep[] = ['write', 'datasync', 'rename'];

/** A small trained net (JS backend: no addon needed). */
async function trainedNet(units = 3, seed = 1): Promise<NeuralNet> {
  const net = new NeuralNet({
    layers: [new InputLayer({ shape: [null, 4] }),
      new DenseLayer({ name: 'out', numUnits: units, nonlinearity: softmax })],
    max_epochs: 1, backend: 'js', verbose: 0, seed,
  });
  await net.fit(Float32Array.from({ length: 24 }, (_, i) => i % 5), [0, 1, 2, 0, 1, 2]);
  return net;
}

/**
 * Writes the file once, then again with each fault: every faulty write must reject with the
 * fault's error code and leave the first file byte for byte, with no temporary file.
 */
async function checkWriter(folder: string, name: string,
  write: (file: string, attempt: number) => Promise<unknown> | unknown): Promise<void> {
  const file = path.join(folder, name);
  await write(file, 0);
  const before = fs.readFileSync(file);
  let attempt = 1;
  for (const step of STEPS) {
    await withFault({ step, target: name }, async (log) => {
      await assert.rejects(async () => write(file, attempt++), (error: NodeJS.ErrnoException) => {
        assert.strictEqual(error.code, faultCode(step), `${name}, ${step}: ${error.message}`);
        assert.ok(error.message.endsWith(`(writing ${file}; the previous file is unchanged)`),
          error.message);
        return true;
      });
      assert.deepStrictEqual(log.raised, [`${step} ${name}`], `${name}: the fault was hit`);
    });
    assert.ok(fs.readFileSync(file).equals(before), `${name}: changed by a failed ${step}`);
    assert.deepStrictEqual(leftoverTemporaries(folder), [], `${name}: temporary left (${step})`);
  }

  // And without a fault the new content does arrive.
  await write(file, attempt);
  assert.ok(fs.existsSync(file));
}

describe('reliability: a failed save never loses the previous file', function () {
  this.timeout(60000);
  const folder = temporaryFolder('no-loss');

  it('NeuralNet.save and saveParams (write, flush and rename failures)', async () => {
    const nets = [await trainedNet(3, 1), await trainedNet(3, 2)];
    await checkWriter(folder(), 'model.safetensors', (file, attempt) =>
      nets[Math.min(attempt, 1)].save(file));
    await checkWriter(folder(), 'weights.params', (file, attempt) =>
      nets[Math.min(attempt, 1)].saveParams(file));
    const loaded = await NeuralNet.load(path.join(folder(), 'model.safetensors'),
      { backend: 'js' });
    assert.deepStrictEqual(loaded.getParams(), nets[1].getParams(), 'the last good save');
  });

  it('writeIdx and writeIdxSync, plain and gzip', async () => {
    const data = (attempt: number) => Uint8Array.from({ length: 64 }, (_, i) => i + attempt);
    await checkWriter(folder(), 'images-idx1-ubyte', (file, attempt) =>
      writeIdx(file, data(attempt)));
    await checkWriter(folder(), 'images-idx1-ubyte.gz', (file, attempt) =>
      writeIdx(file, data(attempt)));
    await checkWriter(folder(), 'sync-idx1-ubyte', (file, attempt) =>
      writeIdxSync(file, data(attempt)));
  });

  it('toCsv (streamed), plain and gzip', async () => {
    const dataset = (attempt: number) => ({
      X: Uint8Array.from({ length: 40 * 16 }, (_, i) => (i * 7 + attempt) % 256),
      y: Int32Array.from({ length: 40 }, (_, i) => i % 10),
    });
    await checkWriter(folder(), 'table.csv', (file, attempt) => toCsv(file, dataset(attempt)));
    await checkWriter(folder(), 'table.csv.gz', (file, attempt) =>
      toCsv(file, dataset(attempt)));
  });

  it('writeDigitPng and writeDigitGrid', async () => {
    const digit = (attempt: number) => Uint8Array.from({ length: 784 }, (_, i) =>
      (i * 13 + attempt) % 256);
    await checkWriter(folder(), 'digit.png', (file, attempt) =>
      writeDigitPng(file, digit(attempt), { scale: 2 }));
    await checkWriter(folder(), 'grid.png', (file, attempt) => writeDigitGrid(file,
      { X: Uint8Array.from([...digit(attempt), ...digit(attempt + 1)]), n: 2, rows: 28,
        cols: 28 }));
  });

  describe('the lamina command', () => {
    const backend = nativeAvailable() ? 'native' : 'js';

    it('train: the model, history.csv, report.html, summary.json and run.json of a run',
      async () => {
        const dir = path.join(folder(), 'run');
        const args = ['train', '--preset', 'logreg', '--limit', '300', '--epochs', '1',
          '--out', dir, '--backend', backend];
        const first = await runCli(args);
        assert.strictEqual(first.code, 0, first.err);
        const files = ['model.safetensors', 'history.csv', 'report.html', 'summary.json',
          'run.json'];
        for (const name of files) {
          const before = fs.readFileSync(path.join(dir, name));
          await withFault({ step: 'write', target: name }, async (log) => {
            await assert.rejects(runCli(args), { code: 'ENOSPC' }, name);
            assert.deepStrictEqual(log.raised, [`write ${name}`]);
          });
          assert.ok(fs.readFileSync(path.join(dir, name)).equals(before), `${name} changed`);
          assert.deepStrictEqual(leftoverTemporaries(dir), [], `temporary left (${name})`);
        }
      });

    it('predict --out: the CSV of predictions', async () => {
      const model = path.join(folder(), 'predict-model.safetensors');
      const net = new NeuralNet({ layers: [new InputLayer({ shape: [null, 784] }),
        new DenseLayer({ numUnits: 10, nonlinearity: softmax })], backend: 'js', verbose: 0 });
      await net.save(model);
      const tables = await writeMnistCsv(fs.mkdtempSync(path.join(folder(), 'csv-')), 1, 3,
        { labelColumn: null });
      await checkWriter(folder(), 'predictions.csv', async (file) => {
        const result = await runCli(['predict', model, tables.test, '--out', file, '--backend',
          'js']);
        assert.strictEqual(result.code, 0, result.err);
      });
    });
  });

  describe('a really full file system (tmpfs, when root may mount one)', () => {
    let mountPoint = '';

    before(function () {
      mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'lamina-full-'));
      try {
        // 96 KiB: room for one model of ~40 KiB and its replacement's first half.
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96k', 'tmpfs', mountPoint],
          { stdio: 'ignore' });
      } catch {
        fs.rmSync(mountPoint, { recursive: true, force: true });
        mountPoint = '';
        console.log('      (skipped: mounting a tmpfs is not permitted here)');
        this.skip();
      }
    });

    after(() => {
      if (!mountPoint) return;
      execFileSync('umount', [mountPoint]);
      fs.rmSync(mountPoint, { recursive: true, force: true });
    });

    it('NeuralNet.save fails with ENOSPC and the old model still loads', async () => {
      const file = path.join(mountPoint, 'model.safetensors');
      const net = await trainedNet(2500, 1); // 4 x 2500 + 2500 weights: 50 KB
      await net.save(file);
      const before = fs.readFileSync(file);
      const other = await trainedNet(2500, 2);
      await assert.rejects(other.save(file), { code: 'ENOSPC' });
      assert.ok(fs.readFileSync(file).equals(before), 'the old model changed');
      assert.deepStrictEqual(leftoverTemporaries(mountPoint), []);
      const loaded = await NeuralNet.load(file, { backend: 'js' });
      assert.deepStrictEqual(loaded.getParams(), net.getParams());
    });

    it('lamina train on a full disk exits 1 naming the file it could not write', async () => {
      // The mlp checkpoint (636 KB) cannot fit: the run stops at the first epoch's checkpoint.
      const dir = path.join(mountPoint, 'run');
      const child = spawnCli(['train', '--preset', 'mlp', '--limit', '100', '--epochs', '1',
        '--out', dir, '--backend', 'js'], mountPoint);
      const { code, err } = await finished(child);
      assert.strictEqual(code, 1, err);
      assert.strictEqual(err, 'lamina: ENOSPC: no space left on device, write (writing ' +
        `${path.join(dir, 'checkpoint.safetensors')}; nothing was written)\n`);
      assert.deepStrictEqual(leftoverTemporaries(dir), []);
      assert.ok(fs.existsSync(path.join(dir, 'run.json')), 'the run settings were kept');
    });
  });
});
