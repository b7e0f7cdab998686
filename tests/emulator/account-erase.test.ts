/**
 * Erasing a deleted account's data, against the real Firestore emulator: the handler called
 * directly (2,000 notes and 5 channels leave nothing; a run cut short is finished by the next;
 * a second run deletes nothing; another person's data is untouched), then the real Auth
 * emulator deleting a user and the onAccountDeleted trigger in the functions emulator doing it.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERASE, SimulatedCrash, eraseAccount } from '../../functions/src/account-erase';
import { emulatorHost } from '../../testing/emulator-suite.mjs';
import { PROJECT_ID, assertFunctionsEmulator, noteDoc, pushTestFirestore, seedChannels, uniqueUid, waitUntil, withTriggersOff, type Firestore } from './push-helpers';

let db: Firestore;

beforeAll(async () => {
  db = pushTestFirestore();
  await db.collection('pushReceipts').limit(1).get();
});

interface Person {
  uid: string;
  notes: number;
  channels: number;
}

/** Everything the app and the push function keep of one person: notes, devices, channels, receipts, a label. */
async function seedPerson(person: Person): Promise<void> {
  const { uid } = person;
  const user = db.collection('users').doc(uid);
  for (let i = 0; i < person.notes; i += ERASE.BATCH_SIZE) {
    const batch = db.batch();
    for (let n = i; n < Math.min(person.notes, i + ERASE.BATCH_SIZE); n += 1) {
      // In the trash, and seeded with the triggers off: no push, no receipt, and no backlog of
      // trigger runs for the tests after this one to wait behind.
      batch.set(user.collection('notes').doc(`note-${n}`), noteDoc({ text: `Note ${n}`, trashed: true }));
    }
    await batch.commit();
  }
  await seedChannels(db, Array.from({ length: person.channels }, (_, i) => ({ uid, token: `${uid}-token-${i}`, deviceId: `device-${i}` })));
  const batch = db.batch();
  for (let i = 0; i < person.channels; i += 1) {
    batch.set(user.collection('devices').doc(`device-${i}`), { name: `Device ${i}`, platform: 'test', createdAt: new Date(), lastSeen: new Date(), revokedAt: null });
    batch.set(db.collection('pushReceipts').doc(`${uid}-receipt-${i}`), { uid, noteId: `note-${i}`, at: new Date(), expireAt: new Date() });
  }
  // The receipt of a reminder the server rang, and one filed to ring in a minute to come.
  batch.set(db.collection('reminderReceipts').doc(`${uid}-ring`), { uid, noteId: 'note-0', at: new Date(), expireAt: new Date() });
  batch.set(db.doc(`reminderSchedule/1954000000000-0/due/${uid}-filed`), { uid, noteId: 'note-1', occurrence: 1954000000000 });
  // A collection the app may add later (labels, say), with a document under a note, and the user document itself.
  batch.set(user.collection('labels').doc('groceries'), { name: 'Groceries' });
  batch.set(user.collection('notes').doc('note-0').collection('history').doc('v1'), { text: 'An older text' });
  batch.set(user, { createdAt: new Date() });
  await batch.commit();
}

/** Every document of `uid` in every place the erase covers, counted from the server. */
async function countOf(uid: string): Promise<Record<string, number>> {
  const user = db.collection('users').doc(uid);
  const count = async (query: { count(): { get(): Promise<{ data(): { count: number } }> } }) => (await query.count().get()).data().count;
  return {
    user: (await user.get()).exists ? 1 : 0,
    notes: await count(user.collection('notes')),
    history: await count(user.collection('notes').doc('note-0').collection('history')),
    labels: await count(user.collection('labels')),
    devices: await count(user.collection('devices')),
    channels: await count(db.collection('channels').where('uid', '==', uid)),
    receipts: (await count(db.collection('pushReceipts').where('uid', '==', uid))) + (await count(db.collection('reminderReceipts').where('uid', '==', uid))),
    filedReminders: await count(db.collectionGroup('due').where('uid', '==', uid)),
  };
}

const NOTHING = { user: 0, notes: 0, history: 0, labels: 0, devices: 0, channels: 0, receipts: 0, filedReminders: 0 };

describe('eraseAccount (called directly)', () => {
  it('leaves nothing of a person with 2,000 notes and 5 channels, and nothing of anyone else changes', async () => {
    const alice = { uid: uniqueUid('erase-alice'), notes: 2_000, channels: 5 };
    const bob = { uid: uniqueUid('erase-bob'), notes: 30, channels: 2 };
    await withTriggersOff(() => Promise.all([seedPerson(alice), seedPerson(bob)]));
    const bobBefore = await countOf(bob.uid);
    expect(bobBefore).toEqual({ user: 1, notes: 30, history: 1, labels: 1, devices: 2, channels: 2, receipts: 3, filedReminders: 1 });
    expect((await countOf(alice.uid)).notes).toBe(2_000);

    const counts = await eraseAccount(db, alice.uid);

    expect(counts).toEqual({ devices: 5, channels: 5, receipts: 6, filedReminders: 1, userDocuments: 2_000 + 1 + 1 + 1 });
    expect(await countOf(alice.uid)).toEqual(NOTHING);
    expect(await countOf(bob.uid)).toEqual(bobBefore);
    const marker = await db.collection(ERASE.DELETED_ACCOUNTS).doc(alice.uid).get();
    expect(marker.get('expireAt').toMillis()).toBeGreaterThan(Date.now() + ERASE.MARKER_TTL_MS / 2);
    expect((await db.collection(ERASE.DELETED_ACCOUNTS).doc(bob.uid).get()).exists).toBe(false);

    // A second run: nothing left to delete, and no error.
    expect(await eraseAccount(db, alice.uid)).toEqual({ devices: 0, channels: 0, receipts: 0, filedReminders: 0, userDocuments: 0 });
    expect(await countOf(bob.uid)).toEqual(bobBefore);
  }, 120_000);

  it('a run cut short after two batches is finished by the next run', async () => {
    const carol = { uid: uniqueUid('erase-carol'), notes: 1_200, channels: 3 };
    await withTriggersOff(() => seedPerson(carol));
    await expect(eraseAccount(db, carol.uid, { crashAfterBatches: 2 })).rejects.toBeInstanceOf(SimulatedCrash);
    const midway = await countOf(carol.uid);
    // The first batches went (the devices and channels first), the notes are still there.
    expect(midway.devices).toBe(0);
    expect(midway.notes).toBeGreaterThan(0);

    await eraseAccount(db, carol.uid);
    expect(await countOf(carol.uid)).toEqual(NOTHING);
  }, 120_000);

  it('refuses what is not a user id, deleting nothing', async () => {
    await expect(eraseAccount(db, '')).rejects.toThrow('not a user id');
    await expect(eraseAccount(db, 'users/x')).rejects.toThrow('not a user id');
  });
});

describe('the real trigger: the Auth emulator deletes a user, onAccountDeleted erases their data', () => {
  const authEmulator = `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST ?? emulatorHost('auth')}`;

  beforeAll(async () => {
    await assertFunctionsEmulator();
  });

  /** A user signed up through the Auth emulator's REST API; resolves their uid. */
  async function signUp(): Promise<string> {
    const response = await fetch(`${authEmulator}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=demo-api-key`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `erase-${randomUUID()}@example.com`, password: 'a long password', returnSecureToken: true }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { localId: string }).localId;
  }

  async function deleteUser(uid: string): Promise<void> {
    const response = await fetch(`${authEmulator}/identitytoolkit.googleapis.com/v1/projects/${PROJECT_ID}/accounts:delete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer owner' },
      body: JSON.stringify({ localId: uid }),
    });
    expect(response.status).toBe(200);
  }

  it('erases everything of the deleted user and nothing of the other', async () => {
    const dana = { uid: await signUp(), notes: 40, channels: 2 };
    const ed = { uid: await signUp(), notes: 10, channels: 1 };
    await withTriggersOff(() => Promise.all([seedPerson(dana), seedPerson(ed)]));
    const edBefore = await countOf(ed.uid);

    await deleteUser(dana.uid);

    await waitUntil(async () => JSON.stringify(await countOf(dana.uid)) === JSON.stringify(NOTHING), 20_000, 'the trigger to erase the deleted user');
    expect((await db.collection(ERASE.DELETED_ACCOUNTS).doc(dana.uid).get()).exists).toBe(true);
    expect(await countOf(ed.uid)).toEqual(edBefore);
  }, 40_000);
});
