/**
 * The training report: one self-contained HTML file (inline SVG charts, PNG images as data
 * URIs, no scripts, no external resources) that opens in any browser.
 */
import { PNG } from 'pngjs';
import { confusionHeatmap, escapeXml, lineChart } from './svg';

/** One epoch of the training history, with nolearn's column names. */
export interface ReportEpoch {
  epoch: number;
  train_loss: number;
  valid_loss: number;
  valid_accuracy: number;
  dur: number;
}

/** A grey image (row-major, 0 = black, 255 = white ink on MNIST means inverted: see below). */
export interface ReportImage {
  /** width * height grey values, 0..255, MNIST convention (255 = ink). */
  pixels: Uint8Array;
  width: number;
  height: number;
  caption: string;
  /** Longer text shown on hover. */
  detail?: string;
}

export interface ReportLayer {
  name: string;
  type: string;
  outputShape: string;
  params: number;
}

export interface ReportData {
  title: string;
  /** Key figures shown at the top, in order: label -> value. */
  summary: Array<[string, string]>;
  history: ReportEpoch[];
  confusion?: number[][];
  misclassified: ReportImage[];
  samples: ReportImage[];
  layers: ReportLayer[];
  /** Build information and timings: label -> value. */
  details: Array<[string, string]>;
}

/** A grey MNIST-style image (255 = ink) as a PNG data URI, drawn dark on light. */
export function imageDataUri(image: Pick<ReportImage, 'pixels' | 'width' | 'height'>): string {
  const png = new PNG({ width: image.width, height: image.height, colorType: 0 });
  for (let i = 0; i < image.width * image.height; i++) {
    const grey = 255 - image.pixels[i];
    png.data[4 * i] = grey;
    png.data[4 * i + 1] = grey;
    png.data[4 * i + 2] = grey;
    png.data[4 * i + 3] = 255;
  }
  const buffer = PNG.sync.write(png, { colorType: 0 });
  return `data:image/png;base64,${buffer.toString('base64')}`;
}

function table(rows: Array<[string, string]>, className: string): string {
  const body = rows
    .map(([key, value]) => `<tr><th>${escapeXml(key)}</th><td>${escapeXml(value)}</td></tr>`)
    .join('\n');
  return `<table class="${className}">${body}</table>`;
}

function gallery(images: ReportImage[], className: string): string {
  if (images.length === 0) return '<p class="empty">None.</p>';
  const figures = images.map(
    (image) =>
      `<figure${image.detail ? ` title="${escapeXml(image.detail)}"` : ''}>` +
      `<img src="${imageDataUri(image)}" width="${image.width * 2}" ` +
      `height="${image.height * 2}" alt="${escapeXml(image.caption)}">` +
      `<figcaption>${escapeXml(image.caption)}</figcaption></figure>`,
  );
  return `<div class="gallery ${className}">${figures.join('\n')}</div>`;
}

function layerTable(layers: ReportLayer[]): string {
  const total = layers.reduce((sum, layer) => sum + layer.params, 0);
  const rows = layers
    .map(
      (layer, i) =>
        `<tr><td>${i}</td><td>${escapeXml(layer.name)}</td><td>${escapeXml(layer.type)}</td>` +
        `<td>${escapeXml(layer.outputShape)}</td><td class="num">` +
        `${layer.params.toLocaleString('en-US')}</td></tr>`,
    )
    .join('\n');
  return (
    '<table class="layers"><thead><tr><th>#</th><th>name</th><th>type</th><th>output</th>' +
    `<th>parameters</th></tr></thead><tbody>${rows}</tbody><tfoot><tr><td colspan="4">total` +
    `</td><td class="num">${total.toLocaleString('en-US')}</td></tr></tfoot></table>`
  );
}

function historyTable(history: ReportEpoch[]): string {
  const format = (value: number, digits: number) =>
    Number.isFinite(value) ? value.toFixed(digits) : '-';
  const rows = history
    .map(
      (row) =>
        `<tr><td>${row.epoch}</td><td>${format(row.train_loss, 5)}</td>` +
        `<td>${format(row.valid_loss, 5)}</td><td>${format(row.valid_accuracy * 100, 2)}%</td>` +
        `<td>${format(row.dur, 2)}s</td></tr>`,
    )
    .join('\n');
  return (
    '<table class="history"><thead><tr><th>epoch</th><th>train loss</th><th>valid loss</th>' +
    `<th>valid accuracy</th><th>duration</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 13px; }
th, td { padding: 3px 10px; text-align: left; border-bottom: 1px solid #eee; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.summary th { color: #555; font-weight: normal; } .summary td { font-weight: bold; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.gallery { display: flex; flex-wrap: wrap; gap: 6px; }
figure { margin: 0; text-align: center; font-size: 11px; }
img { image-rendering: pixelated; border: 1px solid #ccc; }
.empty { color: #777; }
`;

/**
 * Renders the report as one HTML document.
 *
 * @example
 * const html = renderReport({ title: 'lenet', summary: [['test error', '0.9%']], history: [],
 *   misclassified: [], samples: [], layers: [], details: [] });
 */
export function renderReport(data: ReportData): string {
  const epochs = data.history;
  const lossChart = lineChart(
    [
      { name: 'train loss', values: epochs.map((e) => e.train_loss), color: '#1f77b4' },
      { name: 'valid loss', values: epochs.map((e) => e.valid_loss), color: '#ff7f0e' },
    ],
    { title: 'Loss', xLabel: 'epoch', yLabel: 'loss' },
  );
  const accuracyChart = lineChart(
    [
      {
        name: 'valid accuracy',
        values: epochs.map((e) => e.valid_accuracy * 100),
        color: '#2ca02c',
      },
    ],
    { title: 'Validation accuracy', xLabel: 'epoch', yLabel: 'accuracy (%)' },
  );
  const sections = [
    `<h1>${escapeXml(data.title)}</h1>`,
    table(data.summary, 'summary'),
    '<h2>Learning curves</h2>',
    `<div class="charts"><div class="chart loss">${lossChart}</div>` +
      `<div class="chart accuracy">${accuracyChart}</div></div>`,
    historyTable(epochs),
  ];
  if (data.confusion) {
    sections.push(
      '<h2>Confusion matrix (test set)</h2>',
      `<div class="confusion">${confusionHeatmap(data.confusion)}</div>`,
    );
  }
  sections.push(
    `<h2>Misclassified test images (${data.misclassified.length} shown)</h2>`,
    gallery(data.misclassified, 'misclassified'),
    '<h2>Training images (a sample)</h2>',
    gallery(data.samples, 'samples'),
    '<h2>Network</h2>',
    layerTable(data.layers),
    '<h2>Build and timings</h2>',
    table(data.details, 'details'),
  );
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<title>${escapeXml(data.title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n` +
    `${sections.join('\n')}\n</body>\n</html>\n`
  );
}
