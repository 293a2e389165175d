/**
 * Lamina doing the benchmark job through its public API, as one process per measurement:
 *
 *   node dist/bench/peers/lamina.js --model lenet|mlp [--threads N] [--backend native|js]
 *     [--samples N]
 *
 * One epoch on the first N training images (default all 60,000; batch 128, Nesterov momentum
 * lr 0.01 momentum 0.9, no validation split), then the 10,000 test images predicted. Prints one
 * JSON line: seconds per epoch (scaled to 60,000 when N is smaller), seconds to predict, peak
 * RSS of the whole process, the longest event-loop stall while training, and the FLOPs of one
 * epoch (for the achieved GFLOP/s).
 */
import { buildInfo, loadMnistSync, NeuralNet, setNumThreads } from '../../lib';
import { buildLenet } from '../../examples/lenet';
import { buildMlp } from '../../examples/mlp';
import { startMonitor } from '../monitor';

function argument(argv: string[], name: string, fallback: string): string {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : fallback;
}

/**
 * Multiply-adds x 2 of one training step per sample: forward, input gradient (not for the
 * first layer) and weight gradient, for each dense and conv layer.
 */
export function trainingFlopsPerSample(net: NeuralNet): number {
  let flops = 0;
  net.spec.layers.forEach((layer, index) => {
    let forward = 0;
    if (layer.kind === 'dense') {
      forward = 2 * layer.inputShape.reduce((a, b) => a * b, 1) * layer.numUnits;
    } else if (layer.kind === 'conv2d') {
      const [channels] = layer.inputShape;
      const [filters, height, width] = layer.outputShape;
      forward = 2 * filters * channels * layer.filterSize[0] * layer.filterSize[1] * height * width;
    }
    const firstWeighted = net.spec.layers.findIndex((l) => l.kind === 'dense' || l.kind === 'conv2d');
    flops += forward * (index === firstWeighted ? 2 : 3);
  });
  return flops;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const model = argument(argv, 'model', 'lenet');
  const backend = argument(argv, 'backend', 'native') as 'native' | 'js';
  const threads = Number(argument(argv, 'threads', '2'));
  setNumThreads(threads);
  const { train, test } = loadMnistSync();
  const samples = Math.min(train.n, Number(argument(argv, 'samples', String(train.n))));
  const X = train.X.subarray(0, samples * 784);
  const y = train.y.subarray(0, samples);
  const options = { epochs: 1, verbose: 0, backend, seed: 42, evalSize: 0 };
  const net = model === 'lenet' ? buildLenet(options) : buildMlp(options);

  const monitor = startMonitor();
  const started = process.hrtime.bigint();
  await net.fit(X, y);
  const fitSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stall = monitor.stop();
  const predictStarted = process.hrtime.bigint();
  const predicted = await net.predict(test.X);
  const predictSeconds = Number(process.hrtime.bigint() - predictStarted) / 1e9;
  let correct = 0;
  for (let i = 0; i < test.n; i++) if (predicted[i] === test.y[i]) correct++;
  const { peakRssMb } = startMonitor().stop();
  const info = buildInfo();
  process.stdout.write(
    JSON.stringify({
      peer: backend === 'native' ? 'lamina' : 'lamina-js',
      model,
      threads: info.threads,
      gemm: info.gemm,
      trainSamples: samples,
      epochSeconds: (fitSeconds * 60000) / samples,
      measuredEpochSeconds: fitSeconds,
      predictSeconds,
      peakRssMb,
      maxStallMs: stall.maxStallMs,
      flopsPerEpoch: trainingFlopsPerSample(net) * 60000,
      testAccuracy: correct / test.n,
    }) + '\n',
  );
  net.dispose();
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
    process.exit(1);
  });
}
