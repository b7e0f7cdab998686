/**
 * An in-memory Firestore for the sync engine's unit tests: it implements RemoteNotes with the
 * semantics the engine relies on, and lets a test inject the faults a real network has.
 *
 * Semantics kept from Firestore and firestore.rules:
 * - Writes are merge writes: named fields replace, the `clocks` map merges key by key.
 * - A batch is atomic, and every write of a batch gets the one server timestamp of that batch
 *   (request.time), so many notes share a timestamp. Timestamps never go backwards and are
 *   strictly increasing per document. With `repeatTimestamps`, a batch may reuse the previous
 *   batch's timestamp, as long as no read has happened since: Firestore's commit timestamps are
 *   equal across documents at most for commits that a later read sees together, never for a commit
 *   made after a read (or a listener event) that could already have passed that timestamp.
 * - The rules' checks that matter: a write to a missing document that is not a create is refused
 *   (the key set would be incomplete), a tombstone must have empty text, text <= 20,000 characters,
 *   createdAt never changes, a palette color, clocks only for editable fields, a field's stamp never
 *   goes backwards, a text edit that names the text it was made from lands only on that text. Any refused write
 *   refuses the whole batch with code 'permission-denied'. At most 500 writes per batch.
 * - Listeners deliver the current version of each changed document after their query's start
 *   (like a snapshot's docChanges); a listener that was offline gets what it missed, coalesced,
 *   when its client is back online; a new listener first gets every matching document.
 *
 * Faults, per client (one client = one device's connection): offline, acknowledgement dropped
 * (applied, then the promise rejects 'unavailable'), acknowledgement hanging forever (applied,
 * never settles: the device crashes before hearing back), page reads that never answer (a stalled
 * stream, until reconnect() if so asked), refused note ids, and listener
 * deliveries held for the test to flush, duplicated, reordered within a delivery and with stale versions replayed.
 * Every random choice comes from the seeded PRNG handed in, so a failure replays by seed.
 */
import { EDITABLE_FIELDS, MAX_CHECKLIST_ITEMS, MAX_NOTE_LABELS, MAX_NOTE_TEXT_LENGTH, MERGED_FIELDS, NOTE_COLORS, isOrderKey, type EditableField } from '../../src/shared/note.js';
import { compareCheckpoints, type Checkpoint, type RemoteNote, type ServerTime } from '../../src/db/remote-note.js';
import type { RemoteNotes, RemoteWrite } from '../../src/sync/remote.js';
import type { Random } from './random.js';

export class ServerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'FirebaseError';
  }
}

const MAX_BATCH = 500;

export interface FakeServerOptions {
  /** Milliseconds on the test's clock; server timestamps are never earlier than this. */
  now: () => number;
  random: Random;
  /** Lets consecutive batches share one timestamp when no read came between them. */
  repeatTimestamps?: boolean;
}

interface Listener {
  after: Checkpoint | undefined;
  onChanges: (notes: RemoteNote[]) => void;
  onError: (error: unknown) => void;
  /** Ids changed while the client was offline: delivered (current version) once it is back. */
  missed: Set<string>;
  active: boolean;
}

export interface Acknowledged {
  id: string;
  field: EditableField;
  stamp: string;
  value: unknown;
}

export class FakeServer {
  readonly docs = new Map<string, RemoteNote>();
  private lastTime: ServerTime = { seconds: 0, nanoseconds: 0 };
  private readSinceLastWrite = true;
  private readonly clients: FakeClient[] = [];
  /** Note ids whose writes the "rules" refuse (a test's way of making a change invalid). */
  readonly refusedIds = new Set<string>();
  /**
   * Note ids whose reads are refused too: with refusedIds, a server that cannot judge a write
   * (the emulator's rules lookups failing under load refuse the write and the read of the note).
   */
  readonly unreadableIds = new Set<string>();
  /** Every field value the server took, with its stamp: the record of acknowledged edits. */
  readonly accepted: Acknowledged[] = [];
  batches = 0;
  /** While true, every batch reuses the last timestamp (when no read came between and per-document order allows). */
  holdTime = false;

  constructor(private readonly options: FakeServerOptions) {}

  client(deviceId: string): FakeClient {
    const client = new FakeClient(this, deviceId, this.options.random);
    this.clients.push(client);
    return client;
  }

  private nextTime(ids: string[]): ServerTime {
    const floor = millisToTime(this.options.now());
    const repeat =
      (this.holdTime || (this.options.repeatTimestamps && this.options.random.chance(0.5))) &&
      !this.readSinceLastWrite &&
      ids.every((id) => !sameTime(this.docs.get(id)?.updatedAt, this.lastTime));
    if (!repeat) {
      const bumped = addNanos(this.lastTime, 1_000);
      this.lastTime = compareTime(floor, bumped) > 0 ? floor : bumped;
    }
    this.readSinceLastWrite = false;
    return this.lastTime;
  }

  /** A read: later commits must get a later timestamp than anything this read could see. */
  markRead(): void {
    this.readSinceLastWrite = true;
  }

  /** Applies a batch atomically or refuses all of it. Returns the documents as written. */
  commit(deviceId: string, changes: RemoteWrite[]): RemoteNote[] {
    if (changes.length > MAX_BATCH) throw new ServerError('invalid-argument', `a batch holds at most ${MAX_BATCH} writes`);
    const ids = new Set<string>();
    const drafts: RemoteNote[] = [];
    for (const change of changes) {
      if (ids.has(change.id)) throw new ServerError('invalid-argument', `note ${change.id} written twice in one batch`);
      ids.add(change.id);
      drafts.push(this.draft(deviceId, change));
    }
    const time = this.nextTime([...ids]);
    this.batches += 1;
    const written = drafts.map((draft) => ({ ...draft, updatedAt: time }));
    for (const [index, doc] of written.entries()) {
      this.docs.set(doc.id, doc);
      const change = changes[index]!;
      for (const field of EDITABLE_FIELDS) {
        if (field in change.values && change.clocks[field]) {
          this.accepted.push({ id: doc.id, field, stamp: change.clocks[field]!, value: change.values[field] });
        }
      }
    }
    for (const client of this.clients) client.notify(written);
    return written;
  }

  /** The document after one merge write, checked as firestore.rules would (updatedAt set later). */
  private draft(deviceId: string, change: RemoteWrite): RemoteNote {
    const existing = this.docs.get(change.id);
    if (this.refusedIds.has(change.id)) throw new ServerError('permission-denied', `note ${change.id} is refused by this test`);
    if (!existing && !change.created) {
      throw new ServerError('permission-denied', `note ${change.id} does not exist and the write is not a create: incomplete key set`);
    }
    for (const field of Object.keys(change.clocks)) {
      if (!(EDITABLE_FIELDS as readonly string[]).includes(field)) throw new ServerError('permission-denied', `unknown clock ${field}`);
    }
    const base: RemoteNote = existing ?? {
      id: change.id,
      text: '',
      color: 'yellow',
      pinned: false,
      done: false,
      trashed: false,
      deleted: false,
      createdAt: change.createdAt,
      updatedAt: { seconds: 0, nanoseconds: 0 },
      updatedBy: deviceId,
      clocks: {},
    };
    if (!existing) {
      // A create must name every field itself: the rules check the whole key set (order,
      // archived, items, labels and reminder are optional: app versions before them write none).
      for (const field of EDITABLE_FIELDS) {
        if (!OPTIONAL_FIELDS.includes(field) && !(field in change.values)) throw new ServerError('permission-denied', `create of ${change.id} lacks ${field}`);
      }
    }
    for (const [field, stamp] of Object.entries(change.clocks)) {
      const held = existing?.clocks[field as keyof RemoteNote['clocks']];
      if (held !== undefined && (stamp ?? '') < held) {
        throw new ServerError('permission-denied', `${field} of ${change.id} carries an older stamp than the server holds`);
      }
    }
    // editOnItsBase in the rules: an edit of a merged field that names its base lands only on it.
    for (const field of MERGED_FIELDS) {
      const held = existing?.clocks[field] ?? '';
      const edit = change.edits?.[field];
      if (existing && edit && change.clocks[field] === edit.stamp && change.clocks[field] !== held && edit.from !== held) {
        throw new ServerError('permission-denied', `${field} of ${change.id} was edited from a value the server no longer holds`);
      }
    }
    if (existing && change.created && change.createdAt !== existing.createdAt) {
      throw new ServerError('permission-denied', `createdAt of ${change.id} cannot change`);
    }
    const doc: RemoteNote = {
      ...base,
      ...structuredClone(change.values),
      updatedBy: deviceId,
      clocks: { ...base.clocks, ...change.clocks },
      ...(change.edits ? { edits: { ...base.edits, ...structuredClone(change.edits) } } : {}),
    };
    if (doc.text.length > MAX_NOTE_TEXT_LENGTH) throw new ServerError('permission-denied', `text of ${change.id} is too long`);
    if (doc.deleted && doc.text !== '') throw new ServerError('permission-denied', `tombstone ${change.id} has text`);
    if (!(NOTE_COLORS as readonly string[]).includes(doc.color)) throw new ServerError('permission-denied', `bad color ${doc.color}`);
    for (const field of ['pinned', 'done', 'trashed', 'deleted'] as const) {
      if (typeof doc[field] !== 'boolean') throw new ServerError('permission-denied', `${field} is not a bool`);
    }
    if (doc.order !== undefined && !isOrderKey(doc.order)) throw new ServerError('permission-denied', `bad order of ${change.id}`);
    if (doc.archived !== undefined && typeof doc.archived !== 'boolean') throw new ServerError('permission-denied', `archived of ${change.id} is not a bool`);
    if (doc.clocks.archived !== undefined && doc.archived === undefined) throw new ServerError('permission-denied', `archived clock of ${change.id} without a value`);
    if (doc.items !== undefined && (!Array.isArray(doc.items) || doc.items.length > MAX_CHECKLIST_ITEMS)) throw new ServerError('permission-denied', `items of ${change.id} are not a list of at most ${MAX_CHECKLIST_ITEMS}`);
    if (doc.clocks.items !== undefined && doc.items === undefined) throw new ServerError('permission-denied', `items clock of ${change.id} without a value`);
    if (doc.labels !== undefined && (!Array.isArray(doc.labels) || doc.labels.length > MAX_NOTE_LABELS)) throw new ServerError('permission-denied', `labels of ${change.id} are not a list of at most ${MAX_NOTE_LABELS}`);
    if (doc.clocks.labels !== undefined && doc.labels === undefined) throw new ServerError('permission-denied', `labels clock of ${change.id} without a value`);
    return doc;
  }

  /** Documents after the checkpoint in (updatedAt, id) order. */
  after(after: Checkpoint | undefined): RemoteNote[] {
    this.markRead();
    return [...this.docs.values()]
      .filter((doc) => !after || compareCheckpoints({ time: doc.updatedAt, id: doc.id }, after) > 0)
      .sort((a, b) => compareCheckpoints({ time: a.updatedAt, id: a.id }, { time: b.updatedAt, id: b.id }))
      .map((doc) => structuredClone(doc));
  }

  /** Where the newest change stands: a device whose checkpoint is here has pulled everything. */
  head(): Checkpoint | undefined {
    let newest: Checkpoint | undefined;
    for (const doc of this.docs.values()) {
      const position = { time: doc.updatedAt, id: doc.id };
      if (!newest || compareCheckpoints(position, newest) > 0) newest = position;
    }
    return newest;
  }

  /** What a purge job does: tombstones older than the cutoff disappear from the server. */
  purgeTombstones(olderThanMs: number): string[] {
    const purged = [...this.docs.values()].filter((doc) => doc.deleted && timeToMillis(doc.updatedAt) < olderThanMs).map((doc) => doc.id);
    for (const id of purged) this.docs.delete(id);
    return purged;
  }

  /** Seeds documents directly, as other devices wrote them earlier (one batch per 500). */
  seed(deviceId: string, writes: RemoteWrite[]): void {
    for (let i = 0; i < writes.length; i += MAX_BATCH) this.commit(deviceId, writes.slice(i, i + MAX_BATCH));
  }
}

export class FakeClient implements RemoteNotes {
  online = true;
  /** Fault switches, each consumed by the next write. */
  dropNextAck = false;
  hangNextAck = false;
  /** When set, the next write is applied and its acknowledgement waits until the test calls the release. */
  holdNextAck = false;
  release: (() => void) | undefined;
  /** Probabilities of faults on each write / delivery (0 = never). */
  faults = { dropAck: 0, duplicate: 0, reorder: 0, stale: 0 };
  /** When false, listener deliveries wait in `queue` until flush(); when true they go out at once. */
  autoDeliver = true;
  readonly queue: { listener: Listener; notes: RemoteNote[] }[] = [];
  private readonly listeners = new Set<Listener>();
  get listening(): number {
    return this.listeners.size;
  }
  /** Versions delivered before, replayed later as stale duplicates. */
  private readonly history: RemoteNote[] = [];
  writes = 0;
  /**
   * Page reads (fetchPage) that never answer, like a WebChannel stream that stopped: each read
   * consumes one. With `stallUntilReconnect`, every read stalls until reconnect() is called.
   */
  stallPageReads = 0;
  stallUntilReconnect = false;
  /** The streamed download, when a test serves one (download-server.ts); page reads alone without it. */
  download?: RemoteNotes['download'];
  /** The newest notes first, when a test offers it (a first sync stores them before the rest). */
  fetchNewest?: RemoteNotes['fetchNewest'];
  /** Page reads asked for, stalled or not, and reconnect() calls. */
  pageReads = 0;
  reconnects = 0;

  constructor(
    readonly server: FakeServer,
    readonly deviceId: string,
    private readonly random: Random,
  ) {}

  private offlineError(): ServerError {
    return new ServerError('unavailable', `${this.deviceId} is offline`);
  }

  async write(changes: RemoteWrite[]): Promise<void> {
    await Promise.resolve();
    if (!this.online) throw this.offlineError();
    this.writes += 1;
    this.server.commit(this.deviceId, structuredClone(changes));
    if (this.holdNextAck) {
      this.holdNextAck = false;
      return new Promise<void>((resolve) => {
        this.release = () => {
          this.release = undefined;
          resolve();
        };
      });
    }
    if (this.hangNextAck) {
      this.hangNextAck = false;
      return new Promise<void>(() => {});
    }
    if (this.dropNextAck || this.random.chance(this.faults.dropAck)) {
      this.dropNextAck = false;
      throw new ServerError('unavailable', 'the acknowledgement was lost on the way back');
    }
  }

  async fetchPage(after: Checkpoint | undefined, limit: number): Promise<RemoteNote[]> {
    this.pageReads += 1;
    if (this.stallUntilReconnect || this.stallPageReads > 0) {
      this.stallPageReads = Math.max(0, this.stallPageReads - 1);
      return new Promise<RemoteNote[]>(() => {});
    }
    await Promise.resolve();
    if (!this.online) throw this.offlineError();
    return this.server.after(after).slice(0, limit);
  }

  async reconnect(): Promise<void> {
    await Promise.resolve();
    this.reconnects += 1;
    this.stallUntilReconnect = false;
  }

  async countAfter(after: Checkpoint | undefined): Promise<number> {
    await Promise.resolve();
    if (!this.online) throw this.offlineError();
    return this.server.after(after).length;
  }

  async get(id: string): Promise<RemoteNote | undefined> {
    await Promise.resolve();
    if (!this.online) throw this.offlineError();
    if (this.server.unreadableIds.has(id)) throw new ServerError('permission-denied', `note ${id} cannot be read in this test`);
    this.server.markRead();
    const doc = this.server.docs.get(id);
    return doc && structuredClone(doc);
  }

  listen(after: Checkpoint | undefined, onChanges: (notes: RemoteNote[]) => void, onError: (error: unknown) => void): () => void {
    const listener: Listener = { after, onChanges, onError, missed: new Set(), active: true };
    this.listeners.add(listener);
    if (this.online) this.enqueue(listener, this.server.after(after));
    else for (const doc of this.server.after(after)) listener.missed.add(doc.id);
    return () => {
      listener.active = false;
      this.listeners.delete(listener);
    };
  }

  /** Called by the server after each commit. */
  notify(written: RemoteNote[]): void {
    for (const listener of this.listeners) {
      if (this.online) this.enqueue(listener, written.map((doc) => structuredClone(doc)));
      else for (const doc of written) listener.missed.add(doc.id);
    }
  }

  setOnline(online: boolean): void {
    this.online = online;
    if (!online) return;
    for (const listener of this.listeners) {
      const ids = [...listener.missed];
      listener.missed.clear();
      const docs = ids.map((id) => this.server.docs.get(id)).filter((doc): doc is RemoteNote => doc !== undefined);
      this.enqueue(listener, docs.map((doc) => structuredClone(doc)));
    }
  }

  private enqueue(listener: Listener, notes: RemoteNote[]): void {
    if (notes.length === 0) return;
    // A listener that hears of a commit has seen its timestamp: later commits must be later.
    this.server.markRead();
    this.queue.push({ listener, notes });
    if (this.autoDeliver) queueMicrotask(() => this.flush());
  }

  /**
   * Hands held deliveries to their listeners, with the configured faults: some delivered twice,
   * the order shuffled, old versions replayed after newer ones. Returns how many went out.
   */
  flush(): number {
    // Reordering shuffles the documents inside a delivery, never the deliveries of one listener:
    // Firestore hands a listener its snapshots in order, and the engine relies on it (a device that
    // dies between a later snapshot and an earlier one would have moved its checkpoint past the
    // earlier one's changes; the run-loop convergence test found exactly that under the old fault).
    const deliveries = this.queue.splice(0).map((delivery) =>
      this.faults.reorder && this.random.chance(this.faults.reorder) ? { ...delivery, notes: this.random.shuffle(delivery.notes) } : delivery,
    );
    const out: { listener: Listener; notes: RemoteNote[] }[] = [];
    for (const delivery of deliveries) {
      out.push(delivery);
      if (this.random.chance(this.faults.duplicate)) out.push({ listener: delivery.listener, notes: structuredClone(delivery.notes) });
      if (this.history.length && this.random.chance(this.faults.stale)) {
        out.push({ listener: delivery.listener, notes: [structuredClone(this.random.pick(this.history))] });
      }
      this.history.push(...delivery.notes.map((note) => structuredClone(note)));
      if (this.history.length > 200) this.history.splice(0, this.history.length - 200);
    }
    for (const { listener, notes } of out) if (listener.active) listener.onChanges(notes);
    return out.length;
  }

  /**
   * Forgets every listener, held delivery and armed acknowledgement fault: the device crashed or
   * the tab closed. A held acknowledgement is never answered: the device is gone.
   */
  disconnect(): void {
    this.release = undefined;
    this.holdNextAck = false;
    this.hangNextAck = false;
    for (const listener of this.listeners) listener.active = false;
    this.listeners.clear();
    this.queue.splice(0);
  }
}

const OPTIONAL_FIELDS: readonly string[] = ['order', 'archived', 'items', 'labels', 'reminder'];

export function millisToTime(ms: number): ServerTime {
  return { seconds: Math.floor(ms / 1000), nanoseconds: (ms % 1000) * 1e6 };
}

export function timeToMillis(time: ServerTime): number {
  return time.seconds * 1000 + Math.floor(time.nanoseconds / 1e6);
}

function addNanos(time: ServerTime, nanos: number): ServerTime {
  const total = time.nanoseconds + nanos;
  return { seconds: time.seconds + Math.floor(total / 1e9), nanoseconds: total % 1e9 };
}

function compareTime(a: ServerTime, b: ServerTime): number {
  return a.seconds - b.seconds || a.nanoseconds - b.nanoseconds;
}

function sameTime(a: ServerTime | undefined, b: ServerTime): boolean {
  return a !== undefined && compareTime(a, b) === 0;
}
