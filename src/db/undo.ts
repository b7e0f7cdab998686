/**
 * Undoable changes to one note or many: each runs in ONE transaction (one outbox entry per note
 * that changed) and returns a snapshot of the fields it changed, as they were before. Undoing
 * writes that snapshot back, again in one transaction, with new stamps: an undo is a new edit
 * that roams like any other, so it wins over the change it undoes on every device. Undo of a
 * permanent delete brings the note back with its text (deleted=false lets the merge and the rules
 * keep text), to wherever it was: the trash for a delete forever or an emptied trash.
 */
import { fieldValue, type NoteContent, type NotePatch } from '../shared/note.js';
import { Lane, type NoteRecord, type NotesDatabase } from './database.js';
import { DELETE_FOREVER_PATCH, addOnTop, assertSavable, writePatch, type Clock } from './notes.js';
import { compareBoardOrder, keyBeforeMaker } from './order-key.js';
import { inLane } from './queries.js';

/** The fields one change touched, as they were before it. */
export interface NoteSnapshot {
  id: string;
  before: NotePatch;
}

/** What undoing one change (of one note or many) writes back. */
export interface UndoSnapshot {
  notes: NoteSnapshot[];
}

function valuesBefore(note: NoteContent, patch: NotePatch): NotePatch {
  const before: Record<string, unknown> = {};
  for (const field of Object.keys(patch) as (keyof NotePatch)[]) {
    // fieldValue: an archived flag a note never had is written back as false, not left out.
    const was = fieldValue(note, field);
    if (patch[field] !== undefined && patch[field] !== was) before[field] = was;
  }
  return before as NotePatch;
}

/**
 * Applies `patch` to every listed note that exists and is not deleted, in one transaction, and
 * returns what undoing it writes back (notes the patch did not change are left out).
 */
export async function changeNotes(db: NotesDatabase, ids: readonly string[], patch: NotePatch, now: Clock = Date.now): Promise<UndoSnapshot> {
  assertSavable(patch);
  return db.transaction('rw', db.notes, db.outbox, async () => {
    const notes: NoteSnapshot[] = [];
    for (const note of await db.notes.bulkGet([...ids])) {
      if (!note || note.deleted) continue;
      const before = valuesBefore(note, patch);
      if (Object.keys(before).length === 0) continue;
      await writePatch(db, note, patch, now);
      notes.push({ id: note.id, before });
    }
    return { notes };
  });
}

/**
 * Copies every listed note that exists and is not deleted (its text, color, pin and tick) into a new
 * note on top of its section, in one transaction (one outbox entry per copy), keeping the copies in
 * the board order of their originals. Undoing deletes the copies for good.
 */
export async function copyNotes(db: NotesDatabase, ids: readonly string[], now: Clock = Date.now): Promise<UndoSnapshot> {
  const keyBefore = await keyBeforeMaker();
  return db.transaction('rw', db.notes, db.outbox, async () => {
    const originals = (await db.notes.bulkGet([...ids])).filter((note): note is NoteRecord => note !== undefined && !note.deleted);
    // Each copy goes on top, so the last of the board goes first and the first ends on top.
    originals.sort((a, b) => compareBoardOrder(b, a));
    const at = now();
    const notes: NoteSnapshot[] = [];
    // A copy of an archived note (made in the Archive view) goes onto the board: a copy is made to be used.
    for (const { text, color, pinned, done } of originals) {
      const copy = await addOnTop(db, { text, color, pinned, done, trashed: false, deleted: false, archived: false }, at, keyBefore);
      notes.push({ id: copy.id, before: DELETE_FOREVER_PATCH });
    }
    return { notes: notes.reverse() };
  });
}

/** Deletes every note in the trash for good, in one transaction; undoable like any change. */
export async function emptyTrashUndoably(db: NotesDatabase, now: Clock = Date.now): Promise<UndoSnapshot> {
  return db.transaction('rw', db.notes, db.outbox, async () => {
    const ids = await inLane(db, Lane.trash).primaryKeys();
    return changeNotes(db, ids, DELETE_FOREVER_PATCH, now);
  });
}

/** Writes a snapshot back, in one transaction; returns how many notes it changed. */
export async function undoChange(db: NotesDatabase, snapshot: UndoSnapshot, now: Clock = Date.now): Promise<number> {
  return db.transaction('rw', db.notes, db.outbox, async () => {
    let changed = 0;
    for (const { id, before } of snapshot.notes) {
      const current = await db.notes.get(id);
      if (!current) continue;
      const next = await writePatch(db, current, before, now);
      if (next !== current) changed++;
    }
    return changed;
  });
}
