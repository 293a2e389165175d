/**
 * Small, dependency-free SVG charts for the report: line charts of learning curves and a
 * heat map of the confusion matrix. Every value is escaped; the output is a standalone <svg>.
 */

/** Escapes text for XML content and attributes. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** One line of a chart. NaN values leave a gap. */
export interface Series {
  name: string;
  values: number[];
  color: string;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  /** x value of values[0] (default 1: epochs count from 1). */
  xStart?: number;
}

/** "Nice" tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

function formatTick(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000 || abs < 0.001) return value.toExponential(1);
  return String(Number(value.toPrecision(4)));
}

/**
 * A line chart with axes, ticks and a legend.
 *
 * @example
 * lineChart([{ name: 'train loss', values: [0.5, 0.3], color: '#1f77b4' }],
 *   { title: 'Loss', xLabel: 'epoch', yLabel: 'loss' });
 */
export function lineChart(series: Series[], options: LineChartOptions): string {
  const width = options.width ?? 560;
  const height = options.height ?? 320;
  const margin = { left: 64, right: 16, top: 36, bottom: 48 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const xStart = options.xStart ?? 1;
  const length = Math.max(1, ...series.map((s) => s.values.length));
  const finite = series.flatMap((s) => s.values.filter(Number.isFinite));
  const yTicks = finite.length ? niceTicks(Math.min(...finite), Math.max(...finite)) : [0, 1];
  const yMin = yTicks[0];
  const yMax = yTicks[yTicks.length - 1];
  const xMax = xStart + length - 1;
  const xTicks = niceTicks(xStart, Math.max(xMax, xStart + 1)).filter(
    (t) => Number.isInteger(t) && t >= xStart && t <= Math.max(xMax, xStart + 1),
  );
  const x = (i: number) =>
    margin.left + (length === 1 ? plotWidth / 2 : ((i - xStart) / (xMax - xStart)) * plotWidth);
  const y = (v: number) => margin.top + plotHeight - ((v - yMin) / (yMax - yMin || 1)) * plotHeight;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(options.title)}" ` +
      'font-family="sans-serif" font-size="12">',
  );
  parts.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  parts.push(
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">` +
      `${escapeXml(options.title)}</text>`,
  );
  // Grid and ticks.
  for (const tick of yTicks) {
    const ty = y(tick).toFixed(1);
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${ty}" y2="${ty}" ` +
        'stroke="#e5e5e5"/>',
      `<text x="${margin.left - 6}" y="${ty}" text-anchor="end" dominant-baseline="middle">` +
        `${formatTick(tick)}</text>`,
    );
  }
  for (const tick of xTicks) {
    const tx = x(tick).toFixed(1);
    parts.push(
      `<text x="${tx}" y="${margin.top + plotHeight + 16}" text-anchor="middle">${tick}</text>`,
    );
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" ` +
      'fill="none" stroke="#888"/>',
    `<text x="${margin.left + plotWidth / 2}" y="${height - 10}" text-anchor="middle">` +
      `${escapeXml(options.xLabel)}</text>`,
    `<text transform="translate(16 ${margin.top + plotHeight / 2}) rotate(-90)" ` +
      `text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
  );
  // Lines, broken at NaN, with a dot per point.
  series.forEach((s, index) => {
    let path = '';
    let pen = false;
    s.values.forEach((value, i) => {
      if (!Number.isFinite(value)) {
        pen = false;
        return;
      }
      path += `${pen ? 'L' : 'M'}${x(i + xStart).toFixed(1)},${y(value).toFixed(1)}`;
      pen = true;
      parts.push(
        `<circle cx="${x(i + xStart).toFixed(1)}" cy="${y(value).toFixed(1)}" r="2.5" ` +
          `fill="${s.color}"><title>${escapeXml(s.name)} ${i + xStart}: ${value}</title></circle>`,
      );
    });
    if (path) {
      parts.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    }
    const ly = margin.top + 14 + index * 16;
    const lx = margin.left + plotWidth - 150;
    parts.push(
      `<line x1="${lx}" x2="${lx + 18}" y1="${ly}" y2="${ly}" stroke="${s.color}" ` +
        'stroke-width="2"/>',
      `<text x="${lx + 24}" y="${ly}" dominant-baseline="middle" class="legend">` +
        `${escapeXml(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/**
 * The confusion matrix as a heat map: darker cells hold more samples; numbers in every cell.
 */
export function confusionHeatmap(matrix: number[][], title = 'Confusion matrix'): string {
  const n = matrix.length;
  const cell = 36;
  const margin = { left: 56, top: 56 };
  const size = margin.left + n * cell + 16;
  const height = margin.top + n * cell + 16;
  // Off-diagonal cells are scaled separately so that rare mistakes still show.
  const maxDiagonal = Math.max(1, ...matrix.map((row, i) => row[i]));
  const maxOff = Math.max(1, ...matrix.flatMap((row, i) => row.filter((_, j) => j !== i)));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${height}" ` +
      `viewBox="0 0 ${size} ${height}" role="img" aria-label="${escapeXml(title)}" ` +
      'font-family="sans-serif" font-size="11">',
    `<rect width="${size}" height="${height}" fill="#fff"/>`,
    `<text x="${margin.left + (n * cell) / 2}" y="16" text-anchor="middle" font-size="13" ` +
      `font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${margin.left + (n * cell) / 2}" y="34" text-anchor="middle">predicted</text>`,
    `<text transform="translate(14 ${margin.top + (n * cell) / 2}) rotate(-90)" ` +
      'text-anchor="middle">true</text>',
  ];
  for (let i = 0; i < n; i++) {
    parts.push(
      `<text x="${margin.left + i * cell + cell / 2}" y="${margin.top - 6}" ` +
        `text-anchor="middle">${i}</text>`,
      `<text x="${margin.left - 8}" y="${margin.top + i * cell + cell / 2}" text-anchor="end" ` +
        `dominant-baseline="middle">${i}</text>`,
    );
    for (let j = 0; j < n; j++) {
      const value = matrix[i][j];
      const strength = i === j ? value / maxDiagonal : value / maxOff;
      const color =
        i === j
          ? `rgba(31,119,180,${(0.15 + 0.85 * strength).toFixed(3)})`
          : value === 0
            ? '#fafafa'
            : `rgba(214,39,40,${(0.15 + 0.85 * strength).toFixed(3)})`;
      const dark = strength > 0.6 && value > 0;
      parts.push(
        `<rect x="${margin.left + j * cell}" y="${margin.top + i * cell}" width="${cell}" ` +
          `height="${cell}" fill="${color}" stroke="#ddd"/>`,
        `<text x="${margin.left + j * cell + cell / 2}" y="${margin.top + i * cell + cell / 2}" ` +
          `text-anchor="middle" dominant-baseline="middle" fill="${dark ? '#fff' : '#222'}">` +
          `${value}</text>`,
      );
    }
  }
  parts.push('</svg>');
  return parts.join('\n');
}
