/**
 * 4. Roaming latency: a person ticks "Done" on device A; the time runs from that click on A to the
 * end of the first frame on device B that paints the card as done (A's store, outbox and push to
 * Firestore, B's listener, merge into Dexie, live query and render). Two browser contexts of one
 * browser, one person, the emulator suite. Clocks: performance.timeOrigin + performance.now() on
 * both pages (one machine, one clock).
 *
 * Baseline, in the same run for the same writes: a raw Firestore onSnapshot listener on the same
 * collection in B's page (the plain SDK, its own connection, memory cache), timed at arrival.
 */
import type { Page } from 'playwright-core';
import type { RawChange } from '../pages/firestore-baseline.js';
import { addNote, card } from '../../testing/people.js';
import type { BenchContext } from '../lib/context.js';
import { benchPerson, loadBaselineModule, signedInDevice, uidOf } from '../lib/devices.js';
import { runningEmulators } from '../lib/emulator.js';
import { round, spread, type BenchResult } from '../lib/results.js';

const TARGET_OVER_BASELINE_MS = 25;

type Card = HTMLElement & { note: { id: string; done: boolean } };
declare global {
  interface Window {
    rawChanges?: RawChange[];
    roamPainted?: Promise<number>;
  }
}

/** On B: resolves with the time the card of `id` is painted with done === `done`. */
function armPaintWatch(page: Page, id: string, done: boolean): Promise<void> {
  return page.evaluate(
    ({ id, done }) => {
      window.roamPainted = new Promise<number>((resolve) => {
        const check = () => {
          const board = document.querySelector('notes-app')?.shadowRoot?.querySelector('note-board');
          const found = [...(board?.shadowRoot?.querySelectorAll<Card>('note-card') ?? [])].find((c) => c.note?.id === id);
          if (found?.shadowRoot?.querySelector('article')?.classList.contains('done') === done) {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => resolve(performance.timeOrigin + performance.now());
            channel.port2.postMessage(0);
          } else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      });
    },
    { id, done },
  );
}

export async function roaming(bench: BenchContext): Promise<BenchResult> {
  const emulators = await runningEmulators();
  if (!emulators.includes('auth') || !emulators.includes('firestore')) throw new Error(`needs the Auth and Firestore emulators (running: ${emulators.join(', ')})`);
  const writes = bench.scale === 'full' ? 100 : 3;
  const person = benchPerson('roam');
  const a = await signedInDevice(bench, person, false);
  const b = await signedInDevice(bench, person, true);
  const app: number[] = [];
  const raw: number[] = [];
  try {
    const text = 'Roaming benchmark note';
    await addNote(a.page, text);
    await card(b.page, text).first().waitFor({ timeout: 30_000 });
    const id = await card(a.page, text).first().evaluate((element) => (element as Card).note.id);
    const uid = await uidOf(b);
    await loadBaselineModule(b, uid);
    await b.page.evaluate((uid) => (window.rawChanges = window.firestoreBench.listen(uid)), uid);
    await b.page.waitForFunction((id) => window.rawChanges!.some((change) => change.id === id), id);

    for (let i = 0; i < writes + 3; i++) {
      const done = !(await card(a.page, text).first().evaluate((element) => (element as Card).note.done));
      await armPaintWatch(b.page, id, done);
      const sentAt = await card(a.page, text)
        .first()
        .evaluate((element) => {
          const checkbox = (element as Card).shadowRoot!.querySelector<HTMLInputElement>('input[type=checkbox]')!;
          const at = performance.timeOrigin + performance.now();
          checkbox.click();
          return at;
        });
      const paintedAt = await b.page.evaluate(() => window.roamPainted!);
      const rawAt = (await (
        await b.page.waitForFunction(
          ({ id, done, after }) => window.rawChanges!.find((change) => change.id === id && change.done === done && change.at > after)?.at,
          { id, done, after: sentAt },
          { timeout: 30_000 },
        )
      ).jsonValue()) as number;
      // The first three are warm-up (connections, code paths).
      if (i >= 3) {
        app.push(paintedAt - sentAt);
        raw.push(rawAt - sentAt);
      }
      // Let both devices settle (A's outbox acknowledged) before the next write.
      await a.page.getByTestId('sync-status').filter({ hasText: /^Synced/ }).waitFor({ timeout: 30_000 });
      await a.page.waitForTimeout(100);
    }
  } finally {
    await a.context.close();
    await b.context.close();
  }
  const figures = spread(app);
  const baseline = spread(raw);
  const over = round(figures.p50Ms! - baseline.p50Ms!);
  const met = over <= TARGET_OVER_BASELINE_MS;
  return {
    id: 'roaming',
    title: 'Roaming: write on device A to the note painted on device B (emulator)',
    status: 'ok',
    figures: { ...figures, overBaselineP50Ms: Math.max(0, over) },
    baseline: { what: "a raw Firestore onSnapshot listener in B's page, same collection, same writes (arrival time)", figures: baseline },
    target: {
      text: `p50 within ${TARGET_OVER_BASELINE_MS} ms of the baseline`,
      met,
      margin: `p50 ${figures.p50Ms} ms vs ${baseline.p50Ms} ms: ${over} ms over the baseline (${round(Math.abs(TARGET_OVER_BASELINE_MS - over))} ms ${met ? 'inside' : 'outside'} the allowance)`,
    },
    details: { writes: app.length, appMs: app.map((v) => round(v)), rawListenerMs: raw.map((v) => round(v)) },
  };
}
