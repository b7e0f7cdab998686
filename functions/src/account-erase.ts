/**
 * Erasing everything of one person on the server when their account is deleted: their device
 * records, their push channels, their push receipts and `users/{uid}` with everything under it.
 * Independent of the Functions runtime: the Auth trigger in index.ts calls it, and the emulator
 * tests call it directly. Every step deletes what a query finds, in batches of at most 500
 * writes, until the query finds nothing, so a run cut short midway (a crash, a timeout) is
 * finished by the next one, and a run after a complete one deletes nothing and fails nothing.
 *
 * Order matters for the rules (firestore.rules): first the deleted-account marker, which refuses
 * every request of this uid from a session bound to no device; then the device records, whose
 * absence refuses every device-bound session. From then on nobody can read or write what is left,
 * even with an ID token issued before the deletion, while the rest is removed.
 */
import { FieldValue, Timestamp, type DocumentReference, type Firestore, type Query } from 'firebase-admin/firestore';

export const ERASE = {
  /** Firestore's limit on writes in one batch. */
  BATCH_SIZE: 500,
  DELETED_ACCOUNTS: 'deletedAccounts',
  DEVICES: 'devices',
  CHANNELS: 'channels',
  RECEIPTS: 'pushReceipts',
  REMINDER_RECEIPTS: 'reminderReceipts',
  /**
   * Reminders filed to ring (reminderSchedule/{minute}/due/{entry}: uid, note id, time), found
   * across minutes by a collection-group query on uid (firestore.indexes.json). Their minutes'
   * tasks need no erasing: at their time they find nothing of this person and send nothing.
   */
  FILED_REMINDERS: 'due',
  /**
   * How long the deleted-account marker is kept (a Firestore TTL policy on expireAt removes it):
   * longer than an ID token lives (1 hour), since after that no token of the deleted user can be
   * valid any more (Auth refuses to refresh them).
   */
  MARKER_TTL_MS: 2 * 60 * 60 * 1000,
} as const;

export interface EraseCounts {
  devices: number;
  channels: number;
  receipts: number;
  /** Reminders filed to ring. */
  filedReminders: number;
  /** Documents of users/{uid} and below, the user document included when it existed. */
  userDocuments: number;
}

export interface EraseOptions {
  /** Stop (throw) after this many batches: the tests' stand-in for a crash midway. */
  crashAfterBatches?: number;
}

/** Thrown by a run told to stop midway (EraseOptions.crashAfterBatches). */
export class SimulatedCrash extends Error {
  constructor() {
    super('Erase stopped midway on purpose (test).');
    this.name = 'SimulatedCrash';
  }
}

/** Accepts the uids Firebase Auth makes (at most 128 characters, no "/"). */
export function isErasableUid(uid: unknown): uid is string {
  return typeof uid === 'string' && uid.length > 0 && uid.length <= 128 && !uid.includes('/');
}

export async function eraseAccount(db: Firestore, uid: string, options: EraseOptions = {}): Promise<EraseCounts> {
  if (!isErasableUid(uid)) throw new RangeError(`not a user id: ${JSON.stringify(uid)}`);
  let batchesLeft = options.crashAfterBatches ?? Infinity;
  const commit = async (refs: DocumentReference[]): Promise<void> => {
    if (batchesLeft <= 0) throw new SimulatedCrash();
    batchesLeft -= 1;
    const batch = db.batch();
    for (const ref of refs) batch.delete(ref);
    await batch.commit();
  };

  await db.collection(ERASE.DELETED_ACCOUNTS).doc(uid).set({
    deletedAt: FieldValue.serverTimestamp(),
    expireAt: Timestamp.fromMillis(Date.now() + ERASE.MARKER_TTL_MS),
  });
  const user = db.collection('users').doc(uid);
  const devices = await deleteAll(user.collection(ERASE.DEVICES), commit);
  const channels = await deleteAll(db.collection(ERASE.CHANNELS).where('uid', '==', uid), commit);
  const receipts =
    (await deleteAll(db.collection(ERASE.RECEIPTS).where('uid', '==', uid), commit)) +
    (await deleteAll(db.collection(ERASE.REMINDER_RECEIPTS).where('uid', '==', uid), commit));
  const filedReminders = await deleteAll(db.collectionGroup(ERASE.FILED_REMINDERS).where('uid', '==', uid), commit);
  const userDocuments = await deleteTree(user, commit);
  return { devices, channels, receipts, filedReminders, userDocuments };
}

type Commit = (refs: DocumentReference[]) => Promise<void>;

/**
 * Deletes what `query` finds, a page of at most BATCH_SIZE at a time, and everything under each
 * document (children first, so a cut-short run leaves the parent for the next run to find).
 */
async function deleteAll(query: Query, commit: Commit): Promise<number> {
  let deleted = 0;
  for (;;) {
    // Ids only: the data is not needed to delete it.
    const page = await query.select().limit(ERASE.BATCH_SIZE).get();
    if (page.empty) return deleted;
    const nested = await Promise.all(page.docs.map((doc) => deleteChildren(doc.ref, commit)));
    deleted += nested.reduce((sum, n) => sum + n, 0);
    await commit(page.docs.map((doc) => doc.ref));
    deleted += page.size;
  }
}

async function deleteChildren(ref: DocumentReference, commit: Commit): Promise<number> {
  let deleted = 0;
  for (const collection of await ref.listCollections()) deleted += await deleteAll(collection, commit);
  return deleted;
}

/** A document and everything under it; the document itself last. */
async function deleteTree(ref: DocumentReference, commit: Commit): Promise<number> {
  const deleted = await deleteChildren(ref, commit);
  const snapshot = await ref.get();
  if (!snapshot.exists) return deleted;
  await commit([ref]);
  return deleted + 1;
}
