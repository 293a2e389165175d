/**
 * `lamina info`: version, build information, thread count, which GEMM.
 */
import { Command } from 'commander';
import { buildInfo } from '../build-info';
import { simdText } from './evaluation';

/** Registers `lamina info`; out receives the table or the JSON. */
export function registerInfo(root: Command, out: (text: string) => void): void {
  root
    .command('info')
    .description('print the version, the GEMM provider, threads and how the core was built')
    .option('--json', 'print the information as JSON')
    .action((options: { json?: boolean }) => {
      const info = buildInfo();
      if (options.json) {
        out(JSON.stringify(info, null, 2) + '\n');
        return;
      }
      const rows: Array<[string, string]> = [
        ['version', info.version],
        ['gemm', info.gemm],
        ['openmp', info.openmp ? 'on' : 'off'],
        ['threads', String(info.threads)],
        ['simd', simdText(info)],
        ['build file', info.buildFile],
        ['compiler', info.compiler],
        ['binary', `${info.binary}${info.prebuilt ? ' (prebuilt)' : ''}`],
      ];
      const width = Math.max(...rows.map(([name]) => name.length));
      for (const [name, value] of rows) out(`${name.padEnd(width)}  ${value}\n`);
    });
}
