/**
 * The JS backend: every layer, loss and update rule of Lamina in plain TypeScript on
 * Float32Arrays. Slow and obvious; it is the reference the native backend is tested against.
 * It follows the conventions of lib/backend/backend.ts; the files of this folder document
 * the details (rounding, tie-breaking, border windows) that the native core matches.
 *
 * @example
 * const model = jsBackend.createModel(spec, 42);
 * const records = await model.train({ train, firstEpoch: 1, epochs: 2, spec: trainSpec });
 */
import type { Backend, Model, NetworkSpec } from '../backend';
import { JsModel } from './trainer';

/** The plain TypeScript backend. createModel throws TypeError / RangeError for a bad spec. */
export const jsBackend: Backend = {
  name: 'js',
  createModel(spec: NetworkSpec, seed: number): Model {
    return new JsModel(spec, seed);
  },
};

export { JsModel } from './trainer';
