import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { adam, DenseLayer, InputLayer, NeuralNet, softmax } from '../../lib';
import { DataFormatError } from '../../lib/data/errors';
import { readLaminaFile } from '../../lib/model-file';
import { decodeSafetensors, encodeSafetensors } from '../../lib/safetensors';
import { blobs, capturePrint, hasJsBackend, temporaryFolder } from '../helpers/estimator';

const FIXTURES = path.resolve(__dirname, '../../../test/estimator/fixtures');

function concat(chunks: Uint8Array[]): Buffer {
  return Buffer.concat(chunks.map((chunk) => Buffer.from(chunk.buffer, chunk.byteOffset,
    chunk.byteLength)));
}

function mlp(extra: Record<string, unknown> = {}): NeuralNet {
  return new NeuralNet({
    layers: [['input', InputLayer], ['hidden', DenseLayer], ['output', DenseLayer]],
    input_shape: [null, 4],
    hidden_num_units: 5,
    output_num_units: 2,
    output_nonlinearity: softmax,
    max_epochs: 2,
    backend: 'js',
    ...extra,
  } as never);
}

/** Whether Python with the safetensors package is available (optional check). */
function pythonSafetensors(): boolean {
  try {
    execFileSync('python3', ['-c', 'import safetensors.numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('estimator: persistence', () => {
  let folder: string;
  let cleanup: () => void;
  beforeEach(() => ({ folder, cleanup } = temporaryFolder()));
  afterEach(() => cleanup());

  describe('safetensors', () => {
    it('encodes the header length, an 8-byte aligned JSON header and the data', () => {
      const W = Float32Array.from([1, 2, 3, 4, 5, 6]);
      const b = Float32Array.from([-1, 0.5]);
      const bytes = concat(encodeSafetensors([
        { name: 'out.W', shape: [3, 2], values: W },
        { name: 'out.b', shape: [2], values: b },
      ], { format: 'test' }));
      const length = Number(bytes.readBigUInt64LE(0));
      assert.strictEqual(length % 8, 0);
      const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8'));
      assert.deepStrictEqual(header, {
        __metadata__: { format: 'test' },
        'out.W': { dtype: 'F32', shape: [3, 2], data_offsets: [0, 24] },
        'out.b': { dtype: 'F32', shape: [2], data_offsets: [24, 32] },
      });
      assert.strictEqual(bytes.length, 8 + length + 32);
      assert.strictEqual(bytes.readFloatLE(8 + length + 24), -1);
      const decoded = decodeSafetensors(bytes, 'memory');
      assert.deepStrictEqual(decoded.metadata, { format: 'test' });
      assert.deepStrictEqual(decoded.tensors.map((tensor) => [tensor.name, tensor.shape,
        Array.from(tensor.values)]), [['out.W', [3, 2], [1, 2, 3, 4, 5, 6]],
        ['out.b', [2], [-1, 0.5]]]);
    });

    it('reads a file written by Python\'s safetensors (F32 and F64 tensors)', async () => {
      const file = await readLaminaFile(path.join(FIXTURES, 'python-params.safetensors'));
      const byName = Object.fromEntries(file.params.map((param) => [`${param.layer}.${param.name}`,
        param]));
      assert.deepStrictEqual(byName['output.W'].shape, [3, 2]);
      assert.deepStrictEqual(Array.from(byName['output.W'].values), [0, 0.25, 0.5, 0.75, 1, 1.25]);
      assert.deepStrictEqual(Array.from(byName['output.b'].values), [0.5, -1.5]);
      assert.deepStrictEqual(file.metadata, { written_by: 'safetensors.numpy' });
    });

    it('writes files that Python\'s safetensors opens (when Python has it)', async function () {
      if (!pythonSafetensors()) this.skip();
      const target = path.join(folder, 'params.safetensors');
      fs.writeFileSync(target, concat(encodeSafetensors([
        { name: 'hidden.W', shape: [2, 3], values: Float32Array.from([1, 2, 3, 4, 5, 6]) },
      ], { format: 'lamina-params', format_version: '1' })));
      const out = execFileSync('python3', ['-c', [
        'import sys',
        'from safetensors.numpy import load_file',
        'from safetensors import safe_open',
        'w = load_file(sys.argv[1])["hidden.W"]',
        'm = safe_open(sys.argv[1], "np").metadata()',
        'print(w.shape, w.dtype, float(w.sum()), m["format"])',
      ].join('\n'), target]).toString().trim();
      assert.strictEqual(out, '(2, 3) float32 21.0 lamina-params');
    });
  });

  describe('corrupt files', () => {
    /** Asserts reading the bytes fails with DataFormatError `<file> <message>`. */
    async function rejectsFile(bytes: Uint8Array, message: string): Promise<void> {
      const target = path.join(folder, 'broken.safetensors');
      fs.writeFileSync(target, bytes);
      await assert.rejects(readLaminaFile(target), (error: Error) => {
        assert.ok(error instanceof DataFormatError, `class of: ${error.message}`);
        assert.strictEqual((error as DataFormatError).path, target);
        assert.strictEqual(error.message, `${target} ${message}`);
        return true;
      });
    }

    const good = concat(encodeSafetensors([
      { name: 'out.W', shape: [2, 2], values: Float32Array.from([1, 2, 3, 4]) },
    ], { format: 'lamina-params', format_version: '1' }));

    it('reports truncated files', async () => {
      const invalid = 'is not a valid safetensors file:';
      const headerLength = Number(good.readBigUInt64LE(0));
      await rejectsFile(good.subarray(0, good.length - 4), `${invalid} tensor 'out.W' ends at ` +
        'byte 16 of the data but the file holds 12 bytes of data (truncated?)');
      await rejectsFile(good.subarray(0, 20), `${invalid} the header is ${headerLength} bytes ` +
        'long but the file has only 12 after the length (truncated?)');
      await rejectsFile(good.subarray(0, 5), `${invalid} it has 5 bytes, fewer than the 8 of ` +
        'the header length (truncated?)');
    });

    it('reports corrupt headers, dtypes and tensor names', async () => {
      const corrupt = Buffer.from(good);
      corrupt[8] = 0x21;
      const parseError = (() => {
        try {
          JSON.parse(corrupt.subarray(8, 8 + Number(corrupt.readBigUInt64LE(0))).toString());
        } catch (error) {
          return (error as Error).message;
        }
        return '';
      })();
      await rejectsFile(corrupt, `is not a valid safetensors file: its header is not JSON ` +
        `(${parseError})`);
      const header = (value: object) => {
        let json = Buffer.from(JSON.stringify(value));
        json = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, 0x20)]);
        const prefix = Buffer.alloc(8);
        prefix.writeBigUInt64LE(BigInt(json.length));
        return Buffer.concat([prefix, json, Buffer.alloc(16)]);
      };
      await rejectsFile(header({ 'out.W': { dtype: 'I32', shape: [4], data_offsets: [0, 16] } }),
        'is not a valid safetensors file: tensor \'out.W\' has dtype "I32"; only F32 and F64 ' +
        'are supported');
      await rejectsFile(header({ 'out.W': { dtype: 'F32', shape: [5], data_offsets: [0, 16] } }),
        "is not a valid safetensors file: tensor 'out.W' of shape 5 needs 20 bytes but its " +
        'data_offsets span 16');
      await rejectsFile(header([1, 2]),
        'is not a valid safetensors file: its header is not a JSON object');
      await rejectsFile(header({ weights: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }),
        "holds a tensor named 'weights'; Lamina names parameters '<layer>.W' and '<layer>.b'");
    });

    it('reports a file of a newer format version', async () => {
      await rejectsFile(concat(encodeSafetensors([], { format: 'lamina-model',
        format_version: '2' })), 'was written by a newer version of Lamina (format version ' +
        '2); this version reads format version 1 and older: upgrade lamina to read it');
    });

    it('reports a missing file by name', async () => {
      const missing = path.join(folder, 'nowhere.safetensors');
      await assert.rejects(NeuralNet.load(missing), (error: NodeJS.ErrnoException) =>
        error.code === 'ENOENT' && error.message.includes(missing));
    });
  });

  describe('with the JS backend', () => {
    beforeEach(function () {
      if (!hasJsBackend()) this.skip();
    });
    const data = blobs(40, 2, 4);

    it('saves and loads parameters by layer name', async () => {
      const net = mlp();
      await net.fit(data.X, data.y);
      const file = path.join(folder, 'mlp.params');
      await net.saveParams(file);
      const fresh = mlp({ seed: 7 });
      assert.notDeepStrictEqual(fresh.getParams(), net.getParams());
      const report = await fresh.loadParams(file);
      assert.deepStrictEqual(report, { loaded: ['hidden.W', 'hidden.b', 'output.W', 'output.b'],
        mismatched: [], missing: [], unused: [] });
      assert.deepStrictEqual(fresh.getParams(), net.getParams());
      assert.deepStrictEqual(await fresh.predictProba(data.X), await net.predictProba(data.X));
    });

    it('reports shape mismatches like nolearn and loads the rest', async () => {
      const source = mlp();
      const { print, text } = capturePrint();
      const wider = mlp({ hidden_num_units: 6, verbose: 1, print });
      const report = await wider.loadParams(source);
      // output.b has the same shape in both nets: it loads.
      assert.deepStrictEqual(report.loaded, ['output.b']);
      assert.deepStrictEqual(report.mismatched.map((item) => item.param),
        ['hidden.W', 'hidden.b', 'output.W']);
      assert.deepStrictEqual([report.missing, report.unused], [[], []]);
      assert.ok(text().includes("Could not load parameters to layer 'hidden.W' because shapes " +
        'did not match: 4x5 vs 4x6.\n'), text());
      await assert.rejects(mlp({ hidden_num_units: 6 }).loadParams(source, { strict: true }), {
        name: 'RangeError',
        message: 'Could not load every parameter: hidden.W has shape 4x5 in the source but 4x6 ' +
          'here; hidden.b has shape 5 in the source but 6 here; output.W has shape 5x2 in the ' +
          'source but 6x2 here',
      });
    });

    it('loads parameters written by Python into a matching net', async () => {
      const net = new NeuralNet({ layers: [['input', InputLayer], ['output', DenseLayer]],
        input_shape: [null, 3], output_num_units: 2, output_nonlinearity: softmax,
        backend: 'js' });
      const report = await net.loadParams(path.join(FIXTURES, 'python-params.safetensors'),
        { strict: true });
      assert.deepStrictEqual(report.loaded, ['output.W', 'output.b']);
      const output = await net.predictProba([[0, 0, 0]]);
      const expected = [Math.exp(0.5), Math.exp(-1.5)];
      const sum = expected[0] + expected[1];
      assert.ok(Math.abs(output[0] - expected[0] / sum) < 1e-6, `${output[0]}`);
    });

    it('saves and loads a whole model: network, options, weights, history', async () => {
      const net = mlp({ update: adam, update_learning_rate: 0.005, objective_l2: 0.001,
        max_epochs: 3, seed: 9, batch_size: 16 });
      await net.fit(data.X, data.y);
      const file = path.join(folder, 'model.safetensors');
      await net.save(file);
      const loaded = await NeuralNet.load(file, { backend: 'js' });
      assert.deepStrictEqual(loaded.spec, net.spec);
      assert.deepStrictEqual(loaded.trainHistory, net.trainHistory);
      assert.deepStrictEqual([loaded.update.name, loaded.updateLearningRate, loaded.maxEpochs,
        loaded.seed], ['adam', 0.005, 3, 9]);
      assert.deepStrictEqual(await loaded.predictProba(data.X), await net.predictProba(data.X));
      await loaded.fit(data.X, data.y, { epochs: 1 });
      assert.strictEqual(loaded.trainHistory[3].epoch, 4);
      await assert.rejects(NeuralNet.load(file, { layers: [] } as never), {
        name: 'TypeError', message: 'NeuralNet.load takes the layers from the file; remove layers',
      });
    });

    it('refuses to load a parameter file as a model', async () => {
      const file = path.join(folder, 'only.params');
      await mlp().saveParams(file);
      await assert.rejects(NeuralNet.load(file), (error: Error) => error instanceof
        DataFormatError && error.message === `${file} is not a Lamina model file (no network ` +
        'description; a file written by saveParams holds weights only: load it with loadParams)');
    });

    it('writes atomically: a failure mid-write leaves the old file intact', async () => {
      const net = mlp();
      const file = path.join(folder, 'model.safetensors');
      await net.save(file);
      const before = fs.readFileSync(file);

      // Make the second write of the next file fail, as a full disk would.
      const probe = await fs.promises.open(path.join(folder, 'probe'), 'w');
      const prototype = Object.getPrototypeOf(probe) as { write: (...args: unknown[]) => unknown };
      await probe.close();
      fs.rmSync(path.join(folder, 'probe'));
      const write = prototype.write;
      let writes = 0;
      prototype.write = function (this: unknown, ...args: unknown[]) {
        writes++;
        if (writes === 2) {
          return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'),
            { code: 'ENOSPC' }));
        }
        return write.apply(this, args);
      };
      try {
        await net.fit(blobs(40, 2, 4).X, blobs(40, 2, 4).y);
        await assert.rejects(net.save(file), { code: 'ENOSPC' });
      } finally {
        prototype.write = write;
      }
      assert.ok(writes >= 2, `writes ${writes}`);
      assert.ok(fs.readFileSync(file).equals(before), 'the old file changed');
      assert.deepStrictEqual(fs.readdirSync(folder), ['model.safetensors'], 'a temporary remains');
      const loaded = await NeuralNet.load(file, { backend: 'js' });
      assert.strictEqual(loaded.trainHistory.length, 0);
    });
  });
});
