/**
 * A LeNet-style convolutional network on MNIST, written as a nolearn script: two conv + max
 * pool stages, dropout, a dense layer of 100 and a softmax of 10; 91,190 learnable
 * parameters (error reached by the Python stack: 1.0%).
 *
 * Run: node dist/examples/lenet.js [epochs] [trainSize]
 */
import {
  Conv2DLayer,
  DenseLayer,
  DropoutLayer,
  InputLayer,
  MaxPool2DLayer,
  nesterov_momentum,
  NeuralNet,
  ReshapeLayer,
  softmax,
} from '../lib';
import { commandLine, ExampleOptions, ExampleResult, loadDigits } from './mnist-subset';

/** The network, untrained. */
export function buildLenet(options: ExampleOptions = {}) {
  return new NeuralNet({
    layers: [
      ['input', InputLayer],
      ['reshape', ReshapeLayer],
      ['conv1', Conv2DLayer],
      ['pool1', MaxPool2DLayer],
      ['conv2', Conv2DLayer],
      ['pool2', MaxPool2DLayer],
      ['dropout1', DropoutLayer],
      ['hidden', DenseLayer],
      ['dropout2', DropoutLayer],
      ['output', DenseLayer],
    ],
    input_shape: [null, 784],
    reshape_shape: [[0], 1, 28, 28],
    conv1_num_filters: 32,
    conv1_filter_size: [5, 5],
    pool1_pool_size: [2, 2],
    conv2_num_filters: 32,
    conv2_filter_size: [3, 3],
    pool2_pool_size: [2, 2],
    dropout1_p: 0.25,
    hidden_num_units: 100,
    dropout2_p: 0.5,
    output_nonlinearity: softmax,
    output_num_units: 10,

    update: nesterov_momentum,
    update_learning_rate: 0.01,
    update_momentum: 0.9,

    max_epochs: options.epochs ?? 15,
    verbose: options.verbose ?? 1,
    backend: options.backend,
    print: options.print,
    seed: options.seed,
    eval_size: options.evalSize,
  });
}

/** Trains on MNIST (or its first images) and scores on the test images. */
export async function runLenet(options: ExampleOptions = {}): Promise<ExampleResult<NeuralNet>> {
  const { train, test } = await loadDigits(options.trainSize, options.testSize);
  const net = buildLenet(options);
  await net.fit(train.X, train.y);
  return { net, testAccuracy: await net.score(test.X, test.y) };
}

if (require.main === module) {
  runLenet(commandLine()).then(({ testAccuracy }) => {
    console.log(`Test error: ${((1 - testAccuracy) * 100).toFixed(2)}%`);
  });
}
