/**
 * Lamina's files of weights and models, both safetensors (lib/safetensors.ts) so that Python
 * opens them with `safetensors.numpy.load_file`:
 * - a parameter file holds one tensor per parameter, named '<layer>.<W|b>', and metadata
 *   { format: 'lamina-params', format_version };
 * - a model file holds the same tensors and metadata { format: 'lamina-model', format_version,
 *   network: the NetworkSpec as JSON, options: the training options as JSON, history: the
 *   train history as JSON }.
 * Writes are atomic: a temporary file in the same folder, then a rename.
 */
import * as fs from 'fs';
import type { ParamTensor } from './backend/backend';
import { writeFileAtomic } from './data/atomic';
import { DataFormatError } from './data/errors';
import { decodeSafetensors, encodeSafetensors } from './safetensors';
import { typeError } from './validate';

/** The format version this Lamina writes and the newest it reads. */
export const FORMAT_VERSION = 1;

/** What a Lamina file holds. */
export type FileKind = 'lamina-params' | 'lamina-model';

/** A file read back: its parameters and metadata. */
export interface LaminaFile {
  params: ParamTensor[];
  metadata: Record<string, string>;
}

/** The tensor name of a parameter: 'hidden.W'. */
export function tensorName(param: { layer: string; name: string }): string {
  return `${param.layer}.${param.name}`;
}

/**
 * Writes parameters (and metadata) atomically.
 *
 * @throws whatever the file system throws; the target is then left as it was
 */
export async function writeLaminaFile(path: string, kind: FileKind,
  params: readonly ParamTensor[], extra: Readonly<Record<string, string>> = {}): Promise<void> {
  if (typeof path !== 'string' || path.length === 0) throw typeError('path', 'a file path', path);
  const metadata = { format: kind, format_version: String(FORMAT_VERSION), ...extra };
  const chunks = encodeSafetensors(params.map((param) => ({
    name: tensorName(param),
    shape: param.shape,
    values: param.values,
  })), metadata);
  await writeFileAtomic(path, chunks);
}

/**
 * Reads a parameter or model file. Files without Lamina metadata (e.g. written from Python)
 * are read when their tensors are named '<layer>.<W|b>'.
 *
 * @param kind 'lamina-model' to require a model file
 * @throws DataFormatError for a truncated or malformed file, a file of a newer format
 *   version, a tensor name not of the form layer.W / layer.b, or a missing model description
 */
export async function readLaminaFile(path: string, kind?: FileKind): Promise<LaminaFile> {
  if (typeof path !== 'string' || path.length === 0) throw typeError('path', 'a file path', path);
  const bytes = await fs.promises.readFile(path);
  const { tensors, metadata } = decodeSafetensors(bytes, path);

  // Version and kind.
  if (metadata.format_version !== undefined) {
    const version = Number(metadata.format_version);
    if (!Number.isInteger(version) || version < 1) {
      throw new DataFormatError(`${path} has format_version '${metadata.format_version}', not ` +
        'a version number', path);
    }
    if (version > FORMAT_VERSION) {
      throw new DataFormatError(`${path} was written by a newer version of Lamina (format ` +
        `version ${version}); this version reads format version ${FORMAT_VERSION} and older: ` +
        'upgrade lamina to read it', path);
    }
  }
  if (kind === 'lamina-model' && metadata.format !== 'lamina-model') {
    throw new DataFormatError(`${path} is not a Lamina model file (no network description; ` +
      'a file written by saveParams holds weights only: load it with loadParams)', path);
  }

  // Tensors: '<layer>.<W|b>'.
  const params = tensors.map((tensor): ParamTensor => {
    const match = /^(.+)\.(W|b)$/.exec(tensor.name);
    if (!match) {
      throw new DataFormatError(`${path} holds a tensor named '${tensor.name}'; Lamina names ` +
        "parameters '<layer>.W' and '<layer>.b'", path);
    }
    return { layer: match[1], name: match[2] as 'W' | 'b', shape: tensor.shape,
      values: tensor.values };
  });
  return { params, metadata };
}
