/**
 * The rules that enforce "Sign out and erase this device" and "Delete my account", against the
 * real Firestore emulator: a session bound to a revoked (or unknown) device is refused every read
 * and write, the person's other devices keep working, the device registry's own rules, and after
 * an account's deletion no session of that person (bound to a device or not) reads or writes
 * anything. Sessions name their device by the `deviceId` claim (functions/src/devices.ts).
 */
import { assertFails, assertSucceeds, type RulesTestEnvironment } from '@firebase/rules-unit-testing';
import {
  collection,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  query,
  serverTimestamp,
  setDoc,
  updateDoc,
  where,
  writeBatch,
  type DocumentData,
} from 'firebase/firestore';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, CREATED_AT, FIXED_TIME, channelData, channelIdOf, createRulesEnvironment, db, noteData, storedNoteData } from './rules-helpers';

let env: RulesTestEnvironment;

beforeAll(async () => {
  env = await createRulesEnvironment();
});

afterAll(async () => {
  await env?.cleanup();
});

const PHONE = 'device-phone';
const LAPTOP = 'device-laptop';
const BOB_PHONE = 'device-bob-phone';

/** A session of `uid` bound to `deviceId` (the claim the registerMyDevice custom token carries). */
const on = (uid: string, deviceId?: string) => db(env.authenticatedContext(uid, deviceId ? { deviceId } : {}));

function deviceRecord(overrides: DocumentData = {}): DocumentData {
  return { name: 'Kitchen phone', platform: 'android', createdAt: CREATED_AT, lastSeen: FIXED_TIME, revokedAt: null, revokedBy: null, ...overrides };
}

async function seed(path: string, data: DocumentData): Promise<void> {
  await env.withSecurityRulesDisabled(async (context) => {
    await setDoc(doc(db(context), path), data);
  });
}

beforeEach(async () => {
  await env.clearFirestore();
  await seed(`users/${ALICE}/devices/${PHONE}`, deviceRecord());
  await seed(`users/${ALICE}/devices/${LAPTOP}`, deviceRecord({ name: 'Old laptop', revokedAt: FIXED_TIME, revokedBy: PHONE }));
  await seed(`users/${ALICE}/notes/n1`, storedNoteData());
  await seed(`users/${BOB}/devices/${BOB_PHONE}`, deviceRecord());
  await seed(`users/${BOB}/notes/b1`, storedNoteData());
});

const notes = (firestore: ReturnType<typeof on>, uid = ALICE) => collection(firestore, 'users', uid, 'notes');

describe('a revoked device', () => {
  const laptop = () => on(ALICE, LAPTOP);

  it('may not get, list, create, update or delete a note', async () => {
    await assertFails(getDoc(doc(notes(laptop()), 'n1')));
    await assertFails(getDocs(notes(laptop())));
    await assertFails(setDoc(doc(notes(laptop()), 'n2'), noteData()));
    await assertFails(updateDoc(doc(notes(laptop()), 'n1'), { done: true, updatedAt: serverTimestamp() }));
    await assertFails(deleteDoc(doc(notes(laptop()), 'n1')));
  });

  it('may not list the devices, claim or read a push channel', async () => {
    await assertFails(getDocs(collection(laptop(), 'users', ALICE, 'devices')));
    await assertFails(getDoc(doc(laptop(), 'users', ALICE, 'devices', PHONE)));
    const token = 'laptop-token';
    await assertFails(setDoc(doc(laptop(), 'channels', channelIdOf(token)), channelData(ALICE, token, { deviceId: LAPTOP })));
    await assertFails(getDocs(query(collection(laptop(), 'channels'), where('uid', '==', ALICE))));
  });

  it('may read its own record (how it learns it was signed out), and may not undo the revocation', async () => {
    const own = doc(laptop(), 'users', ALICE, 'devices', LAPTOP);
    const snapshot = await assertSucceeds(getDoc(own));
    expect(snapshot.get('revokedBy')).toBe(PHONE);
    await assertFails(updateDoc(own, { revokedAt: null, revokedBy: null }));
  });

  it('a session naming a device that has no record is refused too', async () => {
    await assertFails(getDocs(notes(on(ALICE, 'device-never-registered'))));
    await assertFails(setDoc(doc(notes(on(ALICE, 'device-never-registered')), 'n2'), noteData()));
  });
});

describe("the owner's other devices", () => {
  const phone = () => on(ALICE, PHONE);

  it('keep reading and writing notes', async () => {
    await assertSucceeds(getDoc(doc(notes(phone()), 'n1')));
    await assertSucceeds(getDocs(notes(phone())));
    await assertSucceeds(setDoc(doc(notes(phone()), 'n2'), noteData()));
    await assertSucceeds(updateDoc(doc(notes(phone()), 'n1'), { done: true, updatedAt: serverTimestamp() }));
  });

  it('send a batch of 500 notes (one device check per request stays within the rules’ document-access limit)', async () => {
    const session = phone();
    const batch = writeBatch(session);
    // In the trash, so the push trigger (running in the functions emulator) has nothing to send.
    for (let i = 0; i < 500; i += 1) batch.set(doc(notes(session), `batch-${i}`), noteData({ text: `Note ${i}`, trashed: true }));
    await assertSucceeds(batch.commit());
    // The emulator takes seconds over a batch this size with or without the device check (it
    // evaluates the rules write by write); hence the longer timeout.
  }, 120_000);

  it('list the devices and revoke one (revokedAt = now), which then stops at once', async () => {
    await seed(`users/${ALICE}/devices/device-tablet`, deviceRecord({ name: 'Tablet' }));
    const tablet = () => on(ALICE, 'device-tablet');
    await assertSucceeds(getDocs(notes(tablet())));
    const listed = await assertSucceeds(getDocs(collection(phone(), 'users', ALICE, 'devices')));
    expect(listed.docs.map((d) => d.id).sort()).toEqual(['device-laptop', 'device-phone', 'device-tablet']);

    await assertSucceeds(updateDoc(doc(phone(), 'users', ALICE, 'devices', 'device-tablet'), { revokedAt: serverTimestamp(), revokedBy: PHONE }));

    await assertFails(getDocs(notes(tablet())));
    await assertSucceeds(getDocs(notes(phone())));
  });

  it('rename a device and refresh its last-seen time', async () => {
    const record = doc(phone(), 'users', ALICE, 'devices', PHONE);
    await assertSucceeds(updateDoc(record, { name: 'Pixel', lastSeen: serverTimestamp() }));
    await assertFails(updateDoc(record, { name: '' }));
    await assertFails(updateDoc(record, { lastSeen: FIXED_TIME.toDate() }));
  });

  it('may not undo a revocation, revoke with a client time, create, delete or reshape a record', async () => {
    const laptop = doc(phone(), 'users', ALICE, 'devices', LAPTOP);
    await assertFails(updateDoc(laptop, { revokedAt: null, revokedBy: null }));
    await assertFails(updateDoc(laptop, { revokedBy: 'someone-else' }));
    const tablet = doc(phone(), 'users', ALICE, 'devices', 'device-tablet');
    await assertFails(setDoc(tablet, deviceRecord()));
    await seed(`users/${ALICE}/devices/device-tablet`, deviceRecord());
    await assertFails(updateDoc(tablet, { revokedAt: FIXED_TIME, revokedBy: PHONE }));
    await assertFails(updateDoc(tablet, { createdAt: serverTimestamp() }));
    await assertFails(updateDoc(tablet, { extra: true }));
    await assertFails(deleteDoc(tablet));
  });

  it("may not see or touch another person's devices", async () => {
    await assertFails(getDoc(doc(phone(), 'users', BOB, 'devices', BOB_PHONE)));
    await assertFails(getDocs(collection(phone(), 'users', BOB, 'devices')));
    await assertFails(updateDoc(doc(phone(), 'users', BOB, 'devices', BOB_PHONE), { revokedAt: serverTimestamp(), revokedBy: PHONE }));
    // Nor does a device id of Bob's let Alice into Bob's notes.
    await assertFails(getDocs(notes(on(ALICE, BOB_PHONE), BOB)));
  });
});

describe('after the account is deleted (the erase wrote its marker and removed the device records)', () => {
  beforeEach(async () => {
    await env.withSecurityRulesDisabled(async (context) => {
      const admin = db(context);
      await setDoc(doc(admin, 'deletedAccounts', ALICE), { deletedAt: FIXED_TIME, expireAt: FIXED_TIME });
      await deleteDoc(doc(admin, 'users', ALICE, 'devices', PHONE));
      await deleteDoc(doc(admin, 'users', ALICE, 'devices', LAPTOP));
    });
  });

  it("an old ID token bound to a device reads and writes nothing (the notes still there mid-erase included)", async () => {
    const phone = on(ALICE, PHONE);
    await assertFails(getDoc(doc(notes(phone), 'n1')));
    await assertFails(getDocs(notes(phone)));
    await assertFails(setDoc(doc(notes(phone), 'n3'), noteData()));
    await assertFails(getDocs(collection(phone, 'users', ALICE, 'devices')));
  });

  it('an old ID token bound to no device reads and writes nothing either', async () => {
    const session = on(ALICE);
    await assertFails(getDoc(doc(notes(session), 'n1')));
    await assertFails(getDocs(notes(session)));
    await assertFails(setDoc(doc(notes(session), 'n3'), noteData()));
    const token = 'alice-after-delete';
    await assertFails(setDoc(doc(session, 'channels', channelIdOf(token)), channelData(ALICE, token)));
  });

  it('nobody else can read the marker; another person works as before', async () => {
    await assertFails(getDoc(doc(on(ALICE), 'deletedAccounts', ALICE)));
    await assertFails(getDoc(doc(on(BOB), 'deletedAccounts', ALICE)));
    await assertSucceeds(getDocs(notes(on(BOB, BOB_PHONE), BOB)));
    await assertSucceeds(setDoc(doc(notes(on(BOB), BOB), 'b2'), noteData()));
  });
});
