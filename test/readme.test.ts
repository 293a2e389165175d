/**
 * Every TypeScript example in the README runs, against the built package.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { packageRoot } from '../lib/native';

/** The ```ts blocks of a markdown file, with the line each starts on. */
export function typescriptBlocks(markdown: string): Array<{ line: number; code: string }> {
  const blocks: Array<{ line: number; code: string }> = [];
  const pattern = /^```ts\n([\s\S]*?)^```/gm;
  for (let match = pattern.exec(markdown); match; match = pattern.exec(markdown)) {
    const line = markdown.slice(0, match.index).split('\n').length;
    blocks.push({ line, code: match[1] });
  }
  return blocks;
}

describe('README', function () {
  this.timeout(10 * 60 * 1000);
  const readme = fs.readFileSync(path.join(packageRoot, 'README.md'), 'utf8');
  const blocks = typescriptBlocks(readme);

  it('has examples', () => {
    assert.ok(blocks.length > 0);
  });

  for (const block of blocks) {
    it(`runs the example on line ${block.line}`, () => {
      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lamina-readme-'));
      try {
        // Imports stay at the top; the rest runs in an async function, so examples may await.
        const importPattern = /^import [\s\S]*?from '[^']+';\n/gm;
        const imports = block.code.match(importPattern) ?? [];
        const body = block.code.replace(importPattern, '');
        const source =
          `${imports.join('')}(async () => {\n${body}\n})().catch((error) => ` +
          '{ console.error(error); process.exit(1); });\n';
        const js = ts.transpileModule(source, {
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
        }).outputText;
        // `import ... from 'lamina'` resolves to this checkout's build.
        const file = path.join(work, 'example.js');
        const entry = JSON.stringify(path.join(packageRoot, 'dist', 'lib', 'index.js'));
        fs.writeFileSync(file, js.replace(/require\("lamina"\)/g, `require(${entry})`));
        execFileSync(process.execPath, [file], { cwd: work, stdio: 'pipe' });
      } finally {
        fs.rmSync(work, { recursive: true, force: true });
      }
    });
  }
});
