/**
 * Where the sync engine stores the pages of notes it pulls and hears: in a dedicated worker
 * (page-merger.worker.ts), so a page of 1,000 notes costs the board's thread little more than
 * handing the page over, and on this thread when no worker can be had. The device's clock stays
 * here: it observes every page's stamps here, and the few notes whose merge needs a new stamp of
 * this device (an unsent edit of their text or checklist meeting another device's) come back from
 * the worker to be merged here, in a transaction that then moves the checkpoint past the page.
 */
import type { NotesDatabase } from './database.js';
import type { RemoteNote } from './remote-note.js';
import { applyRemotePage, observeStamps, pageCheckpoint, type PageOptions } from './sync-state.js';

/** Stores pages of remote notes (applyRemotePage's contract), one at a time or several at once. */
export interface RemotePageStore {
  apply(remoteNotes: RemoteNote[], options: Omit<PageOptions, 'through'>): Promise<void>;
  /**
   * Pages are about to come (a first sync): get ready for them now, while the first read is in
   * flight, so the first page is not held by a worker starting and opening its database.
   */
  prepare?(): void;
  /** Ends the worker, if any; a page being stored then fails (its transaction is undone). */
  close(): void;
}

/** A page for the worker, and the database it goes into. */
export interface PageRequest {
  id: number;
  database: string;
  notes: RemoteNote[];
  advanceCheckpoint: boolean;
  /** When resend entries are queued (this thread's clock: tests set it). */
  at: number;
}

/** Opens `database` in the worker ahead of its first page (no answer: a failure shows on that page). */
export interface PrepareRequest {
  prepare: string;
}

/** The worker's answer: the notes left for this thread, or what failed (by its cause's name). */
export type PageReply = { id: number; leftOut: RemoteNote[] } | { id: number; failure: { name: string; message: string } };

/** Far beyond any page's time here (a 1,000-note page takes well under a second), so only a worker that is gone reaches it. */
const WORKER_ANSWER_DEADLINE_MS = 30_000;

/** Stores every page on this thread: the fallback, and what tests outside a browser use. */
export function pageStoreOnThisThread(db: NotesDatabase): RemotePageStore {
  return { apply: (remoteNotes, options) => applyRemotePage(db, remoteNotes, options), close() {} };
}

/**
 * Stores a page in two parts, as the worker's store does: what needs no stamp of this device
 * through `mergeUnstamped` (applyRemotePageUnstamped, on another thread), then what that left out
 * here, on the clock's thread, moving the checkpoint past the whole page.
 */
export async function applyPageInTwoParts(
  db: NotesDatabase,
  remoteNotes: RemoteNote[],
  options: Omit<PageOptions, 'through'>,
  mergeUnstamped: (remoteNotes: RemoteNote[]) => Promise<RemoteNote[]>,
): Promise<void> {
  if (remoteNotes.length === 0) return;
  observeStamps(db.clock, remoteNotes);
  const leftOut = await mergeUnstamped(remoteNotes);
  if (leftOut.length === 0) return;
  await applyRemotePage(db, leftOut, { ...options, through: options.advanceCheckpoint ? pageCheckpoint(remoteNotes) : undefined });
}

/** The app's worker; vite builds it from this very expression. */
export function startPageWorker(): Worker {
  return new Worker(new URL('./page-merger.worker.ts', import.meta.url), { type: 'module', name: 'page-merger' });
}

/**
 * Stores pages through a worker, started on the first page. A worker that cannot start or load
 * (a browser without module workers, a missing script) is given up for good and the pages go on
 * on this thread: slower for the board, never lost.
 */
export class WorkerPageStore implements RemotePageStore {
  private worker: Worker | undefined;
  private unavailable = false;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (leftOut: RemoteNote[]) => void; reject: (error: Error) => void }>();
  private readonly onThisThread: RemotePageStore;

  constructor(
    private readonly db: NotesDatabase,
    private readonly startWorker: () => Worker = startPageWorker,
  ) {
    this.onThisThread = pageStoreOnThisThread(db);
  }

  async apply(remoteNotes: RemoteNote[], options: Omit<PageOptions, 'through'>): Promise<void> {
    if (remoteNotes.length === 0) return;
    const worker = this.unavailable ? undefined : this.ensureWorker();
    if (!worker) return this.onThisThread.apply(remoteNotes, options);
    try {
      await applyPageInTwoParts(this.db, remoteNotes, options, (notes) => this.send(worker, notes, options));
    } catch (error) {
      // Nothing was stored by a worker that could not run: the whole page goes here instead.
      if (!(error instanceof WorkerUnavailable)) throw error;
      await this.onThisThread.apply(remoteNotes, options);
    }
  }

  prepare(): void {
    const worker = this.unavailable ? undefined : this.ensureWorker();
    worker?.postMessage({ prepare: this.db.name } satisfies PrepareRequest);
  }

  close(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.failAll(new Error('Sync stopped while a page was being stored.'));
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker) return this.worker;
    try {
      const worker = this.startWorker();
      worker.onmessage = ({ data }: MessageEvent<PageReply>) => this.settle(data);
      // A script that failed to load or run: nothing it was sent was stored (no reply came).
      worker.onerror = (event) => {
        event.preventDefault();
        console.warn('The page-merging worker could not run; pages are stored on the page thread.', event.message);
        this.giveUp(worker);
      };
      worker.onmessageerror = () => this.giveUp(worker);
      this.worker = worker;
      return worker;
    } catch {
      this.unavailable = true;
      return undefined;
    }
  }

  private send(worker: Worker, notes: RemoteNote[], options: Omit<PageOptions, 'through'>): Promise<RemoteNote[]> {
    const id = this.nextId++;
    const request: PageRequest = { id, database: this.db.name, notes, advanceCheckpoint: options.advanceCheckpoint, at: options.now() };
    return new Promise<RemoteNote[]>((resolve, reject) => {
      // A worker that never answers (its thread gone, its storage stuck) must not hold sync for
      // good: it is given up, and the page stored here (merging it twice changes nothing).
      const deadline = setTimeout(() => {
        console.warn(`The page-merging worker did not answer within ${WORKER_ANSWER_DEADLINE_MS / 1000} s; pages are stored on the page thread.`);
        this.giveUp(worker);
      }, WORKER_ANSWER_DEADLINE_MS);
      this.waiting.set(id, {
        resolve: (leftOut) => {
          clearTimeout(deadline);
          resolve(leftOut);
        },
        reject: (error) => {
          clearTimeout(deadline);
          reject(error);
        },
      });
      worker.postMessage(request);
    });
  }

  private settle(reply: PageReply): void {
    const waiter = this.waiting.get(reply.id);
    if (!waiter) return;
    this.waiting.delete(reply.id);
    if ('leftOut' in reply) waiter.resolve(reply.leftOut);
    else waiter.reject(Object.assign(new Error(reply.failure.message), { name: reply.failure.name }));
  }

  private giveUp(worker: Worker): void {
    if (worker !== this.worker) return;
    worker.terminate();
    this.worker = undefined;
    this.unavailable = true;
    this.failAll(new WorkerUnavailable());
  }

  private failAll(error: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}

/** The worker could not run: the page goes to this thread instead. */
class WorkerUnavailable extends Error {
  constructor() {
    super('The page-merging worker could not run.');
  }
}
