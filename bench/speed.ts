/**
 * Training and prediction speed side by side: Lamina, PyTorch and TensorFlow.js on the same
 * job (full MNIST, batch 128, Nesterov momentum lr 0.01 momentum 0.9, 2 threads), LeNet and
 * the 200-unit MLP.
 *
 *   npm run bench:speed [-- --repeats 3] [--models lenet,mlp] [--peers lamina,pytorch,...]
 *     [--threads 2] [--no-competitor]
 *
 * Every measurement is its own process (so peak memory is per job), the peers run interleaved
 * (A B C, A B C, ...) and each figure is the median of the repeats. The slow peers train on a
 * subset and their epoch time is scaled to 60,000 images (the table says so). Finally LeNet is
 * timed again for Lamina and PyTorch with one busy process competing for the cores.
 *
 * PyTorch: Debian's python3-torch (`apt-get install python3-torch`), run with the first of
 * /usr/bin/python3 and python3 that can import torch; skipped (with that hint) otherwise.
 */
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as path from 'path';
import { median } from './monitor';

interface Result {
  peer: string;
  model: string;
  trainSamples: number;
  epochSeconds: number;
  predictSeconds: number;
  peakRssMb: number;
  maxStallMs?: number;
  flopsPerEpoch?: number;
  note?: string;
}

interface Peer {
  name: string;
  /** Training images per model (undefined: all 60,000). */
  samples: Record<string, number | undefined>;
  command(model: string, threads: number): [string, string[]];
  note?: string;
}

const dist = path.resolve(__dirname);

function findPython(): string | undefined {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(candidate, ['-c', 'import torch'], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

function peers(threads: number, python: string | undefined): Peer[] {
  const list: Peer[] = [
    {
      name: 'lamina',
      samples: {},
      command: (model) => [process.execPath, [path.join(dist, 'peers', 'lamina.js'), '--model', model, '--threads', String(threads)]],
    },
  ];
  if (python) {
    list.push({
      name: 'pytorch',
      samples: {},
      command: (model) => [python, [path.join(dist, '..', '..', 'bench', 'torch_lenet.py'), model, '--threads', String(threads), '--json']],
    });
  }
  const tfjs = (backend: 'wasm' | 'cpu', samples: Record<string, number>, note: string): Peer => ({
    name: `tfjs-${backend}`,
    samples,
    note,
    command: (model) => [
      process.execPath,
      [path.join(dist, 'peers', 'tfjs.js'), '--backend', backend, '--model', model, '--samples', String(samples[model])],
    ],
  });
  list.push(tfjs('wasm', { lenet: 2560, mlp: 12800 }, 'single-threaded wasm (SIMD); LeNet filter gradient via a JS fallback kernel'));
  list.push(tfjs('cpu', { lenet: 256, mlp: 3840 }, 'plain JavaScript backend'));
  return list;
}

function runOnce(peer: Peer, model: string, threads: number): Result {
  const [command, args] = peer.command(model, threads);
  const output = execFileSync(command, args, {
    env: { ...process.env, LAMINA_NUM_THREADS: String(threads) },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 16 << 20,
  }).toString();
  const line = output.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`${peer.name} ${model} printed no result:\n${output}`);
  return { ...(JSON.parse(line) as Result), peer: peer.name };
}

/** Runs fn while a busy process spins on one core. */
function withCompetitor<T>(fn: () => T): T {
  const busy = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  try {
    return fn();
  } finally {
    busy.kill('SIGKILL');
  }
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function argument(argv: string[], name: string, fallback: string): string {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : fallback;
}

function main(): void {
  const argv = process.argv.slice(2);
  const repeats = Number(argument(argv, 'repeats', '3'));
  const threads = Number(argument(argv, 'threads', '2'));
  const models = argument(argv, 'models', 'lenet,mlp').split(',');
  const python = findPython();
  const wanted = argument(argv, 'peers', 'lamina,pytorch,tfjs-wasm,tfjs-cpu').split(',');
  const selected = peers(threads, python).filter((peer) => wanted.includes(peer.name));
  if (!python && wanted.includes('pytorch')) {
    console.log('PyTorch skipped: no python3 with torch (install it: apt-get install python3-torch)');
  }
  const cpu = execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"]).toString().trim();
  console.log(`${new Date().toISOString().slice(0, 10)}, ${cpu}, ${threads} threads, ${repeats} repeats, interleaved\n`);

  // Interleaved rounds: every peer and model once per round.
  const results = new Map<string, Result[]>();
  for (let round = 0; round < repeats; round++) {
    for (const model of models) {
      for (const peer of selected) {
        const result = runOnce(peer, model, threads);
        const key = `${model}/${peer.name}`;
        results.set(key, [...(results.get(key) ?? []), result]);
        process.stderr.write(`round ${round + 1}: ${key} ${result.epochSeconds.toFixed(2)} s/epoch\n`);
      }
    }
  }

  const rows: string[][] = [];
  for (const model of models) {
    const lamina = results.get(`${model}/lamina`);
    const laminaEpoch = lamina ? median(lamina.map((r) => r.epochSeconds)) : NaN;
    const laminaPredict = lamina ? median(lamina.map((r) => r.predictSeconds)) : NaN;
    for (const peer of selected) {
      const runs = results.get(`${model}/${peer.name}`) ?? [];
      if (runs.length === 0) continue;
      const epoch = median(runs.map((r) => r.epochSeconds));
      const predict = median(runs.map((r) => r.predictSeconds));
      const stall = runs[0].maxStallMs === undefined ? NaN : median(runs.map((r) => r.maxStallMs as number));
      const samples = peer.samples[model];
      rows.push([
        model,
        peer.name,
        epoch.toFixed(2),
        predict.toFixed(3),
        median(runs.map((r) => r.peakRssMb)).toFixed(0),
        Number.isNaN(stall) ? '-' : stall.toFixed(0),
        (epoch / laminaEpoch).toFixed(1),
        (predict / laminaPredict).toFixed(1),
        samples ? `${samples} images, scaled to 60,000` : 'full MNIST',
      ]);
    }
  }
  console.log(
    table(
      ['model', 'peer', 's/epoch', 'predict 10k s', 'peak RSS MB', 'max stall ms', 'epoch / lamina', 'predict / lamina', 'training data'],
      rows,
    ),
  );
  for (const peer of selected) if (peer.note) console.log(`${peer.name}: ${peer.note}`);

  // Lamina's achieved throughput against the machine's peak.
  const cores = Number(execFileSync('nproc').toString().trim());
  const mhz = Number(execFileSync('sh', ['-c', "grep -m1 'cpu MHz' /proc/cpuinfo | cut -d: -f2"]).toString().trim());
  const peak = (cores * 2 * 8 * 2 * mhz) / 1000;
  for (const model of models) {
    const lamina = results.get(`${model}/lamina`);
    if (!lamina || !lamina[0].flopsPerEpoch) continue;
    const gflops = lamina[0].flopsPerEpoch / median(lamina.map((r) => r.epochSeconds)) / 1e9;
    console.log(
      `lamina ${model}: ${(lamina[0].flopsPerEpoch / 1e9).toFixed(1)} GFLOP per epoch, ` +
        `${gflops.toFixed(1)} GFLOP/s achieved = ${((100 * gflops) / peak).toFixed(0)}% of ` +
        `${peak.toFixed(0)} GFLOP/s (${cores} cores x 2 FMA units x 8 fp32 lanes (AVX2) x 2 flops ` +
        `x ${mhz.toFixed(0)} MHz)`,
    );
  }

  // With one busy process competing for the two cores.
  if (!argv.includes('--no-competitor') && models.includes('lenet')) {
    const contenders = selected.filter((peer) => peer.name === 'lamina' || peer.name === 'pytorch');
    const busyRows: string[][] = [];
    const quiet = (name: string) => median((results.get(`lenet/${name}`) ?? []).map((r) => r.epochSeconds));
    const busy = new Map<string, number[]>();
    for (let round = 0; round < repeats; round++) {
      for (const peer of contenders) {
        const result = withCompetitor(() => runOnce(peer, 'lenet', threads));
        busy.set(peer.name, [...(busy.get(peer.name) ?? []), result.epochSeconds]);
      }
    }
    for (const peer of contenders) {
      const seconds = median(busy.get(peer.name) ?? []);
      busyRows.push([
        'lenet',
        peer.name,
        quiet(peer.name).toFixed(2),
        seconds.toFixed(2),
        (seconds / quiet(peer.name)).toFixed(2),
      ]);
    }
    console.log('\nWith one busy process competing for the cores:');
    console.log(table(['model', 'peer', 'quiet s/epoch', 'busy s/epoch', 'slowdown'], busyRows));
  }
}

main();
