/**
 * What this install of Lamina is, and how many threads it uses.
 */
import { native, nativePath, NativeGemmOptions } from './native';
import { checkOptions } from './data/check';
import { checkInteger, checkBoolean, checkNumber, checkChoice, typeError, rangeError } from './validate';

/** The build of the native core that this process loaded. */
export interface BuildInfo {
  /** Package version the core was built from. */
  version: string;
  /**
   * Which GEMM the exported gemm() uses: OpenBLAS, or Lamina's built-in kernel. (Training
   * runs on Lamina's own kernels either way: see simdTraining.)
   */
  gemm: 'openblas' | 'builtin';
  /** Whether the core was compiled with OpenMP. */
  openmp: boolean;
  /** Threads the kernels use now (see setNumThreads). */
  threads: number;
  /** Instruction sets compiled in: the baseline and the kernels chosen at run time. */
  simdCompiled: string;
  /** The micro-kernel the built-in gemm() runs on this CPU: "avx2+fma" or "portable". */
  simdActive: string;
  /**
   * The micro-kernels dense and convolution layers run on this CPU: "avx512f", "avx2+fma" or
   * "portable".
   */
  simdTraining: string;
  /** The build description that produced the binary: "binding.gyp" or "CMakeLists.txt". */
  buildFile: string;
  /** The compiler and its version. */
  compiler: string;
  /** The file the addon was loaded from. */
  binary: string;
  /** True when the binary came from prebuilds/ (no compiler was needed). */
  prebuilt: boolean;
}

/**
 * Describes the loaded native core.
 *
 * @throws Error when the addon cannot load (the message says how to fix it)
 * @example
 * const info = buildInfo();
 * console.log(`${info.gemm} GEMM on ${info.threads} threads`);
 */
export function buildInfo(): BuildInfo {
  const info = native().buildInfo();
  const binary = nativePath() ?? '';
  return { ...info, binary, prebuilt: /[\\/]prebuilds[\\/]/.test(binary) };
}

/**
 * Sets how many threads the native kernels (OpenMP regions and OpenBLAS) use, for the whole
 * process. The starting value is the environment variable LAMINA_NUM_THREADS when set, else the
 * number of cores.
 *
 * @param n an integer >= 1
 * @throws TypeError when n is not a number; RangeError when it is not an integer >= 1
 * @example
 * setNumThreads(1);
 */
export function setNumThreads(n: number): void {
  checkInteger('numThreads', n, 1, 1024);
  native().setNumThreads(n);
}

/**
 * The number of threads the native kernels use.
 *
 * @example
 * const threads = getNumThreads();
 */
export function getNumThreads(): number {
  return native().getNumThreads();
}

/** Options of {@link gemm}. */
export interface GemmOptions {
  /** Use the transpose of A (default false). */
  transA?: boolean;
  /** Use the transpose of B (default false). */
  transB?: boolean;
  /** Multiplies A*B (default 1). */
  alpha?: number;
  /** Multiplies the old C (default 0: C is overwritten). */
  beta?: number;
  /** Which implementation runs: the build's default ('auto'), 'builtin', 'openblas' (only in a
   * build that has it) or 'reference' (a plain loop, for tests). */
  provider?: 'auto' | 'builtin' | 'openblas' | 'reference';
}

/**
 * Row-major matrix product C[m x n] = alpha * op(A) * op(B) + beta * C, in place on c, through
 * the same GEMM the layers use. Mostly for tests and benchmarks.
 *
 * @param a op(A) is m x k: A is stored m x k, or k x m when transA
 * @param b op(B) is k x n: B is stored k x n, or n x k when transB
 * @param c m x n, overwritten (or accumulated into when beta != 0)
 * @throws TypeError / RangeError for bad sizes, arrays too short or an unknown provider
 * @example
 * const c = new Float32Array(4);
 * gemm(2, 2, 2, new Float32Array([1, 2, 3, 4]), new Float32Array([1, 0, 0, 1]), c);
 * // c is now [1, 2, 3, 4]
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  options: GemmOptions = {},
): void {
  checkInteger('m', m, 0);
  checkInteger('n', n, 0);
  checkInteger('k', k, 0);
  checkOptions('gemm', options, ['transA', 'transB', 'alpha', 'beta', 'provider']);
  const transA = options.transA === undefined ? false : checkBoolean('transA', options.transA);
  const transB = options.transB === undefined ? false : checkBoolean('transB', options.transB);
  const alpha = options.alpha === undefined ? 1 : checkNumber('alpha', options.alpha);
  const beta = options.beta === undefined ? 0 : checkNumber('beta', options.beta);
  const provider =
    options.provider === undefined
      ? 'auto'
      : checkChoice('provider', options.provider, ['auto', 'builtin', 'openblas', 'reference']);
  const arrays: Array<[string, unknown, number]> = [
    ['a', a, m * k],
    ['b', b, k * n],
    ['c', c, m * n],
  ];
  for (const [name, array, length] of arrays) {
    if (!(array instanceof Float32Array)) throw typeError(name, 'a Float32Array', array);
    if (array.length < length) {
      throw rangeError(name, `a Float32Array of at least ${length} elements`, array);
    }
  }
  const call: NativeGemmOptions = {
    transA,
    transB,
    m,
    n,
    k,
    alpha,
    a,
    lda: Math.max(1, transA ? m : k),
    b,
    ldb: Math.max(1, transB ? k : n),
    beta,
    c,
    ldc: Math.max(1, n),
    provider,
  };
  native().gemm(call);
}
