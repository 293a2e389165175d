/**
 * Loads the native addon once, with an error that says how to fix a failed load.
 *
 * The addon is found by node-gyp-build: a prebuilt binary in `prebuilds/<platform>-<arch>/`
 * first, then `build/Release` from a source build.
 */
import * as path from 'path';
import { debuglog } from 'util';

const debug = debuglog('lamina');

/** The functions the addon exports; each binding file of native/addon adds its own. */
export interface NativeAddon {
  buildInfo(): NativeBuildInfo;
  getNumThreads(): number;
  setNumThreads(n: number): void;
  gemm(options: NativeGemmOptions): void;
  [name: string]: unknown;
}

/** buildInfo() as the addon reports it. */
export interface NativeBuildInfo {
  version: string;
  gemm: 'openblas' | 'builtin';
  openmp: boolean;
  threads: number;
  simdCompiled: string;
  simdActive: string;
  buildFile: string;
  compiler: string;
}

/** Arguments of the native gemm binding (C is updated in place). */
export interface NativeGemmOptions {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  a: Float32Array;
  lda: number;
  b: Float32Array;
  ldb: number;
  beta: number;
  c: Float32Array;
  ldc: number;
  provider?: 'auto' | 'builtin' | 'openblas' | 'reference';
}

/** The package root: dist/lib/native.js sits two folders below it. */
export const packageRoot = path.resolve(__dirname, '..', '..');

let loaded: NativeAddon | undefined;
let loadedFrom: string | undefined;

/** Explains a failed load: what was looked for and what to do. */
function loadError(cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const where = `${process.platform}-${process.arch}, Node ${process.versions.node}`;
  const message =
    `lamina: the native addon could not be loaded (${where}): ${reason}\n` +
    'Looked for a prebuilt binary in prebuilds/' +
    `${process.platform}-${process.arch}/ and for build/Release/lamina.node in ${packageRoot}.\n` +
    'To fix it: run `npm rebuild lamina` to build from source (needs python3, make and a C++17 ' +
    'compiler; on Debian/Ubuntu `apt-get install build-essential python3`, optionally ' +
    'libopenblas-dev), or use the plain TypeScript backend with { backend: "js" }.';
  return new Error(message, { cause });
}

/**
 * Returns the loaded addon, loading it on first use.
 *
 * @throws Error when no binary fits this platform or the binary cannot load; the message says
 *   how to fix it.
 */
export function native(): NativeAddon {
  if (loaded) return loaded;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const nodeGypBuild = require('node-gyp-build') as {
      (dir: string): NativeAddon;
      resolve?: (dir: string) => string;
    };
    loadedFrom = nodeGypBuild.resolve ? nodeGypBuild.resolve(packageRoot) : packageRoot;
    loaded = nodeGypBuild(packageRoot);
  } catch (error) {
    throw loadError(error);
  }
  debug('loaded the native addon from %s: %o', loadedFrom, loaded.buildInfo());
  return loaded;
}

/** The file the addon was loaded from, once loaded. */
export function nativePath(): string | undefined {
  return loadedFrom;
}
