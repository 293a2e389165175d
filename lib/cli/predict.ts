/**
 * `lamina predict MODEL INPUT...`: the class a saved model gives each input, with its
 * probability. Inputs are PNG pictures of digits (framed like MNIST's digits first, so a
 * photo or a drawing of any size works) or CSV tables of pixel rows.
 */
import { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../data/atomic';
import { fromCsv } from '../data/csv';
import { readDigitPng } from '../data/image';
import type { NeuralNet } from '../neural-net';
import { CliError, CliIo, choiceOption, requirePath, runAction, withUsageHint } from './common';
import { Option } from 'commander';
import { csvLayout, dataError, firstLine } from './data';
import { classCount } from './evaluation';
import { loadModel } from './evaluate';

/** The options of `lamina predict`. */
interface PredictOptions {
  out?: string;
  labelColumn?: string;
  frame: boolean;
  backend: 'native' | 'js';
}

/** One prediction. */
export interface Prediction {
  /** The input file. */
  input: string;
  /** 1-based data row of a CSV table; null for a picture. */
  row: number | null;
  /** The predicted class. */
  label: number;
  /** Its probability. */
  probability: number;
  /** The label in the table, when it has a label column. */
  truth: number | null;
}

/** Registers `lamina predict`. */
export function registerPredict(root: Command, io: CliIo): void {
  const command = root
    .command('predict')
    .description('classify PNG pictures of digits or CSV rows of pixels with a saved model')
    .argument('<model>', 'a model file written by lamina train (model.safetensors)')
    .argument('<inputs...>', 'PNG files, or CSV tables with one image per row')
    .option('--out <file.csv>', 'write the predictions as CSV instead of printing them')
    .option('--label-column <name>', 'the label column of CSV inputs, if any (name or 0-based ' +
      'index); its values are shown beside the predictions')
    .option('--no-frame', 'use PNG pictures as they are (28x28) instead of framing them like ' +
      "MNIST's digits")
    .addOption(new Option('--backend <name>', 'native or js')
      .argParser(choiceOption(['native', 'js'] as const)).default('native'))
    .addHelpText('after', '\nExamples:\n' +
      '  lamina predict runs/mlp/model.safetensors my-seven.png my-two.png\n' +
      '  lamina predict model.safetensors digits.csv --out predictions.csv\n');
  withUsageHint(command);
  command.action((model: string, inputs: string[], options: PredictOptions, self: Command) =>
    runAction(self, io, () => predictCommand(model, inputs, options, io)));
}

/** The pixels of one input file: one image (PNG) or a table's rows (CSV). */
async function readInput(file: string, inputSize: number, options: PredictOptions):
  Promise<{ X: Uint8Array | Float32Array; n: number; truth: Int32Array | Float32Array | null }> {
  requirePath('input', file, 'file');
  const lower = file.toLowerCase();
  if (lower.endsWith('.png')) {
    if (inputSize !== 784) {
      throw new CliError(`${file}: pictures are read as 28x28 digits (784 pixels) but the ` +
        `model takes ${inputSize} inputs`, 1, false);
    }
    try {
      return { X: await readDigitPng(file, { frame: options.frame }), n: 1, truth: null };
    } catch (error) {
      throw dataError(error, 'input');
    }
  }
  if (!/\.csv(\.gz)?$/.test(lower)) {
    throw new CliError(`input ${file}: expected a .png picture or a .csv table`);
  }

  // A table: the label column, if any, is told apart by name, by option or by count.
  const layout = await csvLayout(file, 'input', options.labelColumn, false);
  const cells = (await firstLine(file)).split(',').length;
  let label = layout.label;
  if (label === null && cells === inputSize + 1) label = 0;
  if (cells - (label === null ? 0 : 1) !== inputSize) {
    throw new CliError(`input ${file} has ${cells} columns${label === null ? ''
      : ' with a label column'}, but the model takes ${inputSize} pixels per image`, 1, false);
  }
  try {
    const table = await fromCsv(file, { header: layout.header, labelColumn: label });
    return { X: table.X, n: table.n, truth: table.y };
  } catch (error) {
    throw dataError(error, 'input');
  }
}

/** Classifies the inputs. */
export async function predictFiles(net: NeuralNet, inputs: readonly string[],
  options: PredictOptions): Promise<Prediction[]> {
  const inputSize = Object.values(net.layers)[0].outputShape.reduce((a, b) => a * b, 1);
  const classes = classCount(net);
  const predictions: Prediction[] = [];
  for (const input of inputs) {
    const { X, n, truth } = await readInput(input, inputSize, options);
    const probabilities = await net.predictProba(X);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < classes; c++) {
        if (probabilities[i * classes + c] > probabilities[i * classes + best]) best = c;
      }
      predictions.push({
        input,
        row: input.toLowerCase().endsWith('.png') ? null : i + 1,
        label: best,
        probability: probabilities[i * classes + best],
        truth: truth ? truth[i] : null,
      });
    }
  }
  return predictions;
}

async function predictCommand(model: string, inputs: string[], options: PredictOptions,
  io: CliIo): Promise<number> {
  const net = await loadModel(model, options.backend);
  const predictions = await predictFiles(net, inputs, options);
  const withTruth = predictions.some((prediction) => prediction.truth !== null);
  if (options.out !== undefined) {
    const header = ['input', 'row', 'label', 'probability', ...(withTruth ? ['true_label'] : [])];
    const rows = predictions.map((p) => [p.input, p.row ?? '', p.label, p.probability.toFixed(6),
      ...(withTruth ? [p.truth ?? ''] : [])]);
    await writeFileAtomic(options.out, [stringify([header, ...rows])]);
    io.out(`Wrote ${predictions.length} prediction${predictions.length === 1 ? '' : 's'} to ` +
      `${options.out}\n`);
    return 0;
  }
  const names = predictions.map((p) => (p.row === null ? p.input : `${p.input}:${p.row}`));
  const width = Math.max(5, ...names.map((name) => name.length));
  io.out(`${'input'.padEnd(width)}  label  probability${withTruth ? '  true label' : ''}\n`);
  predictions.forEach((p, i) => {
    const line = `${names[i].padEnd(width)}  ${String(p.label).padStart(5)}  ` +
      `${p.probability.toFixed(4).padStart(11)}` +
      `${withTruth && p.truth !== null ? `  ${String(p.truth).padStart(10)}` : ''}`;
    io.out(`${line}\n`);
  });
  return 0;
}
