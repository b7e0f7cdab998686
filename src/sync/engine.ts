/**
 * The sync engine of one account on one device: pushes the outbox to the server and pulls the
 * server's changes into Dexie.
 *
 * Push: outbox entries in order, grouped per note, at most BATCH_NOTES notes per atomic write.
 * An entry leaves the outbox only after the server acknowledged it, so a crash, a closed tab or a
 * lost connection before that means it is sent again; resending is harmless (merge writes with the
 * same stamps). A change the server refuses for good is set aside on its entries (`rejected`) and
 * the rest of the queue goes on.
 *
 * Pull: changes after a persisted checkpoint, ordered by (server updatedAt, id) so notes sharing
 * a timestamp are never skipped; first in pages (with progress), then live. Each page or snapshot
 * is merged in one Dexie transaction with the checkpoint, so a crash never applies half a page or
 * moves the checkpoint past changes that were not stored.
 */
import Dexie from 'dexie';
import type { NoteRecord, NotesDatabase, OutboxEntry } from '../db/database.js';
import { EDITABLE_FIELDS, type EditableField, type NoteContent } from '../shared/note.js';
import { laterStamp } from './hlc.js';
import { mergeRemote } from './merge.js';
import {
  checkpointOf,
  compareCheckpoints,
  errorCode,
  isRejection,
  type Checkpoint,
  type RemoteNote,
  type RemoteNotes,
  type RemoteWrite,
} from './remote.js';

export const SYNC = {
  /** Firestore's limit for one batched write is 500 operations. */
  BATCH_NOTES: 500,
  /**
   * Notes per page while catching up, one page in flight at a time: well below the result sizes at
   * which Firestore's stream to the emulator fails and retries forever. (Fetching the next page
   * while storing the last, or pages of 2,000, were faster but a first sync then hung now and then.)
   */
  PAGE_NOTES: 1_000,
  /** Tombstones older than this may be purged on the server: a checkpoint this old resyncs fully. */
  TOMBSTONE_RETENTION_MS: 30 * 24 * 60 * 60 * 1000,
  /**
   * Times a refused change is re-merged with the server's copy and sent again before it is set
   * aside. A refusal is most often a race (another device's later edit landed first); under many
   * devices editing one note, the retry itself can lose another race.
   */
  REFUSAL_ATTEMPTS: 5,
  /** Waits between retries after a failure that may pass (offline, server busy). */
  RETRY_DELAYS_MS: [1_000, 2_000, 5_000, 10_000, 30_000, 60_000],
  CHECKPOINT_KEY: 'pull-checkpoint',
  STATUS_KEY: 'sync-status',
} as const;

/** What the person sees of sync; shared between tabs through the database. */
export interface SyncStatus {
  lastSyncedAt?: number;
  /** The first sync of a large account: notes received so far of the total. */
  progress?: { done: number; total: number };
  /** A failure that sync is retrying, in words. */
  error?: string;
}

export interface SyncEngineOptions {
  now?: () => number;
  /** Waits before retry number `attempt` (0-based); tests make it instant. */
  retryDelayMs?: (attempt: number) => number;
  sleep?: (ms: number) => Promise<void>;
  /** Notes per catch-up page (SYNC.PAGE_NOTES); tests make it small to put page boundaries anywhere. */
  pageNotes?: number;
}

export class SyncEngine {
  private readonly now: () => number;
  private readonly retryDelayMs: (attempt: number) => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly pageNotes: number;
  private stopped = false;
  /** Resolves on stop(), ending any backoff wait at once. */
  private readonly stopping: Promise<void>;
  private announceStop!: () => void;
  private unlisten: (() => void) | undefined;
  /** Remote changes are applied one batch at a time, in arrival order. */
  private applying: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;

  constructor(
    private readonly db: NotesDatabase,
    private readonly remote: RemoteNotes,
    options: SyncEngineOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.retryDelayMs = options.retryDelayMs ?? ((attempt) => SYNC.RETRY_DELAYS_MS[Math.min(attempt, SYNC.RETRY_DELAYS_MS.length - 1)]!);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.stopping = new Promise((resolve) => (this.announceStop = resolve));
    this.pageNotes = options.pageNotes ?? SYNC.PAGE_NOTES;
  }

  // ---- Push ------------------------------------------------------------------------------------

  /** Sends the oldest outbox entries (up to one batch). Returns how many notes were acknowledged or set aside. */
  async pushOnce(): Promise<number> {
    const entries = await this.db.outbox.orderBy('seq').filter((entry) => !entry.rejected).limit(SYNC.BATCH_NOTES * 4).toArray();
    const byNote = new Map<string, OutboxEntry[]>();
    for (const entry of entries) {
      if (!byNote.has(entry.noteId) && byNote.size === SYNC.BATCH_NOTES) break;
      byNote.set(entry.noteId, [...(byNote.get(entry.noteId) ?? []), entry]);
    }
    if (byNote.size === 0) return 0;
    const notes = await this.db.notes.bulkGet([...byNote.keys()]);
    const writes: { write: RemoteWrite; entries: OutboxEntry[] }[] = [];
    const orphans: number[] = [];
    [...byNote.values()].forEach((noteEntries, index) => {
      const note = notes[index];
      if (note) writes.push({ write: buildWrite(note, noteEntries), entries: noteEntries });
      else orphans.push(...noteEntries.map((entry) => entry.seq!));
    });
    if (orphans.length) await this.db.outbox.bulkDelete(orphans);
    try {
      await this.remote.write(writes.map((w) => w.write));
      await this.acknowledge(writes.flatMap((w) => w.entries));
    } catch (error) {
      if (!isRejection(error)) throw error;
      // One refused note must not hold back the others: find it by sending them one by one.
      for (const single of writes) await this.pushAlone(single.write.id, single.entries);
    }
    return byNote.size;
  }

  /**
   * Sends one note's change; if refused, re-merges with the server's copy and tries again, a few
   * times, before setting it aside. A change whose every field already holds a later (or the same)
   * edit on the server lost its race everywhere: it is done, with nothing left to send.
   */
  private async pushAlone(noteId: string, entries: OutboxEntry[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const note = await this.db.notes.get(noteId);
      if (!note) return this.acknowledge(entries);
      try {
        await this.remote.write([buildWrite(note, entries)]);
        return this.acknowledge(entries);
      } catch (error) {
        if (!isRejection(error)) throw error;
        if (attempt < SYNC.REFUSAL_ATTEMPTS) {
          const current = await this.remote.get(noteId);
          if (current) {
            await this.applyRemote([current], { advanceCheckpoint: false });
            if (supersededOnServer(note, current, entries)) return this.acknowledge(entries);
          }
          continue;
        }
        const rejected = { code: errorCode(error) || 'rejected', message: describeRejection(error) };
        await this.db.outbox.bulkUpdate(entries.map((entry) => ({ key: entry.seq!, changes: { rejected } })));
        return;
      }
    }
  }

  private async acknowledge(entries: OutboxEntry[]): Promise<void> {
    await this.db.outbox.bulkDelete(entries.map((entry) => entry.seq!));
  }

  async pushAll(): Promise<void> {
    while ((await this.pushOnce()) > 0) {
      // keep going until the outbox holds nothing sendable
    }
  }

  // ---- Pull ------------------------------------------------------------------------------------

  async checkpoint(): Promise<Checkpoint | undefined> {
    return (await this.db.meta.get(SYNC.CHECKPOINT_KEY))?.value as Checkpoint | undefined;
  }

  /**
   * Merges remote notes into the local database in one transaction, queues fields this device
   * knows newer edits of, and (normally) moves the checkpoint past them.
   */
  async applyRemote(remoteNotes: RemoteNote[], options = { advanceCheckpoint: true }): Promise<void> {
    if (remoteNotes.length === 0) return;
    const db = this.db;
    await db.transaction('rw', db.notes, db.outbox, db.meta, async () => {
      const locals = await db.notes.bulkGet(remoteNotes.map((note) => note.id));
      const changed: NoteRecord[] = [];
      const resend: OutboxEntry[] = [];
      const latest = new Map<string, NoteRecord | undefined>();
      remoteNotes.forEach((remoteNote, index) => latest.set(remoteNote.id, locals[index]));
      for (const remoteNote of remoteNotes) {
        for (const stamp of Object.values(remoteNote.clocks)) db.clock.observe(stamp);
        const result = mergeRemote(latest.get(remoteNote.id), remoteNote);
        latest.set(remoteNote.id, result.note);
        if (result.changed) changed.push(result.note);
        if (result.newerHere.length) {
          resend.push({ noteId: remoteNote.id, fields: result.newerHere, created: false, queuedAt: this.now() });
        }
      }
      if (changed.length) await db.notes.bulkPut(changed);
      if (resend.length) await db.outbox.bulkAdd(resend);
      if (options.advanceCheckpoint) {
        const last = remoteNotes.map(checkpointOf).reduce((a, b) => (compareCheckpoints(a, b) >= 0 ? a : b));
        const current = (await db.meta.get(SYNC.CHECKPOINT_KEY))?.value as Checkpoint | undefined;
        if (!current || compareCheckpoints(last, current) > 0) await db.meta.put({ key: SYNC.CHECKPOINT_KEY, value: last });
      }
    });
  }

  /**
   * Pulls every change after the checkpoint, page by page, reporting progress. A checkpoint older
   * than the tombstone retention resyncs from the start and drops local notes the server no
   * longer has (their tombstones were purged), unless they hold unsent edits.
   */
  async catchUp(): Promise<void> {
    let after = await this.checkpoint();
    const fullResync = after !== undefined && after.time.seconds * 1000 < this.now() - SYNC.TOMBSTONE_RETENTION_MS;
    if (fullResync) after = undefined;
    const seen = fullResync ? new Set<string>() : undefined;
    const total = after === undefined ? await this.remote.countAfter(undefined) : 0;
    let done = 0;
    let last: Checkpoint | undefined;
    for (;;) {
      const page = await this.remote.fetchPage(after, this.pageNotes);
      const more = page.length === this.pageNotes;
      // A full resync keeps the old checkpoint until it has dropped what the server forgot: if it
      // moved page by page, a crash midway would leave a recent checkpoint, the next start would
      // not resync, and purged notes would stay on this device for good.
      await this.applyRemote(page, { advanceCheckpoint: !fullResync });
      for (const note of page) seen?.add(note.id);
      done += page.length;
      if (page.length) last = checkpointOf(page[page.length - 1]!);
      if (total > this.pageNotes) await this.setStatus({ progress: { done: Math.min(done, total), total } });
      if (!more) break;
      after = last;
    }
    if (seen) await this.dropNotesMissingFrom(seen, last);
    await this.setStatus({ progress: undefined, lastSyncedAt: this.now(), error: undefined });
  }

  /** Ends a full resync: drops what the server forgot and moves the checkpoint, together. */
  private async dropNotesMissingFrom(seen: Set<string>, last: Checkpoint | undefined): Promise<void> {
    const db = this.db;
    await db.transaction('rw', db.notes, db.outbox, db.meta, async () => {
      const pendingIds = new Set(await db.outbox.orderBy('noteId').uniqueKeys());
      const localIds = await db.notes.toCollection().primaryKeys();
      await db.notes.bulkDelete(localIds.filter((id) => !seen.has(id) && !pendingIds.has(id)));
      // An empty server leaves no checkpoint: the next pull is a first sync, with nothing to drop.
      if (last) await db.meta.put({ key: SYNC.CHECKPOINT_KEY, value: last });
      else await db.meta.delete(SYNC.CHECKPOINT_KEY);
    });
  }

  // ---- Running ---------------------------------------------------------------------------------

  /** Runs until stop(): catches up, then listens and pushes, retrying failures with backoff. */
  async run(): Promise<void> {
    const outboxWatch = Dexie.liveQuery(() => this.db.outbox.count()).subscribe({ next: () => this.wake?.(), error: () => {} });
    try {
      await Promise.all([this.pullLoop(), this.pushLoop()]);
    } finally {
      outboxWatch.unsubscribe();
    }
  }

  stop(): void {
    this.stopped = true;
    this.announceStop();
    this.unlisten?.();
    this.wake?.();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  private async pullLoop(): Promise<void> {
    for (let attempt = 0; !this.stopped; ) {
      try {
        await this.catchUp();
        attempt = 0;
        // Live until the listener fails; then catch up again from the checkpoint.
        const after = await this.checkpoint();
        if (this.stopped) break;
        await new Promise<void>((resolve) => {
          const unsubscribe = this.remote.listen(
            after,
            (notes) => {
              this.applying = this.applying
                .then(() => this.applyRemote(notes))
                .then(() => this.setStatus({ lastSyncedAt: this.now(), error: undefined }))
                .catch((error: unknown) => this.setStatus({ error: describeFailure(error) }))
                .catch(() => undefined);
            },
            (error) => {
              void this.setStatus({ error: describeFailure(error) }).catch(() => undefined);
              resolve();
            },
          );
          // stop() ends the wait too: run() must return, or this tab would keep the sync lock.
          this.unlisten = () => {
            unsubscribe();
            resolve();
          };
        });
        this.unlisten?.();
      } catch (error) {
        await this.setStatus({ error: describeFailure(error) });
      }
      await this.backOff(attempt++);
    }
  }

  private async pushLoop(): Promise<void> {
    for (let attempt = 0; !this.stopped; ) {
      try {
        const pushed = await this.pushOnce();
        attempt = 0;
        if (pushed > 0) {
          await this.setStatus({ lastSyncedAt: this.now(), error: undefined });
          continue;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
      } catch (error) {
        await this.setStatus({ error: describeFailure(error) });
        await this.backOff(attempt++);
      }
    }
  }

  /** Waits before a retry; stop() ends the wait, so run() returns promptly and frees the sync lock. */
  private async backOff(attempt: number): Promise<void> {
    if (!this.stopped) await Promise.race([this.sleep(this.retryDelayMs(attempt)), this.stopping]);
  }

  /** Wakes the push loop now (say, the connection came back). */
  nudge(): void {
    this.wake?.();
  }

  /**
   * Records what the status line shows. Nothing after stop(): the notes database may be closing
   * (sign-out, another account) and a stopped engine has nothing more to say.
   */
  private async setStatus(change: Partial<SyncStatus>): Promise<void> {
    if (this.stopped) return;
    await this.db.transaction('rw', this.db.meta, async () => {
      const current = ((await this.db.meta.get(SYNC.STATUS_KEY))?.value ?? {}) as SyncStatus;
      await this.db.meta.put({ key: SYNC.STATUS_KEY, value: { ...current, ...change } });
    });
  }
}

/** True when the server holds an edit at least as late as ours for every field the entries changed. */
function supersededOnServer(ours: NoteRecord, server: RemoteNote, entries: OutboxEntry[]): boolean {
  const fields = new Set(entries.flatMap((entry) => (entry.created ? EDITABLE_FIELDS : entry.fields)));
  return [...fields].every((field) => {
    const theirs = server.clocks[field];
    return theirs !== undefined && laterStamp(ours.clocks[field], theirs) === theirs;
  });
}

/** The change to send for one note: the fields its entries name, as the note holds them now. */
export function buildWrite(note: NoteRecord, entries: OutboxEntry[]): RemoteWrite {
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
    (values as Record<EditableField, unknown>)[field] = note[field];
    if (note.clocks[field]) clocks[field] = note.clocks[field];
  }
  return { id: note.id, created, values, clocks, createdAt: note.createdAt };
}

export function describeRejection(error: unknown): string {
  switch (errorCode(error)) {
    case 'permission-denied':
      return 'The server refused this change (not allowed for this account, or the note is not valid).';
    case 'invalid-argument':
      return 'The server refused this change as invalid.';
    default:
      return 'The server refused this change.';
  }
}

export function describeFailure(error: unknown): string {
  switch (errorCode(error)) {
    case 'unavailable':
      return 'Cannot reach the server. Changes are kept and sent when the connection is back.';
    case 'unauthenticated':
      return 'Your sign-in has expired. Sign in again to keep syncing; nothing is lost.';
    case 'permission-denied':
      return 'This account is not allowed to sync these notes.';
    case 'resource-exhausted':
      return 'The server is over its quota right now. Sync will retry.';
    default:
      return `Sync failed${errorCode(error) ? ` (${errorCode(error)})` : ''}; retrying.`;
  }
}

/**
 * Drops changes the server refused, and lets the server's version of those fields win again:
 * their local stamps are cleared and the pull starts over, so the next catch-up brings the
 * server's values back. Restart sync afterwards.
 */
export async function discardRejectedChanges(db: NotesDatabase): Promise<number> {
  return db.transaction('rw', db.notes, db.outbox, db.meta, async () => {
    const rejected = (await db.outbox.toArray()).filter((entry) => entry.rejected);
    for (const entry of rejected) {
      const note = await db.notes.get(entry.noteId);
      if (!note) continue;
      const clocks = { ...note.clocks };
      for (const field of entry.fields) delete clocks[field];
      await db.notes.update(entry.noteId, { clocks });
    }
    await db.outbox.bulkDelete(rejected.map((entry) => entry.seq!));
    if (rejected.length) await db.meta.delete(SYNC.CHECKPOINT_KEY);
    return rejected.length;
  });
}

/** The outbox as the status line shows it. */
export async function summarizeOutbox(db: NotesDatabase): Promise<{ pending: number; rejected: { noteId: string; message: string }[] }> {
  const entries = await db.outbox.toArray();
  return {
    pending: entries.length,
    rejected: entries.filter((entry) => entry.rejected).map((entry) => ({ noteId: entry.noteId, message: entry.rejected!.message })),
  };
}

export async function readSyncStatus(db: NotesDatabase): Promise<SyncStatus | undefined> {
  return (await db.meta.get(SYNC.STATUS_KEY))?.value as SyncStatus | undefined;
}
