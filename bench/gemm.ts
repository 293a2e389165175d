/**
 * GEMM throughput: the built-in kernel beside OpenBLAS (when the build has it), for square
 * products and the shapes LeNet and the MLP train with (batch 128).
 *
 *   npm run bench:gemm [-- --threads N]
 *
 * Prints GFLOP/s (2*m*n*k flops per product, median of 5 timed rounds) and the ratio
 * built-in / OpenBLAS.
 */
import { buildInfo, gemm, setNumThreads } from '../lib';

interface Shape {
  name: string;
  m: number;
  n: number;
  k: number;
  transA?: boolean;
  transB?: boolean;
}

const SHAPES: Shape[] = [
  { name: 'square 128', m: 128, n: 128, k: 128 },
  { name: 'square 512', m: 512, n: 512, k: 512 },
  { name: 'square 1024', m: 1024, n: 1024, k: 1024 },
  // LeNet, im2col over a batch of 128: conv1 5x5 on 28x28 -> 32x24x24, conv2 3x3 on 32x12x12.
  { name: 'lenet conv1 forward', m: 32, n: 128 * 576, k: 25 },
  { name: 'lenet conv1 dW', m: 32, n: 25, k: 128 * 576, transB: true },
  { name: 'lenet conv2 forward', m: 32, n: 128 * 100, k: 288 },
  { name: 'lenet conv2 dW', m: 32, n: 288, k: 128 * 100, transB: true },
  { name: 'lenet conv2 dX', m: 288, n: 128 * 100, k: 32, transA: true },
  { name: 'lenet dense 800->100', m: 128, n: 100, k: 800 },
  { name: 'lenet dense dW', m: 800, n: 100, k: 128, transA: true },
  // MLP 784 -> 200 -> 10
  { name: 'mlp dense 784->200', m: 128, n: 200, k: 784 },
  { name: 'mlp dense dW', m: 784, n: 200, k: 128, transA: true },
  { name: 'mlp dense dX', m: 128, n: 784, k: 200, transB: true },
];

function filled(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = ((i * 7919 + seed) % 1000) / 1000 - 0.5;
  return out;
}

function measure(shape: Shape, provider: 'builtin' | 'openblas'): number {
  const a = filled(shape.m * shape.k, 1);
  const b = filled(shape.k * shape.n, 2);
  const c = new Float32Array(shape.m * shape.n);
  const flops = 2 * shape.m * shape.n * shape.k;
  const options = { transA: shape.transA, transB: shape.transB, provider };
  const run = () => gemm(shape.m, shape.n, shape.k, a, b, c, options);
  run();
  // Repeat each timed round to ~50 ms so timer resolution does not matter.
  const start = process.hrtime.bigint();
  run();
  const once = Number(process.hrtime.bigint() - start) / 1e9;
  const repeats = Math.max(1, Math.ceil(0.05 / Math.max(once, 1e-6)));
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < repeats; i++) run();
    rounds.push(Number(process.hrtime.bigint() - t0) / 1e9 / repeats);
  }
  rounds.sort((x, y) => x - y);
  return flops / rounds[2] / 1e9;
}

function main(): void {
  const threadsArg = process.argv.indexOf('--threads');
  if (threadsArg > 0) setNumThreads(Number(process.argv[threadsArg + 1]));
  const info = buildInfo();
  const hasBlas = info.gemm === 'openblas';
  console.log(
    `lamina ${info.version}: gemm=${info.gemm}, threads=${info.threads}, ` +
      `built-in micro-kernel=${info.simdActive}`,
  );
  const header = ['shape (m x n x k)', 'built-in GFLOP/s', 'OpenBLAS GFLOP/s', 'ratio'];
  const rows: string[][] = [];
  for (const shape of SHAPES) {
    const builtin = measure(shape, 'builtin');
    const blas = hasBlas ? measure(shape, 'openblas') : NaN;
    const dims = `${shape.m}x${shape.n}x${shape.k}${shape.transA ? ' tA' : ''}${shape.transB ? ' tB' : ''}`;
    rows.push([
      `${shape.name} (${dims})`,
      builtin.toFixed(1),
      hasBlas ? blas.toFixed(1) : 'n/a',
      hasBlas ? (builtin / blas).toFixed(2) : 'n/a',
    ]);
  }
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

main();
