/**
 * The data API: IDX and CSV files, MNIST, train / validation splits and digit pictures.
 */
export { DataFormatError } from './errors';
export { subset } from './dataset';
export type { ImageDataset, DatasetLike } from './dataset';
export { readIdx, readIdxSync, decodeIdx, writeIdx, writeIdxSync } from './idx';
export type { IdxType, IdxArray, IdxContent, WriteIdxOptions } from './idx';
export { fromCsv, toCsv } from './csv';
export type { CsvReadOptions, CsvWriteOptions } from './csv';
export { loadMnist, loadMnistSync, mnistDataFolder } from './mnist';
export type { Mnist, MnistSet, MnistFiles, MnistOptions } from './mnist';
export { splitIndices, splitDataset } from './split';
export type { SplitOptions, SplitIndices, ExplicitSplit, DatasetSplit } from './split';
export { writeDigitPng, writeDigitGrid, readPng, readDigitPng, frameDigit } from './image';
export type {
  GreyImage, DigitPngOptions, DigitGridOptions, ReadDigitOptions,
} from './image';
