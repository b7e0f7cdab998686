/**
 * Read-side queries of the notes database, for live queries in the UI. The board is read a
 * window at a time through the [lane+order] index, so an edit re-reads the few dozen notes on
 * screen, not all ten thousand, and a cold start paints the first screenful without reading the rest.
 */
import type { NoteRecord, NotesDatabase } from './database.js';
import { BOARD_ORDER_INDEX, Lane, MAX_KEY, MIN_KEY } from './lanes.js';

/** The notes of one lane, in (updatedAt, id) order. */
export function inLane(db: NotesDatabase, which: Lane) {
  return db.notes.where('[lane+updatedAt]').between([which, MIN_KEY], [which, MAX_KEY]);
}

/** Every note that is not a tombstone (on the board, in the archive or in the trash), in lane order. */
export function notTombstones(db: NotesDatabase) {
  return db.notes.where('[lane+updatedAt]').inAnyRange([
    [
      [Lane.pinned, MIN_KEY],
      [Lane.trash, MAX_KEY],
    ],
    [
      [Lane.archive, MIN_KEY],
      [Lane.archive, MAX_KEY],
    ],
  ]);
}

/**
 * One board section (pinned or others) in board order: ascending key, and for equal keys
 * ascending id, which is how IndexedDB orders equal index keys (by primary key).
 */
export function sectionOf(db: NotesDatabase, which: Lane) {
  return db.notes.where(BOARD_ORDER_INDEX).between([which, MIN_KEY], [which, MAX_KEY]);
}

/** A slice of the board in order, and how many notes the whole board has. */
export interface BoardWindow {
  total: number;
  offset: number;
  notes: NoteRecord[];
  /** How many of the total are pinned (the first section); absent where there are no sections. */
  pinned?: number;
}

/** Board notes [offset, offset + limit): the pinned section first, then the others, each in board order. */
export async function boardWindow(db: NotesDatabase, offset: number, limit: number): Promise<BoardWindow> {
  const [pinned, others] = await Promise.all([sectionOf(db, Lane.pinned).count(), sectionOf(db, Lane.board).count()]);
  const notes: NoteRecord[] = [];
  if (offset < pinned) notes.push(...(await sectionOf(db, Lane.pinned).offset(offset).limit(limit).toArray()));
  const rest = limit - notes.length;
  if (rest > 0 && offset + notes.length < pinned + others) {
    notes.push(...(await sectionOf(db, Lane.board).offset(Math.max(0, offset - pinned)).limit(rest).toArray()));
  }
  return { total: pinned + others, offset, notes, pinned };
}

/** Where a note stands on the board (its index in board order), or -1 when it is not on the board. */
export async function boardIndexOf(db: NotesDatabase, id: string): Promise<number> {
  const note = await db.notes.get(id);
  if (!note || note.lane > Lane.board) return -1;
  const [before, earlier, tied] = await Promise.all([
    note.lane === Lane.board ? sectionOf(db, Lane.pinned).count() : 0,
    db.notes.where(BOARD_ORDER_INDEX).between([note.lane, MIN_KEY], [note.lane, note.order], true, false).count(),
    db.notes.where(BOARD_ORDER_INDEX).equals([note.lane, note.order]).filter((other) => other.id < id).count(),
  ]);
  return before + earlier + tied;
}

/** One note by id, tombstones included (an opened note follows its note through live queries). */
export function noteById(db: NotesDatabase, id: string): Promise<NoteRecord | undefined> {
  return db.notes.get(id);
}

/** Every note on the board, in board order (for search, which looks at all of them). */
export async function boardNotes(db: NotesDatabase): Promise<NoteRecord[]> {
  const [pinned, others] = await Promise.all([sectionOf(db, Lane.pinned).toArray(), sectionOf(db, Lane.board).toArray()]);
  return [...pinned, ...others];
}

/**
 * What search looks at from the board: every board note in board order, then the archived ones,
 * most recently changed first (search finds archived notes; the card says "Archived").
 */
export async function searchableNotes(db: NotesDatabase): Promise<NoteRecord[]> {
  const [board, archived] = await Promise.all([boardNotes(db), archivedNotes(db)]);
  return [...board, ...archived];
}

/** Archived notes, most recently changed (archived, edited) first. */
export function archivedNotes(db: NotesDatabase): Promise<NoteRecord[]> {
  return inLane(db, Lane.archive).reverse().toArray();
}

/** Notes in the trash, most recently trashed first. */
export function trashedNotes(db: NotesDatabase): Promise<NoteRecord[]> {
  return inLane(db, Lane.trash).reverse().toArray();
}

/** Open notes (on the board, not ticked off), for the app badge: an index count, no records read. */
export function countOpenNotes(db: NotesDatabase): Promise<number> {
  return db.notes.where('open').equals(1).count();
}

/** Case-insensitive search on the note text and its checklist's items; an empty query matches everything. */
export function matchesSearch(note: NoteRecord, query: string): boolean {
  const needle = query.trim().toLocaleLowerCase();
  return needle === '' || note.text.toLocaleLowerCase().includes(needle) || (note.items ?? []).some((item) => item.text.toLocaleLowerCase().includes(needle));
}
