/**
 * When the addon cannot load, the error says what was looked for (the folders, the platform,
 * architecture and libc tags) and how to fix it. The loader is pointed at temporary package
 * folders: one with no binary, one with binaries for other systems only, one with a damaged
 * .node file, one whose binary needs a library the system lacks; and a copy of the built
 * package with no binary is used from a child process, through the public API.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  diagnoseLoadFailure, loadAddonFrom, native, nativePath, packageRoot,
} from '../../lib/native';

const TUPLE = `${process.platform}-${process.arch}`;
/** The libc tag the loader wants here ('' off Linux), found the way node-gyp-build finds it. */
const LIBC = process.platform !== 'linux' ? ''
  : process.env.LIBC || (fs.existsSync('/etc/alpine-release') ? 'musl' : 'glibc');
const GLIBC_LINUX = LIBC === 'glibc';

/** A platform-arch folder name for another system than this one. */
const OTHER_TUPLE = process.platform === 'darwin' ? 'linux-x64' : 'darwin-arm64';

/** The error loadAddonFrom(root) throws (it must throw). */
function loadError(root: string): Error {
  try {
    loadAddonFrom(root);
  } catch (error) {
    assert.ok(error instanceof Error, `threw ${String(error)}`);
    return error;
  }
  assert.fail(`loadAddonFrom(${root}) loaded something`);
}

/** The parts every load error has: what this system is, and both ways out. */
function assertHowToFix(message: string): void {
  assert.ok(message.startsWith('lamina: '), message);
  assert.ok(message.includes(`${TUPLE}${LIBC ? `, ${LIBC}` : ''}, Node ` +
    `${process.versions.node}`), `the system is not described:\n${message}`);
  assert.ok(message.includes('npm rebuild lamina --build-from-source'), message);
  assert.ok(message.includes('apt-get install build-essential python3'), message);
  assert.ok(message.includes("backend: 'js'"), message);
}

describe('embedding: errors when the addon does not load', function () {
  this.timeout(30000);
  let work: string;

  /** A package folder (package.json named lamina) with the given files. */
  function packageFolder(name: string, files: Record<string, string | Buffer>): string {
    const root = path.join(work, name);
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'lamina' }));
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), content);
    }
    return root;
  }

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'lamina-load-'));
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('no binary at all: lists every folder looked in', () => {
    const root = packageFolder('empty', {});
    const error = loadError(root);
    console.log(`      ${error.message.split('\n').join('\n      ')}`);
    assertHowToFix(error.message);
    assert.ok(error.message.includes('no native binary of the addon fits this system'));
    for (const folder of [
      path.join(root, 'build', 'Release'),
      path.join(root, 'build', 'Debug'),
      path.join(root, 'prebuilds', TUPLE),
      path.join(path.dirname(process.execPath), 'prebuilds', TUPLE),
    ]) {
      assert.ok(error.message.includes(folder + path.sep), `${folder} not listed`);
    }
    const prebuilds = path.join(root, 'prebuilds') + path.sep;
    assert.ok(error.message.includes(`${prebuilds} holds no binary`), error.message);
    assert.ok(error.cause instanceof Error, 'the cause is kept');
  });

  it('binaries for another platform and another libc only: names them and the tags wanted',
    function () {
      const files: Record<string, string> = {
        [`prebuilds/${OTHER_TUPLE}/lamina.node`]: 'a binary for another system',
        'prebuilds/win32-ia32/lamina.node': 'a binary for another system',
      };
      if (GLIBC_LINUX) files[`prebuilds/${TUPLE}/lamina.musl.node`] = 'a musl binary';
      const error = loadError(packageFolder('elsewhere', files));
      assertHowToFix(error.message);
      assert.ok(error.message.includes('no native binary of the addon fits this system'));
      assert.ok(error.message.includes(`${OTHER_TUPLE}/lamina.node`), error.message);
      assert.ok(error.message.includes('win32-ia32/lamina.node'), error.message);
      if (!GLIBC_LINUX) return;
      assert.ok(error.message.includes(`prebuilds/${TUPLE}/*.node tagged glibc or untagged`));
      assert.ok(error.message.includes(`${TUPLE}/lamina.musl.node`), error.message);
      assert.ok(error.message.includes('set LIBC=musl'), error.message);
    });

  it('a damaged .node file (text): says the file is no library for this system', function () {
    if (process.platform !== 'linux') this.skip(); // the loader's wording differs per system
    const text = 'This is not a shared library, only text with a .node extension.\n'.repeat(20);
    const short = 'tiny\n';
    for (const [name, content, reason] of [
      ['corrupt', text, 'invalid ELF header'],
      ['truncated', short, 'file too short'],
    ]) {
      const root = packageFolder(name, { [`prebuilds/${TUPLE}/lamina.glibc.node`]: content });
      const file = path.join(root, 'prebuilds', TUPLE, 'lamina.glibc.node');
      const error = loadError(root);
      assertHowToFix(error.message);
      assert.ok(error.message.includes(`found the native addon at ${file} but it did not load`),
        error.message);
      assert.ok(error.message.includes(reason), error.message);
      assert.ok(error.message.includes('damaged or was built for another platform'),
        error.message);
    }
  });

  it('a broken source build hides a good prebuilt binary: says to delete build/', function () {
    if (process.platform !== 'linux') this.skip();
    const root = packageFolder('shadowed', {
      'build/Release/lamina.node': 'not a library\n'.repeat(10),
      [`prebuilds/${TUPLE}/lamina.glibc.node`]: 'a prebuilt binary',
    });
    const error = loadError(root);
    assert.ok(error.message.includes(path.join(root, 'build', 'Release', 'lamina.node')));
    assert.ok(error.message.includes(`delete ${path.join(root, 'build')} to use ` +
      `prebuilds/${TUPLE}/lamina.glibc.node instead`), error.message);
  });

  it('a binary that needs a library the system lacks: names the library', function () {
    if (process.platform !== 'linux') this.skip();
    native();
    const binary = fs.readFileSync(nativePath()!);
    // The same binary, with its dependency on libgomp.so.1 renamed to a version no system has.
    const needed = Buffer.from('libgomp.so.1\0');
    if (binary.indexOf(needed) < 0) this.skip(); // built without OpenMP
    let at = binary.indexOf(needed);
    while (at >= 0) {
      binary.write('libgomp.so.9\0', at);
      at = binary.indexOf(needed, at + 1);
    }
    const root = packageFolder('missing-library', { 'build/Release/lamina.node': binary });
    const error = loadError(root);
    assertHowToFix(error.message);
    assert.ok(error.message.includes('libgomp.so.9: cannot open shared object file'),
      error.message);
    assert.ok(error.message.includes('It needs the shared library libgomp.so.9'), error.message);
    assert.ok(error.message.includes('keep the two files together'), error.message);
  });

  it("reads each system's loader messages into a diagnosis", () => {
    const linux = { platform: 'linux', arch: 'x64', libc: 'glibc', runtime: 'Node 20.0.0' };
    const cases: Array<[string, string]> = [
      ["/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.36' not found (required by " +
        '/app/node_modules/lamina/prebuilds/linux-x64/lamina.glibc.node)',
      'a newer C/C++ runtime than this system has'],
      ['Error relocating /app/lamina.glibc.node: __memcpy_chk: symbol not found',
        'another C library (glibc or musl)'],
      ['Error loading shared library ld-linux-x86-64.so.2: No such file or directory (needed ' +
        'by /app/lamina.glibc.node)', 'its C library is another one (musl)'],
      ['libgomp.so.1: cannot open shared object file: No such file or directory',
        'needs the shared library libgomp.so.1'],
      ['libopenblas.so.0: cannot open shared object file: No such file or directory',
        'Install the package that provides it'],
      ['/app/lamina.node: invalid ELF header', 'damaged or was built for another platform'],
      ['dlopen(/app/lamina.node, 0x0001): Library not loaded: /opt/homebrew/opt/libomp/lib/' +
        "libomp.dylib\n  Referenced from: /app/lamina.node\n  Reason: tried: '/opt/homebrew/" +
        "opt/libomp/lib/libomp.dylib' (no such file)", 'brew install libomp'],
      ["dlopen(/app/lamina.node, 0x0001): tried: '/app/lamina.node' (mach-o file, but is an " +
        "incompatible architecture (have 'x86_64', need 'arm64'))",
      'built for another platform or architecture'],
      ['\\\\?\\C:\\app\\lamina.node is not a valid Win32 application.',
        'built for another platform or architecture'],
      ['The specified module could not be found.\r\n\\\\?\\C:\\app\\lamina.node',
        'Visual C++ Redistributable'],
      ["The module '/app/lamina.node'\nwas compiled against a different Node.js version " +
        'using\nNODE_MODULE_VERSION 108.', 'another version of Node or Electron'],
      ["Module did not self-register: '/app/lamina.node'.", 'another version of Node'],
      ['something else entirely', 'The system refused to load it'],
    ];
    for (const [reason, expected] of cases) {
      const diagnosis = diagnoseLoadFailure(reason, linux);
      assert.ok(diagnosis.includes(expected), `${reason}\n  -> ${diagnosis}`);
    }
  });

  it('LAMINA_PREBUILD names the folder searched instead of the package', () => {
    const root = packageFolder('overridden', {});
    const elsewhere = packageFolder('override-target', {});
    const previous = process.env.LAMINA_PREBUILD;
    process.env.LAMINA_PREBUILD = elsewhere;
    try {
      const error = loadError(root);
      assert.ok(error.message.includes(path.join(elsewhere, 'build', 'Release')), error.message);
      assert.ok(error.message.includes(`the environment variable LAMINA_PREBUILD named ` +
        `${elsewhere}, searched instead of the package at ${root}`), error.message);
    } finally {
      if (previous === undefined) delete process.env.LAMINA_PREBUILD;
      else process.env.LAMINA_PREBUILD = previous;
    }
  });

  it('through the public API of a package with no binary; the js backend still works', () => {
    // A copy of the built package without build/ and prebuilds/ (node_modules linked).
    const root = path.join(work, 'copy');
    fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
    fs.cpSync(path.join(packageRoot, 'dist', 'lib'), path.join(root, 'dist', 'lib'),
      { recursive: true });
    fs.copyFileSync(path.join(packageRoot, 'package.json'), path.join(root, 'package.json'));
    fs.symlinkSync(path.join(packageRoot, 'node_modules'), path.join(root, 'node_modules'));
    const script = `
      const lamina = require(${JSON.stringify(path.join(root, 'dist', 'lib'))});
      const messages = {};
      try { lamina.buildInfo(); } catch (error) { messages.buildInfo = error.message; }
      const options = (backend) => ({
        layers: [['input', lamina.InputLayer], ['output', lamina.DenseLayer]],
        input_shape: [null, 2], output_num_units: 2, output_nonlinearity: lamina.softmax,
        max_epochs: 2, train_split: false, backend,
      });
      const x = new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]);
      const y = new Int32Array([0, 0, 1, 1]);
      new lamina.NeuralNet(options('native')).fit(x, y)
        .catch((error) => { messages.fit = error.message; })
        .then(() => new lamina.NeuralNet(options('js')).fit(x, y))
        .then((net) => { messages.jsEpochs = net.trainHistory.length; })
        .then(() => console.log(JSON.stringify(messages)));
    `;
    const env = { ...process.env };
    delete env.LAMINA_PREBUILD;
    const messages = JSON.parse(execFileSync(process.execPath, ['-e', script], { env })
      .toString());
    for (const key of ['buildInfo', 'fit']) {
      assertHowToFix(messages[key]);
      assert.ok(messages[key].includes(path.join(root, 'build', 'Release')), messages[key]);
    }
    assert.strictEqual(messages.jsEpochs, 2);
  });
});
