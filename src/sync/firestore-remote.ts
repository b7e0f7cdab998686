/**
 * The server side of sync on Cloud Firestore: `users/{uid}/notes/{noteId}` documents as described
 * in firestore.rules. Writes are merge writes of the changed fields and their stamps, with
 * `updatedAt` set by the server (the pull checkpoint); reads are ordered by (updatedAt, id).
 */
import type { DocumentData, Firestore, QueryConstraint } from 'firebase/firestore';
import type { Checkpoint, RemoteNote } from '../db/remote-note.js';
import { errorCode } from '../shared/errors.js';
import { checklistFrom, fieldEditsFrom, isOrderKey, labelIdsFrom } from '../shared/note.js';
import { REMINDER_OPTIONAL_KEYS, reminderFromWire, reminderToWire } from '../shared/reminder.js';
import { downloadNotes, type DownloadEndpoint } from './download-stream.js';
import type { RemoteNotes, RemoteWrite } from './remote.js';

type FirestoreSdk = typeof import('firebase/firestore');

export class FirestoreRemote implements RemoteNotes {
  /** Fails every request still in flight on the current connection (reconnect() calls it). */
  private dropConnection!: (error: unknown) => void;
  private dropped!: Promise<never>;

  constructor(
    private db: Firestore,
    private readonly sdk: FirestoreSdk,
    private readonly uid: string,
    private readonly deviceId: string,
    /** Who Firebase Auth says is signed in now (Auth's currentUser). */
    private readonly signedInUid: () => string | undefined,
    /**
     * Terminates the given Firestore instance and makes a new one (firebase/firestore.ts). Without
     * it (tests, benchmarks that own their instances), reconnect() only abandons what is in flight.
     */
    private readonly recreateFirestore?: (stale: Firestore) => Promise<Firestore>,
    /** The streamed download (download-stream.ts); without it, catching up reads page by page. */
    downloadEndpoint?: DownloadEndpoint,
  ) {
    this.armDrop();
    if (downloadEndpoint) {
      this.download = (after, options) => {
        const cursor = after && { seconds: after.time.seconds, nanoseconds: after.time.nanoseconds, id: after.id };
        return downloadNotes(downloadEndpoint, cursor, options, toRemoteNote);
      };
    }
  }

  readonly download?: RemoteNotes['download'];

  /** The Firestore instance requests go to now (reconnect() makes a new one). */
  get firestore(): Firestore {
    return this.db;
  }

  private armDrop(): void {
    this.dropped = new Promise<never>((_, reject) => (this.dropConnection = reject));
    // Most connections are never dropped; nobody need be waiting for it when one is.
    this.dropped.catch(() => undefined);
  }

  /**
   * A terminated instance leaves its requests unsettled for good: each is failed here as
   * 'unavailable', so the push sends its batch again (harmless) on the new instance.
   */
  async reconnect(): Promise<void> {
    const stale = this.db;
    this.dropConnection(new ConnectionDroppedError());
    this.armDrop();
    if (this.recreateFirestore) this.db = await this.recreateFirestore(stale);
  }

  /**
   * The rules refuse every request once the session is gone (signed out elsewhere, or a token
   * that could not be refreshed). That is not a verdict on the changes: they must wait for the
   * next sign-in, never be set aside as refused. Such a refusal is reported as 'unauthenticated'.
   */
  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await Promise.race([request(), this.dropped]);
    } catch (error) {
      if (errorCode(error) === 'permission-denied' && this.signedInUid() !== this.uid) {
        throw new SessionEndedError(error);
      }
      throw error;
    }
  }

  private get notes() {
    return this.sdk.collection(this.db, 'users', this.uid, 'notes');
  }

  async write(changes: RemoteWrite[]): Promise<void> {
    const { sdk } = this;
    const batch = sdk.writeBatch(this.db);
    for (const change of changes) {
      const data: DocumentData = {
        ...change.values,
        clocks: change.clocks,
        updatedAt: sdk.serverTimestamp(),
        updatedBy: this.deviceId,
      };
      // A whole new reminder: merge: true would keep a snooze or repeat the new one no longer has.
      if (change.values.reminder) data.reminder = { ...Object.fromEntries(REMINDER_OPTIONAL_KEYS.map((key) => [key, sdk.deleteField()])), ...reminderToWire(change.values.reminder) };
      if (change.created) data.createdAt = sdk.Timestamp.fromMillis(change.createdAt);
      // A map: merge: true replaces only the fields named in it.
      if (change.edits) data.edits = change.edits;
      // merge: true merges the clocks map key by key, leaving other fields' stamps as they are.
      batch.set(sdk.doc(this.notes, change.id), data, { merge: true });
    }
    await this.call(() => batch.commit());
  }

  private after(after: Checkpoint | undefined): QueryConstraint[] {
    const { sdk } = this;
    const order = [sdk.orderBy('updatedAt'), sdk.orderBy(sdk.documentId())];
    if (!after) return order;
    return [...order, sdk.startAfter(new sdk.Timestamp(after.time.seconds, after.time.nanoseconds), after.id)];
  }

  /**
   * The SDK answers a read from the server with this device's writes still in flight applied to
   * it: those notes have no server time yet (updatedAt null, sorted after every other), so the
   * answer is not the server's, and a page of it would end wrong. Such a read is made again once
   * those writes are answered. The push loop sends one batch at a time, so this ends; a wait
   * that does not is a stalled read (the stall guard's deadline).
   */
  private async readCommitted<S extends { metadata: { hasPendingWrites: boolean } }>(read: () => Promise<S>): Promise<S> {
    for (;;) {
      const snapshot = await this.call(read);
      if (!snapshot.metadata.hasPendingWrites) return snapshot;
      await this.call(() => this.sdk.waitForPendingWrites(this.db));
    }
  }

  async fetchPage(after: Checkpoint | undefined, limit: number): Promise<RemoteNote[]> {
    const { sdk } = this;
    // From the server only: an answer from the local cache while offline could move the checkpoint past
    // notes this device never received.
    const snapshot = await this.readCommitted(() => sdk.getDocsFromServer(sdk.query(this.notes, ...this.after(after), sdk.limit(limit))));
    return snapshot.docs.map((doc) => toRemoteNote(doc.id, doc.data()));
  }

  async fetchNewest(limit: number): Promise<RemoteNote[]> {
    const { sdk } = this;
    const snapshot = await this.readCommitted(() => sdk.getDocsFromServer(sdk.query(this.notes, sdk.orderBy('updatedAt', 'desc'), sdk.limit(limit))));
    return snapshot.docs.map((doc) => toRemoteNote(doc.id, doc.data()));
  }

  async countAfter(after: Checkpoint | undefined): Promise<number> {
    const { sdk } = this;
    const constraints = after ? [sdk.where('updatedAt', '>=', new sdk.Timestamp(after.time.seconds, after.time.nanoseconds))] : [];
    const snapshot = await this.call(() => sdk.getCountFromServer(sdk.query(this.notes, ...constraints)));
    return snapshot.data().count;
  }

  async get(id: string): Promise<RemoteNote | undefined> {
    const { sdk } = this;
    const snapshot = await this.readCommitted(() => sdk.getDocFromServer(sdk.doc(this.notes, id)));
    return snapshot.exists() ? toRemoteNote(snapshot.id, snapshot.data()) : undefined;
  }

  listen(after: Checkpoint | undefined, onChanges: (notes: RemoteNote[]) => void, onError: (error: unknown) => void): () => void {
    const { sdk } = this;
    return sdk.onSnapshot(
      sdk.query(this.notes, ...this.after(after)),
      (snapshot) => {
        const notes = snapshot
          .docChanges()
          // Our own writes show up first with no server time yet; they come back once committed.
          .filter((change) => change.type !== 'removed' && !change.doc.metadata.hasPendingWrites)
          .map((change) => toRemoteNote(change.doc.id, change.doc.data()));
        if (notes.length) onChanges(notes);
      },
      onError,
    );
  }
}

/** A Firestore Timestamp, or one as the streamed download writes it: the same two numbers. */
interface TimestampLike {
  seconds: number;
  nanoseconds: number;
}

/** As Timestamp.toMillis() computes it, for either kind. */
const millisOf = (time: TimestampLike): number => time.seconds * 1000 + time.nanoseconds / 1e6;

export function toRemoteNote(id: string, data: DocumentData): RemoteNote {
  const updatedAt = data.updatedAt as TimestampLike;
  return {
    id,
    text: String(data.text ?? ''),
    color: data.color,
    pinned: data.pinned === true,
    done: data.done === true,
    trashed: data.trashed === true,
    deleted: data.deleted === true,
    ...(isOrderKey(data.order) ? { order: data.order } : {}),
    // Absent on documents written before the archive: left out, so the merge keeps what it has.
    ...(typeof data.archived === 'boolean' ? { archived: data.archived } : {}),
    createdAt: data.createdAt ? millisOf(data.createdAt as TimestampLike) : 0,
    updatedAt: { seconds: updatedAt.seconds, nanoseconds: updatedAt.nanoseconds },
    updatedBy: String(data.updatedBy ?? ''),
    clocks: (data.clocks ?? {}) as RemoteNote['clocks'],
    // Absent on documents written before checklists: left out, so the merge keeps what it has.
    ...(Array.isArray(data.items) ? { items: checklistFrom(data.items) } : {}),
    // Absent on documents written before labels: left out, so the merge keeps what it has.
    ...(Array.isArray(data.labels) ? { labels: labelIdsFrom(data.labels) } : {}),
    ...(data.edits ? { edits: fieldEditsFrom(data.edits) } : {}),
    // Absent on documents written before reminders: left out, so the merge keeps what it has.
    ...('reminder' in data ? { reminder: reminderFromWire(data.reminder) } : {}),
  };
}

/** A request refused because nobody (or someone else) is signed in any more. */
export class SessionEndedError extends Error {
  readonly code = 'unauthenticated';

  constructor(cause: unknown) {
    super('The sign-in session ended before this request was answered.', { cause });
    this.name = 'SessionEndedError';
  }
}

/** A request abandoned because its connection was dropped for a new one; sent again later. */
export class ConnectionDroppedError extends Error {
  readonly code = 'unavailable';

  constructor() {
    super('The connection to the server was made anew before this request was answered.');
    this.name = 'ConnectionDroppedError';
  }
}
