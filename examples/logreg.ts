/**
 * Logistic regression on MNIST, written as a nolearn script: one softmax layer on the 784
 * pixels, 7,850 learnable parameters (error reached by the Python stack: 8.1%).
 *
 * Run: node dist/examples/logreg.js [epochs] [trainSize]
 */
import { DenseLayer, InputLayer, nesterov_momentum, NeuralNet, softmax } from '../lib';
import { commandLine, ExampleOptions, ExampleResult, loadDigits } from './mnist-subset';

/** The network, untrained. */
export function buildLogreg(options: ExampleOptions = {}) {
  return new NeuralNet({
    layers: [
      ['input', InputLayer],
      ['output', DenseLayer],
    ],
    input_shape: [null, 784],
    output_num_units: 10,
    output_nonlinearity: softmax,

    update: nesterov_momentum,
    update_learning_rate: 0.01,
    update_momentum: 0.9,

    max_epochs: options.epochs ?? 10,
    verbose: options.verbose ?? 1,
    backend: options.backend,
    print: options.print,
    seed: options.seed,
    eval_size: options.evalSize,
  });
}

/** Trains on MNIST (or its first images) and scores on the test images. */
export async function runLogreg(options: ExampleOptions = {}): Promise<ExampleResult<NeuralNet>> {
  const { train, test } = await loadDigits(options.trainSize, options.testSize);
  const net = buildLogreg(options);
  await net.fit(train.X, train.y);
  return { net, testAccuracy: await net.score(test.X, test.y) };
}

if (require.main === module) {
  runLogreg(commandLine()).then(({ testAccuracy }) => {
    console.log(`Test error: ${((1 - testAccuracy) * 100).toFixed(2)}%`);
  });
}
