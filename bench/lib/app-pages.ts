/**
 * Reaching into the app's page from outside, without hooks in the product: seeding the notes
 * database in the store's shape, finding rendered cards through the open shadow roots, and
 * timing something on a big board beside a small one.
 */
import type { Page } from 'playwright-core';
import { newDevice, openApp, waitForApp, type Device } from '../../testing/browser.js';
import type { BenchContext } from './context.js';
import { round, spread, type BenchResult, type Figures } from './results.js';
import { seedLabels, seedRecord, type BoardContent } from './seed-notes.js';

/**
 * Writes `count` notes (and, on a board of lists, the labels they carry) straight into an existing
 * notes database (the app must have opened it once), in the shape the store keeps, as if typed
 * over the years.
 */
export async function seedLocalNotes(page: Page, dbName: string, count: number, content: BoardContent = 'text'): Promise<void> {
  const start = Date.now() - count * 60_000;
  const notes = Array.from({ length: count }, (_, i) => seedRecord(i, content, start + i * 60_000));
  const labels = content === 'lists' ? seedLabels(notes[0]!.clocks.text!, start) : [];
  await page.evaluate(
    async ({ name, notes, labels }) => {
      // The app creates its database just after its first render: wait for its tables, never create them here.
      const open = () =>
        new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open(name);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      let db: IDBDatabase;
      for (;;) {
        if ((await indexedDB.databases()).some((info) => info.name === name)) {
          db = await open();
          if (db.objectStoreNames.contains('notes')) break;
          db.close();
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const tx = db.transaction(['notes', 'labels'], 'readwrite');
      for (const note of notes) tx.objectStore('notes').put(note);
      for (const label of labels) tx.objectStore('labels').put(label);
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { name: dbName, notes, labels },
  );
}

/** Waits until the board shows `count` notes (every cell says how many there are). */
export async function waitForBoardOf(page: Page, count: number, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      const board = document.querySelector('notes-app')?.shadowRoot?.querySelector('note-board');
      return board?.shadowRoot?.querySelector('.cell')?.getAttribute('aria-setsize') === String(expected);
    },
    count,
    { timeout: timeoutMs, polling: 50 },
  );
}

/** A new device of the local-only app whose guest board holds `count` notes, shown. */
export async function boardWith(context: BenchContext, count: number, content: BoardContent = 'text'): Promise<Device> {
  const device = await newDevice(context.browser, context.appUrl);
  await openApp(device.page);
  await seedLocalNotes(device.page, 'roaming-notes-guest', count, content);
  await device.page.reload();
  await waitForApp(device.page);
  await waitForBoardOf(device.page, count);
  return device;
}

/**
 * One interaction timed to painted: milliseconds from the interaction to the end of the frame that
 * painted it, and which frame that was (1: the first frame after the interaction, counted by its
 * requestAnimationFrame callbacks). The milliseconds include the wait for that frame to begin.
 */
export interface Painted {
  ms: number;
  frame: number;
}

/** Times `count` runs of something in a page, starting at the `offset`-th; returns each run. */
export type MeasureInPage = (page: Page, count: number, offset: number) => Promise<Painted[]>;

/** The share of interactions painted in the first frame after them, in percent. */
export function firstFramePct(samples: Painted[]): number {
  return round((100 * samples.filter((sample) => sample.frame === 1).length) / samples.length, 1);
}

export interface BoardComparison {
  /** Notes on the board measured, and on the baseline board beside it; what they hold (text by default). */
  stored: number;
  baselineStored: number;
  content?: BoardContent;
  baselineContent?: BoardContent;
  /** Runs on each board, in blocks of `block` alternating between the two. */
  runs: number;
  block: number;
  /** Also time the paint floor (clickToPaintFloor) in the baseline page, a block after each baseline block. */
  floor?: boolean;
}

/**
 * The least a click-to-painted figure can be on this machine at this moment: a click whose handler
 * changes one text node, timed like the benchmarks time theirs (the click right after a frame, to the
 * task after the next frame's paint), so a target can be read against what the frame clock allows.
 */
export const clickToPaintFloor: MeasureInPage = (page, count) =>
  page.evaluate(async (count) => {
    const afterPaint = () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve();
          channel.port2.postMessage(0);
        }),
      );
    const probe = document.createElement('output');
    probe.style.cssText = 'position: fixed; left: 0; bottom: 0';
    probe.textContent = '0';
    probe.addEventListener('click', () => (probe.textContent = String(Number(probe.textContent) + 1)));
    document.body.append(probe);
    const times: { ms: number; frame: number }[] = [];
    try {
      for (let i = 0; i < count; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        await afterPaint();
        const started = performance.now();
        probe.click();
        await afterPaint();
        times.push({ ms: performance.now() - started, frame: 1 });
      }
    } finally {
      probe.remove();
    }
    return times;
  }, count);

/**
 * Times `measure` on a board of `stored` notes and on a baseline board of `baselineStored`, in two
 * contexts of the same browser: after a warm-up of three runs in each (code paths compiled, lazy
 * modules loaded), in alternating blocks, baseline first, so both see the same machine load.
 */
export async function compareBoards(
  context: BenchContext,
  { stored, baselineStored, runs, block, floor = false, content, baselineContent }: BoardComparison,
  measure: MeasureInPage,
): Promise<{ samples: Painted[]; baselineSamples: Painted[]; floorSamples: Painted[] }> {
  const measured = await boardWith(context, stored, content);
  const beside = await boardWith(context, baselineStored, baselineContent);
  const samples: Painted[] = [];
  const baselineSamples: Painted[] = [];
  const floorSamples: Painted[] = [];
  try {
    await measure(measured.page, 3, 0);
    await measure(beside.page, 3, 0);
    for (let done = 0; done < runs; done += block) {
      baselineSamples.push(...(await measure(beside.page, block, done)));
      if (floor) floorSamples.push(...(await clickToPaintFloor(beside.page, block, done)));
      samples.push(...(await measure(measured.page, block, done)));
    }
  } finally {
    await measured.context.close();
    await beside.context.close();
  }
  return { samples, baselineSamples, floorSamples };
}

/** One frame at 60 Hz: the target of each interaction-to-painted benchmark, at p95. */
export const ONE_FRAME_MS = 16.7;

/** What an interaction-to-painted benchmark reports of its comparison (compareBoards, with the paint floor). */
export interface PaintedReport {
  id: string;
  title: string;
  /** The interaction, as the margin names it ("click", "keystroke"). */
  interaction: string;
  /** The baseline's description, before "on a board of N notes" ("the same edit"). */
  baselineWhat: string;
  stored: number;
  baselineStored: number;
  /** The details' name for how many were timed ("edits", "opens"). */
  countName: string;
}

export function paintedResult(
  { id, title, interaction, baselineWhat, stored, baselineStored, countName }: PaintedReport,
  { samples, baselineSamples, floorSamples }: { samples: Painted[]; baselineSamples: Painted[]; floorSamples: Painted[] },
): BenchResult {
  const figures: Figures = { ...spread(samples.map((s) => s.ms)), firstFramePct: firstFramePct(samples) };
  const baseline: Figures = { ...spread(baselineSamples.map((s) => s.ms)), firstFramePct: firstFramePct(baselineSamples) };
  const floor = spread(floorSamples.map((s) => s.ms));
  const met = figures.p95Ms! <= ONE_FRAME_MS;
  return {
    id,
    title,
    status: 'ok',
    figures,
    baseline: { what: `${baselineWhat} on a board of ${baselineStored} notes, same browser, interleaved`, figures: baseline },
    target: {
      text: `p95 <= ${ONE_FRAME_MS} ms (one frame)`,
      met,
      margin: `${round(Math.abs(figures.p95Ms! - ONE_FRAME_MS))} ms ${met ? 'under' : 'over'} (p95 ${figures.p95Ms} ms); the ${stored.toLocaleString('en-US')} notes add ${round(figures.p50Ms! - baseline.p50Ms!)} ms at p50 over the ${baselineStored}-note board; a click that changes one text node takes p50 ${floor.p50Ms} ms, p95 ${floor.p95Ms} ms here (the frame clock's floor); painted in the first frame after the ${interaction}: ${figures.firstFramePct} % (the ${baselineStored}-note board: ${baseline.firstFramePct} %)`,
    },
    details: {
      notesStored: stored,
      baselineNotesStored: baselineStored,
      [countName]: samples.length,
      paintFloor: floor,
      paintFloorSamplesMs: floorSamples.map((s) => round(s.ms)),
      samplesMs: samples.map((s) => round(s.ms)),
      samplesFrame: samples.map((s) => s.frame),
      baselineSamplesMs: baselineSamples.map((s) => round(s.ms)),
    },
  };
}
