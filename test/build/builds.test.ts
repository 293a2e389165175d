/**
 * Both build descriptions compile the core: binding.gyp (used by installs and prebuildify)
 * produced the addon this suite loads, and CMakeLists.txt (driven by cmake-js) builds the
 * addon again plus the C++ kernel tests, which must pass.
 */
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildInfo } from '../../lib';
import { packageRoot } from '../../lib/native';

const CMAKE_OUT = path.join(packageRoot, 'build-cmake-test');

describe('builds', function () {
  this.timeout(15 * 60 * 1000);

  it('loads the addon that binding.gyp built', () => {
    const info = buildInfo();
    assert.strictEqual(info.buildFile, 'binding.gyp');
    assert.match(info.binary, /(build[\\/]Release|prebuilds)[\\/].*\.node$/);
  });

  it('reports the kernels this CPU runs, as its flags allow', () => {
    const info = buildInfo();
    assert.ok(['avx512f', 'avx2+fma', 'portable'].includes(info.simdTraining), info.simdTraining);
    assert.ok(['avx2+fma', 'portable'].includes(info.simdActive), info.simdActive);
    if (process.platform !== 'linux' || process.arch !== 'x64') return;
    const flags = new Set((/^flags\s*:(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1]
      ?? '').trim().split(/\s+/));
    const avx2 = flags.has('avx2') && flags.has('fma');
    assert.strictEqual(info.simdTraining,
      flags.has('avx512f') ? 'avx512f' : avx2 ? 'avx2+fma' : 'portable');
    assert.strictEqual(info.simdActive, avx2 ? 'avx2+fma' : 'portable');
  });

  it('falls back to the built-in GEMM when no OpenBLAS is found, and says so', () => {
    const configure = path.join(packageRoot, 'native', 'tools', 'configure.js');
    const env = { ...process.env, LAMINA_OPENBLAS_DIRS: '/nonexistent', LAMINA_GEMM: 'auto' };
    const result = spawnSync(process.execPath, [configure, 'gemm'], { env });
    assert.strictEqual(result.stdout.toString().trim(), 'builtin');
    assert.match(result.stderr.toString(), /GEMM provider: builtin \(no OpenBLAS found/);
    const forced = spawnSync(process.execPath, [configure, 'gemm'], {
      env: { ...env, LAMINA_GEMM: 'openblas' },
    });
    assert.strictEqual(forced.status, 1);
    assert.match(forced.stderr.toString(), /no OpenBLAS .* was found; install libopenblas-dev/);
  });

  it('builds the addon and the kernel tests with CMake, and the kernel tests pass', () => {
    const cmakeJs = path.join(packageRoot, 'node_modules', 'cmake-js', 'bin', 'cmake-js');
    execFileSync(process.execPath, [cmakeJs, 'compile', '--out', CMAKE_OUT, '-p', '2', '-m'], {
      cwd: packageRoot,
      stdio: 'pipe',
    });
    const addonPath = path.join(CMAKE_OUT, 'Release', 'lamina.node');
    assert.ok(fs.existsSync(addonPath), `${addonPath} was not built`);

    // Load the CMake-built addon in a child process, so it does not replace this one.
    const script =
      `const a = require(${JSON.stringify(addonPath)});` +
      'const c = new Float32Array(4);' +
      'a.gemm({ transA: false, transB: false, m: 2, n: 2, k: 2, alpha: 1, beta: 0, lda: 2, ' +
      'ldb: 2, ldc: 2, a: new Float32Array([1, 2, 3, 4]), b: new Float32Array([5, 6, 7, 8]), c });' +
      'console.log(JSON.stringify({ info: a.buildInfo(), c: Array.from(c) }));';
    const result = JSON.parse(execFileSync(process.execPath, ['-e', script]).toString());
    assert.strictEqual(result.info.buildFile, 'CMakeLists.txt');
    assert.strictEqual(result.info.gemm, buildInfo().gemm, 'both builds chose the same GEMM');
    assert.deepStrictEqual(result.c, [19, 22, 43, 50]);

    const tests = path.join(CMAKE_OUT, 'lamina_kernel_tests');
    // spawnSync, not execFileSync: a failing kernel test must show its output, not only a status.
    const run = spawnSync(tests, { encoding: 'utf8' });
    const output = `${run.stdout}${run.stderr}`;
    assert.strictEqual(run.status, 0, `kernel tests exited with ${run.status}:\n${output}`);
    assert.match(output, /^\d+ passed, 0 failed$/m, output);
  });
});
