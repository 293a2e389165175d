/**
 * What every subcommand shares: where output goes (CliIo), the error that ends a command with
 * an exit code (CliError), parsers for option values that reject bad input with one line, and
 * small formatting helpers.
 */
import * as fs from 'fs';
import { Command, InvalidArgumentError } from 'commander';
import { closest } from '../validate';

/** Exit code for bad arguments and missing input files, as shells expect. */
export const EXIT_USAGE = 2;
/** Exit code when a command fails for another reason (a malformed file, a failed run). */
export const EXIT_FAILURE = 1;
/** Exit code after an interrupt (128 + SIGINT), once the checkpoint is saved. */
export const EXIT_INTERRUPTED = 130;

/** A stream a progress bar can draw on: a terminal (isTTY) with a width. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Where a command's output goes and how it is interrupted. The command line uses the process's
 * streams and signals; tests pass functions that capture the text.
 */
export interface CliIo {
  /** Results: tables, the epoch rows, where files went. */
  out: (text: string) => void;
  /** Errors, warnings and notes. */
  err: (text: string) => void;
  /** The terminal the progress bar draws on; undefined: no progress bar. */
  progress?: ProgressStream;
  /** Aborting it interrupts training as Ctrl-C does. */
  signal?: AbortSignal;
  /** Listen for SIGINT while training (the first stops after the batch, the second exits). */
  sigint?: boolean;
  /** The clock that names run folders; default the system clock. */
  now?: () => Date;
}

/**
 * An error that ends a command with an exit code and a one-line message. With usage (the
 * default for EXIT_USAGE), the subcommand's usage line follows the message.
 */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_USAGE,
    readonly usage: boolean = exitCode === EXIT_USAGE) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Ends a command with an exit code after its messages are printed (an interrupted run exits
 * with EXIT_INTERRUPTED).
 */
export class CliExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'CliExit';
  }
}

/**
 * Runs a subcommand's action: a CliError prints 'error: MESSAGE' (with the subcommand's usage
 * for bad arguments) and ends the command with its exit code; a non-zero result ends it too.
 */
export async function runAction(command: Command, io: CliIo, action: () => Promise<number>):
  Promise<void> {
  let code: number;
  try {
    code = await action();
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    if (error.usage) {
      command.error(`error: ${error.message}`, { exitCode: error.exitCode, code: 'lamina.usage' });
    }
    io.err(`error: ${error.message}\n`);
    code = error.exitCode;
  }
  if (code !== 0) throw new CliExit(code);
}

/** The usage hint printed after a bad argument: the subcommand's usage and where help is. */
export function usageHint(command: Command): string {
  const name = commandPath(command);
  return `Usage: ${name} ${command.usage()}\nRun '${name} --help' for the options.`;
}

/** 'lamina train' for the train subcommand. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

/** Sets the usage hint shown after a bad argument of this (sub)command. */
export function withUsageHint(command: Command): Command {
  return command.showHelpAfterError(usageHint(command));
}

/** Parses an integer option value in [min, max]. */
export function integerOption(min: number, max = Number.MAX_SAFE_INTEGER):
  (value: string) => number {
  return (value: string) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isInteger(number) || number < min || number > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}`
        : `an integer in [${min}, ${max}]`;
      throw new InvalidArgumentError(`Expected ${range}.`);
    }
    return number;
  };
}

/**
 * Parses a number option value. lowOpen excludes min (a learning rate must be > 0); highOpen
 * excludes max (an eval size must be < 1).
 */
export function numberOption(min: number, max = Infinity,
  bounds: { lowOpen?: boolean; highOpen?: boolean } = {}): (value: string) => number {
  return (value: string) => {
    const number = Number(value);
    const low = bounds.lowOpen ? number > min : number >= min;
    const high = bounds.highOpen ? number < max : number <= max;
    if (value.trim() === '' || !Number.isFinite(number) || !low || !high) {
      const lowText = `${bounds.lowOpen ? '>' : '>='} ${min}`;
      const range = max === Infinity ? `a number ${lowText}`
        : `a number ${lowText} and ${bounds.highOpen ? '<' : '<='} ${max}`;
      throw new InvalidArgumentError(`Expected ${range}.`);
    }
    return number;
  };
}

/** Parses one of a few names, suggesting the closest for a typo. */
export function choiceOption<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value: string) => {
    if ((choices as readonly string[]).includes(value)) return value as T;
    const suggestion = closest(value, choices);
    throw new InvalidArgumentError(`Expected one of ${choices.join(', ')}` +
      (suggestion ? `; did you mean ${suggestion}?` : '.'));
  };
}

/** The augmentations the command line knows, by name. */
export const AUGMENT_NAMES = ['elastic', 'affine'] as const;
/** One augmentation name. */
export type AugmentName = (typeof AUGMENT_NAMES)[number];

/** Parses --augment: a comma-separated list of augmentation names ('elastic,affine'). */
export function augmentOption(value: string): AugmentName[] {
  const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) throw new InvalidArgumentError(`Expected ${AUGMENT_NAMES.join(', ')}.`);
  const parse = choiceOption(AUGMENT_NAMES);
  return [...new Set(names.map(parse))];
}

/** Checks that a path given as an option exists; a CliError names the option and the path. */
export function requirePath(option: string, file: string, kind: 'file' | 'folder'): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new CliError(`${option}: no such ${kind}: ${file}`);
  }
  if (kind === 'folder' && !stat.isDirectory()) {
    throw new CliError(`${option}: ${file} is not a folder`);
  }
  if (kind === 'file' && stat.isDirectory()) {
    throw new CliError(`${option}: ${file} is a folder, not a file`);
  }
  return file;
}

/** A percentage with two decimals: 0.0091 -> '0.91%'. */
export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}

/** A count with its noun: '1 epoch', '15 epochs'. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Seconds as '4.2s', '3m 05s' or '1h 02m'. */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** Text lines as a table: columns padded to their widest cell, two spaces apart. */
export function columns(rows: readonly string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  return rows.map((row) => row.map((cell, c) => (c === row.length - 1 ? cell
    : cell.padEnd(widths[c]))).join('  ')).join('\n') + '\n';
}
