/** Every benchmark, in the order `npm run bench` runs them (the ones needing no emulator first). */
import type { BenchContext } from '../lib/context.js';
import type { BenchResult } from '../lib/results.js';
import { coldStart } from './cold-start.js';
import { content } from './content.js';
import { localEdit } from './local-edit.js';
import { openNote } from './open-note.js';
import { typeInNote } from './type-in-note.js';
import { bytes } from './bytes.js';
import { fanout } from './fanout.js';
import { firstSync, firstSyncsInARow } from './first-sync.js';
import { lighthouseScores } from './lighthouse.js';
import { load } from './load.js';
import { reminders } from './reminders.js';
import { roaming } from './roaming.js';

export const BENCHMARKS: { id: string; run: (context: BenchContext) => Promise<BenchResult> }[] = [
  { id: 'local-edit', run: localEdit },
  { id: 'open-note', run: openNote },
  { id: 'type-in-note', run: typeInNote },
  { id: 'cold-start', run: coldStart },
  { id: 'bytes', run: bytes },
  { id: 'content', run: content },
  { id: 'roaming', run: roaming },
  { id: 'first-sync', run: firstSync },
  { id: 'first-syncs-in-a-row', run: firstSyncsInARow },
  { id: 'fanout', run: fanout },
  { id: 'reminders', run: reminders },
  { id: 'load', run: load },
  { id: 'lighthouse', run: lighthouseScores },
];
