/**
 * A multilayer perceptron on MNIST, written as a nolearn script: 784 -> 200 (rectify) -> 10
 * (softmax), 159,010 learnable parameters (error reached by the Python stack: 2.5%).
 *
 * Run: node dist/examples/mlp.js [epochs] [trainSize]
 */
import { DenseLayer, InputLayer, nesterov_momentum, NeuralNet, softmax } from '../lib';
import { commandLine, ExampleOptions, ExampleResult, loadDigits } from './mnist-subset';

/** The network, untrained. */
export function buildMlp(options: ExampleOptions = {}) {
  return new NeuralNet({
    layers: [
      ['input', InputLayer],
      ['hidden', DenseLayer],
      ['output', DenseLayer],
    ],
    input_shape: [null, 784],
    hidden_num_units: 200,
    output_nonlinearity: softmax,
    output_num_units: 10,

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
export async function runMlp(options: ExampleOptions = {}): Promise<ExampleResult<NeuralNet>> {
  const { train, test } = await loadDigits(options.trainSize, options.testSize);
  const net = buildMlp(options);
  await net.fit(train.X, train.y);
  return { net, testAccuracy: await net.score(test.X, test.y) };
}

if (require.main === module) {
  runMlp(commandLine()).then(({ testAccuracy }) => {
    console.log(`Test error: ${((1 - testAccuracy) * 100).toFixed(2)}%`);
  });
}
