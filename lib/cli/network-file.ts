/**
 * Networks described in JSON for `lamina train --layers FILE.json`: the estimator's layer list
 * and flat parameters, with classes, nonlinearities, initialisers and update rules named by
 * strings.
 *
 *   {
 *     "layers": [["input", "InputLayer"], ["hidden", "DenseLayer"], ["output", "DenseLayer"]],
 *     "input_shape": [null, 784],
 *     "hidden_num_units": 200,
 *     "hidden_W": {"GlorotUniform": "relu"},
 *     "output_nonlinearity": "softmax",
 *     "output_num_units": 10,
 *     "update": "nesterov_momentum",
 *     "update_learning_rate": 0.01,
 *     "max_epochs": 10
 *   }
 *
 * Layer entries take the estimator's first two forms: ["name", "ClassName"] with flat
 * parameters `<name>_<param>`, or ["ClassName", { "num_units": 200, "name": "hidden" }].
 * An initialiser is a class name ("HeNormal") or { "ClassName": argument } ({"Constant": 0},
 * {"Normal": {"std": 0.01}}); null for a bias means none. Nonlinearities and update rules are
 * their names. Every key is checked: an unknown one is an error naming it and the closest
 * valid name.
 */
import * as fs from 'fs';
import {
  Constant, GlorotNormal, GlorotUniform, HeNormal, HeUniform, Initializer, Normal, Uniform,
} from '../init';
import {
  Conv2DLayer, DenseLayer, DropoutLayer, FlattenLayer, InputLayer, LayerClass, MaxPool2DLayer,
  NonlinearityLayer, Pool2DLayer, ReshapeLayer,
} from '../layers';
import { NETWORK_OPTIONS } from '../net-options';
import { closest, describe } from '../validate';
import { CliError, EXIT_USAGE } from './common';

/** The layer classes a file may name. */
export const LAYER_CLASSES: Readonly<Record<string, LayerClass>> = {
  InputLayer,
  DenseLayer,
  Conv2DLayer,
  MaxPool2DLayer,
  Pool2DLayer,
  DropoutLayer,
  ReshapeLayer,
  FlattenLayer,
  NonlinearityLayer,
};

type InitializerClass = new (argument?: never) => Initializer;

/** The initialisers a file may name. */
export const INITIALIZERS: Readonly<Record<string, InitializerClass>> = {
  GlorotUniform: GlorotUniform as unknown as InitializerClass,
  GlorotNormal: GlorotNormal as unknown as InitializerClass,
  HeUniform: HeUniform as unknown as InitializerClass,
  HeNormal: HeNormal as unknown as InitializerClass,
  Normal: Normal as unknown as InitializerClass,
  Uniform: Uniform as unknown as InitializerClass,
  Constant: Constant as unknown as InitializerClass,
};

/** Network options that hold code or objects, with what to do instead. */
const NOT_IN_FILES: Readonly<Record<string, string>> = {
  on_training_started: 'callbacks are code',
  on_epoch_finished: 'callbacks are code; lamina train saves a checkpoint every epoch',
  on_batch_finished: 'callbacks are code; lamina train shows a progress bar',
  on_training_finished: 'callbacks are code',
  custom_scores: 'scores are code',
  verbose: 'lamina train prints the epoch table',
  print: 'lamina train prints the epoch table',
  backend: 'use --backend',
  batch_iterator_train: 'use batch_size (or --batch-size)',
  batch_iterator_test: 'use batch_size (or --batch-size)',
  train_split: 'use eval_size (or --eval-size)',
};

/** A network read from a file: NeuralNet options, ready for the constructor. */
export interface NetworkFile {
  /** The options, with classes and initialisers as objects. */
  options: Record<string, unknown>;
  /** The JSON as read, kept with a run so that --resume rebuilds the same network. */
  json: Record<string, unknown>;
}

function fail(file: string, message: string): CliError {
  return new CliError(`--layers ${file}: ${message}`, EXIT_USAGE);
}

function suggestion(value: string, names: Iterable<string>): string {
  const near = closest(value, names);
  return near ? `; did you mean '${near}'?` : `; expected one of ${[...names].join(', ')}`;
}

/** A layer class by name. */
function layerClass(file: string, where: string, value: unknown): LayerClass {
  if (typeof value !== 'string') {
    throw fail(file, `${where} should be a layer class name such as "DenseLayer" but is ` +
      describe(value));
  }
  const found = LAYER_CLASSES[value];
  if (!found) {
    throw fail(file, `unknown layer class '${value}' at ${where}` +
      suggestion(value, Object.keys(LAYER_CLASSES)));
  }
  return found;
}

/** An initialiser: "HeNormal", {"Constant": 0}, a plain spec {kind: ...}, or null. */
function initializer(file: string, where: string, value: unknown): unknown {
  if (value === null) return null;
  if (typeof value === 'string') {
    const found = INITIALIZERS[value];
    if (!found) {
      throw fail(file, `unknown initializer '${value}' for ${where}` +
        suggestion(value, Object.keys(INITIALIZERS)));
    }
    return new found();
  }
  if (typeof value === 'object' && !Array.isArray(value) && !('kind' in value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length !== 1) {
      throw fail(file, `${where} should be an initializer: a class name or one ` +
        `{"ClassName": argument}, but has ${entries.length} keys`);
    }
    const [name, argument] = entries[0];
    const found = INITIALIZERS[name];
    if (!found) {
      throw fail(file, `unknown initializer '${name}' for ${where}` +
        suggestion(name, Object.keys(INITIALIZERS)));
    }
    try {
      return new found(argument as never);
    } catch (error) {
      throw fail(file, `${where}: ${(error as Error).message}`);
    }
  }
  return value;
}

/** Form-2 options of one layer: initialisers converted. */
function layerOptions(file: string, where: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw fail(file, `${where} should be an object of layer parameters but is ` +
      describe(value));
  }
  const options: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    options[key] = key === 'W' || key === 'b' ? initializer(file, `${where}.${key}`, item) : item;
  }
  return options;
}

/**
 * Converts the JSON form of a network to NeuralNet options (the constructor then checks every
 * parameter).
 *
 * @param file the file name, for messages
 * @throws CliError naming the file and the bad key, with the closest valid one
 */
export function networkFromJson(file: string, json: unknown): Record<string, unknown> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw fail(file, `expected a JSON object {"layers": [...], ...} but found ${describe(json)}`);
  }
  const record = json as Record<string, unknown>;
  if (!Array.isArray(record.layers)) {
    throw fail(file, 'expected "layers": a list such as [["input", "InputLayer"], ' +
      `["output", "DenseLayer"]] but found ${describe(record.layers)}`);
  }

  // The layer list.
  const layers = record.layers.map((entry: unknown, i: number) => {
    const where = `layers[${i}]`;
    if (!Array.isArray(entry) || entry.length !== 2) {
      throw fail(file, `${where} should be ["name", "ClassName"] or ["ClassName", {...}] but ` +
        `is ${describe(entry)}`);
    }
    if (typeof entry[1] === 'string') return [entry[0], layerClass(file, `${where}[1]`, entry[1])];
    return [layerClass(file, `${where}[0]`, entry[0]),
      layerOptions(file, `${where}[1]`, entry[1])];
  });

  // The other keys: options and flat layer parameters.
  const options: Record<string, unknown> = { layers };
  for (const [key, value] of Object.entries(record)) {
    if (key === 'layers') continue;
    if (Object.prototype.hasOwnProperty.call(NOT_IN_FILES, key)) {
      throw fail(file, `'${key}' is not supported in a network file: ${NOT_IN_FILES[key]}`);
    }
    options[key] = /_(W|b)$/.test(key) && !NETWORK_OPTIONS.includes(key)
      ? initializer(file, key, value) : value;
  }
  return options;
}

/**
 * Reads a network file.
 *
 * @throws CliError for a missing file, invalid JSON (with its position) or a bad key
 */
export function readNetworkFile(file: string): NetworkFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw new CliError(`--layers: no such file: ${file}`);
    throw fail(file, (error as Error).message);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw fail(file, `not valid JSON: ${(error as Error).message}`);
  }
  const options = networkFromJson(file, json);
  return { options, json: json as Record<string, unknown> };
}
