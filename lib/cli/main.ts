/**
 * The `lamina` command. Each subcommand lives in its own file and registers itself here.
 */
import { Command, CommanderError } from 'commander';
import { registerInfo } from './info';

/** Exit code for bad arguments, as shells expect. */
export const EXIT_USAGE = 2;

/** Builds the command-line program; out and err receive everything it prints. */
export function program(out: (text: string) => void, err: (text: string) => void): Command {
  const root = new Command('lamina')
    .description('Train neural networks on MNIST and other image tables from the shell')
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: err })
    .showHelpAfterError('(run lamina --help for usage)');
  registerInfo(root, out);
  return root;
}

/**
 * Runs the command line and resolves to the exit code.
 *
 * @example
 * const code = await main(['info']);
 */
export async function main(argv: string[]): Promise<number> {
  const out = (text: string) => process.stdout.write(text);
  const err = (text: string) => process.stderr.write(text);
  try {
    await program(out, err).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.help') return 0;
      return EXIT_USAGE;
    }
    throw error;
  }
}
