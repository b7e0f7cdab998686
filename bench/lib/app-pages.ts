/**
 * Reaching into the app's page from outside, without hooks in the product: seeding the notes
 * database in the store's shape, finding rendered cards through the open shadow roots, and
 * timing something on a big board beside a small one.
 */
import type { Page } from 'playwright-core';
import { defaultOrderKey } from '../../src/db/order-key.js';
import { newDevice, openApp, waitForApp, type Device } from '../../testing/browser.js';
import type { BenchContext } from './context.js';

/**
 * Writes `count` notes straight into an existing notes database (the app must have opened it
 * once), in the shape src/db/notes.ts createNote stores, as if typed over the years.
 */
export async function seedLocalNotes(page: Page, dbName: string, count: number): Promise<void> {
  const start = Date.now() - count * 60_000;
  // The order key the store derives for a note from before board order: newest first.
  const orders = Array.from({ length: count }, (_, i) => defaultOrderKey(start + i * 60_000));
  await page.evaluate(
    async ({ name, total, start, orders }) => {
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
      const colors = ['yellow', 'green', 'pink', 'purple', 'blue', 'gray'];
      const tx = db.transaction('notes', 'readwrite');
      const store = tx.objectStore('notes');
      for (let i = 0; i < total; i++) {
        const at = start + i * 60_000;
        const stamp = `${String(at).padStart(15, '0')}:00000:seed-device`;
        store.put({
          id: `seed-${String(i).padStart(6, '0')}`,
          text: `Note ${i}: call the plumber about the kitchen tap, then buy bread`,
          color: colors[i % colors.length],
          pinned: false,
          done: i % 7 === 0,
          trashed: false,
          deleted: false,
          order: orders[i],
          createdAt: at,
          updatedAt: at,
          lane: 1,
          clocks: { text: stamp, color: stamp, pinned: stamp, done: stamp, trashed: stamp, deleted: stamp },
        });
      }
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { name: dbName, total: count, start, orders },
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
export async function boardWith(context: BenchContext, count: number): Promise<Device> {
  const device = await newDevice(context.browser, context.appUrl);
  await openApp(device.page);
  await seedLocalNotes(device.page, 'roaming-notes-guest', count);
  await device.page.reload();
  await waitForApp(device.page);
  await waitForBoardOf(device.page, count);
  return device;
}

/** Times `count` runs of something in a page, starting at the `offset`-th; returns each run's milliseconds. */
export type MeasureInPage = (page: Page, count: number, offset: number) => Promise<number[]>;

export interface BoardComparison {
  /** Notes on the board measured, and on the baseline board beside it. */
  stored: number;
  baselineStored: number;
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
    const times: number[] = [];
    try {
      for (let i = 0; i < count; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        await afterPaint();
        const started = performance.now();
        probe.click();
        await afterPaint();
        times.push(performance.now() - started);
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
  { stored, baselineStored, runs, block, floor = false }: BoardComparison,
  measure: MeasureInPage,
): Promise<{ samples: number[]; baselineSamples: number[]; floorSamples: number[] }> {
  const big = await boardWith(context, stored);
  const small = await boardWith(context, baselineStored);
  const samples: number[] = [];
  const baselineSamples: number[] = [];
  const floorSamples: number[] = [];
  try {
    await measure(big.page, 3, 0);
    await measure(small.page, 3, 0);
    for (let done = 0; done < runs; done += block) {
      baselineSamples.push(...(await measure(small.page, block, done)));
      if (floor) floorSamples.push(...(await clickToPaintFloor(small.page, block, done)));
      samples.push(...(await measure(big.page, block, done)));
    }
  } finally {
    await big.context.close();
    await small.context.close();
  }
  return { samples, baselineSamples, floorSamples };
}
