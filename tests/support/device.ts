/**
 * One simulated device for sync tests: its own Dexie database in fake-indexeddb, a hybrid clock
 * on the test's fake time, a connection (FakeClient or any RemoteNotes) and a SyncEngine.
 *
 * Two ways to drive it. Step by step (start, pushOnce, catchUp, applyInbox): the test chooses every
 * interleaving, for one protocol behaviour at a time. Or through the engine's own run loop
 * (run(), which pushes when the outbox changes, pulls, listens and backs off by itself), for tests
 * of the engine's concurrency. A crash drops the engine, the listener and the Dexie handle at
 * whatever point they are and reopens the same database with a new engine (running again when it was).
 */
import { MetaKey, NotesDatabase, type MetaRecord, type NoteRecord, type SyncStatus } from '../../src/db/database.js';
import { HybridClock } from '../../src/db/hlc.js';
import type { RemoteNote } from '../../src/db/remote-note.js';
import { applyPageInTwoParts, pageStoreOnThisThread, type RemotePageStore } from '../../src/db/page-merger.js';
import { applyRemotePageUnstamped, readCheckpoint } from '../../src/db/sync-state.js';
import { SyncEngine, type SyncEngineOptions } from '../../src/sync/engine.js';
import { LabelSync, type RemoteLabels } from '../../src/sync/label-sync.js';
import type { RemoteNotes } from '../../src/sync/remote.js';

export class Device {
  db!: NotesDatabase;
  /**
   * With pagesInTwoParts, a second connection to the same database without this device's clock:
   * what the app's page-merging worker holds.
   */
  private workerDb: NotesDatabase | undefined;
  private pages!: RemotePageStore;
  engine!: SyncEngine;
  /** Label sync, when the device was given a label server (labelRemote). */
  labelSync: LabelSync | undefined;
  private labelsRunning: Promise<void> | undefined;
  /** Listener batches received and not yet applied: the test applies them as a step. */
  inbox: RemoteNote[][] = [];
  private unlisten: (() => void) | undefined;
  listening = false;
  crashes = 0;
  /** The engine's run() while it runs (see run()). */
  running: Promise<void> | undefined;

  constructor(
    readonly id: string,
    readonly dbName: string,
    readonly remote: RemoteNotes & { disconnect?: () => void },
    readonly now: () => number,
    readonly engineOptions: SyncEngineOptions = {},
    readonly labelRemote?: RemoteLabels,
    /** Store pages as the app's worker store does (page-merger.ts), the unstamped part on a connection of its own. */
    readonly pagesInTwoParts = false,
  ) {}

  async open(): Promise<this> {
    this.db = new NotesDatabase(this.dbName, new HybridClock(this.id, this.now));
    await this.db.open();
    this.pages = pageStoreOnThisThread(this.db);
    if (this.pagesInTwoParts) {
      const workerDb = (this.workerDb = new NotesDatabase(this.dbName));
      const db = this.db;
      this.pages = {
        apply: (notes, options) => applyPageInTwoParts(db, notes, options, (page) => applyRemotePageUnstamped(workerDb, page, options)),
        close: () => undefined,
      };
    }
    this.makeEngines();
    return this;
  }

  private makeEngines(): void {
    this.engine = new SyncEngine(this.db, this.remote, { now: this.now, pages: this.pages, ...this.engineOptions });
    if (this.labelRemote) this.labelSync = new LabelSync(this.db, this.labelRemote, { retryDelayMs: this.engineOptions.retryDelayMs, sleep: this.engineOptions.sleep });
  }


  /** Starts the engine's own loop; a failure it lets escape fails the test at stop(). */
  run(): void {
    this.running = this.engine.run();
    this.labelsRunning = this.labelSync?.run();
  }

  /** Stops the run loop and waits until it has returned. */
  async stop(): Promise<void> {
    this.engine.stop();
    this.labelSync?.stop();
    const [running, labelsRunning] = [this.running, this.labelsRunning];
    this.running = this.labelsRunning = undefined;
    await running;
    await labelsRunning;
  }

  /** Step by step: what the engine does when it starts: catch up from the checkpoint, then listen after it. */
  async start(): Promise<void> {
    await this.engine.catchUp();
    await this.listen();
  }

  async listen(): Promise<void> {
    this.unlisten?.();
    const after = await readCheckpoint(this.db);
    this.unlisten = this.remote.listen(
      after,
      (notes) => this.inbox.push(notes),
      () => {
        this.listening = false;
      },
    );
    this.listening = true;
  }

  /** Applies the listener batches received so far, in arrival order, as the engine's listener does. */
  async applyInbox(): Promise<number> {
    const batches = this.inbox.splice(0);
    for (const notes of batches) await this.pages.apply(notes, { advanceCheckpoint: true, now: this.now });
    return batches.length;
  }

  /**
   * The device dies wherever it is: nothing in flight completes, the database reopens. A run loop
   * cut off this way is not awaited (a write may never be answered); it fails nothing, since a
   * stopped engine records nothing, and its steps on the closed database end in errors it catches.
   */
  async crash(): Promise<void> {
    this.crashes += 1;
    const wasRunning = this.running !== undefined;
    this.running?.catch(() => undefined);
    this.labelsRunning?.catch(() => undefined);
    this.running = this.labelsRunning = undefined;
    this.unlisten?.();
    this.unlisten = undefined;
    this.listening = false;
    this.inbox = [];
    this.remote.disconnect?.();
    this.engine.stop();
    this.labelSync?.stop();
    this.db.close();
    this.workerDb?.close();
    await this.open();
    if (wasRunning) this.run();
  }

  async notes(): Promise<NoteRecord[]> {
    return (await this.db.notes.toArray()).sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  async destroy(): Promise<void> {
    this.unlisten?.();
    this.engine.stop();
    this.labelSync?.stop();
    this.running?.catch(() => undefined);
    this.labelsRunning?.catch(() => undefined);
    this.workerDb?.close();
    await this.db.delete();
  }
}

/** One field of every sync status written to `db` from now on, in order (the status line's history). */
export function recordSyncStatus<K extends keyof SyncStatus>(db: NotesDatabase, field: K): SyncStatus[K][] {
  const values: SyncStatus[K][] = [];
  const put = db.meta.put.bind(db.meta);
  db.meta.put = ((record: MetaRecord) => {
    if (record.key === MetaKey.syncStatus) values.push(record.value[field]);
    return put(record);
  }) as typeof db.meta.put;
  return values;
}
