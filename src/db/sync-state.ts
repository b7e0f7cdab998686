/**
 * The store's side of sync: every read and write the sync engine makes on this device's notes
 * database. The outbox (what to send, acknowledging it, setting aside what the server refused),
 * the pull checkpoint, the shared sync status, applying a page of remote notes, and ending a full
 * resync. Each operation that must be atomic is one Dexie transaction here, so the engine
 * (src/sync/engine.ts) keeps only the protocol: when to push, pull, listen and back off.
 */
import Dexie from 'dexie';
import { EDITABLE_FIELDS, MERGED_FIELDS, fieldValue, newNoteClocks, newNoteId, splitTitle, type EditableField, type MergedField, type NoteContent } from '../shared/note.js';
import { MetaKey, withIndexFields, type FieldBases, type NoteRecord, type NotesDatabase, type OutboxEntry, type SyncStatus } from './database.js';
import type { HybridClock } from './hlc.js';
import { mergeRemote, type MergingDevice, type Unmerged } from './merge.js';
import { checkpointOf, compareCheckpoints, type Checkpoint, type RemoteNote } from './remote-note.js';
import { readSyncStatus } from './sync-summary.js';

/** Defined with the other records (database.ts); the status line reads it from here. */
export type { SyncStatus };
// What the app shows and does about sync before it runs (sync-summary.ts), read from here too.
export { discardRejectedChanges, readSyncStatus, summarizeOutbox, type OutboxSummary } from './sync-summary.js';

/** An outbox entry as stored (the table assigns seq). */
type StoredOutboxEntry = OutboxEntry & { seq: number };

/** One note to send: the note as it is now and the outbox entries naming its changed fields. */
export interface PendingChange {
  note: NoteRecord;
  entries: StoredOutboxEntry[];
}

/** Why the server refused a change for good, kept on its outbox entries. */
export type Rejection = NonNullable<OutboxEntry['rejected']>;

const stored = (entries: OutboxEntry[]): StoredOutboxEntry[] => entries.filter((entry): entry is StoredOutboxEntry => entry.seq !== undefined);

// ---- Meta records ------------------------------------------------------------------------------

export async function readCheckpoint(db: NotesDatabase): Promise<Checkpoint | undefined> {
  const record = await db.meta.get(MetaKey.checkpoint);
  return record?.key === MetaKey.checkpoint ? record.value : undefined;
}

/** Changes what the status line shows; fields set to undefined are cleared. */
export async function updateSyncStatus(db: NotesDatabase, change: Partial<SyncStatus>): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const current = (await readSyncStatus(db)) ?? {};
    await db.meta.put({ key: MetaKey.syncStatus, value: { ...current, ...change } });
  });
}

// ---- Outbox ------------------------------------------------------------------------------------

/**
 * The oldest sendable changes (not set aside), grouped per note, at most `maxNotes` notes. Entries
 * of a note that no longer exists here are dropped: there is nothing left to send for them.
 */
export async function nextPendingChanges(db: NotesDatabase, maxNotes: number): Promise<PendingChange[]> {
  // Several entries per note are common (edits while offline); four per note fills most batches.
  const entries = stored(await db.outbox.orderBy('seq').filter((entry) => !entry.rejected).limit(maxNotes * 4).toArray());
  const byNote = new Map<string, StoredOutboxEntry[]>();
  for (const entry of entries) {
    if (!byNote.has(entry.noteId) && byNote.size === maxNotes) break;
    byNote.set(entry.noteId, [...(byNote.get(entry.noteId) ?? []), entry]);
  }
  if (byNote.size === 0) return [];
  const notes = await db.notes.bulkGet([...byNote.keys()]);
  const changes: PendingChange[] = [];
  const orphans: number[] = [];
  [...byNote.values()].forEach((noteEntries, index) => {
    const note = notes[index];
    if (note) changes.push({ note, entries: noteEntries });
    else orphans.push(...noteEntries.map((entry) => entry.seq));
  });
  if (orphans.length) await db.outbox.bulkDelete(orphans);
  return changes;
}

/** The note as stored now, or undefined when it is gone. */
export function readNote(db: NotesDatabase, id: string): Promise<NoteRecord | undefined> {
  return db.notes.get(id);
}

/** A merged field's value as a write sent it, with its stamp. */
export type SentValue = { [F in MergedField]: { noteId: string; field: F; value: NonNullable<NoteContent[F]>; stamp: string } }[MergedField];

/**
 * The server has these changes: they leave the outbox. A merged field's base (NoteRecord.bases)
 * goes with them once no edit of the field is left unsent; with one still unsent, the value just
 * acknowledged is what the server holds, and the new base.
 */
export async function acknowledgeChanges(db: NotesDatabase, entries: StoredOutboxEntry[], sent: SentValue[] = []): Promise<void> {
  await db.transaction('rw', db.notes, db.outbox, async () => {
    await db.outbox.bulkDelete(entries.map((entry) => entry.seq));
    const noteIds = [...new Set(entries.map((entry) => entry.noteId))];
    const notes = await db.notes.bulkGet(noteIds);
    for (const note of notes) {
      if (!note?.bases) continue;
      const unsent = await db.outbox.where('noteId').equals(note.id).toArray();
      const bases: FieldBases = { ...note.bases };
      for (const field of MERGED_FIELDS) {
        const base = bases[field];
        if (!base) continue;
        const acknowledged = sent.find((value) => value.noteId === note.id && value.field === field);
        if (!unsent.some((entry) => entry.fields.includes(field))) delete bases[field];
        else if (acknowledged && acknowledged.stamp > base.stamp) bases[field] = { value: acknowledged.value, stamp: acknowledged.stamp } as never;
      }
      if (Object.keys(bases).length) note.bases = bases;
      else delete note.bases;
      await db.notes.put(note);
    }
  });
}

/** The server refused these changes for good: they stay, marked, shown and never resent. */
export async function setAsideChanges(db: NotesDatabase, entries: StoredOutboxEntry[], rejected: Rejection): Promise<void> {
  await db.outbox.bulkUpdate(entries.map((entry) => ({ key: entry.seq, changes: { rejected } })));
}

/**
 * Calls `onChange` whenever the outbox changes (and once at the start), `onError` when watching
 * fails; the watch has ended then. Returns what ends it.
 */
export function watchOutbox(db: NotesDatabase, onChange: () => void, onError: (error: unknown) => void): () => void {
  const subscription = Dexie.liveQuery(() => db.outbox.count()).subscribe({ next: onChange, error: onError });
  return () => subscription.unsubscribe();
}

// ---- Pull --------------------------------------------------------------------------------------

/** How a page is stored: whether the checkpoint moves past it, and the time its resend entries are queued at. */
export interface PageOptions {
  advanceCheckpoint: boolean;
  now: () => number;
  /**
   * Where the checkpoint moves (when it does): past these notes unless told otherwise. The rest of
   * a page merged off this device's clock (applyRemotePageUnstamped) moves it past the whole page.
   */
  through?: Checkpoint;
}

/**
 * Merges remote notes into the local database in one transaction, queues fields this device
 * knows newer edits of, and (unless told not to) moves the checkpoint past them, so a crash never
 * applies half a page or moves the checkpoint past changes that were not stored.
 */
export async function applyRemotePage(db: NotesDatabase, remoteNotes: RemoteNote[], options: PageOptions): Promise<void> {
  observeStamps(db.clock, remoteNotes);
  await mergePage(db, remoteNotes, options, { deviceId: db.clock.deviceId, nextStamp: () => db.clock.next() });
}

/**
 * applyRemotePage for a thread without this device's clock (the page-merging worker,
 * page-merger.ts), which must never issue a stamp: a second clock with the same device id could
 * issue one the first has issued too. Only merging this device's unsent edit of a merged field (a
 * note with bases) stamps anything, so those notes are left out and returned, for applyRemotePage
 * on the clock's thread; the checkpoint moves only when none was left out, as that later
 * transaction moves it otherwise. The caller's clock observes the page's stamps itself.
 */
export function applyRemotePageUnstamped(db: NotesDatabase, remoteNotes: RemoteNote[], options: PageOptions): Promise<RemoteNote[]> {
  return mergePage(db, remoteNotes, options, undefined);
}

/** Moves `clock` past every stamp of a page: this device's next edits are later than all of them. */
export function observeStamps(clock: HybridClock, remoteNotes: RemoteNote[]): void {
  for (const remoteNote of remoteNotes) for (const stamp of Object.values(remoteNote.clocks)) clock.observe(stamp);
}

/** The checkpoint just past a page: its latest change. */
export function pageCheckpoint(remoteNotes: RemoteNote[]): Checkpoint {
  return remoteNotes.map(checkpointOf).reduce((a, b) => (compareCheckpoints(a, b) >= 0 ? a : b));
}

/** Merges and stores a page (see applyRemotePage); without `device`, leaves out and returns the notes that may need a stamp. */
async function mergePage(db: NotesDatabase, remoteNotes: RemoteNote[], options: PageOptions, device: MergingDevice | undefined): Promise<RemoteNote[]> {
  if (remoteNotes.length === 0) return [];
  return db.transaction('rw', db.notes, db.outbox, db.meta, async () => {
    const locals = await db.notes.bulkGet(remoteNotes.map((note) => note.id));
    const changed: NoteRecord[] = [];
    const resend: OutboxEntry[] = [];
    const latest = new Map<string, NoteRecord | undefined>();
    remoteNotes.forEach((remoteNote, index) => latest.set(remoteNote.id, locals[index]));
    const needStamps = device ? new Set<string>() : new Set(locals.filter((local) => local?.bases).map((local) => local!.id));
    const leftOut = remoteNotes.filter((remoteNote) => needStamps.has(remoteNote.id));
    for (const remoteNote of remoteNotes) {
      if (needStamps.has(remoteNote.id)) continue;
      const result = mergeRemote(latest.get(remoteNote.id), remoteNote, device);
      latest.set(remoteNote.id, result.note);
      const unqueued = result.newerHere.length > 0 ? await fieldsNotQueued(db, remoteNote.id, result.newerHere) : [];
      const based = unqueued.length > 0 && keepResentBases(result.note, unqueued);
      if (result.changed || based) changed.push(result.note);
      if (unqueued.length) resend.push(resendEntry(remoteNote.id, unqueued, options.now()));
      if (result.unmerged) {
        const copy = unmergedCopy(db, result.note, result.unmerged, options.now());
        changed.push(copy);
        resend.push({ noteId: copy.id, fields: [...EDITABLE_FIELDS], created: true, queuedAt: copy.createdAt });
      }
    }
    if (changed.length) await db.notes.bulkPut(changed);
    if (resend.length) await db.outbox.bulkAdd(resend);
    if (options.advanceCheckpoint && leftOut.length === 0) {
      const last = options.through ?? pageCheckpoint(remoteNotes);
      const current = await readCheckpoint(db);
      if (!current || compareCheckpoints(last, current) > 0) await db.meta.put({ key: MetaKey.checkpoint, value: last });
    }
    return leftOut;
  });
}

/**
 * This device's text or checklist of `note`, when merging it with another device's edit would be
 * too large to save: a note of its own beside it (the same place on the board, the same color),
 * so no typed word is lost. A checklist's copy keeps the note's title line, to be recognized.
 */
function unmergedCopy(db: NotesDatabase, note: NoteRecord, unmerged: Unmerged, at: number): NoteRecord {
  const content: NoteContent = {
    ...(unmerged.field === 'text' ? { text: unmerged.value } : { text: splitTitle(note.text).title, items: unmerged.value }),
    color: note.color,
    pinned: note.pinned,
    done: note.done,
    trashed: note.trashed,
    deleted: false,
    archived: note.archived === true,
    order: note.order,
  };
  return withIndexFields({ id: newNoteId(), ...content, order: note.order, createdAt: at, updatedAt: at, clocks: newNoteClocks(content, db.clock.next()) });
}

/**
 * The fields of `fields` no outbox entry of the note covers. A covered field needs no resend: a
 * pending entry sends the note's current value anyway, and a set-aside one was refused with this
 * very value, so sending it again would only be refused again (and, as each refusal re-merges with
 * the server's copy, queue yet another resend: a loop).
 */
async function fieldsNotQueued(db: NotesDatabase, noteId: string, fields: EditableField[]): Promise<EditableField[]> {
  const queued = await db.outbox.where('noteId').equals(noteId).toArray();
  return fields.filter((field) => !queued.some((entry) => entry.created || entry.fields.includes(field)));
}

/**
 * A merged field sent again because the server's copy is older than this device's (a stale
 * delivery, or a write that landed while its acknowledgement was lost) and with no edit of it
 * queued here: this device's value is one the server has held (acknowledged, or received from
 * it), so it is the base the resend and any edit made here before it lands are made from.
 * Without one, such an edit would be sent as a plain later write over a concurrent one.
 */
function keepResentBases(note: NoteRecord, unqueued: EditableField[]): boolean {
  const resent = MERGED_FIELDS.filter((field) => unqueued.includes(field) && !note.bases?.[field] && note.clocks[field] !== undefined);
  if (resent.length === 0 || note.deleted) return false;
  for (const field of resent) note.bases = { ...note.bases, [field]: { value: fieldValue(note, field), stamp: note.clocks[field] } };
  return true;
}

function resendEntry(noteId: string, fields: EditableField[], queuedAt: number): OutboxEntry {
  return { noteId, fields, created: false, queuedAt };
}

/**
 * Ends a full resync: drops local notes the server no longer has (their tombstones were purged),
 * unless they hold unsent edits, and moves the checkpoint to `last`, together.
 */
export async function finishFullResync(db: NotesDatabase, seen: ReadonlySet<string>, last: Checkpoint | undefined): Promise<void> {
  await db.transaction('rw', db.notes, db.outbox, db.meta, async () => {
    const pendingIds = new Set(await db.outbox.orderBy('noteId').uniqueKeys());
    const localIds = await db.notes.toCollection().primaryKeys();
    await db.notes.bulkDelete(localIds.filter((id) => !seen.has(id) && !pendingIds.has(id)));
    // An empty server leaves no checkpoint: the next pull is a first sync, with nothing to drop.
    if (last) await db.meta.put({ key: MetaKey.checkpoint, value: last });
    else await db.meta.delete(MetaKey.checkpoint);
  });
}
