/**
 * Notes across accounts on one device: each account has its own database, so a second person
 * signing in here never sees the first one's notes. Guest notes can be moved into an account.
 */
import Dexie from 'dexie';
import { EDITABLE_FIELDS } from '../shared/note.js';
import type { NotesDatabase } from './database.js';
import { notTombstones } from './queries.js';

/** Guest notes worth offering to move: on the board or in the trash (not tombstones). */
export function countMovableNotes(db: NotesDatabase): Promise<number> {
  return notTombstones(db).count();
}

/**
 * Moves notes from one database to another. Each note arrives with an outbox entry, so it syncs
 * like any new note. Two databases share no transaction: the target is written first and the
 * source emptied after, so a crash in between leaves copies in both, never a loss, and moving
 * again overwrites the same ids instead of duplicating them.
 */
export async function moveNotes(from: NotesDatabase, to: NotesDatabase, now: () => number = Date.now): Promise<number> {
  const notes = await notTombstones(from).toArray();
  if (notes.length === 0) return 0;
  const queuedAt = now();
  await to.transaction('rw', to.notes, to.outbox, async () => {
    await to.notes.bulkPut(notes);
    await to.outbox.bulkAdd(notes.map((note) => ({ noteId: note.id, fields: [...EDITABLE_FIELDS], created: true, queuedAt })));
  });
  await from.transaction('rw', from.notes, from.outbox, async () => {
    await from.notes.bulkDelete(notes.map((note) => note.id));
    await from.outbox.where('noteId').anyOf(notes.map((note) => note.id)).delete();
  });
  return notes.length;
}

/** Removes an account's local copy (on sign-out). */
export function deleteNotesDatabase(name: string): Promise<void> {
  return Dexie.delete(name);
}
