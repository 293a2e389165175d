/**
 * Loads the native addon once, with an error that says how to fix a failed load.
 *
 * The addon is found by node-gyp-build: `build/Release` from a source build first, then a
 * prebuilt binary in `prebuilds/<platform>-<arch>/` whose tags (libc) fit this system. When
 * that fails, the error lists the folders and tags looked for, what prebuilds/ holds, why a
 * file that was found did not load, and how to fix it.
 */
import * as fs from 'fs';
import * as os from 'os';
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
  simdTraining: string;
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

/** What node-gyp-build looks for on this system (it reads the same variables). */
export interface Target {
  /** 'linux', 'darwin', 'win32', ... (npm_config_platform overrides it). */
  platform: string;
  /** 'x64', 'arm64', ... (npm_config_arch overrides it). */
  arch: string;
  /** 'glibc' or 'musl' on Linux (LIBC overrides it), '' elsewhere. */
  libc: string;
  /** 'Node 20.1.0' or 'Electron 33.2.0'. */
  runtime: string;
}

function currentTarget(): Target {
  const platform = process.env.npm_config_platform || os.platform();
  const alpine = platform === 'linux' && fs.existsSync('/etc/alpine-release');
  return {
    platform,
    arch: process.env.npm_config_arch || os.arch(),
    libc: platform === 'linux' ? process.env.LIBC || (alpine ? 'musl' : 'glibc') : '',
    runtime: process.versions.electron ? `Electron ${process.versions.electron}`
      : `Node ${process.versions.node}`,
  };
}

/** `linux-x64, glibc, Node 20.1.0, Node-API 9`. */
function describeTarget(target: Target): string {
  const libc = target.libc ? `, ${target.libc}` : '';
  const napi = process.versions.napi ? `, Node-API ${process.versions.napi}` : '';
  return `${target.platform}-${target.arch}${libc}, ${target.runtime}${napi}`;
}

function list(folder: string): string[] {
  try {
    return fs.readdirSync(folder).sort();
  } catch {
    return [];
  }
}

/** The binaries in root/prebuilds: `darwin-arm64/lamina.node`, `linux-x64/lamina.musl.node`. */
function prebuiltBinaries(root: string): string[] {
  const prebuilds = path.join(root, 'prebuilds');
  return list(prebuilds).flatMap((tuple) =>
    list(path.join(prebuilds, tuple))
      .filter((file) => file.endsWith('.node'))
      .map((file) => `${tuple}/${file}`));
}

/** `prebuilds/ holds darwin-arm64/lamina.node` or `prebuilds/ holds no binary`. */
function describePrebuilds(root: string): string {
  const binaries = prebuiltBinaries(root);
  const folder = path.join(root, 'prebuilds') + path.sep;
  return binaries.length === 0 ? `${folder} holds no binary`
    : `${folder} holds ${binaries.join(', ')}`;
}

/** The fix that works everywhere: a source build, or the TypeScript backend. */
const HOW_TO_FIX =
  'To fix it, build the addon from source with `npm rebuild lamina --build-from-source`. ' +
  'That needs python3, make and a C++17 compiler: on Debian/Ubuntu `apt-get install ' +
  'build-essential python3` (and libopenblas-dev for a faster GEMM), on Alpine `apk add ' +
  'build-base python3 linux-headers`, on macOS `xcode-select --install`, on Windows Visual ' +
  'Studio 2022 with the "Desktop development with C++" workload, and Python. Or train ' +
  "without the addon: new NeuralNet({ ..., backend: 'js' }) runs the plain TypeScript " +
  'backend (much slower).';

/** The error for "no binary fits": every place looked at, and what prebuilds/ holds. */
function noBinaryError(root: string, cause: unknown): Error {
  const target = currentTarget();
  const tuple = `${target.platform}-${target.arch}`;
  const libc = target.libc ? ` tagged ${target.libc} or untagged` : '';
  // node-gyp-build searches the folder named by LAMINA_PREBUILD instead, when it is set.
  const override = process.env.LAMINA_PREBUILD;
  const dir = override ? path.resolve(override) : root;
  const muslOnly = prebuiltBinaries(dir).some((file) => file.startsWith(`${tuple}/`) &&
    file.split('.').includes('musl'));
  const message =
    `lamina: no native binary of the addon fits this system (${describeTarget(target)}).\n` +
    'Looked for:\n' +
    `  ${path.join(dir, 'build', 'Release')}${path.sep}*.node (a source build)\n` +
    `  ${path.join(dir, 'build', 'Debug')}${path.sep}*.node\n` +
    `  ${path.join(dir, 'prebuilds', tuple)}${path.sep}*.node${libc}\n` +
    `  ${path.join(path.dirname(process.execPath), 'prebuilds', tuple)}${path.sep}*.node ` +
    '(beside the node executable)\n' +
    (override ? `  (the environment variable LAMINA_PREBUILD named ${dir}, searched instead ` +
      `of the package at ${root})\n` : '') +
    `${describePrebuilds(dir)}.\n` +
    'Where no prebuilt binary fits, installing the package builds the addon from source; ' +
    'that did not happen or failed here.\n' +
    (target.libc === 'glibc' && muslOnly
      ? 'On a musl system other than Alpine, set LIBC=musl to use the musl binary.\n' : '') +
    HOW_TO_FIX;
  return new Error(message, { cause });
}

// dlopen's words for a missing dependency, and for a file that is no library for this system.
const MISSING_LIBRARY =
  /([^\s:'"]+\.(?:so[.\d]*|dylib|dll))[^\n]*(?:cannot open shared object|no such file)/i;
const NOT_A_LIBRARY = new RegExp(['invalid ELF header', 'file too short', 'wrong ELF class',
  'not a mach-o', 'mach-o file', 'slice is not', 'not a valid Win32 application',
  'unknown file type'].join('|'), 'i');

/**
 * A line on why a binary that was found did not load, from the system's message. Exported for
 * tests.
 *
 * @internal
 */
export function diagnoseLoadFailure(reason: string, target: Target = currentTarget()): string {
  const missing = MISSING_LIBRARY.exec(reason) ?? /Library not loaded:\s*(\S+)/.exec(reason);
  if (missing) {
    const library = missing[1];
    const name = path.basename(library);
    if (/^(?:ld-linux|libc\.so|libm\.so)/.test(name)) {
      return `It was built for glibc and needs ${name}, which this system lacks: its C ` +
        'library is another one (musl). Build from source here.';
    }
    const hint = /^libgomp\.so/.test(name)
      ? 'The prebuilt binary carries it in its own folder: keep the two files together (an ' +
        'Electron app must unpack both from the asar archive). A source build uses the ' +
        "compiler's copy: install it (Debian/Ubuntu: libgomp1)."
      : /^libomp/.test(name) ? 'Install it (macOS: `brew install libomp`) or rebuild.'
      : 'Install the package that provides it, or rebuild from source.';
    return `It needs the shared library ${library}, which the system cannot find. ${hint}`;
  }
  if (/The specified module could not be found/i.test(reason)) {
    return 'It, or a DLL it needs, was not found: the Microsoft Visual C++ runtime (with ' +
      'vcomp140.dll for OpenMP) must be installed, from the Visual C++ Redistributable.';
  }
  if (NOT_A_LIBRARY.test(reason)) {
    return 'The file is damaged or was built for another platform or architecture: it is not ' +
      `a shared library that ${target.platform}-${target.arch} can load.`;
  }
  if (/GLIBC|GLIBCXX|CXXABI|version `[^']+' not found|Error relocating/.test(reason)) {
    return 'It was built against another C library (glibc or musl) or a newer C/C++ runtime ' +
      'than this system has.';
  }
  if (/NODE_MODULE_VERSION|did not self-register|undefined symbol|Symbol not found/i
    .test(reason)) {
    return `It was built for another version of Node or Electron than ${target.runtime}.`;
  }
  return 'The system refused to load it.';
}

/** The error for a binary that exists but does not load. */
function loadFailedError(root: string, file: string, cause: unknown): Error {
  const target = currentTarget();
  const reason = cause instanceof Error ? cause.message : String(cause);
  const tuple = `${target.platform}-${target.arch}`;
  const build = path.join(root, 'build');
  const prebuilt = prebuiltBinaries(root).filter((binary) => binary.startsWith(`${tuple}/`));
  const shadowed = file.startsWith(build + path.sep) && prebuilt.length > 0
    ? `A source build in build/ is tried before prebuilt binaries: delete ${build} to use ` +
      `prebuilds/${prebuilt[0]} instead.\n`
    : '';
  const message =
    `lamina: found the native addon at ${file} but it did not load on this system ` +
    `(${describeTarget(target)}): ${reason.trim()}\n` +
    `${diagnoseLoadFailure(reason, target)}\n` +
    shadowed +
    `Looked in ${root} (build/Release, build/Debug, then prebuilds/${tuple}/); ` +
    `${describePrebuilds(root)}.\n` +
    HOW_TO_FIX;
  return new Error(message, { cause });
}

/**
 * Finds and loads the addon of the package at root, with no caching; the errors say what was
 * looked for and how to fix it. Exported for tests (they point it at a folder of their own);
 * everything else calls {@link native}.
 *
 * @internal
 * @throws Error when no binary fits this system or the one found does not load
 */
export function loadAddonFrom(root: string): { addon: NativeAddon; file: string } {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const nodeGypBuild = require('node-gyp-build') as { resolve(dir: string): string };
  let file: string;
  try {
    file = nodeGypBuild.resolve(root);
  } catch (error) {
    throw noBinaryError(root, error);
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return { addon: require(file) as NativeAddon, file };
  } catch (error) {
    throw loadFailedError(root, file, error);
  }
}

/**
 * The environment variable that names an addon file to load instead of searching the package:
 * for tests that run the library against another build of the core (the sanitizer build of
 * .ci/reliability.sh: `LAMINA_ADDON_PATH=build-asan/lamina.node`). Not for production use.
 */
export const ADDON_PATH_VARIABLE = 'LAMINA_ADDON_PATH';

/** Loads the addon file that LAMINA_ADDON_PATH names, with an error naming the variable. */
function loadAddonFile(file: string): { addon: NativeAddon; file: string } {
  const resolved = path.resolve(file);
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return { addon: require(resolved) as NativeAddon, file: resolved };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`lamina: the addon named by ${ADDON_PATH_VARIABLE} (${resolved}) did not ` +
      `load: ${reason.trim()}\nUnset ${ADDON_PATH_VARIABLE} to use the package's own addon.`,
    { cause: error });
  }
}

/**
 * Returns the loaded addon, loading it on first use: the file named by LAMINA_ADDON_PATH when
 * that is set (tests), else the package's own (see {@link loadAddonFrom}).
 *
 * @throws Error when no binary fits this platform or the binary cannot load; the message says
 *   what was looked for and how to fix it
 */
export function native(): NativeAddon {
  if (loaded) return loaded;
  const override = process.env[ADDON_PATH_VARIABLE];
  const { addon, file } = override ? loadAddonFile(override) : loadAddonFrom(packageRoot);
  loaded = addon;
  loadedFrom = file;
  debug('loaded the native addon from %s: %o', loadedFrom, loaded.buildInfo());
  return loaded;
}

/** The file the addon was loaded from, once loaded. */
export function nativePath(): string | undefined {
  return loadedFrom;
}
