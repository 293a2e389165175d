/**
 * The error a data file's content raises when it does not hold what its format promises: a
 * truncated IDX file, a CSV cell that is not a number, a PNG that cannot be decoded.
 * Wrong arguments raise TypeError / RangeError instead (lib/validate.ts).
 */

/**
 * A file's content is malformed. `path` names the file; the message says what was expected,
 * what was found and where (row, column, byte count).
 *
 * @example
 * try {
 *   readIdxSync('broken-idx3-ubyte');
 * } catch (error) {
 *   if (error instanceof DataFormatError) console.error(error.path, error.message);
 * }
 */
export class DataFormatError extends Error {
  /** The file whose content is malformed. */
  readonly path: string;

  constructor(message: string, path: string) {
    super(message);
    this.name = 'DataFormatError';
    this.path = path;
  }
}
