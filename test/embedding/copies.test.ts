/**
 * Data crosses the addon boundary as copies, never as external buffers (Electron's V8 memory
 * cage refuses an ArrayBuffer over memory it did not allocate): the build forbids the external
 * forms, the bindings call none, and every array the addon returns owns its memory while the
 * model keeps none of the caller's arrays.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import type { Dataset, Model, ParamTensor } from '../../lib/backend/backend';
import { nativeBackend } from '../../lib/backend/native';
import { augmentImages } from '../../lib/augment';
import { packageRoot } from '../../lib/native';
import { SpecBuilder, trainSpec, updateSpec } from '../helpers/spec';
import { blobs } from '../helpers/synthetic';

// ---------------------------------------------------------------------------------------------
// Reading the C++ sources

/** Source files under a folder (recursive), with the given extensions. */
function sourceFiles(folder: string, extensions: string[]): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(full, extensions);
    return extensions.includes(path.extname(entry.name)) ? [full] : [];
  });
}

/** The source without comments, string and character literals, so that prose cannot match. */
function codeOnly(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/"(?:[^"\\\n]|\\.)*"/g, '""')
    .replace(/'(?:[^'\\\n]|\\.)'/g, "' '");
}

/** Every call of a function whose name matches, with its number of top-level arguments. */
function calls(code: string, name: RegExp): Array<{ text: string; args: number }> {
  const found: Array<{ text: string; args: number }> = [];
  const pattern = new RegExp(`${name.source}\\s*\\(`, 'g');
  for (let match = pattern.exec(code); match; match = pattern.exec(code)) {
    let depth = 0;
    let args = 1;
    let end = match.index + match[0].length;
    for (; end < code.length; end++) {
      const ch = code[end];
      if (ch === '(' || ch === '{' || ch === '[') depth++;
      else if (ch === ')' || ch === '}' || ch === ']') {
        if (depth === 0) break;
        depth--;
      } else if (ch === ',' && depth === 0) args++;
    }
    const inside = code.slice(match.index + match[0].length, end).trim();
    found.push({ text: code.slice(match.index, end + 1), args: inside === '' ? 0 : args });
  }
  return found;
}

/** The ways C++ can hand V8 memory it did not allocate, as found in some code. */
function externalBufferUses(code: string): string[] {
  const uses: string[] = [];
  // The C API: napi_create_external_arraybuffer, napi_create_external_buffer.
  for (const call of calls(code, /\bnapi_create_external_(?:arraybuffer|buffer)/)) {
    uses.push(call.text);
  }
  // node-addon-api: ArrayBuffer::New(env, data, length[, finalizer]) and
  // Buffer<T>::New(env, data, length[, finalizer]); the copying forms take two arguments.
  for (const call of calls(code, /\b(?:ArrayBuffer|Buffer\s*(?:<[^<>()]*>)?)\s*::\s*New/)) {
    if (call.args >= 3) uses.push(call.text);
  }
  if (/#\s*undef\s+NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED/.test(code)) {
    uses.push('#undef NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED');
  }
  return uses;
}

// ---------------------------------------------------------------------------------------------
// Models

function mlpSpec() {
  return new SpecBuilder([2])
    .dense(16, 'rectify', { name: 'hidden' })
    .dense(3, 'softmax', { name: 'output' })
    .build();
}

const TRAIN_SPEC = trainSpec({ update: updateSpec('nesterov_momentum', { learningRate: 0.05 }) });

async function trainedModel(data: Dataset, epochs = 3): Promise<Model> {
  const model = nativeBackend.createModel(mlpSpec(), 21);
  await model.train({ train: data, firstEpoch: 1, epochs, spec: TRAIN_SPEC });
  return model;
}

function copyParams(params: ParamTensor[]): ParamTensor[] {
  return params.map((param) => ({ ...param, shape: [...param.shape],
    values: param.values.slice() }));
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.strictEqual(a.length, b.length, 'lengths differ');
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i] - b[i]));
  return largest;
}

function maxParamDifference(a: ParamTensor[], b: ParamTensor[]): number {
  return Math.max(...a.map((param, i) => maxDifference(param.values, b[i].values)));
}

/** Whether a typed array is the only view of an ArrayBuffer of exactly its size. */
function ownsBuffer(array: ArrayBufferView): boolean {
  return array.byteOffset === 0 && array.buffer.byteLength === array.byteLength;
}

/** A full garbage collection (the runner is not started with --expose-gc). */
function collectGarbage(): void {
  const existing = (global as { gc?: () => void }).gc;
  if (existing) return existing();
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

describe('embedding: data crosses the boundary as copies (Electron)', () => {
  describe('the sources', () => {
    it('both build files forbid external buffers', () => {
      for (const file of ['binding.gyp', 'CMakeLists.txt']) {
        const text = fs.readFileSync(path.join(packageRoot, file), 'utf8');
        assert.match(text, /NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED/, `${file} lacks the define`);
      }
    });

    it('the scanner finds the external forms and passes the copying ones', () => {
      const external = [
        'napi_create_external_arraybuffer(env, data, n, Free, nullptr, &out);',
        'napi_create_external_buffer(env, n, data, Free, nullptr, &out);',
        'Napi::ArrayBuffer::New(env, data, bytes);',
        'Napi::ArrayBuffer::New(env, data, bytes, [](Napi::Env, void* p) { free(p); });',
        'Napi::Buffer<uint8_t>::New(env, bytes.data(), bytes.size());',
        'Napi::Buffer<float>::New(env, ptr, n, Finalize, hint);',
      ];
      for (const code of external) {
        assert.strictEqual(externalBufferUses(code).length, 1, `missed: ${code}`);
      }
      const copying = [
        'Napi::ArrayBuffer::New(env, bytes);',
        'Napi::Buffer<uint8_t>::New(env, n);',
        'Napi::Buffer<uint8_t>::Copy(env, data, n);',
        'Napi::Float32Array::New(env, std::max(a, b));',
        '// Napi::ArrayBuffer::New(env, data, bytes) is not allowed',
        'throw Napi::Error::New(env, "no ArrayBuffer::New(env, data, n) here");',
        "Napi::ArrayBuffer::New(env, c == ',' ? 1 : 2);",
      ];
      for (const code of copying) {
        assert.deepStrictEqual(externalBufferUses(codeOnly(code)), [], `flagged: ${code}`);
      }
    });

    it('no binding creates an external buffer, and only native/addon includes napi.h', () => {
      const addonFolder = path.join(packageRoot, 'native', 'addon');
      const addonFiles = sourceFiles(addonFolder, ['.cc', '.h']);
      assert.ok(addonFiles.length >= 3, `found ${addonFiles.length} addon files`);
      let arraysCreated = 0;
      for (const file of addonFiles) {
        const code = codeOnly(fs.readFileSync(file, 'utf8'));
        assert.deepStrictEqual(externalBufferUses(code), [], path.relative(packageRoot, file));
        arraysCreated += calls(code, /\b(?:Float32|Float64|Uint32|Int32|Uint8)Array\s*::\s*New/)
          .length;
      }
      // The arrays the addon does return are allocated by V8 (TypedArray::New(env, length)).
      assert.ok(arraysCreated >= 3, `only ${arraysCreated} TypedArray::New calls found`);

      const elsewhere = sourceFiles(path.join(packageRoot, 'native'), ['.cc', '.h'])
        .filter((file) => !file.startsWith(addonFolder + path.sep))
        .filter((file) => /#\s*include\s*[<"](?:napi|node_api|node)\.h[>"]/
          .test(fs.readFileSync(file, 'utf8')));
      assert.deepStrictEqual(elsewhere.map((file) => path.relative(packageRoot, file)), []);
    });
  });

  describe('the arrays', function () {
    this.timeout(20000);

    it('predict returns a fresh array that owns its memory each time', async () => {
      const model = await trainedModel(blobs(300, 1));
      const input = blobs(50, 2);
      const first = await model.predict(input);
      const expected = first.slice();
      const second = await model.predict(input);
      assert.ok(ownsBuffer(first) && ownsBuffer(second), 'an output is a view on shared memory');
      assert.notStrictEqual(first.buffer, second.buffer);

      // Mutating or detaching an output changes nothing for the model.
      first.fill(-1);
      structuredClone(second.buffer, { transfer: [second.buffer as ArrayBuffer] });
      assert.strictEqual(second.length, 0, 'the output was not detached');
      const third = await model.predict(input);
      const difference = maxDifference(third, expected);
      assert.strictEqual(difference, 0, `predictions moved by ${difference}`);
      model.dispose();
    });

    it('getParams returns copies; setParams copies what it is given', async () => {
      const model = await trainedModel(blobs(300, 1));
      const input = blobs(50, 2);
      const before = await model.predict(input);
      const params = model.getParams();
      const saved = copyParams(params);
      assert.ok(params.every((param) => ownsBuffer(param.values)), 'a parameter is a view');
      assert.strictEqual(new Set(params.map((param) => param.values.buffer)).size, params.length);

      // Changing what getParams returned does not change the model.
      params.forEach((param) => param.values.fill(7));
      assert.strictEqual(maxParamDifference(model.getParams(), saved), 0);
      assert.strictEqual(maxDifference(await model.predict(input), before), 0);

      // Changing what was given to setParams afterwards does not either.
      const given = copyParams(saved);
      model.setParams(given);
      given.forEach((param) => param.values.fill(-3));
      assert.strictEqual(maxParamDifference(model.getParams(), saved), 0);
      assert.strictEqual(maxDifference(await model.predict(input), before), 0);
      model.dispose();
    });

    it('augmentImages returns an array that owns its memory', () => {
      const images = new Uint8Array(2 * 28 * 28).fill(100);
      const out = augmentImages(images, 2, 1, 28, 28, { affine: { rotation: 10 } }, 3);
      assert.ok(out instanceof Float32Array && ownsBuffer(out));
      assert.strictEqual(out.length, 2 * 28 * 28);
    });

    it('the model keeps working after its training arrays are overwritten', async () => {
      const data = blobs(300, 1);
      const twinData = blobs(300, 1);
      const model = await trainedModel(data);
      const twin = await trainedModel(twinData);
      const input = blobs(50, 2);
      const expected = await twin.predict(input);

      // Garbage in the arrays the model was trained from: it has its own copy of nothing.
      (data.x as Float32Array).fill(Number.NaN);
      (data.y as Int32Array).fill(0);
      const output = await model.predict(input);
      assert.strictEqual(maxDifference(output, expected), 0, 'predictions changed');

      // Both continue training on fresh data and stay identical.
      for (const each of [model, twin]) {
        await each.train({ train: blobs(300, 3), firstEpoch: 4, epochs: 1, spec: TRAIN_SPEC });
      }
      const difference = maxParamDifference(model.getParams(), twin.getParams());
      console.log(`      largest parameter difference from the twin: ${difference} ` +
        '(tolerance 0)');
      assert.strictEqual(difference, 0);
      model.dispose();
      twin.dispose();
    });

    it('the arrays given to train and predict can be garbage-collected afterwards', async () => {
      const twin = await trainedModel(blobs(300, 1));
      const input = blobs(50, 2);
      const expected = await twin.predict(input);

      // Train and predict from arrays that only this scope references.
      const refs: Array<WeakRef<object>> = [];
      const model = nativeBackend.createModel(mlpSpec(), 21);
      await (async () => {
        const data = blobs(300, 1);
        const probe = blobs(50, 2);
        refs.push(new WeakRef(data.x), new WeakRef(data.y), new WeakRef(probe.x));
        await model.train({ train: data, firstEpoch: 1, epochs: 3, spec: TRAIN_SPEC });
        await model.predict(probe);
      })();
      for (let i = 0; i < 4; i++) {
        collectGarbage();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const alive = refs.filter((ref) => ref.deref() !== undefined).length;
      assert.strictEqual(alive, 0, `${alive} of the input arrays are still referenced`);

      // Fresh garbage where the inputs were, then the model predicts as its twin.
      const filler = Array.from({ length: 64 }, () => new Float32Array(600).fill(9));
      assert.strictEqual(filler.length, 64);
      assert.strictEqual(maxDifference(await model.predict(input), expected), 0);
      model.dispose();
      twin.dispose();
    });
  });
});
