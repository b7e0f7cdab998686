/**
 * The board's first window of a notes database, read with plain IndexedDB at the start, before
 * Dexie is evaluated (src/platform/start-reads.ts): the same sections, in the same order, as
 * boardWindow (queries.ts) reads first. Only a head start: the board's live query follows and
 * takes over.
 */
import { APP } from '../constants.js';
import { done, type listDatabases, openExisting } from '../platform/plain-idb.js';
import { BOARD_ORDER_INDEX, Lane, MAX_KEY, MIN_KEY } from './lanes.js';

/** The first notes of a notes database's board: as many as a screen shows. */
export interface FirstWindow {
  /** Which notes database it was read from. */
  name: string;
  total: number;
  pinned: number;
  notes: unknown[];
  /** Every label record (the cards' chips name them). */
  labels: unknown[];
}

/**
 * Notes read: a page of the board, more than a screen shows (the first frame renders only the
 * rows on screen). Each is deserialized on the main thread, so no more than that; the board's own
 * query reads its first window (three pages) right after.
 */
export const FIRST_SCREEN_NOTES = APP.BOARD_WINDOW_PAGE_NOTES;

/** One board section's key range in the board's order index (as sectionOf in queries.ts). */
const section = (lane: Lane) => IDBKeyRange.bound([lane, MIN_KEY], [lane, MAX_KEY]);

/**
 * The first window of `name`; undefined when that database cannot be read or has no board yet.
 * A database that does not exist holds no notes: its window is empty (a first visit), which a
 * guest's board can say at once instead of after Dexie has created the database.
 */
export async function readFirstWindow(name: string, listed?: ReturnType<typeof listDatabases>): Promise<FirstWindow | undefined> {
  const db = await openExisting(name, listed);
  if (db === 'absent') return { name, total: 0, pinned: 0, notes: [], labels: [] };
  if (db === 'unopenable') return undefined;
  try {
    if (!db.objectStoreNames.contains('notes') || !db.objectStoreNames.contains('labels')) return undefined;
    const transaction = db.transaction(['notes', 'labels'], 'readonly');
    const store = transaction.objectStore('notes');
    if (!store.indexNames.contains(BOARD_ORDER_INDEX)) return undefined;
    const index = store.index(BOARD_ORDER_INDEX);
    const [pinned, others, pinnedNotes, otherNotes, labels] = await Promise.all([
      done(index.count(section(Lane.pinned))),
      done(index.count(section(Lane.board))),
      done(index.getAll(section(Lane.pinned), FIRST_SCREEN_NOTES)),
      done(index.getAll(section(Lane.board), FIRST_SCREEN_NOTES)),
      done(transaction.objectStore('labels').getAll()),
    ]);
    const notes = [...pinnedNotes, ...otherNotes].slice(0, FIRST_SCREEN_NOTES);
    return { name, total: pinned + others, pinned, notes, labels };
  } finally {
    db.close();
  }
}
