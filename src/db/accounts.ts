/**
 * Notes across accounts on one device: each account has its own database, so a second person
 * signing in here never sees the first one's notes. Guest notes can be moved into an account.
 */
import { forgetFirstScreen } from '../platform/first-screen-script.js';
import Dexie from 'dexie';
import { EDITABLE_FIELDS } from '../shared/note.js';
import type { LabelRecord, NoteRecord, NotesDatabase } from './database.js';
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
 * The labels go with them: a guest label named like one of the account's (case aside) becomes
 * that label on the moved notes; the others join the account's labels.
 */
export async function moveNotes(from: NotesDatabase, to: NotesDatabase, now: () => number = Date.now): Promise<number> {
  const [found, guestLabels] = await Promise.all([notTombstones(from).toArray(), from.labels.toArray()]);
  if (found.length === 0) return 0;
  const queuedAt = now();
  await to.transaction('rw', to.notes, to.outbox, to.labels, async () => {
    const { notes, labels } = joinLabels(found, guestLabels, await to.labels.toArray());
    await to.labels.bulkPut(labels);
    await to.notes.bulkPut(notes);
    await to.outbox.bulkAdd(notes.map((note) => ({ noteId: note.id, fields: [...EDITABLE_FIELDS], created: true, queuedAt })));
  });
  await from.transaction('rw', from.notes, from.outbox, from.labels, async () => {
    await from.notes.bulkDelete(found.map((note) => note.id));
    await from.outbox.where('noteId').anyOf(found.map((note) => note.id)).delete();
    await from.labels.clear();
  });
  return found.length;
}

/** The moved notes with their labels named as the account names them, and the labels to add. */
function joinLabels(notes: NoteRecord[], guestLabels: LabelRecord[], accountLabels: LabelRecord[]): { notes: NoteRecord[]; labels: LabelRecord[] } {
  const accountIdOf = new Map<string, string>();
  const labels: LabelRecord[] = [];
  for (const label of guestLabels.filter((guest) => !guest.deleted)) {
    const same = accountLabels.find((other) => !other.deleted && other.name.toLocaleLowerCase() === label.name.toLocaleLowerCase());
    if (same) accountIdOf.set(label.id, same.id);
    else labels.push({ ...label, unsent: 1 });
  }
  const renamed = notes.map((note) => (note.labels?.length ? { ...note, labels: [...new Set(note.labels.map((id) => accountIdOf.get(id) ?? id))] } : note));
  return { notes: renamed, labels };
}

/** Removes an account's local copy (on sign-out). */
export function deleteNotesDatabase(name: string): Promise<void> {
  // The screen kept for the next start shows this database's notes.
  forgetFirstScreen(name);
  return Dexie.delete(name);
}
