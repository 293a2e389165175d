/**
 * Atomic file writes: the content goes to a temporary file in the target's folder, is flushed
 * to disk, then renamed over the target, so readers see either the old file or the whole new
 * one, never a partial write. Internal: not part of the public API.
 */
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';

/** A hidden temporary name beside target, unique to this process and call. */
function temporaryPath(target: string): string {
  const folder = path.dirname(target);
  const suffix = `${process.pid}.${randomBytes(6).toString('hex')}`;
  return path.join(folder, `.${path.basename(target)}.${suffix}.tmp`);
}

/**
 * Adds to a failed write's error which file it was and that the previous file is intact
 * (fs errors of write and fdatasync do not name the file). The error keeps its class and code.
 */
function explain(error: unknown, target: string): unknown {
  if (error instanceof Error && !error.message.includes(target)) {
    const previous = fs.existsSync(target) ? 'the previous file is unchanged'
      : 'nothing was written';
    error.message += ` (writing ${target}; ${previous})`;
  }
  return error;
}

/** Writes chunks (in order) to target atomically. */
export async function writeFileAtomic(
  target: string,
  chunks: Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>,
): Promise<void> {
  const temporary = temporaryPath(target);
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(temporary, 'wx');
    for await (const chunk of chunks) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      let offset = 0;
      while (offset < bytes.byteLength) {
        const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset);
        offset += bytesWritten;
      }
    }
    await handle.datasync();
    await handle.close();
    handle = undefined;
    await fs.promises.rename(temporary, target);
  } catch (error) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.promises.rm(temporary, { force: true }).catch(() => undefined);
    throw explain(error, target);
  }
}

/** Writes chunks (in order) to target atomically, synchronously. */
export function writeFileAtomicSync(target: string, chunks: Iterable<Uint8Array>): void {
  const temporary = temporaryPath(target);
  let descriptor: number | undefined;
  try {
    descriptor = fs.openSync(temporary, 'wx');
    for (const chunk of chunks) {
      let offset = 0;
      while (offset < chunk.byteLength) {
        offset += fs.writeSync(descriptor, chunk, offset, chunk.byteLength - offset);
      }
    }
    fs.fdatasyncSync(descriptor);
    fs.closeSync(descriptor);
    descriptor = undefined;
    fs.renameSync(temporary, target);
  } catch (error) {
    if (descriptor !== undefined) fs.closeSync(descriptor);
    fs.rmSync(temporary, { force: true });
    throw explain(error, target);
  }
}
