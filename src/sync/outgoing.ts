/**
 * What the push sends for one note (its changed fields with their stamps, as the note holds them
 * now) and when a refused change has already lost its race on the server. Pure functions of the
 * note, its outbox entries and the server's copy.
 */
import type { NoteRecord } from '../db/database.js';
import { laterStamp } from '../db/hlc.js';
import type { RemoteNote } from '../db/remote-note.js';
import type { PendingChange, SentText } from '../db/sync-state.js';
import { EDITABLE_FIELDS, type EditableField, type NoteContent } from '../shared/note.js';
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
  // An edit of text the server has says which text it was made from (TextEdit in note.ts); a
  // delete forever empties the text whatever it was.
  if (!created && !note.deleted && values.text !== undefined && note.textBase && clocks.text) write.textEdit = { from: note.textBase.stamp, stamp: clocks.text };
  return write;
}

/** The texts these writes sent, with their stamps (the store moves text bases on them). */
export function sentTexts(writes: RemoteWrite[]): SentText[] {
  return writes.flatMap(({ id, values, clocks }) => (values.text !== undefined && clocks.text ? [{ noteId: id, text: values.text, stamp: clocks.text }] : []));
}
