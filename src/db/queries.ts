/** Read-side queries of the notes database, for live queries in the UI. */
import Dexie from 'dexie';
import { Lane, type NoteRecord, type NotesDatabase } from './database.js';

function lanesRange(db: NotesDatabase, first: Lane, last: Lane): Promise<NoteRecord[]> {
  return db.notes.where('[lane+updatedAt]').between([first, Dexie.minKey], [last, Dexie.maxKey]).toArray();
}

/** Notes on the board, pinned first, then most recently changed first. */
export async function boardNotes(db: NotesDatabase): Promise<NoteRecord[]> {
  return sortForBoard(await lanesRange(db, Lane.pinned, Lane.board));
}

/** Notes in the trash, most recently trashed first. */
export async function trashedNotes(db: NotesDatabase): Promise<NoteRecord[]> {
  return (await lanesRange(db, Lane.trash, Lane.trash)).reverse();
}

/**
 * Board order. `frozen` keeps a note at the place it had when editing began, so the card being
 * typed into does not jump to the top on every save. The input comes sorted by [lane+updatedAt]
 * from the index, so this sort runs over long ordered runs and is close to linear.
 */
export function sortForBoard(notes: NoteRecord[], frozen?: { id: string; updatedAt: number }): NoteRecord[] {
  const key = (note: NoteRecord) => (frozen && note.id === frozen.id ? frozen.updatedAt : note.updatedAt);
  return notes.sort((a, b) => a.lane - b.lane || key(b) - key(a) || (a.id < b.id ? -1 : 1));
}

/** Case-insensitive search on the note text; an empty query matches everything. */
export function matchesSearch(note: NoteRecord, query: string): boolean {
  const needle = query.trim().toLocaleLowerCase();
  return needle === '' || note.text.toLocaleLowerCase().includes(needle);
}
