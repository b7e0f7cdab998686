/**
 * 7. Lighthouse (the npm package) with its mobile profile: a Moto G Power-sized screen, a slow 4G
 * network and a 4x slower CPU, simulated (Lighthouse's defaults, named here so the profile is
 * explicit), on the emulator-wired production build served compressed as Hosting serves it, driving
 * the same Debian Chromium through its debugging port. Besides the scores it reports the metrics
 * and every audit that cost points, so a score under 100 says why. Lighthouse 12 has no PWA
 * category any more, so installability is Chromium's own verdict (Page.getInstallabilityErrors)
 * in a profile on disk, once the worker controls the page.
 * Baseline: Lighthouse on a minimal static page in the same browser, the ceiling on this machine.
 */
import lighthouse, { type Flags } from 'lighthouse';
import { chromium } from 'playwright-core';
import { newPersistentDevice, openApp, waitForServiceWorker } from '../../testing/browser.js';
import type { BenchContext } from '../lib/context.js';
import type { BenchResult } from '../lib/results.js';
import { execFileSync } from 'node:child_process';
import { freePort } from '../../testing/free-port.js';

/** The bar: 100 in each category on the mobile profile. */
const TARGET_SCORE = 100;
const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;


function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
}

/** Lighthouse's mobile profile (its defaults, spelled out): what the scores are measured on. */
const MOBILE: Flags = {
  formFactor: 'mobile',
  screenEmulation: { mobile: true, width: 412, height: 823, deviceScaleFactor: 1.75, disabled: false },
  throttlingMethod: 'simulate',
  throttling: { rttMs: 150, throughputKbps: 1638.4, requestLatencyMs: 562.5, downloadThroughputKbps: 1474.56, uploadThroughputKbps: 675, cpuSlowdownMultiplier: 4 },
};

/** The metrics behind the performance score, and each weighted audit that lost points. */
interface Losses {
  metrics: Record<string, string>;
  lost: { category: string; audit: string; score: number; value: string }[];
}

async function scores(url: string, categories: readonly string[]): Promise<{ scores: Record<string, number>; losses: Losses }> {
  const port = await freePort();
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--remote-debugging-port=${port}`],
  });
  try {
    const result = await lighthouse(url, { ...MOBILE, port, output: 'json', logLevel: 'error', onlyCategories: [...categories] });
    if (!result) throw new Error('Lighthouse returned nothing');
    const { lhr } = result;
    const out: Record<string, number> = {};
    const losses: Losses = { metrics: {}, lost: [] };
    for (const id of categories) {
      const category = lhr.categories[id];
      if (typeof category?.score !== 'number') throw new Error(`Lighthouse gave no ${id} score: ${JSON.stringify(lhr.runtimeError ?? lhr.runWarnings)}`);
      out[`mobile${id.replace(/(?:^|-)(\w)/g, (_, c: string) => c.toUpperCase())}Score`] = Math.round(category.score * 100);
      for (const ref of category.auditRefs) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && typeof audit?.score === 'number' && audit.score < 1) {
          losses.lost.push({ category: id, audit: ref.id, score: audit.score, value: audit.displayValue ?? '' });
        }
      }
    }
    for (const id of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index']) {
      const value = lhr.audits[id]?.displayValue;
      if (value) losses.metrics[id] = value;
    }
    // Which element the largest paint was: what the largest-contentful-paint figure waited for.
    const lcpElement = (lhr.audits['largest-contentful-paint-element']?.details as { items?: { items?: { node?: { selector?: string; nodeLabel?: string } }[] }[] } | undefined)?.items?.[0]?.items?.[0]?.node;
    if (lcpElement?.selector) losses.metrics['largest-contentful-paint-element'] = `${lcpElement.selector} (${lcpElement.nodeLabel ?? ''})`;
    return { scores: out, losses };
  } finally {
    await browser.close();
  }
}

export async function lighthouseScores(bench: BenchContext): Promise<BenchResult> {
  // The smoke keeps it short: one category is enough to prove the wiring.
  const categories = bench.scale === 'full' ? CATEGORIES : (['accessibility'] as const);
  const { scores: app, losses } = await scores(`${bench.emulatorAppUrl}/`, categories);
  const { scores: ceiling } = await scores(`${bench.baselineUrl}/blank.html`, categories);

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
    title: 'Lighthouse, mobile profile, on the production build (emulator-wired), and installability',
    status: 'ok',
    figures: { ...app, installable: installable ? 1 : 0 },
    baseline: { what: 'Lighthouse on a minimal static page in the same browser (the ceiling on this machine)', figures: ceiling },
    target: {
      text: `${TARGET_SCORE} in each category on the mobile profile, installable`,
      met,
      margin: met ? 'all at or above the target' : [...low.map(([id, score]) => `${id} ${score} (${TARGET_SCORE - score} under)`), ...(installable ? [] : ['not installable'])].join(', '),
    },
    details: { categories, installabilityErrors, profile: MOBILE, metrics: losses.metrics, lostPoints: losses.lost },
  };
}
