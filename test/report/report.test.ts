import * as assert from 'assert';
import {
  confusionMatrix,
  formatConfusionMatrix,
  lineChart,
  niceTicks,
  renderReport,
  ReportData,
} from '../../lib/report';
import { renderInChromium } from '../helpers/chromium';

function digit(seed: number): Uint8Array {
  const pixels = new Uint8Array(28 * 28);
  for (let r = 6; r < 22; r++) pixels[r * 28 + 10 + (seed % 8)] = 255;
  return pixels;
}

function sampleReport(): ReportData {
  return {
    title: 'lenet on MNIST <test>',
    summary: [
      ['test error', '0.91%'],
      ['epochs', '3'],
    ],
    history: [
      { epoch: 1, train_loss: 0.5, valid_loss: 0.2, valid_accuracy: 0.95, dur: 5.1 },
      { epoch: 2, train_loss: 0.2, valid_loss: 0.1, valid_accuracy: 0.97, dur: 5.0 },
      { epoch: 3, train_loss: 0.1, valid_loss: 0.08, valid_accuracy: 0.98, dur: 5.2 },
    ],
    confusion: [
      [50, 1, 0],
      [2, 40, 0],
      [0, 0, 30],
    ],
    misclassified: [0, 1, 2].map((i) => ({
      pixels: digit(i),
      width: 28,
      height: 28,
      caption: `true ${i} → ${i + 1} (${90 - i}%)`,
    })),
    samples: [0, 1, 2, 3].map((i) => ({ pixels: digit(i + 3), width: 28, height: 28, caption: `${i}` })),
    layers: [
      { name: 'input', type: 'InputLayer', outputShape: '1x28x28', params: 0 },
      { name: 'output', type: 'DenseLayer', outputShape: '10', params: 7850 },
    ],
    details: [['gemm', 'openblas']],
  };
}

describe('report', () => {
  describe('confusionMatrix', () => {
    it('counts (true, predicted) pairs', () => {
      assert.deepStrictEqual(confusionMatrix([0, 1, 1, 2], [0, 1, 0, 2]), [
        [1, 0, 0],
        [1, 1, 0],
        [0, 0, 1],
      ]);
    });
    it('rejects labels of different lengths', () => {
      assert.throws(() => confusionMatrix([0, 1], [0]), {
        name: 'RangeError',
        message: 'Expected 2 labels (as many as truth) for predicted but received an array of length 1',
      });
    });
    it('rejects a label outside the classes', () => {
      assert.throws(() => confusionMatrix([0, 3], [0, 1], 3), {
        name: 'RangeError',
        message: 'Expected a label in [0, 2] for truth[1] but received 3 (number)',
      });
    });
    it('formats a fixed-width table', () => {
      const text = formatConfusionMatrix([
        [5, 1],
        [0, 14],
      ]);
      assert.strictEqual(text, 'true\\pred    0    1\n0            5    1\n1            0   14');
    });
  });

  describe('charts', () => {
    it('picks round tick values covering the range', () => {
      assert.deepStrictEqual(niceTicks(0.13, 0.92), [0, 0.2, 0.4, 0.6, 0.8, 1]);
      assert.deepStrictEqual(niceTicks(1, 10), [0, 2, 4, 6, 8, 10]);
    });
    it('draws one path per series, escapes names and leaves gaps at NaN', () => {
      const svg = lineChart(
        [
          { name: 'a<b', values: [1, 2, NaN, 4], color: '#000' },
          { name: 'c', values: [3, 2, 1, 0], color: '#f00' },
        ],
        { title: 'T&T', xLabel: 'epoch', yLabel: 'loss' },
      );
      assert.strictEqual((svg.match(/<path /g) ?? []).length, 2);
      assert.ok(svg.includes('a&lt;b') && svg.includes('T&amp;T'));
      // the NaN breaks the first line into two pieces: two M commands
      const first = svg.match(/<path d="([^"]+)" fill="none" stroke="#000"/);
      assert.ok(first);
      assert.strictEqual((first[1].match(/M/g) ?? []).length, 2);
    });
  });

  describe('renderReport', () => {
    it('is one self-contained document', () => {
      const html = renderReport(sampleReport());
      assert.ok(html.startsWith('<!DOCTYPE html>'));
      assert.ok(!/<script|src="http|href="http/.test(html), 'no scripts or external resources');
      assert.ok(html.includes('lenet on MNIST &lt;test&gt;'));
      assert.strictEqual((html.match(/data:image\/png;base64,/g) ?? []).length, 7);
    });

    it('renders in headless Chromium: charts, confusion matrix, galleries, tables', async function () {
      this.timeout(120000);
      const result = await renderInChromium(renderReport(sampleReport()), (document) => {
        const images: Array<{ complete: boolean; naturalWidth: number }> = Array.from(
          document.querySelectorAll('img'),
        );
        return {
          title: document.title,
          charts: document.querySelectorAll('.chart svg').length,
          chartPaths: document.querySelectorAll('.chart svg path').length,
          confusionCells: document.querySelectorAll('.confusion svg rect').length,
          decodedImages: images.filter((img) => img.complete && img.naturalWidth === 28).length,
          misclassified: document.querySelectorAll('.misclassified figure').length,
          captions: (
            Array.from(document.querySelectorAll('.misclassified figcaption')) as Array<{
              textContent: string;
            }>
          ).map((node) => node.textContent),
          historyRows: document.querySelectorAll('table.history tbody tr').length,
          layerTotal: document.querySelector('table.layers tfoot td.num')?.textContent,
          width: document.body.scrollWidth,
        };
      });
      if (!result) return this.skip(); // no Chromium on this machine
      assert.strictEqual(result.value.title, 'lenet on MNIST <test>');
      assert.strictEqual(result.value.charts, 2);
      assert.strictEqual(result.value.chartPaths, 3); // train loss, valid loss, valid accuracy
      assert.strictEqual(result.value.confusionCells, 1 + 9); // background + 3x3 cells
      assert.strictEqual(result.value.decodedImages, 7);
      assert.strictEqual(result.value.misclassified, 3);
      assert.strictEqual(result.value.captions[0], 'true 0 → 1 (90%)');
      assert.strictEqual(result.value.historyRows, 3);
      assert.strictEqual(result.value.layerTotal, '7,850');
      // The screenshot is a real picture: a PNG of the page, not blank.
      assert.ok(result.screenshot.length > 10000, `screenshot of ${result.screenshot.length} bytes`);
    });
  });
});
