import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { PNG } from 'pngjs';
import {
  DataFormatError, frameDigit, GreyImage, loadMnistSync, readDigitPng, readPng, writeDigitGrid,
  writeDigitPng,
} from '../../lib/data';
import { Rng } from '../../lib/rng';
import { leftoverTemporaries, temporaryFolder } from './temp';

/** A width x height RGBA picture filled with background, a rectangle of ink at (x, y). */
function picture(
  width: number, height: number, background: number[], ink: number[],
  rect: { x: number; y: number; w: number; h: number },
): PNG {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = x >= rect.x && x < rect.x + rect.w && y >= rect.y && y < rect.y + rect.h;
      png.data.set(inside ? ink : background, 4 * (y * width + x));
    }
  }
  return png;
}

/** The 28 x 28 frame of a solid w x h block of ink whose top-left corner is at (x, y). */
function block(x: number, y: number, w: number, h: number): Uint8Array {
  const frame = new Uint8Array(784);
  for (let row = y; row < y + h; row++) frame.fill(255, row * 28 + x, row * 28 + x + w);
  return frame;
}

function centreOfMass(frame: Uint8Array): [number, number] {
  let mass = 0;
  let sumX = 0;
  let sumY = 0;
  frame.forEach((value, i) => {
    mass += value;
    sumX += value * (i % 28);
    sumY += value * Math.floor(i / 28);
  });
  return [sumX / mass, sumY / mass];
}

describe('data/image', () => {
  const folder = temporaryFolder('image');
  const file = (name: string) => path.join(folder(), name);

  it('writes a digit to PNG and reads the same pixels back', async () => {
    const rng = new Rng(5);
    const digit = Uint8Array.from({ length: 784 }, () => rng.below(256));
    await writeDigitPng(file('digit.png'), digit);
    const back = await readPng(file('digit.png'));
    assert.deepStrictEqual([back.width, back.height], [28, 28]);
    assert.deepStrictEqual(back.data, digit);
    assert.deepStrictEqual(await readDigitPng(file('digit.png'), { frame: false }), digit);

    // Scaled, inverted, and from float pixels in 0..1.
    await writeDigitPng(file('big.png'), digit, { scale: 3, invert: true });
    const big = await readPng(file('big.png'));
    assert.deepStrictEqual([big.width, big.height], [84, 84]);
    assert.strictEqual(big.data[(3 * 5 + 2) * 84 + 3 * 7 + 1], 255 - digit[5 * 28 + 7]);
    const floats = Float32Array.from(digit, (value) => value / 255);
    await writeDigitPng(file('float.png'), floats, { rows: 14, cols: 56 });
    const wide = await readPng(file('float.png'));
    assert.deepStrictEqual([wide.width, wide.height, wide.data], [56, 14, digit]);
    assert.deepStrictEqual(leftoverTemporaries(folder()), []);
  });

  it('re-frames an MNIST digit nearly unchanged', async () => {
    const { test } = loadMnistSync();
    // As is, and enlarged 3 times as dark ink on white (inverted, then shrunk back).
    for (const options of [{}, { scale: 3, invert: true }]) {
      let worstMean = 0;
      for (let sample = 0; sample < 20; sample++) {
        const digit = test.X.slice(sample * 784, (sample + 1) * 784);
        await writeDigitPng(file('mnist.png'), digit, options);
        const framed = await readDigitPng(file('mnist.png'));
        let total = 0;
        framed.forEach((value, i) => { total += Math.abs(value - digit[i]); });
        worstMean = Math.max(worstMean, total / 784);
      }
      console.log(`      ${JSON.stringify(options)}: largest mean |difference| after ` +
        `re-framing ${worstMean.toFixed(2)} of 255`);
      assert.ok(worstMean < 1, 'tolerance: 1 grey level on average');
    }
  });

  it('reads a tile of a digit grid (frame and caption) like the bare digit', async () => {
    // What `lamina show --index I` writes: one digit in a grey frame with its label below.
    const { test } = loadMnistSync();
    let worstMean = 0;
    for (let sample = 0; sample < 20; sample++) {
      const digit = test.X.slice(sample * 784, (sample + 1) * 784);
      await writeDigitGrid(file('tile.png'), { X: digit, y: test.y.subarray(sample, sample + 1) },
        { captions: [String(test.y[sample])] });
      await writeDigitPng(file('bare.png'), digit);
      const fromTile = await readDigitPng(file('tile.png'));
      const fromBare = await readDigitPng(file('bare.png'));
      let total = 0;
      fromTile.forEach((value, i) => { total += Math.abs(value - fromBare[i]); });
      worstMean = Math.max(worstMean, total / 784);
    }
    console.log('      largest mean |difference| from the bare digit ' +
      `${worstMean.toFixed(2)} of 255`);
    assert.ok(worstMean < 3, 'tolerance: 3 grey levels on average');
  });

  it('frames an off-centre dark digit on a light background like MNIST', async () => {
    // A 10 x 20 block near the top-left corner of a 60 x 40 white picture.
    const white = [255, 255, 255, 255];
    const png = picture(60, 40, white, [0, 0, 0, 255], { x: 5, y: 3, w: 10, h: 20 });
    fs.writeFileSync(file('light.png'), PNG.sync.write(png));
    const framed = await readDigitPng(file('light.png'));
    // Inverted, kept 10 x 20 (longer side already 20), centre of mass moved to (14, 14):
    // the block's own centre (4.5, 9.5) shifts by round(9.5) = 10 and round(4.5) = 5.
    assert.deepStrictEqual(framed, block(10, 5, 10, 20));
    const [x, y] = centreOfMass(framed);
    console.log(`      centre of mass (${x}, ${y}), target (14, 14)`);
    assert.ok(Math.abs(x - 14) <= 0.5 && Math.abs(y - 14) <= 0.5);
  });

  it('scales the ink to 20 pixels and evens out grey levels, colour and alpha', async () => {
    // 40 x 20 block: halved by area averaging to 20 x 10, grey paper and grey ink stretched.
    const rect = { x: 50, y: 60, w: 40, h: 20 };
    const grey = picture(100, 90, [200, 200, 200, 255], [50, 50, 50, 255], rect);
    fs.writeFileSync(file('grey.png'), PNG.sync.write(grey));
    // Centre (9.5, 4.5) shifts by round(4.5) = 5 and round(9.5) = 10.
    const expected = block(5, 10, 20, 10);
    assert.deepStrictEqual(await readDigitPng(file('grey.png')), expected);

    // Red ink on white; black ink on a transparent background; white on transparent.
    const red = picture(100, 90, [255, 255, 255, 255], [255, 0, 0, 255], rect);
    const clear = picture(100, 90, [0, 0, 0, 0], [0, 0, 0, 255], rect);
    const chalk = picture(100, 90, [255, 255, 255, 0], [255, 255, 255, 255], rect);
    for (const [name, png] of [['red', red], ['clear', clear], ['chalk', chalk]] as const) {
      fs.writeFileSync(file(`${name}.png`), PNG.sync.write(png));
      assert.deepStrictEqual(await readDigitPng(file(`${name}.png`)), expected, name);
    }

    // A small picture grows by interpolation: 4 x 5 ink becomes 16 x 20.
    const tiny: GreyImage = { width: 9, height: 9, data: new Uint8Array(81) };
    for (let y = 2; y < 7; y++) tiny.data.fill(255, y * 9 + 2, y * 9 + 6);
    // Centre (7.5, 9.5) shifts by round(6.5) = 7 and round(4.5) = 5.
    assert.deepStrictEqual(frameDigit(tiny), block(7, 5, 16, 20));
  });

  it('gives an empty frame for a picture without ink', () => {
    const blank: GreyImage = { width: 30, height: 10, data: new Uint8Array(300).fill(240) };
    assert.deepStrictEqual(frameDigit(blank), new Uint8Array(784));
  });

  it('writes a captioned grid of digits', async () => {
    const n = 5;
    const X = Uint8Array.from({ length: n * 784 }, (_, i) => Math.floor(i / 784) * 50);
    const images = { X, y: Int32Array.from([0, 1, 2, 3, 4]) };
    await writeDigitGrid(file('grid.png'), images, {
      indices: [4, 1, 0], columns: 2, scale: 2, padding: 3, captions: ['1', 'ok 1', ''],
    });
    const grid = await readPng(file('grid.png'));
    const captionHeight = 7;
    const cellWidth = 56;
    const cellHeight = 56 + captionHeight;
    assert.deepStrictEqual([grid.width, grid.height],
      [3 + 2 * (cellWidth + 3), 3 + 2 * (cellHeight + 3)]);
    const at = (x: number, y: number) => grid.data[y * grid.width + x];
    assert.strictEqual(at(0, 0), 128, 'padding is mid-grey');
    assert.strictEqual(at(3, 3), 200, 'first cell: sample 4');
    assert.strictEqual(at(3 + cellWidth + 3 + 10, 3 + 10), 50, 'second cell: sample 1');
    assert.strictEqual(at(3 + 5, 3 + cellHeight + 3 + 5), 0, 'third cell, second row: sample 0');

    // The caption '1' under the first cell, in the 3 x 5 font, white on black.
    const glyph = ['.#.', '##.', '.#.', '.#.', '###'];
    const left = 3 + Math.floor((cellWidth - 3) / 2);
    const top = 3 + 56 + 1;
    for (let row = 0; row < 5; row++) {
      const drawn = [0, 1, 2]
        .map((column) => (at(left + column, top + row) === 255 ? '#' : '.')).join('');
      assert.strictEqual(drawn, glyph[row], `caption row ${row}`);
    }
    assert.strictEqual(at(left - 1, top), 0, 'caption strip background');
  });

  it('reports unreadable files and bad arguments', async () => {
    fs.writeFileSync(file('not.png'), 'plain text');
    await assert.rejects(readPng(file('not.png')), (error: unknown) => {
      assert.ok(error instanceof DataFormatError);
      assert.match(error.message, /not\.png is not a readable PNG: /);
      return true;
    });
    await writeDigitPng(file('wide.png'), new Uint8Array(6), { rows: 2, cols: 3 });
    await assert.rejects(readDigitPng(file('wide.png'), { frame: false }), {
      name: 'DataFormatError',
      message: /is 3 x 2 pixels; without framing \(options.frame false\) a digit must be 28 x 28/,
    });
    await assert.rejects(writeDigitPng(file('x.png'), new Uint8Array(6)), {
      name: 'RangeError',
      message: 'Expected options.rows and options.cols for pixels.length = 6, which is not a ' +
        'square number of pixels',
    });
    await assert.rejects(writeDigitPng(file('x.png'), new Uint8Array(6), { rows: 4 }), {
      name: 'RangeError', message: 'Expected an integer >= 1 for options.cols but received 1.5 ' +
        '(number)',
    });
    await assert.rejects(writeDigitPng(file('x.png'), [0] as never),
      { name: 'TypeError', message: 'Expected a Uint8Array or Float32Array for pixels but ' +
        'received an array of length 1' });
    await assert.rejects(writeDigitPng(file('x.png'), new Uint8Array(4), { scale: 0 }),
      { name: 'RangeError', message: 'Expected an integer in [1, 64] for options.scale but ' +
        'received 0 (number)' });
    const images = { X: new Uint8Array(2 * 4), n: 2 };
    await assert.rejects(writeDigitGrid(file('x.png'), images, { captions: ['a', '€'] }), {
      name: 'RangeError',
      message: new RegExp('The character "€" of options.captions\\[1\\] is not supported for ' +
        'captions; the font has "0123456789ABC'),
    });
    await assert.rejects(writeDigitGrid(file('x.png'), images, { captions: ['a'] }),
      { name: 'RangeError', message: 'Expected one caption per drawn sample (2) for ' +
        'options.captions but received an array of length 1' });
    await assert.rejects(writeDigitGrid(file('x.png'), images, { indices: [2] }),
      { name: 'RangeError', message: 'Expected an integer in [0, 1] for options.indices[0] but ' +
        'received 2 (number)' });
    await assert.rejects(writeDigitGrid(file('x.png'), images, { colums: 2 } as never),
      { name: 'TypeError', message: "Unknown parameter 'colums' for writeDigitGrid; did you " +
        "mean 'columns'?" });
    assert.throws(() => frameDigit({ width: 2, height: 2, data: new Uint8Array(3) }),
      { name: 'RangeError', message: 'Expected width x height = 4 pixels for image.data but ' +
        'received a Uint8Array of length 3' });
    assert.ok(!fs.existsSync(file('x.png')));
  });
});
