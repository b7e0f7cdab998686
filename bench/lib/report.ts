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
      'The first notes a person sees are now the first screen kept as HTML (src/ui/first-screen.ts): the board as it was left, painted by an inline script before any module loads (101.5 and 113.4 ms median in two full runs of 2026-11-29, the board\'s own cards at 187-197 ms). Where its time goes (navigation timing in 8 starts): the HTML is in by 8-32 ms; the inline script begins at 25-77 ms and takes 6-24 ms (JSON parse and document.write of 50-90 KB, about three quarters of it styles, written once per shadow root); the page is parsed by 43-146 ms; and the frame that paints the copy also waits for the deferred module\'s evaluation, which the browser runs first. What would close the 10x (about 90 ms against this baseline): an entry that lets a frame paint before evaluating the shell when a copy is on screen, and a smaller copy (each card\'s styles once instead of once per card). Before the kept screen (performance marks in 12 starts): the bundle was done at 48-103 ms, the plain IndexedDB open answered 30-80 ms after it began, the window was read 4-40 ms later, and the cards were painted 35-60 ms after the window was in hand; Dexie out of the first paint, an early reads script and cards in the board\'s own shadow root each moved it by a few milliseconds at most.',
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
