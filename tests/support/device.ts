/**
 * One simulated device for sync tests: its own Dexie database in fake-indexeddb, a hybrid clock
 * on the test's fake time, a connection (FakeClient or any RemoteNotes) and a SyncEngine. The
 * test drives the engine step by step (pushOnce, catchUp, deliveries) instead of its run() loop,
 * so every interleaving is chosen by the test's seed. A crash drops the engine, the listener and
 * the Dexie handle at whatever point they are and reopens the same database with a new engine.
 */
import { NotesDatabase, type NoteRecord } from '../../src/db/database.js';
import { SyncEngine, type SyncEngineOptions } from '../../src/sync/engine.js';
import { HybridClock } from '../../src/sync/hlc.js';
import type { RemoteNote, RemoteNotes } from '../../src/sync/remote.js';

export class Device {
  db!: NotesDatabase;
  engine!: SyncEngine;
  /** Listener batches received and not yet applied: the test applies them as a step. */
  inbox: RemoteNote[][] = [];
  private unlisten: (() => void) | undefined;
  listening = false;
  crashes = 0;

  constructor(
    readonly id: string,
    readonly dbName: string,
    readonly remote: RemoteNotes & { disconnect?: () => void },
    readonly now: () => number,
    readonly engineOptions: SyncEngineOptions = {},
  ) {}

  async open(): Promise<this> {
    this.db = new NotesDatabase(this.dbName, new HybridClock(this.id, this.now));
    await this.db.open();
    this.engine = new SyncEngine(this.db, this.remote, { now: this.now, ...this.engineOptions });
    return this;
  }

  /** What the engine does when it starts: catch up from the checkpoint, then listen after it. */
  async start(): Promise<void> {
    await this.engine.catchUp();
    await this.listen();
  }

  async listen(): Promise<void> {
    this.unlisten?.();
    const after = await this.engine.checkpoint();
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
    for (const notes of batches) await this.engine.applyRemote(notes);
    return batches.length;
  }

  /** The device dies wherever it is: nothing in flight completes, the database reopens. */
  async crash(): Promise<void> {
    this.crashes += 1;
    this.unlisten?.();
    this.unlisten = undefined;
    this.listening = false;
    this.inbox = [];
    this.remote.disconnect?.();
    this.engine.stop();
    this.db.close();
    await this.open();
  }

  async notes(): Promise<NoteRecord[]> {
    return (await this.db.notes.toArray()).sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  async destroy(): Promise<void> {
    this.unlisten?.();
    this.engine.stop();
    await this.db.delete();
  }
}
