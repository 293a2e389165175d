/**
 * What a verbose NeuralNet prints, in nolearn's format: the parameter count and layer table as
 * training starts, then one row per epoch (best losses marked), built as plain text and handed
 * to the net's print function. Columns follow nolearn's (tabulate's 'simple' layout): each is
 * as wide as its header plus two, right-aligned numbers, left-aligned text, two spaces between.
 */
import type { HistoryEntry } from './net-options';
import { formatShape } from './layers/base';

/** A layer as the table shows it. */
export interface LayerRow {
  name: string;
  typeName: string;
  outputShape: readonly number[];
  paramCount: number;
}

interface Column {
  header: string;
  align: 'left' | 'right';
}

/** Renders a table in tabulate's 'simple' layout; rows are cells already formatted. */
export function renderTable(columns: readonly Column[], rows: readonly string[][]): string[] {
  const widths = columns.map((column, c) => Math.max(column.header.length + 2,
    ...rows.map((row) => visibleLength(row[c]))));
  const cell = (text: string, c: number): string => {
    const pad = ' '.repeat(widths[c] - visibleLength(text));
    return columns[c].align === 'right' ? pad + text : text + pad;
  };
  const line = (cells: string[]): string => cells.map(cell).join('  ').trimEnd();
  return [
    line(columns.map((column) => column.header)),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...rows.map(line),
  ];
}

/** Length without ANSI colour codes. */
function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '').length;
}

/**
 * The text nolearn printed as training started:
 *   # Neural Network with 159010 learnable parameters
 *
 *   ## Layer information
 *
 *     #  name    size
 *   ---  ------  ------
 *     0  input   784
 */
export function layerInfo(paramCount: number, layers: readonly LayerRow[]): string {
  const table = renderTable(
    [{ header: '#', align: 'right' }, { header: 'name', align: 'left' },
      { header: 'size', align: 'left' }],
    layers.map((layer, i) => [String(i), layer.name, formatShape(layer.outputShape)]),
  );
  return `# Neural Network with ${paramCount} learnable parameters\n\n## Layer information\n\n` +
    `${table.join('\n')}\n\n`;
}

/**
 * A longer summary: the parameter count, then per layer its type, output size and learnable
 * parameters.
 */
export function summaryTable(paramCount: number, layers: readonly LayerRow[]): string {
  const table = renderTable(
    [{ header: '#', align: 'right' }, { header: 'name', align: 'left' },
      { header: 'type', align: 'left' }, { header: 'size', align: 'left' },
      { header: 'params', align: 'right' }],
    layers.map((layer, i) => [String(i), layer.name, layer.typeName,
      formatShape(layer.outputShape), String(layer.paramCount)]),
  );
  return `# Neural Network with ${paramCount} learnable parameters\n\n${table.join('\n')}\n`;
}

const CYAN = '\x1b[36m';
const GREEN = '\x1b[32m';
const END = '\x1b[0m';

/**
 * The epoch table: the header with the first row, then one line per epoch. Best losses are
 * coloured as nolearn coloured them (cyan train, green valid) when colour is on, else marked
 * with a '*' after the number.
 */
export class EpochTable {
  private headerDone = false;
  private readonly columns: Column[];

  constructor(
    private readonly validation: boolean,
    private readonly classification: boolean,
    private readonly scoreNames: readonly string[],
    private readonly color: boolean,
  ) {
    this.columns = [{ header: 'epoch', align: 'right' }, { header: 'train loss', align: 'right' }];
    if (validation) {
      this.columns.push({ header: 'valid loss', align: 'right' },
        { header: 'train/val', align: 'right' });
      if (classification) this.columns.push({ header: 'valid acc', align: 'right' });
      for (const name of scoreNames) this.columns.push({ header: name, align: 'right' });
    }
    this.columns.push({ header: 'dur', align: 'left' });
  }

  private marked(value: number, best: boolean, color: string): string {
    const text = value.toFixed(5);
    if (this.color) return best ? `${color}${text}${END}` : text;
    return best ? `${text}*` : `${text} `;
  }

  /** The line(s) for one epoch, ending with a newline. */
  row(entry: HistoryEntry): string {
    const cells = [String(entry.epoch),
      this.marked(entry.train_loss, entry.train_loss_best, CYAN)];
    if (this.validation) {
      cells.push(this.marked(entry.valid_loss, entry.valid_loss_best, GREEN),
        entry.train_val_ratio.toFixed(5));
      if (this.classification) cells.push(entry.valid_accuracy.toFixed(5));
      for (const name of this.scoreNames) {
        const value = entry[name];
        cells.push(typeof value === 'number' ? value.toFixed(5) : String(value));
      }
    }
    cells.push(`${entry.dur.toFixed(2)}s`);
    const lines = renderTable(this.columns, [cells]);
    if (this.headerDone) return `${lines[2]}\n`;
    this.headerDone = true;
    return `${lines.join('\n')}\n`;
  }
}
