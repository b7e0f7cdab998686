/**
 * The app's own merge of a page of the server's changes (the sync engine's page store: the
 * page-merging worker, what it runs for every page it pulls or hears) into a notes database of
 * this page, driven by
 * bench/benchmarks/content.ts, which reads the main thread's time around each call. Built with the
 * other bench pages (never part of the app's dist).
 */
import { NotesDatabase } from '../../src/db/database.js';
import { HybridClock } from '../../src/db/hlc.js';
import type { RemoteNote } from '../../src/db/remote-note.js';
import { WorkerPageStore } from '../../src/db/page-merger.js';
import { seedRemoteEdit, seedRemoteNote, type BoardContent } from '../lib/seed-notes.js';

export interface MergeBench {
  /** A new database, and a page of `count` notes new to it, then the same notes edited again elsewhere. */
  prepare(content: BoardContent, count: number, run: number): Promise<void>;
  /** Merges the prepared page ('new': a first sync's page; 'edited': the same notes changed since); returns its milliseconds. */
  apply(page: 'new' | 'edited'): Promise<number>;
  /** Deletes the database. */
  finish(): Promise<void>;
}

declare global {
  interface Window {
    mergeBench: MergeBench;
  }
}

let db: NotesDatabase | undefined;
let store: WorkerPageStore | undefined;
let pages: Record<'new' | 'edited', RemoteNote[]> = { new: [], edited: [] };

window.mergeBench = {
  async prepare(content, count, run) {
    db = new NotesDatabase(`merge-${content}-${run}`, new HybridClock('this-device'));
    await db.open();
    store = new WorkerPageStore(db);
    const at = Date.now() - 60_000;
    const fresh = Array.from({ length: count }, (_, i) => seedRemoteNote(i, content, at + i));
    pages = { new: fresh, edited: fresh.map((note, i) => seedRemoteEdit(note, at + count + i)) };
  },
  async apply(page) {
    const started = performance.now();
    await store!.apply(pages[page], { advanceCheckpoint: true, now: Date.now });
    return performance.now() - started;
  },
  async finish() {
    store?.close();
    await db?.delete();
    db = undefined;
  },
};
