/**
 * 5. First sync: an account with N notes on the server signs in on an empty device. The time runs
 * from choosing the account in the sign-in window to the end of the first frame that paints the
 * board of all N notes with the progress bar gone; the progress bar must have been seen on the way.
 *
 * Baseline, same run, same browser, same notes: the plain Firestore SDK (memory cache) downloading
 * them in pages of the app's page size in that device's page, i.e. the transfer alone, with nothing stored.
 */
import { completeProviderPopup } from '../../testing/people.js';
import type { BenchContext } from '../lib/context.js';
import { benchPerson, emulatorDevice, loadBaselineModule, signedInDevice, uidOf } from '../lib/devices.js';
import { runningEmulators, seedRemoteNotes } from '../lib/emulator.js';
import { round, type BenchResult } from '../lib/results.js';
import { SYNC } from '../../src/sync/engine.js';
import { SYNC_TEXTS } from '../../src/sync/texts.js';

const TARGET_S = 5;
/** The app gets this long to finish a first sync, and the baseline as long for its download. */
const SYNC_TIMEOUT_MS = 180_000;
const BASELINE_TIMEOUT_MS = 180_000;

/** page.evaluate has no timeout of its own: a download that never ends must fail the run, not hang it. */
function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

interface SyncWatch {
  progressSeen: boolean;
  /** Frames in which the status line said the sync stalled (a read was abandoned and asked again). */
  stallSeen: boolean;
  maxProgressDone: number;
  /** When each new progress value was painted (epoch ms), with the value: where the time goes. */
  progressAt: [number, number][];
  doneAt?: number;
}
declare global {
  interface Window {
    firstSyncWatch?: SyncWatch;
  }
}

export async function firstSync(bench: BenchContext): Promise<BenchResult> {
  const emulators = await runningEmulators();
  if (!emulators.includes('auth') || !emulators.includes('firestore')) throw new Error(`needs the Auth and Firestore emulators (running: ${emulators.join(', ')})`);
  // More than one page, or the app shows no progress bar.
  const count = bench.scale === 'full' ? 10_000 : SYNC.PAGE_NOTES + 200;
  const person = benchPerson('firstsync');
  const first = await signedInDevice(bench, person, false);
  const uid = await uidOf(first);
  await first.context.close();
  await seedRemoteNotes(uid, count);

  const device = await emulatorDevice(bench);
  try {
    const { page } = device;
    await page.evaluate(({ expected, stalledText }) => {
      const watch: SyncWatch = { progressSeen: false, stallSeen: false, maxProgressDone: 0, progressAt: [] };
      window.firstSyncWatch = watch;
      const check = () => {
        const root = document.querySelector('notes-app')?.shadowRoot;
        const status = root?.querySelector('sync-status')?.shadowRoot;
        const progress = status?.querySelector('progress');
        if (status?.textContent?.includes(stalledText)) watch.stallSeen = true;
        if (progress) {
          watch.progressSeen = true;
          if (progress.value > watch.maxProgressDone) watch.progressAt.push([performance.timeOrigin + performance.now(), progress.value]);
          watch.maxProgressDone = Math.max(watch.maxProgressDone, progress.value);
        }
        const setSize = root?.querySelector('note-board')?.shadowRoot?.querySelector('.cell')?.getAttribute('aria-setsize');
        if (setSize === String(expected) && !progress) {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => (watch.doneAt = performance.timeOrigin + performance.now());
          channel.port2.postMessage(0);
        } else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    }, { expected: count, stalledText: SYNC_TEXTS.failure.stalled });
    await page.getByRole('button', { name: 'Sign in' }).click();
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Continue with Google' }).click()]);
    await popup.waitForLoadState();
    const startedAt = Date.now();
    await completeProviderPopup(popup, person, { existing: true });
    await page.waitForFunction(() => window.firstSyncWatch!.doneAt !== undefined, undefined, { timeout: SYNC_TIMEOUT_MS, polling: 100 }).catch(async (error: unknown) => {
      // Say where it stopped: still downloading (the status line) or stored but not painted (the board).
      const state = await page.evaluate(() => {
        const root = document.querySelector('notes-app')?.shadowRoot;
        return {
          status: root?.querySelector('sync-status')?.shadowRoot?.textContent?.replace(/\s+/g, ' ').trim(),
          progress: root?.querySelector('sync-status')?.shadowRoot?.querySelector('progress')?.value,
          boardSize: root?.querySelector('note-board')?.shadowRoot?.querySelector('.cell')?.getAttribute('aria-setsize'),
        };
      });
      throw new Error(`the first sync did not finish: ${JSON.stringify(state)} (${String(error)})`);
    });
    const watch = (await page.evaluate(() => window.firstSyncWatch!)) as Required<SyncWatch>;
    if (!watch.progressSeen) throw new Error('the first-sync progress bar was never painted');
    const seconds = (watch.doneAt - startedAt) / 1000;
    console.log('TIMELINE', JSON.stringify(watch.progressAt.map(([at, done]) => [round((at - startedAt) / 1000, 2), done])), seconds);

    await loadBaselineModule(device, uid);
    const download = await withDeadline(
      page.evaluate(({ uid, pageNotes, deadline }) => window.firestoreBench.download(uid, pageNotes, 'memory', deadline), {
        uid,
        pageNotes: SYNC.PAGE_NOTES,
        deadline: SYNC.READ_DEADLINE_MS,
      }),
      BASELINE_TIMEOUT_MS,
      `the baseline download of ${count} notes (the plain SDK) did not finish`,
    );
    if (download.count !== count) throw new Error(`the baseline downloaded ${download.count} notes, not ${count}`);
    const met = seconds <= TARGET_S;
    return {
      id: 'first-sync',
      title: `First sync of ${count.toLocaleString('en-US')} notes into an empty device (emulator)`,
      status: 'ok',
      figures: { seconds: round(seconds, 2), notesPerSecond: Math.round(count / seconds), progressBarSeen: 1, stallReported: watch.stallSeen ? 1 : 0 },
      baseline: {
        what: `the plain Firestore SDK (memory cache) downloading the same notes in pages of ${SYNC.PAGE_NOTES.toLocaleString('en-US')} in the same page`,
        // A stalled page read is counted and asked again (after SYNC.READ_DEADLINE_MS): the run goes on.
        figures: {
          seconds: round(download.ms / 1000, 2),
          notesPerSecond: Math.round(count / (download.ms / 1000)),
          stalledReads: download.stalls,
          secondsLostToStalls: round(download.msLostToStalls / 1000, 2),
        },
      },
      target: { text: `<= ${TARGET_S} s`, met, margin: `${round(Math.abs(TARGET_S - seconds), 2)} s ${met ? 'under' : 'over'}` },
      details: {
        notes: count,
        progressBarSeen: watch.progressSeen,
        highestProgressPainted: watch.maxProgressDone,
        timedFrom: 'choosing the account in the sign-in window',
        // Seconds from then to each progress value painted: before the first is sign-in and the start of sync.
        progressPaintedS: watch.progressAt.map(([at, done]) => [round((at - startedAt) / 1000, 2), done]),
      },
    };
  } finally {
    await device.context.close();
  }
}
