/**
 * The reference table reproduced from Node: each network of the classic MNIST walkthrough
 * trained on the 60,000 training images by `lamina train --preset NAME` and scored on the
 * 10,000 test images, beside the error the old Python stack reached and our target; plus a
 * random forest (100 trees, scikit-learn) for the comparison row.
 *
 *   npm run bench:accuracy [-- --only lenet,mlp] [--threads 2]
 *
 * Each row is one full training run with the preset's own epochs and schedule (see
 * lib/cli/presets.ts); the figures are the ones `lamina train --json` reports.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PRESET_NAMES } from '../lib/cli/presets';

interface Row {
  name: string;
  preset?: string;
  /** The error the nolearn/Lasagne walkthrough reached. */
  python: string;
  /** Our bar. */
  target: string;
}

const ROWS: Row[] = [
  { name: 'logistic regression', preset: 'logreg', python: '8.1%', target: '<= 7.5%' },
  { name: 'random forest (100 trees)', python: '3.3%', target: 'within 0.1 of 2.95%' },
  { name: 'MLP 200', preset: 'mlp', python: '2.5%', target: '<= 1.9%' },
  { name: 'MLP 500-300', preset: 'mlp2', python: '2.0%', target: '<= 1.6%' },
  { name: 'LeNet', preset: 'lenet', python: '1.0%', target: '<= 0.8%' },
  { name: 'LeNet + elastic distortions', preset: 'lenet-elastic', python: '-', target: '<= 0.6%' },
];

const root = path.resolve(__dirname, '..', '..');

function argument(argv: string[], name: string, fallback: string): string {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : fallback;
}

function trainPreset(preset: string, threads: string): { error: number; seconds: number; epochs: number } {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lamina-accuracy-'));
  try {
    const summary = path.join(work, 'summary.json');
    execFileSync(
      process.execPath,
      [path.join(root, 'bin', 'lamina.js'), 'train', '--preset', preset, '--threads', threads,
        '--out', path.join(work, 'run'), '--json', summary, '--no-progress'],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const result = JSON.parse(fs.readFileSync(summary, 'utf8'));
    return { error: result.test_error, seconds: result.train_seconds, epochs: result.epochs };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function randomForest(): { error: number; seconds: number } | string {
  const script = path.join(root, 'bench', 'random_forest.py');
  for (const python of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(python, ['-c', 'import sklearn'], { stdio: 'ignore' }).status !== 0) continue;
    const line = execFileSync(python, [script]).toString().trim().split('\n').pop() as string;
    const result = JSON.parse(line);
    return { error: result.test_error, seconds: result.train_seconds };
  }
  return 'skipped: needs scikit-learn (apt-get install python3-sklearn)';
}

function main(): void {
  const argv = process.argv.slice(2);
  const only = argument(argv, 'only', '').split(',').filter(Boolean);
  const threads = argument(argv, 'threads', '2');
  const known = new Set<string>(PRESET_NAMES);
  const rows = ROWS.filter((row) => only.length === 0 || only.includes(row.preset ?? 'forest'));
  const lines: string[][] = [];
  for (const row of rows) {
    process.stderr.write(`training ${row.name}...\n`);
    let error = '-';
    let time = '-';
    let epochs = '-';
    if (!row.preset) {
      const forest = randomForest();
      if (typeof forest === 'string') error = forest;
      else {
        error = `${(forest.error * 100).toFixed(2)}%`;
        time = `${forest.seconds.toFixed(0)} s`;
      }
    } else if (!known.has(row.preset)) {
      error = `skipped: no preset ${row.preset}`;
    } else {
      const result = trainPreset(row.preset, threads);
      error = `${(result.error * 100).toFixed(2)}%`;
      time = `${result.seconds.toFixed(0)} s`;
      epochs = String(result.epochs);
    }
    lines.push([row.name, error, row.python, row.target, epochs, time]);
  }
  const header = ['network', 'test error', 'old Python stack', 'target', 'epochs', 'training time'];
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
  const format = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ');
  console.log(`${new Date().toISOString().slice(0, 10)}, ${os.cpus()[0]?.model ?? ''}, ${threads} threads`);
  console.log(format(header));
  console.log(format(widths.map((w) => '-'.repeat(w))));
  for (const line of lines) console.log(format(line));
}

main();
