/**
 * Every change a person makes to notes. Each operation is one read-write transaction over the notes
 * and the outbox, so a note change and its record for sync commit together or not at all.
 * Offline these work exactly the same: the outbox keeps what has to roam once an account syncs.
 */
import {
  ChecklistTooLongError,
  DEFAULT_NOTE_COLOR,
  EDITABLE_FIELDS,
  MERGED_FIELDS,
  newNoteClocks,
  checklistProblem,
  labelsProblem,
  sameValue,
  TooManyLabelsError,
  NoteTooLongError,
  checkNoteText,
  fieldValue,
  isNoteColor,
  newNoteId,
  type EditableField,
  type MergedField,
  type NoteColor,
  type NoteContent,
  type NotePatch,
} from '../shared/note.js';
import { Lane, withIndexFields, type FieldBases, type NoteRecord, type NotesDatabase } from './database.js';
import { keyBeforeMaker } from './order-key.js';
import { inLane, sectionOf } from './queries.js';

export type Clock = () => number;

export interface NewNote {
  text: string;
  color?: NoteColor;
  pinned?: boolean;
}

export function assertSavable(patch: NotePatch): void {
  if (patch.text !== undefined) {
    const problem = checkNoteText(patch.text);
    if (problem) throw new NoteTooLongError(problem.length);
  }
  if (patch.items !== undefined) {
    const problem = checklistProblem(patch.items);
    if (problem) throw new ChecklistTooLongError(problem);
  }
  if (patch.labels !== undefined) {
    const problem = labelsProblem(patch.labels);
    if (problem) throw new TooManyLabelsError(problem);
  }
  if (patch.color !== undefined && !isNoteColor(patch.color)) {
    throw new TypeError(`Unknown note color: ${String(patch.color)}`);
  }
}

/** A new note goes on top of its section: a key before the section's current first. */
export async function createNote(db: NotesDatabase, input: NewNote, now: Clock = Date.now): Promise<NoteRecord> {
  const content = {
    text: input.text,
    color: input.color ?? DEFAULT_NOTE_COLOR,
    pinned: input.pinned ?? false,
    done: false,
    trashed: false,
    deleted: false,
    archived: false,
  };
  assertSavable(content);
  const keyBefore = await keyBeforeMaker();
  return db.transaction('rw', db.notes, db.outbox, () => addOnTop(db, content, now(), keyBefore));
}

/** Makes the order key of a note put before the section's current first (order-key.ts). */
export type KeyBefore = (first: string | undefined) => string;

/**
 * Adds a new note with `content` on top of its section, with its outbox entry; must run inside a
 * read-write transaction over notes and outbox (so `keyBefore` is made before it: the package
 * that makes keys loads lazily, and an await for it would end the transaction).
 */
export async function addOnTop(db: NotesDatabase, content: NoteContent, at: number, keyBefore: KeyBefore): Promise<NoteRecord> {
  const first = await sectionOf(db, content.pinned ? Lane.pinned : Lane.board).first();
  const stamp = db.clock.next();
  const order = keyBefore(first?.order);
  const clocks = newNoteClocks({ ...content, order }, stamp);
  const note: NoteRecord = withIndexFields({
    id: newNoteId(),
    ...content,
    order,
    createdAt: at,
    updatedAt: at,
    clocks,
  });
  await db.notes.add(note);
  await db.outbox.add({ noteId: note.id, fields: [...EDITABLE_FIELDS], created: true, queuedAt: at });
  return note;
}

/**
 * Applies a patch; fields whose value does not change are left out of the outbox, and a patch that
 * changes nothing writes nothing. Returns the note as saved, or undefined when it does not exist.
 */
export async function updateNote(
  db: NotesDatabase,
  id: string,
  patch: NotePatch,
  now: Clock = Date.now,
): Promise<NoteRecord | undefined> {
  assertSavable(patch);
  return db.transaction('rw', db.notes, db.outbox, async () => {
    const current = await db.notes.get(id);
    if (!current || current.deleted) return current;
    return writePatch(db, current, patch, now);
  });
}

/**
 * Writes the fields of `patch` that differ from `current`, stamped after everything the note has
 * seen, with one outbox entry; must run inside a read-write transaction over notes and outbox.
 * Unlike updateNote it also writes a deleted note (undo brings a tombstone back).
 */
export async function writePatch(db: NotesDatabase, current: NoteRecord, patch: NotePatch, now: Clock): Promise<NoteRecord> {
  const changed = EDITABLE_FIELDS.filter((field) => patch[field] !== undefined && !sameValue(field, patch[field], fieldValue(current, field)));
  if (changed.length === 0) return current;
  // updatedAt orders only the trash (most recently trashed first); the board goes by order.
  const at = Math.max(now(), current.updatedAt + 1);
  // Stamped after everything this note has seen, so this edit wins over what it replaced.
  for (const stamp of Object.values(current.clocks)) db.clock.observe(stamp);
  const stamp = db.clock.next();
  const clocks = { ...current.clocks, ...Object.fromEntries(changed.map((field) => [field, stamp])) };
  const next: NoteRecord = { ...current, ...pick(patch, changed), updatedAt: at, clocks };
  await keepBases(db, current, next, changed);
  withIndexFields(next);
  await db.notes.put(next);
  await db.outbox.add({ noteId: current.id, fields: changed, created: false, queuedAt: at });
  return next;
}

/**
 * The first unsent edit of a merged field (the text, the checklist, the labels) keeps the value
 * it replaced as the base a concurrent edit from another device is merged against (merge.ts);
 * later edits keep the same base. That holds for a note whose create is unsent too: its create
 * may have landed with its acknowledgement lost, and another device edited it since. (A field
 * with an edit queued before bases were kept has none, and is sent as it was before.)
 */
async function keepBases(db: NotesDatabase, current: NoteRecord, next: NoteRecord, changed: EditableField[]): Promise<void> {
  const fields = MERGED_FIELDS.filter((field) => changed.includes(field) && !current.bases?.[field]);
  if (fields.length === 0 || next.deleted) return;
  const pending = await db.outbox.where('noteId').equals(current.id).toArray();
  const bases: FieldBases = { ...current.bases };
  for (const field of fields) {
    if (pending.some((entry) => !entry.created && entry.fields.includes(field))) continue;
    (bases as Record<MergedField, unknown>)[field] = { value: fieldValue(current, field), stamp: current.clocks[field] ?? '' };
  }
  next.bases = bases;
}

function pick(patch: NotePatch, fields: EditableField[]): NotePatch {
  return Object.fromEntries(fields.map((field) => [field, patch[field]])) as NotePatch;
}

export const trashNote = (db: NotesDatabase, id: string, now?: Clock) => updateNote(db, id, { trashed: true }, now);
export const restoreNote = (db: NotesDatabase, id: string, now?: Clock) => updateNote(db, id, { trashed: false }, now);
/** Off the board into the Archive view (or back): one field, merged like the others. */
export const archiveNote = (db: NotesDatabase, id: string, archived: boolean, now?: Clock) => updateNote(db, id, { archived }, now);

/** Permanent delete: the note becomes a tombstone with its text, checklist and labels emptied, so the delete can roam. */
export const DELETE_FOREVER_PATCH: NotePatch = { deleted: true, text: '', pinned: false, items: [], labels: [], reminder: null };

export const deleteNoteForever = (db: NotesDatabase, id: string, now?: Clock) => updateNote(db, id, DELETE_FOREVER_PATCH, now);

/** Deletes everything in the trash permanently, in one transaction. Returns how many. */
export async function emptyTrash(db: NotesDatabase, now: Clock = Date.now): Promise<number> {
  return db.transaction('rw', db.notes, db.outbox, async () => {
    const ids = await inLane(db, Lane.trash).primaryKeys();
    for (const id of ids) await deleteNoteForever(db, id, now);
    return ids.length;
  });
}

/** Changes made on this device that the server has not acknowledged yet (rejected ones included). */
export function countUnsyncedChanges(db: NotesDatabase): Promise<number> {
  return db.outbox.count();
}
