/**
 * Scoring a trained network on test images and showing the result: in the terminal (error,
 * accuracy, confusion matrix) and as the HTML report (learning curves, confusion matrix, the
 * misclassified images, a sample of training images, the layers, build and timings).
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildInfo, BuildInfo } from '../build-info';
import { writeFileAtomic } from '../data/atomic';
import { formatShape } from '../layers/base';
import type { HistoryEntry } from '../net-options';
import type { NeuralNet } from '../neural-net';
import { confusionMatrix, formatConfusionMatrix, renderReport } from '../report';
import type { ReportData, ReportImage } from '../report';
import { percent } from './common';
import { Images, imageBytes } from './data';

/** How a network did on labelled images. */
export interface Evaluation {
  /** Images scored. */
  n: number;
  /** Fraction classified right. */
  accuracy: number;
  /** 1 - accuracy. */
  error: number;
  /** Images classified wrong. */
  wrong: number;
  /** Predicted class per image. */
  predicted: Int32Array;
  /** The probability of the predicted class per image. */
  confidence: Float32Array;
  /** matrix[true][predicted]. */
  confusion: number[][];
  /** Seconds the predictions took. */
  seconds: number;
}

/** The number of classes a network outputs. */
export function classCount(net: NeuralNet): number {
  const layers = Object.values(net.layers);
  return layers[layers.length - 1].outputShape[0];
}

/**
 * Scores the network on the images.
 *
 * @throws RangeError when a label is not one of the network's classes
 */
export async function evaluate(net: NeuralNet, images: Images): Promise<Evaluation> {
  const started = process.hrtime.bigint();
  const probabilities = await net.predictProba(images.X);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const classes = classCount(net);
  const predicted = new Int32Array(images.n);
  const confidence = new Float32Array(images.n);
  for (let i = 0; i < images.n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) {
      if (probabilities[i * classes + c] > probabilities[i * classes + best]) best = c;
    }
    predicted[i] = best;
    confidence[i] = probabilities[i * classes + best];
  }
  for (let i = 0; i < images.n; i++) {
    if (images.y[i] < 0 || images.y[i] >= classes) {
      throw new RangeError(`Test label ${images.y[i]} of image ${i} is not one of the ` +
        `network's ${classes} classes (0 to ${classes - 1})`);
    }
  }
  const confusion = confusionMatrix(images.y, predicted, classes);
  const right = confusion.reduce((sum, row, t) => sum + row[t], 0);
  return {
    n: images.n,
    accuracy: right / images.n,
    error: 1 - right / images.n,
    wrong: images.n - right,
    predicted,
    confidence,
    confusion,
    seconds,
  };
}

/** The terminal summary: error, accuracy and the confusion matrix. */
export function formatEvaluation(evaluation: Evaluation): string {
  return `Test error ${percent(evaluation.error)} (${evaluation.wrong} of ${evaluation.n} ` +
    `images), accuracy ${percent(evaluation.accuracy)}\n\n` +
    'Confusion matrix (rows: true class, columns: predicted)\n' +
    `${formatConfusionMatrix(evaluation.confusion)}\n`;
}

/** The build of the native core, or undefined when it does not load (JS backend only). */
export function tryBuildInfo(): BuildInfo | undefined {
  try {
    return buildInfo();
  } catch {
    return undefined;
  }
}

/** The kernels training and gemm() run, and what was compiled: for info and the report. */
export function simdText(info: BuildInfo): string {
  return `${info.simdTraining} training kernels, ${info.simdActive} gemm() kernel ` +
    `(compiled: ${info.simdCompiled})`;
}

/** Build rows of the report: version, GEMM, threads, SIMD, compiler, binary. */
export function buildRows(info: BuildInfo | undefined, backend: string):
  Array<[string, string]> {
  const rows: Array<[string, string]> = [['backend', backend]];
  if (!info) return [...rows, ['native core', 'not loaded']];
  return [
    ...rows,
    ['lamina', info.version],
    ['gemm', info.gemm],
    ['threads', String(info.threads)],
    ['openmp', info.openmp ? 'on' : 'off'],
    ['simd', simdText(info)],
    ['compiler', info.compiler],
    ['build file', info.buildFile],
    ['binary', `${info.binary}${info.prebuilt ? ' (prebuilt)' : ''}`],
    ['node', process.version],
    ['platform', `${process.platform}-${process.arch}`],
  ];
}

/** The most confidently wrong test images first, at most limit of them. */
export function misclassified(evaluation: Evaluation, labels: Int32Array, limit = 48): number[] {
  const wrong: number[] = [];
  for (let i = 0; i < evaluation.n; i++) if (evaluation.predicted[i] !== labels[i]) wrong.push(i);
  wrong.sort((a, b) => evaluation.confidence[b] - evaluation.confidence[a] || a - b);
  return wrong.slice(0, limit);
}

/** Indices of count images spread evenly over n. */
export function spread(n: number, count: number): number[] {
  const take = Math.min(n, count);
  return Array.from({ length: take }, (_, i) => Math.floor((i * n) / take));
}

/** What the report shows besides the network and the evaluation. */
export interface ReportInput {
  title: string;
  net: NeuralNet;
  history: readonly HistoryEntry[];
  evaluation: Evaluation;
  test: Images;
  /** Training images to sample from (absent for lamina evaluate: test images are sampled). */
  train?: Images;
  /** Key figures at the top. */
  summary: Array<[string, string]>;
  /** Build information and timings. */
  details: Array<[string, string]>;
}

/** The report's data: learning curves, confusion, galleries, layers, details. */
export function reportData(input: ReportInput): ReportData {
  const { evaluation, test } = input;
  const image = (images: Images, i: number, caption: string, detail?: string): ReportImage => ({
    pixels: imageBytes(images, i),
    width: images.cols,
    height: images.rows,
    caption,
    detail,
  });
  const wrong = misclassified(evaluation, test.y).map((i) => {
    const confidence = Math.round(evaluation.confidence[i] * 100);
    return image(test, i, `true ${test.y[i]} → ${evaluation.predicted[i]} (${confidence}%)`,
      `test image ${i}: label ${test.y[i]}, predicted ${evaluation.predicted[i]} with ` +
      `probability ${evaluation.confidence[i].toFixed(3)}`);
  });
  const sampled = input.train ?? test;
  const samples = spread(sampled.n, 24).map((i) => image(sampled, i, String(sampled.y[i]),
    `${input.train ? 'training' : 'test'} image ${i}`));
  return {
    title: input.title,
    summary: input.summary,
    history: input.history.map((entry) => ({
      epoch: entry.epoch,
      train_loss: entry.train_loss,
      valid_loss: entry.valid_loss,
      valid_accuracy: entry.valid_accuracy,
      dur: entry.dur,
    })),
    confusion: evaluation.confusion,
    misclassified: wrong,
    samples,
    layers: Object.values(input.net.layers).map((layer) => ({
      name: layer.name,
      type: layer.type,
      outputShape: formatShape(layer.outputShape),
      params: layer.paramCount,
    })),
    details: input.details,
  };
}

/** Renders the report and writes it atomically (creating its folder). */
export async function writeReport(file: string, input: ReportInput): Promise<void> {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  await writeFileAtomic(file, [Buffer.from(renderReport(reportData(input)))]);
}

/** Writes JSON atomically (creating its folder), numbers that are not finite as null. */
export async function writeJson(file: string, value: unknown): Promise<void> {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const text = JSON.stringify(value, (_, item) =>
    (typeof item === 'number' && !Number.isFinite(item) ? null : item), 2);
  await writeFileAtomic(file, [Buffer.from(`${text}\n`)]);
}
