/**
 * The `lamina` command. Each subcommand lives in its own file and registers itself here:
 *   train     lib/cli/train.ts     train a network, write the model and a report
 *   evaluate  lib/cli/evaluate.ts  the test error of a saved model
 *   predict   lib/cli/predict.ts   classify PNG pictures or CSV rows
 *   show      lib/cli/show.ts      draw digits and their distortions
 *   info      lib/cli/info.ts      the build of the native core
 * Exit codes: 0 success, 1 failure, 2 bad arguments or a missing input file, 130 interrupted.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError } from 'commander';
import { packageRoot } from '../native';
import { CliExit, CliIo, EXIT_USAGE } from './common';
import { registerEvaluate } from './evaluate';
import { registerInfo } from './info';
import { registerPredict } from './predict';
import { registerShow } from './show';
import { registerTrain } from './train';

/** Exit codes and the output interface, for callers of main. */
export { EXIT_USAGE, EXIT_FAILURE, EXIT_INTERRUPTED } from './common';
export type { CliIo, ProgressStream } from './common';

/** The version in the package's package.json (no native addon needed). */
function packageVersion(): string {
  const file = path.join(packageRoot, 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

/** Builds the command-line program; io receives everything it prints. */
export function program(io: CliIo): Command {
  const root = new Command('lamina')
    .description('Train neural networks on MNIST and other image tables from the shell')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError("Run 'lamina --help' for the commands.");
  registerTrain(root, io);
  registerEvaluate(root, io);
  registerPredict(root, io);
  registerShow(root, io);
  registerInfo(root, io.out);
  return root;
}

/**
 * A writer to a stream that goes quiet once the reader has gone (`lamina train | head`): the
 * command carries on and still writes its files, instead of dying of EPIPE.
 */
function quietWhenClosed(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

/** The process's streams and signals: what `lamina` uses from the shell. */
export function processIo(): CliIo {
  return {
    out: quietWhenClosed(process.stdout),
    err: quietWhenClosed(process.stderr),
    progress: process.stderr.isTTY ? process.stderr : undefined,
    sigint: true,
  };
}

/**
 * Runs the command line and resolves to the exit code.
 *
 * @param argv the arguments after `lamina`
 * @param io where output goes (default the process's streams, with Ctrl-C handling)
 *
 * @example
 * const code = await main(['info']);
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    await program(io).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CliExit) return error.exitCode;
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ||
        error.code === 'commander.help') {
        return 0;
      }
      return error.code === 'lamina.usage' ? error.exitCode : EXIT_USAGE;
    }
    throw error;
  }
}
