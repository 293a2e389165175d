/**
 * TensorFlow.js doing the benchmark job, as one process per measurement:
 *
 *   node dist/bench/peers/tfjs.js --backend wasm|cpu --model lenet|mlp --samples N
 *
 * Trains one epoch on the first N training images (batch 128, Nesterov momentum lr 0.01,
 * momentum 0.9, Glorot-uniform weights: the same job Lamina runs) and predicts the 10,000 test
 * images (or as many as N, scaled). Prints one JSON line: seconds for the epoch scaled to
 * 60,000 images, seconds to predict scaled to 10,000, peak RSS, longest event-loop stall.
 *
 * The wasm backend has no kernel for the convolution filter gradient (Conv2DBackpropFilter);
 * training a CNN on it needs one, so this script registers a plain-JavaScript fallback for it
 * (straightforward loops over the NHWC data, reading and writing the wasm heap). The LeNet
 * rows of the wasm backend therefore include that JavaScript kernel.
 */
import { startMonitor } from '../monitor';
import { readMnistRaw } from './mnist-raw';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');

interface Args {
  backend: 'wasm' | 'cpu';
  model: 'lenet' | 'mlp';
  samples: number;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string, fallback: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : fallback;
  };
  return {
    backend: get('backend', 'wasm') as Args['backend'],
    model: get('model', 'lenet') as Args['model'],
    samples: Number(get('samples', '6000')),
  };
}

/** dW[fh, fw, c, k] = sum over n, oh, ow of x[n, oh*s - pad + fh, ow*s - pad + fw, c] * dy[n, oh, ow, k]. */
function registerFilterGradientFallback(): void {
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as unknown as {
        readSync(id: unknown): Float32Array;
        makeOutput(shape: number[], dtype: string, offset?: number, values?: Float32Array): unknown;
      };
      const { x, dy } = inputs as unknown as Record<string, { dataId: unknown; shape: number[] }>;
      const { strides, pad, filterShape, dimRoundingMode, dilations } = attrs as unknown as {
        strides: [number, number] | number;
        pad: 'valid' | 'same' | number;
        filterShape: [number, number, number, number];
        dimRoundingMode?: 'floor' | 'round' | 'ceil';
        dilations?: number;
      };
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filterShape,
        strides,
        dilations ?? 1,
        pad,
        dimRoundingMode,
        false,
        'channelsLast',
      );
      const xs = wasm.readSync(x.dataId);
      const dys = wasm.readSync(dy.dataId);
      const [fhN, fwN, cN, kN] = filterShape;
      const { batchSize, inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth } = info;
      const top = info.padInfo.top;
      const left = info.padInfo.left;
      const dw = new Float32Array(fhN * fwN * cN * kN);
      for (let n = 0; n < batchSize; n++) {
        for (let oh = 0; oh < outHeight; oh++) {
          for (let ow = 0; ow < outWidth; ow++) {
            const dyBase = ((n * outHeight + oh) * outWidth + ow) * kN;
            for (let fh = 0; fh < fhN; fh++) {
              const ih = oh * strideHeight - top + fh;
              if (ih < 0 || ih >= inHeight) continue;
              for (let fw = 0; fw < fwN; fw++) {
                const iw = ow * strideWidth - left + fw;
                if (iw < 0 || iw >= inWidth) continue;
                const xBase = ((n * inHeight + ih) * inWidth + iw) * cN;
                for (let c = 0; c < cN; c++) {
                  const xv = xs[xBase + c];
                  if (xv === 0) continue;
                  const wBase = ((fh * fwN + fw) * cN + c) * kN;
                  for (let k = 0; k < kN; k++) dw[wBase + k] += xv * dys[dyBase + k];
                }
              }
            }
          }
        }
      }
      return wasm.makeOutput([fhN, fwN, cN, kN], 'float32', undefined, dw) as never;
    },
  });
}

function buildModel(kind: Args['model']) {
  const model = tf.sequential();
  if (kind === 'lenet') {
    model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 5, activation: 'relu' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.dropout({ rate: 0.25 }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 100, activation: 'relu' }));
    model.add(tf.layers.dropout({ rate: 0.5 }));
    model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  } else {
    model.add(tf.layers.dense({ inputShape: [784], units: 200, activation: 'relu' }));
    model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  }
  model.compile({
    optimizer: tf.train.momentum(0.01, 0.9, true),
    loss: 'categoricalCrossentropy',
  });
  return model;
}

function tensors(kind: Args['model'], images: Uint8Array, labels: Uint8Array, count: number) {
  const floats = new Float32Array(count * 784);
  for (let i = 0; i < floats.length; i++) floats[i] = images[i] / 255;
  const shape: number[] = kind === 'lenet' ? [count, 28, 28, 1] : [count, 784];
  const x = tf.tensor(floats, shape);
  const y = tf.oneHot(tf.tensor1d(Array.from(labels.subarray(0, count)), 'int32'), 10);
  return { x, y };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.backend === 'wasm') {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    require('@tensorflow/tfjs-backend-wasm');
    registerFilterGradientFallback();
  }
  await tf.setBackend(args.backend);
  await tf.ready();

  const train = readMnistRaw('train', args.samples);
  const test = readMnistRaw('t10k', Math.min(10000, args.samples));
  const model = buildModel(args.model);
  const trainData = tensors(args.model, train.images, train.labels, train.count);
  const testData = tensors(args.model, test.images, test.labels, test.count);

  const monitor = startMonitor();
  const t0 = process.hrtime.bigint();
  await model.fit(trainData.x, trainData.y, { batchSize: 128, epochs: 1, shuffle: true, verbose: 0 });
  const epochSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const t1 = process.hrtime.bigint();
  const probabilities = model.predict(testData.x, { batchSize: 512 }) as import('@tensorflow/tfjs').Tensor;
  await probabilities.data();
  const predictSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
  const { maxStallMs, peakRssMb } = monitor.stop();

  const result = {
    peer: `tfjs-${args.backend}`,
    model: args.model,
    trainSamples: train.count,
    testSamples: test.count,
    epochSeconds: (epochSeconds * 60000) / train.count,
    predictSeconds: (predictSeconds * 10000) / test.count,
    measuredEpochSeconds: epochSeconds,
    peakRssMb,
    maxStallMs,
    note:
      args.backend === 'wasm' && args.model === 'lenet'
        ? 'conv filter gradient through a plain-JS fallback kernel'
        : '',
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
