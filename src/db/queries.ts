/**
 * Read-side queries of the notes database, for live queries in the UI. The board is read a
 * window at a time through the [lane+updatedAt] index, so an edit re-reads the few dozen notes on
 * screen, not all ten thousand, and a cold start paints the first screenful without reading the rest.
 */
import Dexie from 'dexie';
import { Lane, type NoteRecord, type NotesDatabase } from './database.js';

function lane(db: NotesDatabase, which: Lane) {
  return db.notes.where('[lane+updatedAt]').between([which, Dexie.minKey], [which, Dexie.maxKey]);
}

/** A slice of the board in order, and how many notes the whole board has. */
export interface BoardWindow {
  total: number;
  offset: number;
  notes: NoteRecord[];
}

/**
 * Board notes [offset, offset + limit): pinned first, then most recently changed first (index
 * order, read backwards; equal times fall back to the id, the same on every device).
 */
export async function boardWindow(db: NotesDatabase, offset: number, limit: number): Promise<BoardWindow> {
  const [pinned, others] = await Promise.all([lane(db, Lane.pinned).count(), lane(db, Lane.board).count()]);
  const notes: NoteRecord[] = [];
  if (offset < pinned) notes.push(...(await lane(db, Lane.pinned).reverse().offset(offset).limit(limit).toArray()));
  const rest = limit - notes.length;
  if (rest > 0 && offset + notes.length < pinned + others) {
    notes.push(...(await lane(db, Lane.board).reverse().offset(Math.max(0, offset - pinned)).limit(rest).toArray()));
  }
  return { total: pinned + others, offset, notes };
}

/** Where a note stands on the board (its index in board order), or -1 when it is not on the board. */
export async function boardIndexOf(db: NotesDatabase, id: string): Promise<number> {
  const note = await db.notes.get(id);
  if (!note || note.lane > Lane.board) return -1;
  const [before, later, tied] = await Promise.all([
    note.lane === Lane.board ? lane(db, Lane.pinned).count() : 0,
    db.notes.where('[lane+updatedAt]').between([note.lane, note.updatedAt], [note.lane, Dexie.maxKey], false, true).count(),
    // Equal times read backwards come in descending id order.
    db.notes.where('[lane+updatedAt]').equals([note.lane, note.updatedAt]).filter((other) => other.id > id).count(),
  ]);
  return before + later + tied;
}

/** One note by id, tombstones included (an opened note follows its note through live queries). */
export function noteById(db: NotesDatabase, id: string): Promise<NoteRecord | undefined> {
  return db.notes.get(id);
}

/** Every note on the board, in board order (for search, which looks at all of them). */
export async function boardNotes(db: NotesDatabase): Promise<NoteRecord[]> {
  const [pinned, others] = await Promise.all([lane(db, Lane.pinned).reverse().toArray(), lane(db, Lane.board).reverse().toArray()]);
  return [...pinned, ...others];
}

/** Notes in the trash, most recently trashed first. */
export function trashedNotes(db: NotesDatabase): Promise<NoteRecord[]> {
  return lane(db, Lane.trash).reverse().toArray();
}

/** Open notes (on the board, not ticked off), for the app badge: an index count, no records read. */
export function countOpenNotes(db: NotesDatabase): Promise<number> {
  return db.notes.where('open').equals(1).count();
}

/** Case-insensitive search on the note text; an empty query matches everything. */
export function matchesSearch(note: NoteRecord, query: string): boolean {
  const needle = query.trim().toLocaleLowerCase();
  return needle === '' || note.text.toLocaleLowerCase().includes(needle);
}
