/**
 * Confusion matrices: counting, and a terminal table.
 */
import { checkInteger, typeError, rangeError } from '../validate';

/**
 * Counts predictions per (true class, predicted class): matrix[t][p].
 *
 * @param truth true labels, integers in [0, classes)
 * @param predicted predicted labels, same length
 * @param classes number of classes (default: 1 + the largest label seen)
 * @throws RangeError when lengths differ or a label is outside [0, classes)
 * @example
 * confusionMatrix([0, 1, 1], [0, 1, 0]); // [[1, 0], [1, 1]]
 */
export function confusionMatrix(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes?: number,
): number[][] {
  if (truth === null || typeof truth !== 'object' || typeof truth.length !== 'number') {
    throw typeError('truth', 'an array of labels', truth);
  }
  if (predicted === null || typeof predicted !== 'object' || typeof predicted.length !== 'number') {
    throw typeError('predicted', 'an array of labels', predicted);
  }
  if (predicted.length !== truth.length) {
    throw rangeError('predicted', `${truth.length} labels (as many as truth)`, predicted);
  }
  let count = classes;
  if (count === undefined) {
    count = 0;
    for (let i = 0; i < truth.length; i++) count = Math.max(count, truth[i] + 1, predicted[i] + 1);
  }
  checkInteger('classes', count, 1);
  const matrix = Array.from({ length: count }, () => new Array<number>(count as number).fill(0));
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i];
    const p = predicted[i];
    if (!Number.isInteger(t) || t < 0 || t >= count) {
      throw rangeError(`truth[${i}]`, `a label in [0, ${count - 1}]`, t);
    }
    if (!Number.isInteger(p) || p < 0 || p >= count) {
      throw rangeError(`predicted[${i}]`, `a label in [0, ${count - 1}]`, p);
    }
    matrix[t][p]++;
  }
  return matrix;
}

/**
 * Formats a confusion matrix as a fixed-width table: rows are true classes, columns predicted.
 *
 * @example
 * console.log(formatConfusionMatrix([[5, 1], [0, 4]]));
 */
export function formatConfusionMatrix(matrix: number[][], labels?: string[]): string {
  const names = labels ?? matrix.map((_, i) => String(i));
  const width = Math.max(
    4,
    ...names.map((name) => name.length),
    ...matrix.flat().map((value) => String(value).length),
  );
  const cell = (text: string) => text.padStart(width);
  const lines = [
    `${'true\\pred'.padEnd(9)} ${names.map(cell).join(' ')}`,
    ...matrix.map((row, i) => `${names[i].padEnd(9)} ${row.map((v) => cell(String(v))).join(' ')}`),
  ];
  return lines.join('\n');
}
