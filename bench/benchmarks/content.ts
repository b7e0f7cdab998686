/**
 * 10. Checklists and labels stay fast: on a board of 10,000 notes where a third are checklists of
 * 20 items and half carry labels, the cold start offline and the local edit (both timed as their
 * own benchmarks time them), and the app's merge of one page of 1,000 remote notes of that kind
 * (applyRemotePage, what every pulled or heard page goes through), as main-thread time read from
 * Chromium's own task accounting (CDP Performance.getMetrics TaskDuration) around the call: a
 * page new to the device (first sync), then the same page edited since on another device.
 * Baseline: the same three on text notes only, in the same run, interleaved.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { compareBoards } from '../lib/app-pages.js';
import type { BenchContext } from '../lib/context.js';
import { percentile, round, spread, type BenchResult, type Figures } from '../lib/results.js';
import type { BoardContent } from '../lib/seed-notes.js';
import { appColdStart, offlineDevice, TARGET_MS as COLD_START_TARGET_MS } from './cold-start.js';
import { editInPage } from './local-edit.js';

const MERGE_TARGET_MS = 100;

/** Main-thread milliseconds of the page's renderer since `mainThreadClock` started (every task: scripts and storage callbacks alike). */
type MainThreadClock = () => Promise<number>;

async function mainThreadClock(page: Page): Promise<MainThreadClock> {
  const cdp = await page.context().newCDPSession(page);
  // Counted from here on, for as long as this session lives.
  await cdp.send('Performance.enable');
  return async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((metric) => metric.name === 'TaskDuration')!.value * 1000;
  };
}

interface MergeTimes {
  newMainMs: number[];
  editedMainMs: number[];
  newWallMs: number[];
  editedWallMs: number[];
}

/** Merges a page of `pageNotes` remote notes into a new database, new then edited, adding each one's times to `into`. */
async function mergeRun(page: Page, mainThreadMs: MainThreadClock, content: BoardContent, pageNotes: number, run: number, into: MergeTimes): Promise<void> {
  await page.evaluate(({ content, pageNotes, run }) => window.mergeBench.prepare(content, pageNotes, run), { content, pageNotes, run });
  for (const kind of ['new', 'edited'] as const) {
    const before = await mainThreadMs();
    const wall = await page.evaluate((kind) => window.mergeBench.apply(kind), kind);
    const main = (await mainThreadMs()) - before;
    into[kind === 'new' ? 'newMainMs' : 'editedMainMs'].push(main);
    into[kind === 'new' ? 'newWallMs' : 'editedWallMs'].push(wall);
  }
  await page.evaluate(() => window.mergeBench.finish());
}

const emptyTimes = (): MergeTimes => ({ newMainMs: [], editedMainMs: [], newWallMs: [], editedWallMs: [] });
const roundedTimes = (times: MergeTimes) => Object.fromEntries(Object.entries(times).map(([key, values]: [string, number[]]) => [key, values.map((v) => round(v))]));

function mergeFigures(times: MergeTimes): Figures {
  const median = (values: number[]) => round(percentile(values, 50));
  return {
    mergeNewPageMainMs: median(times.newMainMs),
    mergeEditedPageMainMs: median(times.editedMainMs),
    mergeNewPageWallMs: median(times.newWallMs),
    mergeEditedPageWallMs: median(times.editedWallMs),
  };
}

async function coldStarts(bench: BenchContext, stored: number, runs: number): Promise<Record<BoardContent, number[]>> {
  const devices: Record<BoardContent, BrowserContext> = { text: await offlineDevice(bench, stored, 'text'), lists: await offlineDevice(bench, stored, 'lists') };
  const times: Record<BoardContent, number[]> = { text: [], lists: [] };
  try {
    for (let i = 0; i < runs; i++) {
      for (const content of ['text', 'lists'] as const) {
        const { ms, controlled } = await appColdStart(devices[content]);
        if (!controlled) throw new Error(`the app page (${content}) was not controlled by its service worker offline`);
        times[content].push(ms);
      }
    }
  } finally {
    await Promise.all(Object.values(devices).map((context) => context.close()));
  }
  return times;
}

export async function content(bench: BenchContext): Promise<BenchResult> {
  const full = bench.scale === 'full';
  const [stored, coldRuns, edits, block, pageNotes, mergeRunCount] = full ? [10_000, 9, 200, 20, 1_000, 7] : [300, 1, 6, 3, 100, 1];

  const cold = await coldStarts(bench, stored, coldRuns);
  const edit = await compareBoards(bench, { stored, baselineStored: stored, content: 'lists', baselineContent: 'text', runs: edits, block }, editInPage);

  const mergeContext = await bench.browser.newContext({ baseURL: bench.baselineUrl });
  const merges: Record<BoardContent, MergeTimes> = { text: emptyTimes(), lists: emptyTimes() };
  try {
    const page = await mergeContext.newPage();
    await page.goto('/merge-page.html');
    await page.waitForFunction(() => window.mergeBench !== undefined);
    const mainThreadMs = await mainThreadClock(page);
    // A warm-up of each (code compiled), then alternating, so both see the same machine load.
    for (const content of ['text', 'lists'] as const) await mergeRun(page, mainThreadMs, content, pageNotes, 0, emptyTimes());
    for (let run = 1; run <= mergeRunCount; run++) {
      for (const content of ['text', 'lists'] as const) await mergeRun(page, mainThreadMs, content, pageNotes, run, merges[content]);
    }
  } finally {
    await mergeContext.close();
  }

  const figures: Figures = {
    coldStartMedianMs: round(percentile(cold.lists, 50)),
    ...spread(edit.samples.map((s) => s.ms), 'localEdit'),
    ...mergeFigures(merges.lists),
  };
  const baseline: Figures = {
    coldStartMedianMs: round(percentile(cold.text, 50)),
    ...spread(edit.baselineSamples.map((s) => s.ms), 'localEdit'),
    ...mergeFigures(merges.text),
  };
  const mergeWorst = Math.max(figures.mergeNewPageMainMs!, figures.mergeEditedPageMainMs!);
  const coldMet = figures.coldStartMedianMs! <= COLD_START_TARGET_MS;
  const mergeMet = mergeWorst <= MERGE_TARGET_MS;
  const pageLabel = pageNotes.toLocaleString('en-US');
  return {
    id: 'content',
    title: `Checklists and labels: ${stored.toLocaleString('en-US')} notes, a third of them lists of 20 items, half labelled`,
    status: 'ok',
    figures,
    baseline: { what: `the same measurements on ${stored.toLocaleString('en-US')} text notes without labels (pages of ${pageLabel} text notes for the merge), same browser, interleaved`, figures: baseline },
    target: {
      text: `cold start <= ${COLD_START_TARGET_MS} ms; merging a page of ${pageLabel} notes <= ${MERGE_TARGET_MS} ms of main-thread time; local edit as on text notes (its own target is the local-edit benchmark's)`,
      met: coldMet && mergeMet,
      margin:
        `cold start ${figures.coldStartMedianMs} ms (text ${baseline.coldStartMedianMs}); ` +
        `merge ${mergeWorst} ms main thread at most (${round(Math.abs(MERGE_TARGET_MS - mergeWorst))} ms ${mergeMet ? 'under' : 'over'}); ` +
        `local edit p95 ${figures.localEditp95Ms} ms against ${baseline.localEditp95Ms} ms on text notes`,
    },
    details: {
      notesStored: stored,
      coldStartMs: { lists: cold.lists.map((v) => round(v)), text: cold.text.map((v) => round(v)) },
      localEditSamplesMs: edit.samples.map((s) => round(s.ms)),
      baselineLocalEditSamplesMs: edit.baselineSamples.map((s) => round(s.ms)),
      mergeMs: { lists: roundedTimes(merges.lists), text: roundedTimes(merges.text) },
    },
  };
}
