/**
 * `lamina evaluate`, `lamina predict` and `lamina show` with a model trained once on a small
 * subset, and the report rendered in headless Chromium.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { PNG } from 'pngjs';
import { writeDigitPng } from '../../lib/data/image';
import { loadMnist } from '../../lib/data/mnist';
import { renderInChromium } from '../helpers/chromium';
import { temporaryFolder } from '../data/temp';
import { nativeAvailable, runCli, writeMnistCsv } from './helpers';

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

describe('cli: evaluate, predict, show, report', function () {
  this.timeout(60000);
  const folder = temporaryFolder('cli-model');
  const backend = nativeAvailable() ? 'native' : 'js';
  let run = '';
  let model = '';

  before(async () => {
    run = path.join(folder(), 'run');
    const result = await runCli(['train', '--preset', 'mlp', '--limit', '600', '--epochs', '2',
      '--out', run, '--backend', backend]);
    assert.strictEqual(result.code, 0, result.err);
    model = path.join(run, 'model.safetensors');
  });

  describe('evaluate', () => {
    it('prints the test error and confusion matrix of the test images used', async () => {
      const json = path.join(folder(), 'eval.json');
      const report = path.join(folder(), 'eval', 'report.html');
      const result = await runCli(['evaluate', model, '--limit', '100', '--json', json,
        '--report', report, '--backend', backend]);
      assert.strictEqual(result.code, 0, result.err);
      assert.ok(result.out.startsWith(`${model} on MNIST\n\nTest error `), result.out);
      assert.match(result.out, /Confusion matrix \(rows: true class, columns: predicted\)/);

      // The same images as the training run's test set: the same error.
      const summary = readJson(json);
      assert.strictEqual(summary.test_samples, 100);
      assert.strictEqual(summary.test_error, readJson(path.join(run, 'summary.json')).test_error);
      assert.strictEqual(summary.epochs, 2);
      assert.strictEqual(summary.params, 159010);
      assert.ok(fs.readFileSync(report, 'utf8').startsWith('<!DOCTYPE html>'));
    });

    it('evaluates on a CSV table', async () => {
      const tables = await writeMnistCsv(fs.mkdtempSync(path.join(folder(), 'csv-')), 10, 40);
      const json = path.join(folder(), 'eval-csv.json');
      const result = await runCli(['evaluate', model, '--test', tables.test, '--json', json,
        '--backend', backend]);
      assert.strictEqual(result.code, 0, result.err);
      assert.strictEqual(readJson(json).test_samples, 40);
    });

    it('names a file that is not a model (exit 1)', async () => {
      const result = await runCli(['evaluate', path.join(run, 'history.csv')]);
      assert.strictEqual(result.code, 1);
      assert.match(result.err, /^error: model: .*history\.csv is not a valid safetensors file/);
    });
  });

  describe('predict', () => {
    it('classifies PNG pictures and CSV rows, printing label and probability', async () => {
      const { test } = await loadMnist();
      const png = path.join(folder(), 'digit.png');
      await writeDigitPng(png, test.X.subarray(0, 784), { scale: 4 });
      const tables = await writeMnistCsv(fs.mkdtempSync(path.join(folder(), 'csv-')), 1, 3);
      const result = await runCli(['predict', model, png, tables.test, '--backend', backend]);
      assert.strictEqual(result.code, 0, result.err);
      const lines = result.out.trimEnd().split('\n');
      assert.match(lines[0], /^input +label {2}probability {2}true label$/);
      assert.strictEqual(lines.length, 1 + 1 + 3);
      assert.match(lines[1], new RegExp(`^${png.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} +\\d ` +
        ' +[01]\\.\\d{4}$'));
      for (let row = 1; row <= 3; row++) {
        const match = new RegExp(`^${tables.test.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:` +
          `${row} +(\\d) +([01]\\.\\d{4}) +(\\d)$`).exec(lines[1 + row]);
        assert.ok(match, lines[1 + row]);
        assert.strictEqual(Number(match[3]), test.y[row - 1]);
      }
    });

    it('writes a CSV with --out', async () => {
      const tables = await writeMnistCsv(fs.mkdtempSync(path.join(folder(), 'csv-')), 1, 5,
        { labelColumn: null });
      const out = path.join(folder(), 'predictions.csv');
      const result = await runCli(['predict', model, tables.test, '--out', out,
        '--backend', backend]);
      assert.strictEqual(result.code, 0, result.err);
      assert.strictEqual(result.out, `Wrote 5 predictions to ${out}\n`);
      const rows = fs.readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => l.split(','));
      assert.deepStrictEqual(rows[0], ['input', 'row', 'label', 'probability']);
      assert.strictEqual(rows.length, 6);
      for (const row of rows.slice(1)) {
        assert.ok(Number(row[2]) >= 0 && Number(row[2]) <= 9);
        assert.ok(Number(row[3]) > 0 && Number(row[3]) <= 1);
      }
    });

    it('rejects an input that is neither PNG nor CSV, and a table of the wrong width',
      async () => {
        const text = path.join(folder(), 'notes.txt');
        fs.writeFileSync(text, 'hello');
        const result = await runCli(['predict', model, text]);
        assert.strictEqual(result.code, 2);
        assert.strictEqual(result.err.split('\n')[0],
          `error: input ${text}: expected a .png picture or a .csv table`);
        const narrow = path.join(folder(), 'narrow.csv');
        fs.writeFileSync(narrow, '1,2,3\n4,5,6\n');
        const width = await runCli(['predict', model, narrow]);
        assert.strictEqual(width.code, 1);
        assert.strictEqual(width.err, `error: input ${narrow} has 3 columns, but the model ` +
          'takes 784 pixels per image\n');
      });
  });

  describe('show', () => {
    it('draws a captioned grid of digits', async () => {
      const out = path.join(folder(), 'grid.png');
      const result = await runCli(['show', '--index', '0:16', '--out', out]);
      assert.strictEqual(result.code, 0, result.err);
      assert.strictEqual(result.out, `Wrote 16 images (0 to 15) to ${out}\n`);
      const png = PNG.sync.read(fs.readFileSync(out));
      // 4 x 4 cells of 56 pixels plus padding 2; captions add 7 rows per cell.
      assert.strictEqual(png.width, 2 + 4 * (56 + 2));
      assert.strictEqual(png.height, 2 + 4 * (56 + 7 + 2));
    });

    it('draws originals beside their elastic distortions', async () => {
      const out = path.join(folder(), 'elastic.png');
      const result = await runCli(['show', '--augment', 'elastic', '--index', '0:3',
        '--copies', '4', '--out', out]);
      assert.strictEqual(result.code, 0, result.err);
      assert.strictEqual(result.out, `Wrote 3 images (0 to 2), each followed by 4 elastic ` +
        `distortions, to ${out}\n`);
      const png = PNG.sync.read(fs.readFileSync(out));
      assert.strictEqual(png.width, 2 + 5 * (56 + 2));
      assert.strictEqual(png.height, 2 + 3 * (56 + 7 + 2));
      // A distortion differs from its original: compare the first two cells of row one.
      let differing = 0;
      for (let y = 0; y < 56; y++) {
        for (let x = 0; x < 56; x++) {
          const a = png.data[4 * ((2 + y) * png.width + 2 + x)];
          const b = png.data[4 * ((2 + y) * png.width + 2 + 58 + x)];
          if (Math.abs(a - b) > 16) differing++;
        }
      }
      assert.ok(differing > 50, `${differing} pixels differ between original and distortion`);
    });

    it('rejects an index past the images', async () => {
      const result = await runCli(['show', '--set', 'test', '--index', '20000:20010', '--out',
        path.join(folder(), 'none.png')]);
      assert.strictEqual(result.code, 2);
      assert.strictEqual(result.err.split('\n')[0],
        'error: --index 20000: there are only 10000 images (0 to 9999)');
    });
  });

  describe('report', () => {
    it('renders in headless Chromium: charts, confusion cells, misclassified images, layers',
      async function () {
        this.timeout(120000);
        const html = fs.readFileSync(path.join(run, 'report.html'), 'utf8');
        const summary = readJson(path.join(run, 'summary.json'));
        const wrong = summary.test_errors as number;
        const result = await renderInChromium(html, (document) => {
          const images = Array.from(document.querySelectorAll('img')) as Array<{
            complete: boolean; naturalWidth: number; closest(selector: string): unknown }>;
          const decoded = (selector: string) => images.filter((img) => img.closest(selector) &&
            img.complete && img.naturalWidth === 28).length;
          const text = (selector: string) => (Array.from(document.querySelectorAll(selector)) as
            Array<{ textContent: string }>).map((node) => node.textContent);
          return {
            charts: document.querySelectorAll('.chart svg').length,
            chartPaths: document.querySelectorAll('.chart svg path').length,
            confusionCells: document.querySelectorAll('.confusion svg rect').length,
            misclassified: decoded('.misclassified'),
            samples: decoded('.samples'),
            captions: text('.misclassified figcaption'),
            layerTotal: document.querySelector('table.layers tfoot td.num')?.textContent,
            layerRows: document.querySelectorAll('table.layers tbody tr').length,
            summary: text('table.summary th'),
            details: text('table.details th'),
          };
        });
        if (!result) {
          console.log('      (skipped: no Chromium here; set LAMINA_CHROMIUM to its path)');
          return this.skip();
        }
        const page = result.value;
        assert.strictEqual(page.charts, 2);
        assert.strictEqual(page.chartPaths, 3, 'train loss, valid loss, valid accuracy');
        assert.strictEqual(page.confusionCells, 1 + 100);
        assert.strictEqual(page.misclassified, Math.min(48, wrong));
        assert.strictEqual(page.samples, 24);
        for (const caption of page.captions) assert.match(caption, /^true \d → \d \(\d+%\)$/);
        assert.strictEqual(page.layerTotal, '159,010');
        assert.strictEqual(page.layerRows, 3);
        assert.deepStrictEqual(page.summary.slice(0, 4),
          ['test error', 'test accuracy', 'epochs', 'parameters']);
        for (const key of ['training time', 'gemm', 'threads', 'backend']) {
          if (key === 'gemm' || key === 'threads') {
            if (backend === 'js') continue;
          }
          assert.ok(page.details.includes(key), `details has ${key}: ${page.details}`);
        }
      });
  });
});
