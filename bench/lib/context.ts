/**
 * What the benchmarks share: fresh builds, a server per build, one headless Chromium (the browser
 * tests' launch settings), and the scale: `full` for `npm run bench`, `smoke` for the test gate
 * (the same code on tiny inputs, so it cannot rot).
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../testing/browser.js';
import { BENCH_BUILDS, buildAll } from './builds.js';
import { serveFolder, type BenchServer } from './server.js';

export type Scale = 'full' | 'smoke';

export interface BenchContext {
  scale: Scale;
  browser: Browser;
  /** The local-only production build. */
  appUrl: string;
  /** The emulator-wired production build; the baseline module is also served at /__bench/. */
  emulatorAppUrl: string;
  /** The Firestore SDK baseline page, on an origin of its own. */
  baselineUrl: string;
  close(): Promise<void>;
}

export const BASELINE_MODULE = '/__bench/assets/firestore-baseline.js';

export async function openBenchContext(scale: Scale): Promise<BenchContext> {
  await buildAll();
  const servers: BenchServer[] = [
    await serveFolder(BENCH_BUILDS.app),
    await serveFolder(BENCH_BUILDS.emulator, { '/__bench/': BENCH_BUILDS.baseline }),
    await serveFolder(BENCH_BUILDS.baseline),
  ];
  const browser = await launchChromium();
  return {
    scale,
    browser,
    appUrl: servers[0]!.url,
    emulatorAppUrl: servers[1]!.url,
    baselineUrl: servers[2]!.url,
    async close() {
      await browser.close();
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}

/** Resolves after the next frame has been painted (rAF, then a task queued from it runs after paint). */
export function nextPaint(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve();
          channel.port2.postMessage(0);
        }),
      ),
  );
}
