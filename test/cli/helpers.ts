/**
 * Running the `lamina` command in tests: in-process through main() with captured output, or as
 * a child process (for exit codes and signals). Also small data files made from MNIST.
 */
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { toCsv } from '../../lib/data/csv';
import { loadMnist } from '../../lib/data/mnist';
import { CliIo, main } from '../../lib/cli/main';
import { packageRoot } from '../../lib/native';

/** What a command printed and how it ended. */
export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `lamina ARGS` in-process; extra io fields (signal, progress) may be given. */
export async function runCli(args: string[], io: Partial<CliIo> = {}): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await main(args, {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    ...io,
  });
  return { code, out, err };
}

/** The bin script. */
export const BIN = path.join(packageRoot, 'bin', 'lamina.js');

/** Starts `node bin/lamina.js ARGS` in cwd with piped output. */
export function spawnCli(args: string[], cwd: string): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Waits for a child to exit; resolves with its code (or signal) and output. */
export function finished(child: ChildProcess): Promise<{ code: number | null;
  signal: NodeJS.Signals | null; out: string; err: string }> {
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    err += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}

/** Whether the native addon loads here (else native-only tests skip with a message). */
export function nativeAvailable(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    require('../../lib/native').native();
    return true;
  } catch {
    return false;
  }
}

/** Writes the first nTrain training and nTest test images of MNIST as CSV tables. */
export async function writeMnistCsv(folder: string, nTrain: number, nTest: number,
  options: { labelColumn?: string | null; header?: boolean } = {}):
  Promise<{ train: string; test: string }> {
  const { train, test } = await loadMnist();
  const files = { train: path.join(folder, 'train.csv'), test: path.join(folder, 'test.csv') };
  const write = (file: string, part: typeof train, n: number) => toCsv(file,
    { X: part.X.subarray(0, n * 784), y: part.y.subarray(0, n) },
    { labelColumn: options.labelColumn === undefined ? 'label' : options.labelColumn,
      header: options.header });
  await write(files.train, train, nTrain);
  await write(files.test, test, nTest);
  return files;
}
