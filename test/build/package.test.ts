/**
 * The packed tarball carries the prebuilt binary and no build output, and installs into an
 * empty project with no compiler on PATH, where a GEMM runs through the package.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { packageRoot } from '../../lib/native';

const PREBUILD_DIR = path.join(packageRoot, 'prebuilds', `${process.platform}-${process.arch}`);

/** A folder holding only node, npm and sh, to stand for PATH on a machine without a compiler. */
function bareBin(root: string): string {
  const bin = path.join(root, 'bare-bin');
  fs.mkdirSync(bin);
  const npmCli = execFileSync('sh', ['-c', 'readlink -f "$(command -v npm)"']).toString().trim();
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\nexec "${process.execPath}" "${npmCli}" "$@"\n`, { mode: 0o755 });
  fs.symlinkSync('/bin/sh', path.join(bin, 'sh'));
  return bin;
}

describe('package', function () {
  this.timeout(15 * 60 * 1000);
  let work: string;

  before(function () {
    if (process.platform !== 'linux') this.skip();
    if (!fs.existsSync(PREBUILD_DIR) || fs.readdirSync(PREBUILD_DIR).length === 0) {
      // CI runs `npm run prebuild` before the tests; from a clone, make it here. prebuildify
      // moves build/Release/lamina.node into prebuilds/: put the source build back, since this
      // process (and the tests after this one) loaded it from there.
      const sourceBuild = path.join(packageRoot, 'build', 'Release', 'lamina.node');
      const kept = fs.existsSync(sourceBuild) ? fs.readFileSync(sourceBuild) : undefined;
      try {
        execFileSync('npm', ['run', 'prebuild'], { cwd: packageRoot, stdio: 'pipe' });
      } finally {
        if (kept && !fs.existsSync(sourceBuild)) {
          fs.writeFileSync(sourceBuild, kept, { mode: 0o755 });
        }
      }
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'lamina-pack-'));
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('packs the prebuilt binary and no build output', () => {
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
        cwd: packageRoot,
      }).toString(),
    )[0];
    const files: string[] = packed.files.map((file: { path: string }) => file.path);
    assert.ok(files.some((file) => file.startsWith(`prebuilds/${process.platform}-${process.arch}/`)), 'prebuilt binary missing');
    assert.ok(!files.some((file) => file.startsWith('build')), `build output packed: ${files.filter((f) => f.startsWith('build'))}`);
    assert.ok(!files.some((file) => file.startsWith('dist/test')), 'tests packed');
    assert.ok(files.includes('dist/lib/index.js') && files.includes('bin/lamina.js'));
    console.log(`      tarball: ${(packed.size / 1e6).toFixed(1)} MB packed, ${(packed.unpackedSize / 1e6).toFixed(1)} MB unpacked`);
  });

  it('bundles the OpenMP runtime next to the binary, found through $ORIGIN', function () {
    const binary = fs.readdirSync(PREBUILD_DIR).find((name) => name.endsWith('.node'));
    assert.ok(binary, 'no prebuilt binary');
    const libraries = execFileSync('ldd', [path.join(PREBUILD_DIR, binary)]).toString();
    if (!/libgomp/.test(libraries)) this.skip(); // built without OpenMP
    assert.match(libraries, new RegExp(`libgomp\\.so\\.1 => ${PREBUILD_DIR}/libgomp\\.so\\.1`), libraries);
    assert.doesNotMatch(libraries, /libopenblas|libstdc\+\+/, 'OpenBLAS and libstdc++ are linked statically');
  });

  it('installs with no compiler on PATH, runs a GEMM and trains a network', () => {
    const tarball = fs.readdirSync(work).find((name) => name.endsWith('.tgz'));
    assert.ok(tarball, 'no tarball');
    const app = path.join(work, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
    const env = { ...process.env, PATH: bareBin(work) };
    for (const tool of ['cc', 'gcc', 'g++', 'make', 'c++']) {
      assert.throws(() => execFileSync('sh', ['-c', `command -v ${tool}`], { env }), `${tool} is on PATH`);
    }
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(work, tarball)], {
      cwd: app,
      env,
      stdio: 'pipe',
    });
    // A GEMM, then a small network on the native backend: two classes that the sign of the
    // first feature separates, which a few epochs learn perfectly.
    const script = `
      const l = require('lamina');
      const c = new Float32Array(4);
      l.gemm(2, 2, 2, new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), c);
      const X = Float32Array.from({ length: 800 }, (_, i) => Math.sin(i * 12.9898));
      const y = Int32Array.from({ length: 200 }, (_, i) => (X[4 * i] > 0 ? 1 : 0));
      const net = new l.NeuralNet({
        layers: [['input', l.InputLayer], ['hidden', l.DenseLayer], ['output', l.DenseLayer]],
        input_shape: [null, 4], hidden_num_units: 16, output_num_units: 2,
        output_nonlinearity: l.softmax, update_learning_rate: 0.1, max_epochs: 30, eval_size: 0,
      });
      net.fit(X, y).then(() => net.score(X, y)).then((accuracy) => console.log(JSON.stringify({
        info: l.buildInfo(), c: Array.from(c), accuracy, epochs: net.trainHistory.length })));`;
    const result = JSON.parse(execFileSync('node', ['-e', script], { cwd: app, env }).toString());
    assert.deepStrictEqual(result.c, [19, 22, 43, 50]);
    assert.strictEqual(result.epochs, 30);
    assert.ok(result.accuracy >= 0.95, `accuracy ${result.accuracy} after 30 epochs`);
    assert.strictEqual(result.info.prebuilt, true, `loaded ${result.info.binary}`);
    assert.ok(!fs.existsSync(path.join(app, 'node_modules', 'lamina', 'build')), 'install compiled from source');
  });
});
