/**
 * Compile-time checks of the option types: the lines marked @ts-expect-error must not compile
 * (tsc fails on an unused @ts-expect-error), the others must. The builders are never called
 * except where a test says so.
 */
import * as assert from 'assert';
import { Conv2DLayer, DenseLayer, InputLayer, NeuralNet, softmax } from '../../lib';
import type { LayerEntry } from '../../lib';

/* eslint-disable @typescript-eslint/no-unused-vars */
function namedForm(): void {
  new NeuralNet({
    layers: [['input', InputLayer], ['hidden', DenseLayer], ['output', DenseLayer]],
    input_shape: [null, 784],
    hidden_num_units: 200,
    output_num_units: 10,
    output_nonlinearity: softmax,
    maxEpochs: 3,
  });
  new NeuralNet({
    layers: [['input', InputLayer], ['hidden', DenseLayer]],
    input_shape: [null, 784],
    // @ts-expect-error misspelled layer name in a flat parameter
    hiden_num_units: 200,
  });
  new NeuralNet({
    layers: [['input', InputLayer], ['hidden', DenseLayer]],
    input_shape: [null, 784],
    // @ts-expect-error num_units takes a number
    hidden_num_units: '200',
  });
  new NeuralNet({
    layers: [['input', InputLayer], ['conv', Conv2DLayer]],
    input_shape: [null, 1, 28, 28],
    conv_num_filters: 4,
    conv_filter_size: [3, 3],
    // @ts-expect-error a DenseLayer parameter on a Conv2DLayer
    conv_num_units: 3,
  });
  new NeuralNet({
    layers: [['input', InputLayer], ['output', DenseLayer]],
    // @ts-expect-error misspelled network option
    max_epoch: 3,
  });
}

function classForm(): void {
  new NeuralNet({
    layers: [[InputLayer, { shape: [null, 4] }], [DenseLayer, { num_units: 2 }]],
    dense1_nonlinearity: softmax,
  });
  new NeuralNet({
    // @ts-expect-error misspelled parameter in a class's options
    layers: [[InputLayer, { shape: [null, 4] }], [DenseLayer, { num_unit: 2 }]],
  });
}

function typedForm(entries: LayerEntry[]): void {
  new NeuralNet({
    layers: [new InputLayer({ shape: [null, 4] }), new DenseLayer({ numUnits: 2 })],
    updateLearningRate: 0.1,
    customScores: [['accuracy', (yTrue: Int32Array, yOutput: Float32Array[]) =>
      yOutput.filter((row, i) => row[yTrue[i]] > 0.5).length / yTrue.length]],
  });
  // @ts-expect-error camelCase options in the typed form
  new DenseLayer({ num_units: 2 });
  // A list typed only as LayerEntry[] allows any name_param key (checked at run time).
  new NeuralNet({ layers: entries, anything_goes: 1 });
}
/* eslint-enable @typescript-eslint/no-unused-vars */

describe('estimator: option types', () => {
  it('compiles the checks above (the build fails otherwise)', () => {
    assert.strictEqual(typeof namedForm, 'function');
    assert.strictEqual(typeof classForm, 'function');
    assert.strictEqual(typeof typedForm, 'function');
  });
});
