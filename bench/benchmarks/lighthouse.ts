/**
 * 7. Lighthouse (the npm package, default mobile settings with simulated throttling) on the
 * emulator-wired production build, driving the same Debian Chromium through its debugging port.
 * Lighthouse 12 has no PWA category any more, so installability is Chromium's own verdict
 * (Page.getInstallabilityErrors) in a profile on disk, once the worker controls the page.
 * Baseline: Lighthouse on a minimal static page in the same browser, the ceiling on this machine.
 */
import { createServer } from 'node:net';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { newPersistentDevice, openApp, waitForServiceWorker } from '../../testing/browser.js';
import type { BenchContext } from '../lib/context.js';
import type { BenchResult } from '../lib/results.js';
import { execFileSync } from 'node:child_process';

const TARGET_SCORE = 95;
const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
}

async function scores(url: string, categories: readonly string[]): Promise<Record<string, number>> {
  const port = await freePort();
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--remote-debugging-port=${port}`],
  });
  try {
    const result = await lighthouse(url, { port, output: 'json', logLevel: 'error', onlyCategories: [...categories] });
    if (!result) throw new Error('Lighthouse returned nothing');
    const out: Record<string, number> = {};
    for (const id of categories) {
      const score = result.lhr.categories[id]?.score;
      if (typeof score !== 'number') throw new Error(`Lighthouse gave no ${id} score: ${JSON.stringify(result.lhr.runtimeError ?? result.lhr.runWarnings)}`);
      out[`${id.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}Score`] = Math.round(score * 100);
    }
    return out;
  } finally {
    await browser.close();
  }
}

export async function lighthouseScores(bench: BenchContext): Promise<BenchResult> {
  // The smoke keeps it short: one category is enough to prove the wiring.
  const categories = bench.scale === 'full' ? CATEGORIES : (['accessibility'] as const);
  const app = await scores(`${bench.emulatorAppUrl}/`, categories);
  const ceiling = await scores(`${bench.baselineUrl}/blank.html`, categories);

  const device = await newPersistentDevice(bench.emulatorAppUrl);
  let installabilityErrors: unknown[];
  try {
    await openApp(device.page);
    await waitForServiceWorker(device.page);
    const cdp = await device.context.newCDPSession(device.page);
    ({ installabilityErrors } = await cdp.send('Page.getInstallabilityErrors'));
  } finally {
    await device.context.close();
  }
  const installable = installabilityErrors.length === 0;
  const low = Object.entries(app).filter(([, score]) => score < TARGET_SCORE);
  const met = low.length === 0 && installable;
  return {
    id: 'lighthouse',
    title: 'Lighthouse on the production build (emulator-wired), and installability',
    status: 'ok',
    figures: { ...app, installable: installable ? 1 : 0 },
    baseline: { what: 'Lighthouse on a minimal static page in the same browser (the ceiling on this machine)', figures: ceiling },
    target: {
      text: `>= ${TARGET_SCORE} in each category, installable`,
      met,
      margin: met ? 'all at or above the target' : [...low.map(([id, score]) => `${id} ${score} (${TARGET_SCORE - score} under)`), ...(installable ? [] : ['not installable'])].join(', '),
    },
    details: { categories, installabilityErrors, lighthouse: 'mobile form factor, simulated throttling (defaults)' },
  };
}
