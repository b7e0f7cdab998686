/**
 * The store side of label sync (src/sync/label-sync.ts): what is unsent, what the server holds,
 * and acknowledgements, each one transaction over the labels table.
 */
import Dexie from 'dexie';
import { LABEL_FIELDS, mergeLabels, type Label } from '../shared/label.js';
import type { LabelRecord, NotesDatabase } from './database.js';

/** The same label, field by field and stamp by stamp. */
export function sameLabel(a: Label, b: Label): boolean {
  return LABEL_FIELDS.every((field) => a[field] === b[field] && (a.clocks[field] ?? '') === (b.clocks[field] ?? ''));
}

/** Labels edited here and not yet acknowledged by the server, as they are sent. */
export async function unsentLabels(db: NotesDatabase): Promise<Label[]> {
  const records = await db.labels.filter((label) => label.unsent === 1).toArray();
  return records.map(({ id, name, color, deleted, clocks, createdAt }) => ({ id, name, color, deleted, clocks, createdAt }));
}

/** Calls `onChange` with the number of unsent labels now and whenever it changes. */
export function watchUnsentLabels(db: NotesDatabase, onChange: (count: number) => void, onError: (error: unknown) => void): () => void {
  const subscription = Dexie.liveQuery(() => db.labels.filter((label) => label.unsent === 1).count()).subscribe({ next: onChange, error: onError });
  return () => subscription.unsubscribe();
}

/**
 * Merges the server's labels into this device's, in one transaction: each field's later stamp
 * wins (mergeLabels). A label keeps its unsent mark only while it holds something the server
 * lacks; what arrives identical to what is here writes nothing.
 */
export async function applyRemoteLabels(db: NotesDatabase, remote: Label[]): Promise<void> {
  if (remote.length === 0) return;
  await db.transaction('rw', db.labels, async () => {
    const locals = await db.labels.bulkGet(remote.map((label) => label.id));
    const writes: LabelRecord[] = [];
    remote.forEach((there, index) => {
      const here = locals[index];
      const merged = here ? mergeLabels(here, there) : there;
      const unsent: 0 | 1 = sameLabel(merged, there) ? 0 : 1;
      if (here && sameLabel(here, merged) && here.unsent === unsent) return;
      writes.push({ ...merged, unsent });
    });
    await db.labels.bulkPut(writes);
  });
}

/**
 * The server merged `sent` into its copy and holds `merged`: the label is acknowledged unless it
 * was edited here meanwhile (then it stays unsent, merged with what the server holds).
 */
export async function acknowledgeLabel(db: NotesDatabase, sent: Label, merged: Label): Promise<void> {
  await db.transaction('rw', db.labels, async () => {
    const here = await db.labels.get(sent.id);
    const next = here ? mergeLabels(here, merged) : merged;
    await db.labels.put({ ...next, unsent: sameLabel(next, merged) ? 0 : 1 });
  });
}
