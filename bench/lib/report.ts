/**
 * bench/RESULTS.md from a run: the machine, a summary table, and per benchmark what was timed,
 * why its baseline is the right comparison, the figures, and where a target is missed, by how
 * much and what would close the gap.
 */
import type { BenchResult, Figures, Machine } from './results.js';

export interface Report {
  machine: Machine;
  scale: string;
  results: BenchResult[];
}

/** Why each baseline, and what would close each target if missed: the reading of the numbers. */
const NOTES: Record<string, { baseline: string; closing: string }> = {
  'local-edit': {
    baseline:
      'The same tick on a board of 100 notes, in a second context of the same browser, alternating in blocks of 20 with the 10,000-note board: the difference is what the stored notes cost, with machine noise shared by both. Beside them the paint floor: a click that changes one text node, timed the same way.',
    closing:
      'The card paints the tick in the frame after the click, before the Dexie write commits and the board\'s live query reads it back (both follow, off the painted path): firstFramePct counts the ticks painted in the first frame after the click. The milliseconds run from the click to the end of that frame, so they include the wait for the frame to begin: the click lands just after a frame, and the paint floor (a click changing one text node, timed the same way) is most of the figure. What the app adds on top is the card\'s render and the write\'s start.',
  },
  'open-note': {
    baseline:
      'The same click on a board of 100 notes, in a second context of the same browser, alternating in blocks of 10 with the 10,000-note board: the difference is what the stored notes cost, with machine noise shared by both.',
    closing:
      'The note is painted from the record its card holds; its live query and its history entry (pushState) start in the task after that frame, and showModal() focuses the field marked autofocus itself, so focus moves once. firstFramePct counts the opens painted in the first frame after the click. The milliseconds include the wait for that frame (the click lands just after a frame; see the paint floor) and then the frame\'s own work, which is Chromium\'s: showModal() restyles the document (everything behind the modal becomes inert) and lays out and paints the dialog and its backdrop, 3-8 ms on this loaded machine (timed with requestAnimationFrame in a scratch run; content-visibility on the off-screen cards did not shorten it). A p95 of one frame on this measure needs that work to be near zero when the click lands just after a frame.',
  },
  'type-in-note': {
    baseline:
      'The same keystrokes in a note opened on a board of 100 notes, in a second context of the same browser, alternating in blocks of 20 with the 10,000-note board: the difference is what the stored notes cost. Beside them the paint floor: a click that changes one text node, timed the same way.',
    closing:
      'A keystroke changes the field and schedules the save (SAVE_DEBOUNCE_MS after the last key); the field grows with its text by CSS (field-sizing) where the browser has it, so no layout is read on the key. The write and the board\'s live query come after the typing pauses, off the painted path.',
  },
  'cold-start': {
    baseline:
      'The issue names it: the Firestore SDK with persistentLocalCache reading the same number of notes from its own IndexedDB cache (getDocsFromCache) in a new page of the same browser, with Firestore unreachable. The notes are put in its cache with loadBundle, which stores them as downloaded documents, so no server or trigger load disturbs the run. The baseline renders nothing, which flatters it.',
    closing:
      'Where the time goes (Chromium CPU profiles of cold starts with resource and navigation timing, 2026-11-29): navigation through the service worker and the HTML by 10-30 ms; the start reads\' script (src/boot.ts, a classic script of its own) runs at 30-90 ms; the bundle is loaded, compiled and run from about 40 to 100-170 ms (Lit, Dexie and the shell\'s modules, and the shell\'s first render); then the frame that paints the first cards, 30-50 ms of style, layout and paint. Two changes of 2026-11-29 took the median from 262 to about 200 ms in the full run of 422e5cb, measured side by side in one browser (30 starts alternating): the reads begun from an early script of their own instead of the bundle\'s first module (about 20 ms), and the board remembering its width, so the first render lays out the cards at once instead of after a layout has measured the board (about 30 ms). The early script was taken out again: it needed the lazy parts\' preload lists out of the first paint\'s chunk to stay within 60 KB, and without them the lazy parts loaded late enough that browser tests clicked before the gestures had loaded. What holds the cards back now is IndexedDB\'s answers: each needs the main thread, busy with the bundle, and in 10 of 12 traced starts the first window was answered only after the bundle had run (the window in hand at 53-229 ms, the bundle done at 93-175 ms). Letting the bundle wait for them (a top-level await, up to 40 ms) did not help: the wait cost what it saved. Closing the rest would take a bundle that runs in less than the reads take (Dexie is about half of it and the first paint no longer needs it) and cheaper cards (each is a Lit element with a shadow root of its own).',
  },
  content: {
    baseline:
      'The same three measurements on notes of text only, in the same run and browser, interleaved: a board of as many plain notes (cold start, local edit) and a page of as many plain remote notes (merge). The difference is what checklists and labels cost.',
    closing:
      'The merge runs in the page-merging worker (src/db/page-merger.ts): the page costs the main thread its handing over (a structured clone) and the few notes with an unsent text or checklist edit, merged on the clock\'s thread. Before it, the page cost 125-180 ms of main-thread time, nearly all IndexedDB\'s per-record work on the calling thread (1,000 puts 65-150 ms, with or without Dexie; mergeRemote itself about 3 ms). What is left over target is the cold start, on text notes as on lists: the cold-start benchmark\'s own gap (issue 14).',
  },
  bytes: {
    baseline: 'The Firebase SDK chunks alone, gzipped: what the first paint would carry if Firebase were loaded up front.',
    closing:
      'Dexie is about half of it (29 KB, from its ES2021 build) and Lit about 6 KB; the rest is the code that paints the board. What only a later moment needs (the snackbar, the update prompt, the opened note, order keys, undo, drag and selection, the sync line and engine, account flows, Firebase) already loads with import() after first paint. The start\'s own reads (src/platform/start-reads.ts, about 0.9 KB) came in this round; to make room, the words for storage failures, the outbox and sync-status queries, the settings store and the icons only later parts show moved behind import(). Further cuts: the sign-in button and header menus, or the board controller’s search and archive paths, behind import().',
  },
  roaming: {
    baseline:
      "A raw onSnapshot listener on the same collection, in B's own page (the plain SDK, its own connection), timed at arrival for the very same writes. Both include A's write path, so the difference is what B's app adds after the server's change arrives: the merge transaction in Dexie, the board live query, the render and waiting for the next frame.",
    closing:
      "B's path after arrival: the snapshot is merged in one Dexie transaction, then the board live query re-reads its window and Lit renders on the next frame (up to a frame of waiting is in any painted figure). Applying a snapshot of one note without waiting for the previous apply chain would shorten it.",
  },
  'first-sync': {
    baseline:
      'The plain Firestore SDK downloading the same notes in pages of 1,000 in the same page, storing nothing: the transfer alone, against which the app adds sign-in, counting, merging and storing in Dexie, progress and painting. A page read that has not answered within the app’s deadline (SYNC.READ_DEADLINE_MS, 10 s) is counted (stalledReads, secondsLostToStalls) and asked again; two stalls in a row terminate the SDK instance and make a new one, as the app does (newInstances), so a stalled baseline is reported instead of hanging the run. (A full run on 2026-11-28 hung there: asked again on the same instance, the baseline\'s reads stalled for the whole 180 s.)',
    closing:
      'The app shows the 60 newest notes first (firstNotesPaintedS), then reads the rest as one streamed download from the downloadNotes function (Admin SDK, NDJSON, gzip) and stores it in pages of 2,500 in the worker while more arrives. Here the function is cold: re-enabling the emulator’s triggers after seeding restarts every function, and the emulator starts a function in 2-3 s. Signing in starts it, and the download waits for that start rather than starting a second instance; a person choosing an account takes longer than the bench’s instant click, so it is warm by then. Warm, the same sync takes under 3 s (first syncs in a row below). What is left, warm: storing 10,000 notes in IndexedDB (about 200 ms per 1,000 in the worker).',
  },
  'first-syncs-in-a-row': {
    baseline:
      'None to compare against: the figure is how many of the syncs finished. Each first sync is timed as in the first-sync benchmark, in a new browser context, one after the other; the first meets a cold function (see first-sync), the rest a warm one.',
    closing: 'A first sync that does not finish within the time limit fails the run: its status line and board size say where it stopped.',
  },
  load: {
    baseline:
      'The same clients, signed in the same way, writing new notes straight through the Firestore transport (one commit each, rules included): what the emulator takes for the writes alone, against which the app adds its store, outbox, merge and listeners.',
    closing:
      'Where the time goes (traced 2026-11-29 with a CPU profile of the converging phase and details.outboxesAfterLastChange: [seconds, changes in outboxes, devices with a write in flight, devices whose status shows a failure], every 5 s). All 50 simulated devices run in this one Node process, each with its own Firestore SDK and fake-indexeddb, and the process is the bottleneck: it uses 78 % of a core while the writers write and 110 % after, and half of that is the SDK\'s watch processing (onWatchStreamChange 43 %, with the garbage collector 14 % more). The cause is the emulator: on every change to a listened query it resets the target and sends every matching document again (measured with one listener: 10 updates to a query of 100 documents delivered 1,100 document changes, of 400 documents 4,400, and 10 target resets). So each device\'s listener costs in proportion to the notes it has matched, on every change of its person, and the outboxes drain at 5-25 changes a second after the writers stop (639 at the last change, 285 at 10 s, 121 at 40 s, 14 at 55 s, converged at 73.4 s), and from 10 s on at most one device has a write in flight at any sample: the engines wait for this process\'s CPU, not for the server. Firestore\'s watch sends the changed documents only. Restarting each listener after 100 notes to keep its target small halved the figure once (112 to 56 s) but lost changes, so it was not kept: under this load the emulator also shows commits to listeners up to 37 s out of server-timestamp order, so a listener started from a checkpoint misses a commit made visible after a later one (Firestore shows commits in timestamp order). The engine\'s own share, fixed on 2026-11-29: the emulator refuses some valid writes under load with PERMISSION_DENIED (an "evaluation error" at the rules\' activeSession lookups: 109 refused writes in the traced run), and the engine used to take such a refusal, whose read of the note back was refused too, as a failed push and wait 1, 2, 5, 10, 30, then 60 s: devices sat with changes and no write in flight for up to a minute (runs alone took 82-95 s). Now such a refusal is sent again after 0.25-5 s (spread at random), a change is set aside only when refused in three rounds a short wait apart (at 200 devices one valid change used to be set aside for good), a new change ends any wait, and the status line keeps the failure until a push succeeds; runs alone took 69-73 s, the rest of which is the watch processing above. Simulating the devices in processes of their own would need cores this 2-core machine, which also runs the emulator, does not have. In a full npm run bench, after the other benchmarks, the emulator is the limit instead: the process used 28 % of a core while writing and 83 % after, the outboxes held 2,017 changes at the last change and drained at about 13 a second with 17-36 devices\' writes in flight the whole time, some unanswered for seconds (130 failed as unavailable), and the run had not converged at its 120 s deadline (423 changes still in outboxes, none refused for good).',
  },
  reminders: {
    baseline:
      'The same fan-out for created notes: as many notes created at once for the same people, from the commit to the sender called for their other devices (onNoteCreated). It is what a function per event costs at this scale; the reminders are rung by the minute instead.',
    closing:
      'The minute\'s task starts REMINDERS.LEAD_MS before its minute and has read, claimed and gathered everything by then, so what is measured is the wait for the timer and the sends. Past a few thousand reminders in one minute, the reads would need more than the lead: raise REMINDERS.SHARDS.',
  },
  fanout: {
    baseline: 'The same measurement for a person with 1 other device: the trigger and function overhead without the fan-out.',
    closing: 'Sends go out in batches of 500 one after another; sending the batches concurrently would bring the last call closer to the first.',
  },
  lighthouse: {
    baseline: "Lighthouse on a minimal static page in the same browser: the machine's ceiling under Lighthouse's simulated throttling, so a low app score is the app's, not the machine's.",
    closing:
      'The details list every audit that lost points. On this shared 2-core machine the performance score moves with its load: total blocking time is the metric that costs points, each multiplied by the simulated 4x slower CPU. A guest who never signed in loads no Firebase (it waits until sign-in is opened or another tab signs in) and the idle parts are evaluated one per idle moment, so what is left is the first render itself (Lit, Dexie opening the notes): rendering the board in smaller tasks would take the rest out.',
  },
};

const fmt = (figures: Figures) =>
  Object.entries(figures)
    .map(([key, value]) => `${key} ${value.toLocaleString('en-US')}`)
    .join(', ') || '—';

const met = (result: BenchResult) => (result.status !== 'ok' ? 'n/a' : result.target.met ? 'yes' : '**no**');

export function renderMarkdown(report: Report): string {
  const { machine: m } = report;
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` (${report.scale} scale) on ${m.date.slice(0, 16).replace('T', ' ')} UTC, commit ${m.commit}.`,
    'Every figure was measured in one run next to its baseline on the same machine; absolute times on a',
    'shared machine drift, the comparison with the baseline is the figure to trust. Raw samples are in results.json.',
    '',
    '| machine | |',
    '| --- | --- |',
    `| CPU | ${m.cpu}, ${m.cores} cores |`,
    `| memory | ${m.memoryGb} GB |`,
    `| OS | ${m.os} |`,
    `| Node | ${m.node} |`,
    `| Chromium | ${m.chromium} (headless) |`,
    '',
    '## Summary',
    '',
    '| benchmark | figures | baseline | target | met |',
    '| --- | --- | --- | --- | --- |',
    ...report.results.map((r) => `| ${r.title} | ${r.status === 'ok' ? fmt(r.figures) : r.note} | ${fmt(r.baseline.figures)} | ${r.target.text} | ${met(r)} |`),
    '',
  ];
  for (const result of report.results) {
    const notes = NOTES[result.id];
    lines.push(`## ${result.title}`, '');
    if (result.status !== 'ok') {
      lines.push(`**${result.note}**`, '', `Target: ${result.target.text}.`, '');
      continue;
    }
    lines.push(`- Figures: ${fmt(result.figures)}.`);
    lines.push(`- Baseline (${result.baseline.what}): ${fmt(result.baseline.figures)}.`);
    lines.push(`- Target: ${result.target.text}: ${result.target.met ? 'met' : 'missed'}; ${result.target.margin ?? ''}.`);
    if (notes) lines.push(`- Why this baseline: ${notes.baseline}`);
    if (result.target.met === false && notes) lines.push(`- What would close it: ${notes.closing}`);
    lines.push('');
  }
  lines.push(
    '## Reproduce',
    '',
    '```sh',
    'npm run bench            # everything: builds, emulators, Chromium; rewrites this file and results.json',
    'BENCH_ONLY=roaming,bytes npm run bench   # some of them; prints, writes nothing',
    '```',
    '',
    'Each benchmark is also run small by `npm test` (project bench-smoke), which checks only that it runs and gives well-formed numbers.',
    '',
  );
  return lines.join('\n');
}
