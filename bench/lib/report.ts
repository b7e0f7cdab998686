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
      'Where the time goes (performance marks in a build of 11fdc39, 12 offline cold starts on this benchmark\'s device, 2026-11-29): the HTML by 6-23 ms; the first paint\'s bundle (32 KB gzipped since Dexie left it that day) fetched by 25-60 ms and evaluated in 7-20 ms, done at 48-103 ms; the plain IndexedDB open of the notes database, begun as the bundle starts, answers 30-80 ms later (the browser opening the origin\'s store) and the first window is read 4-40 ms after that; the cards are painted 35-60 ms after the window is in hand: the board renders about a dozen cards, each a Lit element with a shadow root of its own, and that frame\'s style, layout and paint (most of it native work) follow. Dexie leaving the first paint (about 60 to 32 KB) did not move the median clearly (164-209 ms in separate runs of that day): its evaluation is only a few milliseconds with the code cache. The reads begun from an early classic script of their own ahead of the bundle, tried again now that the budget has room for it beside the preload lists: 185.6 ms against 185.1 ms median in 40 alternating starts in one browser, no gain, so it stays out (an earlier day\'s A/B with the 60 KB bundle found about 20 ms). The board remembering its width took about 30 ms off (2026-11-29). Cards rendered into the board\'s own shadow root instead of one each (a scratch build, not kept): 201.4 against 210.4 ms and 221.8 against 225.2 ms median in two runs of 40 alternating starts, a few milliseconds. What is left is mostly the browser\'s: the IndexedDB open and the native style, layout and paint of a frame of a dozen cards. What would close it: a copy of the first screen kept as HTML and painted before any script runs, at the cost of a screen that does not answer until the app has loaded.',
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
      'Lit (about 6 KB) and the code that paints the board from what the start read, about 32 KB in all. Dexie (29 KB from its ES2021 build) left it on 2026-11-29: the board paints the start\'s window with plain IndexedDB, and the notes database opens (Dexie loads) after that frame; the queries name a lane\'s range with the keys Dexie.minKey and Dexie.maxKey stand for, and the live queries load liveQuery when they first subscribe. What only a later moment needs (the snackbar, the update prompt, the opened note, order keys, undo, drag and selection, the sync line and engine, account flows, Firebase) loads with import() after first paint.',
  },
  lighthouse: {
    baseline: "Lighthouse on a minimal static page in the same browser: the machine's ceiling under Lighthouse's simulated throttling, so a low app score is the app's, not the machine's.",
    closing:
      'The details list every audit that lost points and the element of the largest paint. On a guest\'s first visit that is the board\'s "No notes yet", and Lighthouse\'s simulation counts every request begun before it: it used to wait for the settings store\'s and Dexie\'s downloads and Dexie making the database (largest paint 1.8-1.9 s simulated, performance 98-99 in most runs). Since 2026-11-29 the start\'s reads learn from the list of databases that there are none, the board says so at once, and the database opens after that frame (largest paint 1.3-1.5 s, performance 100 in each of 3 runs alone and in the full run). On this shared 2-core machine the score still moves with its load through total blocking time (each task multiplied by the simulated 4x slower CPU).',
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
