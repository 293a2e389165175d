import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { stringify } from 'csv-stringify/sync';
import { DataFormatError, fromCsv, toCsv } from '../../lib/data';
import { leftoverTemporaries, temporaryFolder } from './temp';

async function expectFormatError(promise: Promise<unknown>, file: string, ...parts: string[]) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DataFormatError, `expected a DataFormatError, got ${error}`);
    assert.strictEqual(error.path, file);
    for (const part of [file, ...parts]) {
      assert.ok(error.message.includes(part), `"${part}" in: ${error.message}`);
    }
    return true;
  });
}

describe('data/csv', () => {
  const folder = temporaryFolder('csv');
  let count = 0;
  /** Writes text to a fresh file and returns its path. */
  function table(text: string | Buffer): string {
    const file = path.join(folder(), `table-${count++}.csv`);
    fs.writeFileSync(file, text);
    return file;
  }

  it('reads a table with a header and the default label column digit', async () => {
    const file = table('digit,p0,p1,p2,p3\n3,0,255,12,7\n1,9,8,7,6\n');
    const data = await fromCsv(file);
    assert.deepStrictEqual(data, {
      X: Uint8Array.from([0, 255, 12, 7, 9, 8, 7, 6]),
      y: Int32Array.from([3, 1]),
      n: 2, features: 4, rows: 2, cols: 2,
    });
  });

  it('finds a custom label column anywhere, by name or index', async () => {
    const file = table('a,label,b\n10,4,20\n30,5,40\n');
    const expected = { X: Uint8Array.from([10, 20, 30, 40]), y: Int32Array.from([4, 5]) };
    for (const labelColumn of ['label', 1]) {
      const data = await fromCsv(file, { labelColumn });
      assert.deepStrictEqual([data.X, data.y], [expected.X, expected.y], String(labelColumn));
      assert.deepStrictEqual([data.n, data.features, data.rows, data.cols], [2, 2, 1, 2]);
    }
  });

  it('reads a table without labels', async () => {
    const data = await fromCsv(table('p0,p1,p2,p3\n1,2,3,4\n'), { labelColumn: null });
    assert.deepStrictEqual(data, {
      X: Uint8Array.from([1, 2, 3, 4]), y: null, n: 1, features: 4, rows: 2, cols: 2,
    });
  });

  it('reads a table without a header row: label column 0 unless told otherwise', async () => {
    const file = table('7,0,128,255\r\n2,3,4,5\r\n');
    const data = await fromCsv(file, { header: false });
    assert.deepStrictEqual([data.X, data.y, data.n, data.features],
      [Uint8Array.from([0, 128, 255, 3, 4, 5]), Int32Array.from([7, 2]), 2, 3]);
    const last = await fromCsv(file, { header: false, labelColumn: 3 });
    assert.deepStrictEqual(last.y, Int32Array.from([255, 5]));
    const none = await fromCsv(file, { header: false, labelColumn: null, rows: 2, cols: 2 });
    assert.deepStrictEqual([none.X.length, none.y, none.rows, none.cols], [8, null, 2, 2]);
  });

  it('chooses the pixel and label array types (auto, uint8, float32)', async () => {
    const floats = await fromCsv(table('digit,a,b\n1,0.5,200\n2,3,4\n'));
    assert.ok(floats.X instanceof Float32Array);
    assert.deepStrictEqual(floats.X, Float32Array.from([0.5, 200, 3, 4]));
    const wide = await fromCsv(table('digit,a,b\n1,256,0\n2,-1,4\n'));
    assert.ok(wide.X instanceof Float32Array, 'values outside 0..255 are float');

    // Only 0 and 1: scaled or binary pixels, float unless uint8 is asked for.
    const binary = table('digit,a,b\n1,0,1\n2,1,1\n');
    assert.deepStrictEqual((await fromCsv(binary)).X, Float32Array.from([0, 1, 1, 1]));
    assert.deepStrictEqual((await fromCsv(binary, { pixels: 'uint8' })).X,
      Uint8Array.from([0, 1, 1, 1]));
    const bytes = table('digit,a,b\n1,0,100\n');
    assert.deepStrictEqual((await fromCsv(bytes, { pixels: 'float32' })).X,
      Float32Array.from([0, 100]));
    const half = table('digit,a,b\n1,0,0.5\n');
    await expectFormatError(fromCsv(half, { pixels: 'uint8' }), half, 'data row 1',
      'column "b" (0-based index 2) holds "0.5"', "an integer in 0..255 (options.pixels is " +
        "'uint8')");

    // Labels: integers are classes, anything else regression targets.
    const targets = await fromCsv(table('y,a\n0.25,1\n-3,2\n'), { labelColumn: 'y' });
    assert.deepStrictEqual(targets.y, Float32Array.from([0.25, -3]));
    const asFloat = await fromCsv(bytes, { labels: 'float32' });
    assert.deepStrictEqual(asFloat.y, Float32Array.from([1]));
    const fraction = table('y,a\n1,1\n2.5,2\n');
    await expectFormatError(fromCsv(fraction, { labelColumn: 'y', labels: 'int32' }), fraction,
      'data row 2', 'column "y" (0-based index 0)',
      "an integer label (options.labels is 'int32')");
  });

  it('names the row and column of a bad or missing cell', async () => {
    const file = table('digit,p0,p1,p2\n1,2,3,4\n5,6,x7,8\n');
    await expectFormatError(fromCsv(file), file,
      `CSV file ${file}: data row 2 (1-based, not counting the header row; line 3), ` +
      'column "p1" (0-based index 2) holds "x7"; expected a number (a pixel)');
    const empty = table('digit,p0,p1\n1,,3\n');
    await expectFormatError(fromCsv(empty), empty, 'data row 1', 'column "p0" (0-based index 1) ' +
      'is empty');
    const label = table('digit,p0\n1,2\nseven,3\n');
    await expectFormatError(fromCsv(label), label, 'data row 2', 'column "digit" (0-based index ' +
      '0)',
      'holds "seven"; expected a number (the label)');
    const headless = table('1,2,3\n4,5,NaN\n');
    await expectFormatError(fromCsv(headless, { header: false }), headless,
      'data row 2 (1-based, the file has no header row; line 2), column index 2 (0-based) holds ' +
        '"NaN"');
    const huge = table('digit,p0\n1,1e39\n');
    await expectFormatError(fromCsv(huge), huge,
      'holds "1e39"; expected a number in the float32 range');
    for (const text of ['1e999', '0x10', '1,5', ' ']) {
      const odd = table(`digit,p0\n1,"${text}"\n`);
      await expectFormatError(fromCsv(odd), odd, 'column "p0" (0-based index 1)');
    }
    const spaced = await fromCsv(table('digit,p0,p1\n1, 2 ,+3.5e1\n'));
    assert.deepStrictEqual(spaced.X, Uint8Array.from([2, 35]));
    const small = await fromCsv(table('digit,p0,p1\n1,-.5,+3.5E-1\n'));
    assert.deepStrictEqual(small.X, Float32Array.from([-0.5, 0.35]));
  });

  it('rejects a row with the wrong number of cells', async () => {
    const file = table('digit,p0,p1\n1,2,3\n4,5\n');
    await expectFormatError(fromCsv(file), file,
      'data row 2 (1-based, not counting the header row; line 3) has 2 cells but the header ' +
      'has 3');
    const headless = table('1,2,3\n4,5,6,7\n');
    await expectFormatError(fromCsv(headless, { header: false }), headless,
      'data row 2', 'has 4 cells but the first row has 3');
  });

  it('rejects a header without the label column, suggesting the option', async () => {
    const file = table('label,pixel0,pixel1\n1,2,3\n');
    await expectFormatError(fromCsv(file), file,
      'has no column named "digit" in its header ("label", "pixel0", "pixel1")',
      'set options.labelColumn');
    await expectFormatError(fromCsv(file, { labelColumn: 5 }), file,
      'has 3 columns, so it has no label column at index 5');
  });

  it('reads gzip, a byte order mark, quoted names and other delimiters', async () => {
    const gz = table(zlib.gzipSync('digit,"a,b",c\n4,1,2\n'));
    assert.deepStrictEqual((await fromCsv(gz)).y, Int32Array.from([4]));
    const bom = table('\ufeffdigit;p0\n8;9\n');
    const data = await fromCsv(bom, { delimiter: ';' });
    assert.deepStrictEqual([data.X, data.y], [Uint8Array.from([9]), Int32Array.from([8])]);
    const broken = table('digit,p0\n1,"2\n');
    await expectFormatError(fromCsv(broken), broken, 'cannot be parsed');
    const corrupt = table(Buffer.concat([zlib.gzipSync('digit,p0\n1,2\n').subarray(0, 12),
      Buffer.from('not deflate at all')]));
    await expectFormatError(fromCsv(corrupt), corrupt, 'starts like gzip but does not decompress');
    const empty = table('');
    await expectFormatError(fromCsv(empty), empty, 'holds no rows, not even a header row');
    const headerOnly = await fromCsv(table('digit,a,b,c,d\n'));
    assert.deepStrictEqual([headerOnly.n, headerOnly.features, headerOnly.y],
      [0, 4, new Int32Array(0)]);
  });

  it('round-trips datasets through toCsv and fromCsv', async () => {
    const file = path.join(folder(), 'round.csv');
    const bytes = {
      X: Uint8Array.from({ length: 3 * 9 }, (_, i) => (i * 37) % 256),
      y: Int32Array.from([0, 9, 4]),
    };
    await toCsv(file, bytes);
    assert.strictEqual(fs.readFileSync(file, 'utf8').split('\n')[0],
      'digit,pixel0,pixel1,pixel2,pixel3,pixel4,pixel5,pixel6,pixel7,pixel8');
    assert.deepStrictEqual(await fromCsv(file), { ...bytes, n: 3, features: 9, rows: 3, cols: 3 });

    // Float pixels and targets come back as the same float32 values.
    const floats = {
      X: Float32Array.from({ length: 2 * 6 }, (_, i) => Math.fround(Math.sin(i) / 3)),
      y: Float32Array.from([0.1, -2.75]), rows: 2, cols: 3,
    };
    await toCsv(file, floats, { labelColumn: 'target', pixelPrefix: 'x' });
    const back = await fromCsv(file, { labelColumn: 'target', rows: 2, cols: 3 });
    assert.deepStrictEqual(back, { ...floats, n: 2, features: 6 });
    assert.ok(fs.readFileSync(file, 'utf8').includes('0.1,'), 'shortest float32 text');

    // The text is what csv-stringify makes of the same records, for either delimiter path.
    const names = ['digit', ...Array.from({ length: 9 }, (_, j) => `pixel${j}`)];
    const records = [0, 1, 2].map((i) => [bytes.y[i], ...bytes.X.subarray(i * 9, i * 9 + 9)]);
    await toCsv(file, bytes);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), stringify([names, ...records]));
    await toCsv(file, floats, { delimiter: '.' });
    const dotted = fs.readFileSync(file, 'utf8');
    assert.ok(dotted.includes('"0.1"'), 'cells holding the delimiter are quoted');
    assert.deepStrictEqual(await fromCsv(file, { delimiter: '.', rows: 2, cols: 3 }),
      { ...floats, n: 2, features: 6 });

    // No labels, no header, other delimiter, gzip.
    const packed = path.join(folder(), 'round.csv.gz');
    await toCsv(packed, { X: bytes.X, n: 3 }, { header: false, delimiter: '\t' });
    assert.strictEqual(fs.readFileSync(packed)[0], 0x1f);
    const plain = await fromCsv(packed, { header: false, labelColumn: null, delimiter: '\t' });
    assert.deepStrictEqual([plain.X, plain.y, plain.n], [bytes.X, null, 3]);
    await toCsv(file, bytes, { labelColumn: null });
    assert.strictEqual((await fromCsv(file, { labelColumn: null })).features, 9);
    assert.deepStrictEqual(leftoverTemporaries(folder()), []);
  });

  it('validates its arguments', async () => {
    const file = path.join(folder(), 'args.csv');
    await assert.rejects(fromCsv(file, { header: false, labelColumn: 'digit' }), {
      name: 'RangeError',
      message: 'options.labelColumn names a column ("digit") but options.header is false, so ' +
        'columns have no names; give its 0-based index instead',
    });
    await assert.rejects(fromCsv(file, { labelColum: 'x' } as never),
      { name: 'TypeError', message: "Unknown parameter 'labelColum' for fromCsv; did you mean " +
        "'labelColumn'?" });
    await assert.rejects(fromCsv(file, { pixels: 'int8' } as never), {
      name: 'RangeError',
      message: "Expected one of 'auto', 'uint8', 'float32' for options.pixels but received " +
        "\"int8\" (string)",
    });
    await assert.rejects(fromCsv(file, { labelColumn: -1 }),
      { name: 'RangeError', message: 'Expected an integer >= 0 for options.labelColumn but ' +
        'received -1 (number)' });
    await assert.rejects(fromCsv(file, { rows: 2 }),
      { name: 'TypeError', message: 'options.rows and options.cols go together: give both or ' +
        'neither' });
    await assert.rejects(fromCsv(table('digit,a,b\n1,2,3\n'), { rows: 3, cols: 1 }), {
      name: 'RangeError',
      message: /Expected options.rows x options.cols to equal the 2 pixel columns/,
    });
    await assert.rejects(fromCsv(path.join(folder(), 'missing.csv')), { code: 'ENOENT' });
    await assert.rejects(toCsv(file, { X: new Uint8Array(5), n: 2 }),
      { name: 'RangeError', message: 'Expected a length divisible by n = 2 for dataset.X but ' +
        'received a Uint8Array of length 5' });
    await assert.rejects(toCsv(file, { X: [1, 2] } as never),
      { name: 'TypeError', message: 'Expected a Uint8Array or Float32Array for dataset.X but ' +
        'received an array of length 2' });
    const threeLabels = { X: new Uint8Array(4), y: Int32Array.from([1, 2, 3]), n: 2 };
    await assert.rejects(toCsv(file, threeLabels),
      { name: 'RangeError', message: 'Expected 2 labels (one per sample, n = 2) for dataset.y ' +
        'but received a Int32Array of length 3' });
    await assert.rejects(toCsv(file, { X: Float32Array.from([0, NaN]) }),
      { name: 'RangeError', message: 'Expected finite pixels in dataset.X but received NaN at ' +
        'sample 0, pixel 1' });
    await assert.rejects(toCsv(file, { X: new Uint8Array(2) }, { labelColumn: 'digit' }),
      { name: 'RangeError', message: /has no labels \(y is null\)/ });
    assert.ok(!fs.existsSync(file));
  });
});
