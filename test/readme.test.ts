/**
 * Every TypeScript example in the README runs, against the built package, and so does every
 * `lamina` command line (shortened where it would train on all of MNIST for long).
 */
import * as assert from 'assert';
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { toCsv } from '../lib/data/csv';
import { writeDigitPng } from '../lib/data/image';
import { loadMnist } from '../lib/data/mnist';
import { packageRoot } from '../lib/native';

/** The ```ts blocks of a markdown file, with the line each starts on. */
export function typescriptBlocks(markdown: string): Array<{ line: number; code: string }> {
  const blocks: Array<{ line: number; code: string }> = [];
  const pattern = /^```ts\n([\s\S]*?)^```/gm;
  for (let match = pattern.exec(markdown); match; match = pattern.exec(markdown)) {
    const line = markdown.slice(0, match.index).split('\n').length;
    blocks.push({ line, code: match[1] });
  }
  return blocks;
}

describe('README', function () {
  this.timeout(10 * 60 * 1000);
  const readme = fs.readFileSync(path.join(packageRoot, 'README.md'), 'utf8');
  const blocks = typescriptBlocks(readme);

  it('has examples', () => {
    assert.ok(blocks.length > 0);
  });

  for (const block of blocks) {
    it(`runs the example on line ${block.line}`, () => {
      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lamina-readme-'));
      try {
        // Imports stay at the top; the rest runs in an async function, so examples may await.
        const importPattern = /^import [\s\S]*?from '[^']+';\n/gm;
        const imports = block.code.match(importPattern) ?? [];
        const body = block.code.replace(importPattern, '');
        const source =
          `${imports.join('')}(async () => {\n${body}\n})().catch((error) => ` +
          '{ console.error(error); process.exit(1); });\n';
        const js = ts.transpileModule(source, {
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
        }).outputText;
        // `import ... from 'lamina'` resolves to this checkout's build.
        const file = path.join(work, 'example.js');
        const entry = JSON.stringify(path.join(packageRoot, 'dist', 'lib', 'index.js'));
        fs.writeFileSync(file, js.replace(/require\("lamina"\)/g, `require(${entry})`));
        execFileSync(process.execPath, [file], { cwd: work, stdio: 'pipe' });
      } finally {
        fs.rmSync(work, { recursive: true, force: true });
      }
    });
  }
});

/** The `lamina ...` lines of the README's sh blocks, comments dropped. */
export function commandLines(markdown: string): string[] {
  const lines: string[] = [];
  const pattern = /^```sh\n([\s\S]*?)^```/gm;
  for (let match = pattern.exec(markdown); match; match = pattern.exec(markdown)) {
    for (const line of match[1].split('\n')) {
      const command = line.replace(/#.*$/, '').trim();
      if (command.startsWith('lamina ') || command === 'lamina') lines.push(command);
    }
  }
  return lines;
}

/**
 * A README command line as runnable variants: `[a | b]` and `[a]` are optional parts, tried
 * without them and with each one that names no placeholder (DIR, FILE.csv).
 */
export function variants(line: string): string[][] {
  const optional = [...line.matchAll(/\[([^\]]+)\]/g)].map((match) => match[1]);
  const base = line.replace(/\s*\[[^\]]+\]/g, '');
  const runs = [base];
  for (const part of optional) {
    for (const choice of part.split('|').map((text) => text.trim())) {
      if (!/\b[A-Z]{2,}\b/.test(choice)) runs.push(`${base} ${choice}`);
    }
  }
  return runs.map((run) => run.split(/\s+/).slice(1));
}

describe('README command lines', function () {
  this.timeout(10 * 60 * 1000);
  const readme = fs.readFileSync(path.join(packageRoot, 'README.md'), 'utf8');
  const lines = commandLines(readme);
  const bin = path.join(packageRoot, 'bin', 'lamina.js');
  let work: string;

  /** Runs `lamina ARGS` in the work folder; the promise holds its exit code and output. */
  function run(args: string[], onStdout?: (seen: string, kill: () => void) => void):
    Promise<{ code: number | null; out: string; err: string }> {
    const child = spawn(process.execPath, [bin, ...args, ...(args[0] === 'train' &&
      !args.includes('--resume') ? ['--no-progress'] : [])], { cwd: work });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      onStdout?.(out, () => child.kill('SIGINT'));
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out, err }));
    });
  }

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'lamina-readme-cli-'));
    // The inputs the predict example names: a seven (test image 0) and a CSV of pixel rows.
    const { test } = await loadMnist();
    assert.strictEqual(test.y[0], 7);
    await writeDigitPng(path.join(work, 'my-seven.png'), test.X.subarray(0, 784));
    await toCsv(path.join(work, 'digits.csv'), { X: test.X.subarray(0, 5 * 784),
      y: test.y.subarray(0, 5) });
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('has command lines for every subcommand', () => {
    const commands = new Set(lines.map((line) => line.split(/\s+/)[1]));
    for (const command of ['train', 'evaluate', 'predict', 'show', 'info']) {
      assert.ok(commands.has(command), `no README line runs lamina ${command}`);
    }
  });

  it('runs each training line (the full-size ones shortened with --limit and --epochs)',
    async () => {
      const training = lines.filter((text) => / train\b/.test(text) && !/--resume|mlp2/.test(text));
      for (const line of training) {
        const args = variants(line)[0];
        // The bare `lamina train` is LeNet on all of MNIST for 15 epochs: run it on a subset.
        const bare = args.length === 1;
        if (!args.includes('--limit')) args.push('--limit', '1200');
        if (bare) args.push('--epochs', '1');
        const result = await run(args);
        assert.strictEqual(result.code, 0, `${line}\n${result.err}`);
        assert.match(result.out, /Test error \d+\.\d+%/, line);
      }
      assert.ok(fs.existsSync(path.join(work, 'runs', 'mlp', 'model.safetensors')));
      const summary = JSON.parse(fs.readFileSync(path.join(work, 'summary.json'), 'utf8'));
      assert.strictEqual(summary.preset, 'logreg');
    });

  it('interrupts the mlp2 line with Ctrl-C and resumes it with the next line', async () => {
    const [first, second] = lines.filter((text) => /mlp2/.test(text))
      .map((text) => variants(text)[0]);
    assert.ok(first && second, 'the README has the interrupt and resume lines');
    const interrupted = await run([...first, '--limit', '6000'], (seen, kill) => {
      if (/\n {6}1 /.test(seen)) kill();
    });
    assert.strictEqual(interrupted.code, 130, interrupted.err);
    assert.ok(interrupted.err.includes(`Resume with: lamina train --resume ${second[2]}`),
      interrupted.err);
    const resumed = await run(second);
    assert.strictEqual(resumed.code, 0, resumed.err);
    assert.match(resumed.out, /^Resuming mlp2 on MNIST\n/);
    assert.ok(fs.existsSync(path.join(work, 'runs', 'mlp2', 'model.safetensors')));
  });

  it('trains the network file of the README', async () => {
    const block = /^```json\n(\{\n  "layers"[\s\S]*?)^```/m.exec(readme);
    assert.ok(block, 'the README shows a network file');
    fs.writeFileSync(path.join(work, 'network.json'), block[1]);
    const result = await run(['train', '--layers', 'network.json', '--limit', '1200',
      '--epochs', '2', '--out', 'runs/network']);
    assert.strictEqual(result.code, 0, result.err);
    assert.match(result.out, /# Neural Network with 159010 learnable parameters/);
  });

  it('runs the evaluate, predict, show and info lines', async () => {
    const others = lines.filter((text) => !/ train\b/.test(text));
    for (const line of others) {
      for (const args of variants(line)) {
        const result = await run(args);
        assert.strictEqual(result.code, 0, `lamina ${args.join(' ')}\n${result.err}`);
        if (args[0] === 'predict' && !args.includes('--out')) {
          // One line per input: the PNG (a seven) and the five CSV rows.
          assert.match(result.out, /my-seven\.png.*\b7\b/, result.out);
        }
      }
    }
    for (const file of ['eval.html', 'predictions.csv', 'digits.png', 'elastic.png']) {
      assert.ok(fs.existsSync(path.join(work, file)), `${file} was not written`);
    }
  });
});
