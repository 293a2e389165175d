/**
 * A 3 x 5 pixel bitmap font for captions in digit grids: 0-9, A-Z (lower case is drawn as
 * upper case) and a few signs. Each glyph is five rows of three cells, top row first, '#' ink.
 * Internal: not part of the public API.
 */

const GLYPHS: Readonly<Record<string, string>> = {
  '0': '### #.# #.# #.# ###', '1': '.#. ##. .#. .#. ###', '2': '### ..# ### #.. ###',
  '3': '### ..# .## ..# ###', '4': '#.# #.# ### ..# ..#', '5': '### #.. ### ..# ###',
  '6': '### #.. ### #.# ###', '7': '### ..# ..# .#. .#.', '8': '### #.# ### #.# ###',
  '9': '### #.# ### ..# ###',
  'A': '.#. #.# ### #.# #.#', 'B': '##. #.# ##. #.# ##.', 'C': '.## #.. #.. #.. .##',
  'D': '##. #.# #.# #.# ##.', 'E': '### #.. ##. #.. ###', 'F': '### #.. ##. #.. #..',
  'G': '.## #.. #.# #.# .##', 'H': '#.# #.# ### #.# #.#', 'I': '### .#. .#. .#. ###',
  'J': '..# ..# ..# #.# .#.', 'K': '#.# #.# ##. #.# #.#', 'L': '#.. #.. #.. #.. ###',
  'M': '#.# ### ### #.# #.#', 'N': '##. #.# #.# #.# #.#', 'O': '.#. #.# #.# #.# .#.',
  'P': '##. #.# ##. #.. #..', 'Q': '.#. #.# #.# ##. .##', 'R': '##. #.# ##. #.# #.#',
  'S': '.## #.. .#. ..# ##.', 'T': '### .#. .#. .#. .#.', 'U': '#.# #.# #.# #.# ###',
  'V': '#.# #.# #.# #.# .#.', 'W': '#.# #.# ### ### #.#', 'X': '#.# #.# .#. #.# #.#',
  'Y': '#.# #.# .#. .#. .#.', 'Z': '### ..# .#. #.. ###',
  ' ': '... ... ... ... ...', ':': '... .#. ... .#. ...', '.': '... ... ... ... .#.',
  '%': '#.# ..# .#. #.. #.#', '-': '... ... ### ... ...', '+': '... .#. ### .#. ...',
  '=': '... ### ... ### ...', '/': '..# ..# .#. #.. #..', '(': '.#. #.. #.. #.. .#.',
  ')': '.#. ..# ..# ..# .#.', '!': '.#. .#. .#. ... .#.', '?': '##. ..# .#. ... .#.',
};

/** Glyph width and height in font pixels, and the advance from one glyph to the next. */
export const GLYPH_WIDTH = 3;
export const GLYPH_HEIGHT = 5;
export const GLYPH_ADVANCE = 4;

/** The characters the font can draw (lower-case letters are drawn as upper case). */
export const FONT_CHARACTERS = Object.keys(GLYPHS).join('');

/** The first character of text the font cannot draw, or undefined. */
export function unsupportedCharacter(text: string): string | undefined {
  return [...text].find((character) => !(character.toUpperCase() in GLYPHS));
}

/** Width in pixels of text drawn at scale. */
export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * GLYPH_ADVANCE - 1) * scale;
}

/**
 * Draws text into a grey canvas (width wide) with its top-left corner at (left, top), each
 * font pixel a scale x scale square of value; ink outside [clipLeft, clipRight) is dropped.
 */
export function drawText(
  canvas: Uint8Array, width: number, text: string, left: number, top: number, scale: number,
  value: number, clipLeft = 0, clipRight = width,
): void {
  [...text].forEach((character, index) => {
    const rows = GLYPHS[character.toUpperCase()].split(' ');
    const glyphLeft = left + index * GLYPH_ADVANCE * scale;
    for (let row = 0; row < GLYPH_HEIGHT; row++) {
      for (let column = 0; column < GLYPH_WIDTH; column++) {
        if (rows[row][column] !== '#') continue;
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const x = glyphLeft + column * scale + dx;
            const y = top + row * scale + dy;
            if (x >= clipLeft && x < clipRight && y >= 0) canvas[y * width + x] = value;
          }
        }
      }
    }
  });
}
