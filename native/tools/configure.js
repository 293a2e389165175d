#!/usr/bin/env node
// Build configuration shared by binding.gyp and CMakeLists.txt.
//
//   node native/tools/configure.js sources    the core sources, then the addon sources
//   node native/tools/configure.js core       the core sources alone
//   node native/tools/configure.js gemm       "openblas" or "builtin"
//   node native/tools/configure.js include    the CBLAS include folder (nothing for builtin)
//   node native/tools/configure.js library    the static OpenBLAS archive (nothing for builtin)
//   node native/tools/configure.js version    the package version
//
// The GEMM provider: LAMINA_GEMM=openblas|builtin|auto (default auto). Auto picks OpenBLAS when
// its header and static archive are found (Debian/Ubuntu: libopenblas-dev), else the built-in
// kernel, so a machine without any BLAS still builds. LAMINA_OPENBLAS_DIRS adds search roots
// (colon-separated, each holding include/ and lib/, or the files themselves).
'use strict';

const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');

function coreSources() {
  return fs
    .readFileSync(path.join(root, 'native', 'sources.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function addonSources() {
  const dir = path.join(root, 'native', 'addon');
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.cc'))
    .sort()
    .map((name) => `native/addon/${name}`);
}

const ARCH_DIRS = ['x86_64-linux-gnu', 'aarch64-linux-gnu'];

function candidateRoots() {
  const extra = (process.env.LAMINA_OPENBLAS_DIRS || '').split(':').filter(Boolean);
  const roots = [...extra];
  if (process.env.LAMINA_OPENBLAS_DIRS === undefined) {
    for (const arch of ARCH_DIRS) {
      roots.push(`/usr/include/${arch}/openblas-pthread|/usr/lib/${arch}/openblas-pthread`);
      roots.push(`/usr/include/${arch}/openblas-openmp|/usr/lib/${arch}/openblas-openmp`);
    }
    roots.push('/usr/include/openblas|/usr/lib', '/usr/local/include|/usr/local/lib');
    roots.push('/opt/homebrew/opt/openblas/include|/opt/homebrew/opt/openblas/lib');
    roots.push('/usr/local/opt/openblas/include|/usr/local/opt/openblas/lib');
  }
  return roots.map((entry) => {
    if (entry.includes('|')) {
      const [include, lib] = entry.split('|');
      return { include, lib };
    }
    return { include: path.join(entry, 'include'), lib: path.join(entry, 'lib'), alt: entry };
  });
}

function findOpenBlas() {
  for (const candidate of candidateRoots()) {
    const includes = [candidate.include, candidate.alt].filter(Boolean);
    const libs = [candidate.lib, candidate.alt].filter(Boolean);
    const include = includes.find((dir) => fs.existsSync(path.join(dir, 'cblas.h')));
    const lib = libs
      .map((dir) => path.join(dir, 'libopenblas.a'))
      .find((file) => fs.existsSync(file));
    if (include && lib) return { include, library: fs.realpathSync(lib) };
  }
  return null;
}

function chooseGemm() {
  const wanted = (process.env.LAMINA_GEMM || 'auto').toLowerCase();
  if (!['auto', 'openblas', 'builtin'].includes(wanted)) {
    throw new Error(`LAMINA_GEMM must be auto, openblas or builtin, received '${wanted}'`);
  }
  if (wanted === 'builtin') return { gemm: 'builtin', reason: 'LAMINA_GEMM=builtin' };
  const found = findOpenBlas();
  if (found) return { gemm: 'openblas', ...found, reason: `found ${found.library}` };
  if (wanted === 'openblas') {
    throw new Error(
      'LAMINA_GEMM=openblas but no OpenBLAS (cblas.h and libopenblas.a) was found; install ' +
        'libopenblas-dev (Debian/Ubuntu) or brew install openblas (macOS), or set ' +
        'LAMINA_OPENBLAS_DIRS',
    );
  }
  return { gemm: 'builtin', reason: 'no OpenBLAS found (install libopenblas-dev to use it)' };
}

function main(what) {
  const choice = chooseGemm();
  switch (what) {
    case 'sources':
      return [...coreSources(), ...addonSources()].join('\n');
    case 'core':
      return coreSources().join('\n');
    case 'gemm':
      process.stderr.write(`lamina: GEMM provider: ${choice.gemm} (${choice.reason})\n`);
      return choice.gemm;
    case 'include':
      return choice.include || '';
    case 'library':
      return choice.library || '';
    case 'version':
      return JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
    default:
      throw new Error(`configure.js: unknown request '${what}'`);
  }
}

if (require.main === module) {
  try {
    process.stdout.write(main(process.argv[2]) + '\n');
  } catch (error) {
    process.stderr.write(`lamina: ${error.message}\n`);
    process.exit(1);
  }
}

module.exports = { chooseGemm, coreSources, addonSources };
