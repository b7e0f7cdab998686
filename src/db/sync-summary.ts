/**
 * What the app shows and does about sync without the sync engine: the status line's record and
 * outbox summary, and discarding the changes the server refused. Apart from sync-state.ts (the
 * engine's side, with the merge) so the board's first paint does not carry the engine's store code.
 */
import { MetaKey, type NotesDatabase, type OutboxEntry, type SyncStatus } from './database.js';

/** The outbox as the status line shows it. */
export interface OutboxSummary {
  pending: number;
  rejected: { noteId: string; message: string }[];
}

const withSeq = (entries: OutboxEntry[]): (OutboxEntry & { seq: number })[] =>
  entries.filter((entry): entry is OutboxEntry & { seq: number } => entry.seq !== undefined);

export async function readSyncStatus(db: NotesDatabase): Promise<SyncStatus | undefined> {
  const record = await db.meta.get(MetaKey.syncStatus);
  return record?.key === MetaKey.syncStatus ? record.value : undefined;
}

export async function summarizeOutbox(db: NotesDatabase): Promise<OutboxSummary> {
  const entries = await db.outbox.toArray();
  const rejected = entries.flatMap((entry) => (entry.rejected ? [{ noteId: entry.noteId, message: entry.rejected.message }] : []));
  return { pending: entries.length, rejected };
}

/**
 * Drops changes the server refused, and lets the server's version of those fields win again:
 * their local stamps are cleared and the pull starts over, so the next catch-up brings the
 * server's values back. Restart sync afterwards.
 */
export async function discardRejectedChanges(db: NotesDatabase): Promise<number> {
  return db.transaction('rw', db.notes, db.outbox, db.meta, async () => {
    const rejected = withSeq((await db.outbox.toArray()).filter((entry) => entry.rejected));
    for (const entry of rejected) {
      const note = await db.notes.get(entry.noteId);
      if (!note) continue;
      const clocks = { ...note.clocks };
      for (const field of entry.fields) delete clocks[field];
      await db.notes.update(entry.noteId, { clocks });
    }
    await db.outbox.bulkDelete(rejected.map((entry) => entry.seq));
    if (rejected.length) await db.meta.delete(MetaKey.checkpoint);
    return rejected.length;
  });
}
