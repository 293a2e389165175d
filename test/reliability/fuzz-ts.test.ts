/**
 * Mutation fuzzing of the TypeScript readers, bounded in time: valid files (IDX plain and
 * gzipped, safetensors parameter and model files, CSV tables) get random bytes flipped, set,
 * inserted, duplicated, deleted or cut off, from a seeded generator, and each result must
 * either parse or throw one of the library's documented errors (DataFormatError for content;
 * never a RangeError from a typed-array constructor, a SyntaxError, a non-Error or a hang).
 *
 * Each target runs for FUZZ_SECONDS or FUZZ_ITERATIONS mutations, whichever ends first, and
 * prints how many it ran and how they ended. LAMINA_FUZZ_SEED replays another seed.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { DataFormatError, decodeIdx, fromCsv, NeuralNet, Rng, toCsv, writeIdxSync } from
  '../../lib';
import { decodeSafetensors } from '../../lib/safetensors';
import { readLaminaFile } from '../../lib/model-file';
import { DenseLayer, InputLayer } from '../../lib/layers';
import { softmax } from '../../lib/nonlinearities';
import { temporaryFolder } from '../data/temp';

const FUZZ_SECONDS = 2;
const FUZZ_ITERATIONS = 20000;
const SEED = Number(process.env.LAMINA_FUZZ_SEED ?? 20240611);

/** One random change to bytes; returns the mutated copy. */
function mutate(rng: Rng, input: Uint8Array): Uint8Array {
  let bytes = Uint8Array.from(input);
  const changes = 1 + rng.below(4);
  for (let c = 0; c < changes; c++) {
    const at = bytes.length === 0 ? 0 : rng.below(bytes.length);
    switch (rng.below(7)) {
      case 0: // flip a bit
        if (bytes.length > 0) bytes[at] ^= 1 << rng.below(8);
        break;
      case 1: // set a byte to an interesting value
        if (bytes.length > 0) bytes[at] = [0, 0xff, 0x7f, 0x80, 0x30, 0x22, 0x2c][rng.below(7)];
        break;
      case 2: // cut off
        bytes = bytes.subarray(0, at);
        break;
      case 3: { // insert random bytes
        const extra = Uint8Array.from({ length: 1 + rng.below(16) }, () => rng.below(256));
        bytes = Buffer.concat([bytes.subarray(0, at), extra, bytes.subarray(at)]);
        break;
      }
      case 4: { // duplicate a slice
        const end = Math.min(bytes.length, at + 1 + rng.below(64));
        bytes = Buffer.concat([bytes.subarray(0, end), bytes.subarray(at, end),
          bytes.subarray(end)]);
        break;
      }
      case 5: { // delete a slice
        const end = Math.min(bytes.length, at + 1 + rng.below(64));
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(end)]);
        break;
      }
      default: // overwrite 4 bytes with a random 32-bit value (sizes, lengths)
        for (let i = 0; i < 4 && at + i < bytes.length; i++) bytes[at + i] = rng.below(256);
    }
  }
  return Uint8Array.from(bytes);
}

/** How the mutated inputs of a target ended. */
interface Tally {
  runs: number;
  parsed: number;
  rejected: number;
  slowest: number;
}

/**
 * Runs parse on mutations of the seeds until the time or iteration budget is spent. An error
 * that is not accepted fails the test with the input (base64) that caused it.
 */
async function fuzz(name: string, seeds: Uint8Array[], parse: (bytes: Uint8Array) => unknown,
  accepted: (error: unknown) => boolean, budget = { seconds: FUZZ_SECONDS,
    iterations: FUZZ_ITERATIONS }): Promise<Tally> {
  const rng = new Rng(SEED);
  const tally: Tally = { runs: 0, parsed: 0, rejected: 0, slowest: 0 };
  const deadline = Date.now() + budget.seconds * 1000;
  while (tally.runs < budget.iterations && Date.now() < deadline) {
    const input = mutate(rng, seeds[rng.below(seeds.length)]);
    const started = process.hrtime.bigint();
    try {
      await parse(input);
      tally.parsed++;
    } catch (error) {
      if (!accepted(error)) {
        const what = error instanceof Error ? `${error.constructor.name}: ${error.message}`
          : `a non-Error ${String(error)}`;
        assert.fail(`${name}: mutation ${tally.runs} (seed ${SEED}) threw ${what}\n` +
          `input (base64): ${Buffer.from(input).toString('base64')}\n` +
          (error instanceof Error ? error.stack : ''));
      }
      tally.rejected++;
    }
    tally.slowest = Math.max(tally.slowest, Number(process.hrtime.bigint() - started) / 1e6);
    tally.runs++;
  }
  console.log(`      ${name}: ${tally.runs} mutations, ${tally.parsed} parsed, ` +
    `${tally.rejected} rejected with DataFormatError, slowest ${tally.slowest.toFixed(1)} ms`);
  assert.ok(tally.slowest < 2000, `${name}: one input took ${tally.slowest} ms`);
  return tally;
}

const isDataFormatError = (error: unknown) => error instanceof DataFormatError;

describe('reliability: mutation fuzzing of the TypeScript readers', function () {
  this.timeout(60000);
  const folder = temporaryFolder('fuzz-ts');

  it('decodeIdx: parses or throws DataFormatError (plain and gzip)', async () => {
    const images = path.join(folder(), 'images-idx3-ubyte');
    writeIdxSync(images, Uint8Array.from({ length: 2 * 5 * 4 }, (_, i) => i * 3), [2, 5, 4]);
    const floats = path.join(folder(), 'floats-idx2-float');
    writeIdxSync(floats, Float32Array.from([1.5, -2, 1e30, 0, 3, 4]), [3, 2]);
    const doubles = path.join(folder(), 'doubles-idx1-double');
    writeIdxSync(doubles, Float64Array.from([Math.PI, -1]));
    const plain = [images, floats, doubles].map((file) => fs.readFileSync(file));
    const seeds = [...plain, zlib.gzipSync(plain[0])];
    const tally = await fuzz('decodeIdx', seeds, (bytes) => decodeIdx(bytes, 'fuzz'),
      isDataFormatError);
    assert.ok(tally.parsed > 0 && tally.rejected > 0, 'both outcomes seen');
  });

  describe('safetensors and model files', () => {
    let paramsFile: Uint8Array;
    let modelFile: Uint8Array;

    before(async () => {
      const net = new NeuralNet({
        layers: [new InputLayer({ shape: [null, 3] }),
          new DenseLayer({ name: 'out', numUnits: 2, nonlinearity: softmax })],
        max_epochs: 1, backend: 'js', verbose: 0,
      });
      const X = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      await net.fit(X, [0, 1, 0, 1]);
      await net.saveParams(path.join(folder(), 'net.params'));
      await net.save(path.join(folder(), 'net.safetensors'));
      paramsFile = fs.readFileSync(path.join(folder(), 'net.params'));
      modelFile = fs.readFileSync(path.join(folder(), 'net.safetensors'));
    });

    it('decodeSafetensors: parses or throws DataFormatError', async () => {
      await fuzz('decodeSafetensors', [paramsFile, modelFile],
        (bytes) => decodeSafetensors(bytes, 'fuzz.safetensors'), isDataFormatError);
    });

    it('readLaminaFile: parses or throws DataFormatError', async () => {
      const file = path.join(folder(), 'mutated.params');
      await fuzz('readLaminaFile', [paramsFile, modelFile], async (bytes) => {
        fs.writeFileSync(file, bytes);
        await readLaminaFile(file);
      }, isDataFormatError, { seconds: FUZZ_SECONDS, iterations: 3000 });
    });

    it('NeuralNet.load: loads or throws DataFormatError naming the file', async () => {
      const file = path.join(folder(), 'mutated.safetensors');
      await fuzz('NeuralNet.load', [modelFile], async (bytes) => {
        fs.writeFileSync(file, bytes);
        const net = await NeuralNet.load(file, { backend: 'js' });
        await net.predict(new Float32Array(3));
      }, (error) => isDataFormatError(error) && (error as DataFormatError).path === file &&
        (error as Error).message.includes(file), { seconds: FUZZ_SECONDS, iterations: 10000 });
    });
  });

  it('fromCsv: reads or throws DataFormatError', async () => {
    const table = path.join(folder(), 'table.csv');
    await toCsv(table, { X: Uint8Array.from({ length: 3 * 4 }, (_, i) => i * 20),
      y: Int32Array.from([1, 0, 2]) }, { labelColumn: 'digit' });
    const seeds = [fs.readFileSync(table), zlib.gzipSync(fs.readFileSync(table))];
    const file = path.join(folder(), 'mutated.csv');
    await fuzz('fromCsv', seeds, async (bytes) => {
      fs.writeFileSync(file, bytes);
      await fromCsv(file);
    }, isDataFormatError, { seconds: FUZZ_SECONDS, iterations: 2000 });
  });
});
