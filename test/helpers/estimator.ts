/**
 * Helpers for the estimator tests: capturing verbose output, temporary folders, whether the JS
 * backend is present, and a scripted model that replays fixed epoch records (a test double for
 * the estimator's training loop: it computes nothing).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type {
  Backend,
  Dataset,
  EpochRecord,
  Model,
  NetworkSpec,
  ParamTensor,
  PredictOptions,
  TrainOptions,
} from '../../lib/backend/backend';

/** A print function that keeps what it was given. */
export function capturePrint(): { print: (text: string) => void; text: () => string } {
  const parts: string[] = [];
  return { print: (text) => parts.push(text), text: () => parts.join('') };
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function temporaryFolder(): { folder: string; cleanup: () => void } {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lamina-estimator-'));
  return { folder, cleanup: () => fs.rmSync(folder, { recursive: true, force: true }) };
}

/** Whether the JS backend can be loaded. */
export function hasJsBackend(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return Boolean((require('../../lib/backend/js') as { jsBackend?: Backend }).jsBackend);
  } catch {
    return false;
  }
}

/** Losses the scripted model reports, epoch by epoch (cycled when training runs longer). */
export interface Script {
  trainLoss: number[];
  validLoss?: number[];
  validAccuracy?: number[];
  /** Seconds each epoch reports, default 1.5. */
  seconds?: number;
}

/** What the scripted model was asked to do. */
export interface ScriptLog {
  trainCalls: TrainOptions[];
  predictCalls: Array<{ data: Dataset; options?: PredictOptions }>;
}

/** A backend whose models replay a script; params are zeros that setParams replaces. */
export function scriptedBackend(script: Script, log: ScriptLog = { trainCalls: [],
  predictCalls: [] }): Backend & { log: ScriptLog } {
  return {
    name: 'js',
    log,
    createModel(spec: NetworkSpec): Model {
      let params: ParamTensor[] = [];
      for (const layer of spec.layers) {
        if (layer.kind === 'dense') {
          const inputs = layer.inputShape.reduce((a, b) => a * b, 1);
          params.push({ layer: layer.name, name: 'W', shape: [inputs, layer.numUnits],
            values: new Float32Array(inputs * layer.numUnits) });
          if (layer.b) {
            params.push({ layer: layer.name, name: 'b', shape: [layer.numUnits],
              values: new Float32Array(layer.numUnits) });
          }
        }
      }
      const outputs = spec.layers[spec.layers.length - 1].outputShape.reduce((a, b) => a * b, 1);
      let epoch = 0;
      return {
        spec,
        getParams: () => params.map((param) => ({ ...param, values: param.values.slice() })),
        setParams: (given) => {
          params = params.map((param) => {
            const found = given.find((item) => item.layer === param.layer &&
              item.name === param.name);
            return found ? { ...param, values: Float32Array.from(found.values) } : param;
          });
        },
        async train(options: TrainOptions): Promise<EpochRecord[]> {
          log.trainCalls.push(options);
          const records: EpochRecord[] = [];
          for (let i = 0; i < options.epochs; i++) {
            const at = epoch % script.trainLoss.length;
            epoch++;
            const record: EpochRecord = {
              epoch: options.firstEpoch + i,
              trainLoss: script.trainLoss[at],
              validLoss: options.valid ? script.validLoss?.[at] ?? NaN : NaN,
              validAccuracy: options.valid ? script.validAccuracy?.[at] ?? NaN : NaN,
              seconds: script.seconds ?? 1.5,
            };
            // Mark the weights with the epoch so restoring best weights can be checked.
            for (const param of params) param.values.fill(epoch);
            options.onProgress?.({ epoch: record.epoch, batch: 1, batches: 1,
              samples: options.train.n, trainLoss: record.trainLoss, samplesPerSecond: 1000 });
            records.push(record);
            if (options.onEpoch?.(record) === false) break;
          }
          return records;
        },
        async predict(data: Dataset, options?: PredictOptions): Promise<Float32Array> {
          log.predictCalls.push({ data, options });
          const out = new Float32Array(data.n * outputs);
          for (let i = 0; i < data.n; i++) out[i * outputs + (i % outputs)] = 1;
          return out;
        },
        resetUpdates: () => undefined,
        dispose: () => undefined,
      };
    },
  };
}

/** Two noisy clusters per class in `features` dimensions: a small separable task. */
export function blobs(n: number, classes: number, features: number, seed = 1):
  { X: Float32Array; y: Int32Array } {
  let state = seed >>> 0 || 1;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const X = new Float32Array(n * features);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % classes;
    y[i] = label;
    for (let j = 0; j < features; j++) {
      const center = j % classes === label ? 1.5 : 0;
      X[i * features + j] = center + (random() - 0.5);
    }
  }
  return { X, y };
}

/** Whether the native backend loads and builds a model (the addon is built). */
export function hasNativeBackend(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { getBackend } = require('../../lib/backend') as typeof import('../../lib/backend');
    const model = getBackend('native').createModel({ layers: [
      { kind: 'input', name: 'input', inputShape: [2], outputShape: [2] },
      { kind: 'dense', name: 'output', inputShape: [2], outputShape: [2], numUnits: 2,
        nonlinearity: 'softmax', W: { kind: 'constant', value: 0 }, b: null },
    ] }, 1);
    model.dispose();
    return true;
  } catch {
    return false;
  }
}
