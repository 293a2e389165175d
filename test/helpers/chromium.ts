/**
 * Renders an HTML document in headless Chromium (Debian's `chromium` package, driven by
 * playwright-core) and returns what a function evaluated in the page saw, plus a screenshot.
 * Resolves to undefined when no Chromium is installed, so callers can skip.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string | undefined {
  return [process.env.LAMINA_CHROMIUM, ...CANDIDATES].find(
    (candidate): candidate is string => !!candidate && fs.existsSync(candidate),
  );
}

/** The page's `document`; typed loosely because the project compiles without the DOM library. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PageDocument = any;

export async function renderInChromium<T>(
  html: string,
  inspect: (document: PageDocument) => T,
  screenshotPath?: string,
): Promise<{ value: T; screenshot: Buffer } | undefined> {
  const executablePath = chromiumPath();
  if (!executablePath) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lamina-chromium-'));
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const file = path.join(work, 'page.html');
    fs.writeFileSync(file, html);
    await page.goto(`file://${file}`);
    const value = (await page.evaluate(
      `(${inspect.toString()})(document)`,
    )) as T;
    const screenshot = await page.screenshot({ fullPage: true, path: screenshotPath });
    return { value, screenshot };
  } finally {
    await browser.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
