/**
 * What augmentation costs in training: LeNet (the lenet preset's network) on full MNIST,
 * one epoch at a time without and with augmentation (MNIST_AUGMENT_DEFAULTS: elastic and
 * affine), interleaved A B A B so that a busy machine slows both alike; prints each epoch, the
 * medians and their ratio.
 *
 *   node dist/bench/augment-training.js [--rounds 3] [--threads 2] [--limit 60000]
 *
 * The native trainer prepares augmented batches one ahead on a thread of its own, beside the
 * training pool, so the ratio measures what that overlap leaves of the augmentation cost.
 */
import { buildInfo, loadMnistSync, NeuralNet, setNumThreads } from '../lib';
import { PRESETS } from '../lib/cli/presets';

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A LeNet as the preset builds it, trained one epoch per fit call. */
function lenet(augment: boolean): NeuralNet {
  const preset = PRESETS.lenet;
  return new NeuralNet({
    ...preset.network({ rows: 28, cols: 28, classes: 10 }),
    update: preset.update,
    update_learning_rate: preset.learningRate,
    update_momentum: preset.momentum,
    batch_size: preset.batchSize,
    train_split: false,
    max_epochs: 1,
    augment,
  } as unknown as ConstructorParameters<typeof NeuralNet>[0]);
}

async function main(): Promise<void> {
  const rounds = argument('rounds', 3);
  setNumThreads(argument('threads', 2));
  const limit = argument('limit', 60000);
  const info = buildInfo();
  const mnist = loadMnistSync();
  const n = Math.min(limit, mnist.train.n);
  const X = mnist.train.X.subarray(0, n * 784);
  const y = mnist.train.y.subarray(0, n);
  console.log(`lamina ${info.version}: ${info.gemm} GEMM, ${info.threads} threads; LeNet, ` +
    `${n} images in batches of ${PRESETS.lenet.batchSize}, ${rounds} rounds of A (plain) ` +
    'B (augmented: elastic + affine)');

  const nets = { plain: lenet(false), augmented: lenet(true) };
  const seconds: Record<keyof typeof nets, number[]> = { plain: [], augmented: [] };
  for (let round = 1; round <= rounds; round++) {
    for (const name of ['plain', 'augmented'] as const) {
      const net = nets[name];
      await net.fit(X, y, { epochs: 1 });
      const history = net.trainHistory;
      const entry = history[history.length - 1];
      seconds[name].push(entry.dur);
      console.log(`round ${round}  ${name.padEnd(9)}  ${entry.dur.toFixed(2)} s  ` +
        `train loss ${entry.train_loss.toFixed(4)}`);
    }
  }
  const plain = median(seconds.plain), augmented = median(seconds.augmented);
  console.log(`median epoch: plain ${plain.toFixed(2)} s, augmented ${augmented.toFixed(2)} s, ` +
    `ratio ${(augmented / plain).toFixed(3)} (+${((augmented / plain - 1) * 100).toFixed(1)}%)`);
  for (const net of Object.values(nets)) net.dispose();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
