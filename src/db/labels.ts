/**
 * Every change a person makes to their labels, and the label a note view reads. A label edit is one
 * read-write transaction that marks the label unsent (src/sync/label-sync.ts sends it); deleting
 * a label also takes it off every note here that carries it, as a labels edit of each note that
 * syncs like any other.
 */
import { cleanLabelName, labelNameProblem, MAX_LABELS, type LabelColor, type LabelContent } from '../shared/label.js';
import { MAX_NOTE_LABELS, newNoteId } from '../shared/note.js';
import { Lane, type LabelRecord, type NoteRecord, type NotesDatabase } from './database.js';
import { writePatch, type Clock } from './notes.js';

/** A label edit that cannot be saved (a name taken or too long, too many labels), in words. */
export class LabelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelError';
  }
}

/** A new label's record, stamped and unsent; the caller adds it inside its transaction. */
export function newLabelRecord(db: NotesDatabase, content: { id?: string; name: string; color?: LabelColor }, at: number): LabelRecord {
  const stamp = db.clock.next();
  return {
    id: content.id ?? newNoteId(),
    name: content.name,
    color: content.color ?? 'none',
    deleted: false,
    clocks: { name: stamp, color: stamp, deleted: stamp },
    createdAt: at,
    unsent: 1,
  };
}

export async function createLabel(db: NotesDatabase, name: string, color: LabelColor = 'none', now: Clock = Date.now): Promise<LabelRecord> {
  return db.transaction('rw', db.labels, async () => {
    const all = await db.labels.toArray();
    const problem = labelNameProblem(name, all);
    if (problem) throw new LabelError(problem);
    if (all.filter((label) => !label.deleted).length >= MAX_LABELS) throw new LabelError(`You have ${MAX_LABELS} labels, the most there can be. Delete one to make another.`);
    const label = newLabelRecord(db, { name: cleanLabelName(name), color }, now());
    await db.labels.add(label);
    return label;
  });
}

/** Changes a label's name or color; a change to nothing new writes nothing. */
export async function editLabel(db: NotesDatabase, id: string, patch: Partial<Pick<LabelContent, 'name' | 'color'>>): Promise<LabelRecord | undefined> {
  return db.transaction('rw', db.labels, async () => {
    const label = await db.labels.get(id);
    if (!label || label.deleted) return label;
    const next: LabelRecord = { ...label, clocks: { ...label.clocks } };
    if (patch.name !== undefined) {
      const problem = labelNameProblem(patch.name, await db.labels.toArray(), id);
      if (problem) throw new LabelError(problem);
      next.name = cleanLabelName(patch.name);
    }
    if (patch.color !== undefined) next.color = patch.color;
    const changed = (['name', 'color'] as const).filter((field) => next[field] !== label[field]);
    if (changed.length === 0) return label;
    for (const stamp of Object.values(label.clocks)) db.clock.observe(stamp);
    const stamp = db.clock.next();
    for (const field of changed) next.clocks[field] = stamp;
    next.unsent = 1;
    await db.labels.put(next);
    return next;
  });
}

/**
 * Deletes a label for good: a tombstone (its name emptied) that roams, and the label taken off
 * every note here that carries it, nothing else of them changed. Returns how many notes it was on.
 */
export async function deleteLabel(db: NotesDatabase, id: string, now: Clock = Date.now): Promise<number> {
  return db.transaction('rw', db.labels, db.notes, db.outbox, async () => {
    const label = await db.labels.get(id);
    if (!label || label.deleted) return 0;
    for (const stamp of Object.values(label.clocks)) db.clock.observe(stamp);
    const stamp = db.clock.next();
    await db.labels.put({ ...label, name: '', deleted: true, clocks: { ...label.clocks, name: stamp, deleted: stamp }, unsent: 1 });
    const notes = await db.notes.where('labels').equals(id).toArray();
    for (const note of notes) await writePatch(db, note, { labels: (note.labels ?? []).filter((other) => other !== id) }, now);
    return notes.length;
  });
}

/**
 * Puts the label on the note or takes it off; deleted labels still on it are dropped on the way.
 * (An id this device has no label for yet is kept: the label may be on its way from another device.)
 */
export async function setNoteLabel(db: NotesDatabase, noteId: string, labelId: string, on: boolean, now: Clock = Date.now): Promise<NoteRecord | undefined> {
  return db.transaction('rw', db.labels, db.notes, db.outbox, async () => {
    const [note, known] = [await db.notes.get(noteId), await db.labels.toArray()];
    if (!note || note.deleted) return note;
    const deleted = new Set(known.filter((label) => label.deleted).map((label) => label.id));
    const kept = (note.labels ?? []).filter((id) => id !== labelId && !deleted.has(id));
    if (on && !known.some((label) => label.id === labelId && !label.deleted)) throw new LabelError('This label was deleted.');
    if (on && kept.length >= MAX_NOTE_LABELS) throw new LabelError(`A note carries at most ${MAX_NOTE_LABELS} labels. Take one off to add another.`);
    const labels = on ? [...kept, labelId] : kept;
    return writePatch(db, note, { labels }, now);
  });
}

/** Every label here, tombstones included (the list filters them: sortedLabels). */
export function allLabels(db: NotesDatabase): Promise<LabelRecord[]> {
  return db.labels.toArray();
}

/**
 * A label's view: its notes on the board (pinned first, each section in board order), read
 * through the notes' label index, so a label on twenty notes reads twenty notes.
 */
export async function notesWithLabel(db: NotesDatabase, labelId: string): Promise<NoteRecord[]> {
  const notes = await db.notes.where('labels').equals(labelId).toArray();
  return notes
    .filter((note) => note.lane === Lane.pinned || note.lane === Lane.board)
    .sort((a, b) => a.lane - b.lane || (a.order < b.order ? -1 : a.order > b.order ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
