/**
 * A temporary folder per test file, removed afterwards.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Creates a fresh folder for a test file and registers its removal after the file's tests. */
export function temporaryFolder(label: string): () => string {
  let folder = '';
  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), `lamina-${label}-`));
  });
  after(() => {
    fs.rmSync(folder, { recursive: true, force: true });
  });
  return () => folder;
}

/** Files in a folder whose names look like leftover temporary files of an atomic write. */
export function leftoverTemporaries(folder: string): string[] {
  return fs.readdirSync(folder).filter((name) => name.endsWith('.tmp'));
}
