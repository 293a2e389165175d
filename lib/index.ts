/**
 * Lamina: train neural networks from Node.js. The public API.
 */
export { buildInfo, setNumThreads, getNumThreads, gemm } from './build-info';
export type { BuildInfo, GemmOptions } from './build-info';
export { Rng, RngStream } from './rng';
