/**
 * What the push sends for one note (its changed fields with their stamps, as the note holds them
 * now) and when a refused change has already lost its race on the server. Pure functions of the
 * note, its outbox entries and the server's copy.
 */
import type { NoteRecord } from '../db/database.js';
import { laterStamp } from '../db/hlc.js';
import type { RemoteNote } from '../db/remote-note.js';
import type { PendingChange, SentValue } from '../db/sync-state.js';
import { EDITABLE_FIELDS, MERGED_FIELDS, type EditableField, type NoteContent } from '../shared/note.js';
import type { RemoteWrite } from './remote.js';

/** True when the server holds an edit at least as late as ours for every field the entries changed. */
export function supersededOnServer(ours: NoteRecord, server: RemoteNote, entries: PendingChange['entries']): boolean {
  const fields = new Set(entries.flatMap((entry) => (entry.created ? EDITABLE_FIELDS : entry.fields)));
  return [...fields].every((field) => {
    const theirs = server.clocks[field];
    return theirs !== undefined && laterStamp(ours.clocks[field], theirs) === theirs;
  });
}

/** The change to send for one note: the fields its entries name, as the note holds them now. */
export function buildWrite(note: NoteRecord, entries: PendingChange['entries']): RemoteWrite {
  const created = entries.some((entry) => entry.created);
  const fields = new Set<EditableField>(created ? EDITABLE_FIELDS : entries.flatMap((entry) => entry.fields));
  // A tombstone always says so with its emptied text: the server refuses text on a deleted note.
  if (note.deleted) {
    fields.add('deleted');
    fields.add('text');
  }
  const values: Partial<NoteContent> = {};
  const clocks: NoteRecord['clocks'] = {};
  for (const field of fields) {
    // A note from before the archive has no archived flag: a create (a guest note moved into an
    // account) sends none, as that version did; Firestore refuses undefined values.
    if (note[field] === undefined) continue;
    (values as Record<EditableField, unknown>)[field] = note[field];
    if (note.clocks[field]) clocks[field] = note.clocks[field];
  }
  const write: RemoteWrite = { id: note.id, created, values, clocks, createdAt: note.createdAt };
  // An edit of a merged field says which value it was made from (FieldEdit in note.ts), a
  // create's too (the create may have landed already, unacknowledged, and been edited since);
  // a delete forever empties the note whatever it held.
  if (!note.deleted) {
    for (const field of MERGED_FIELDS) {
      const base = note.bases?.[field];
      if (base && values[field] !== undefined && clocks[field]) write.edits = { ...write.edits, [field]: { from: base.stamp, stamp: clocks[field] } };
    }
  }
  return write;
}

/** The values of merged fields these writes sent, with their stamps (the store moves bases on them). */
export function sentValues(writes: RemoteWrite[]): SentValue[] {
  return writes.flatMap(({ id, values, clocks }) =>
    MERGED_FIELDS.flatMap((field) => (values[field] !== undefined && clocks[field] ? [{ noteId: id, field, value: values[field], stamp: clocks[field] } as SentValue] : [])),
  );
}
