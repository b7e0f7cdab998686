/**
 * The sync engine against the real Firestore emulator, through src/sync/firestore-remote.ts and
 * the firebase web SDK, with this repository's security rules. A few seeds of the randomized
 * convergence run (tests/unit/sync-convergence.test.ts) with fewer edits: three devices, each its
 * own firebase app signed in to the Auth emulator as the same person, edit through
 * src/db/notes.ts, push, pull by pages and by listener, and crash. After healing, every device
 * must equal the others and the server, and no outbox may hold a change the rules refused.
 */
// The devices' local stores; first, so Dexie finds it (the emulator project has no setup file for it).
import 'fake-indexeddb/auto';
import { deleteApp, initializeApp, type FirebaseApp } from 'firebase/app';
import { GoogleAuthProvider, connectAuthEmulator, getAuth, signInWithCredential, signOut, type Auth, type OAuthCredential } from 'firebase/auth';
import * as firestoreSdk from 'firebase/firestore';
import { afterEach, describe, expect, it } from 'vitest';
import { createNote, deleteNoteForever, emptyTrash, restoreNote, trashNote, updateNote } from '../../src/db/notes.js';
import type { NoteRecord } from '../../src/db/database.js';
import { FirestoreRemote } from '../../src/sync/firestore-remote.js';
import { SYNC, UnconfirmedRefusal } from '../../src/sync/engine.js';
import { mergeRemote } from '../../src/db/merge.js';
import { errorCode } from '../../src/shared/errors.js';
import { MAX_NOTE_TEXT_LENGTH, NOTE_COLORS } from '../../src/shared/note.js';
import { Device } from '../support/device.js';
import { Random } from '../support/random.js';
import { EMULATOR_PROJECT_ID, emulatorHost } from '../../testing/emulator-suite.mjs';
import { emulatorAddress } from './emulator-address';

const PROJECT_ID = EMULATOR_PROJECT_ID;
const SEEDS = [11, 12, 13];
const OPS_PER_DEVICE = 30;
const AUTH_HOST = process.env.FIREBASE_AUTH_EMULATOR_HOST ?? emulatorHost('auth');

const apps: FirebaseApp[] = [];
const devices: Device[] = [];

afterEach(async () => {
  for (const device of devices.splice(0)) await device.destroy();
  for (const app of apps.splice(0)) await deleteApp(app);
});

/** One device's own firebase app, signed in as `person` through the Auth emulator. */
async function connect(
  name: string,
  person: string,
  sdk: typeof firestoreSdk = firestoreSdk,
): Promise<{ remote: FirestoreRemote; uid: string; auth: Auth; credential: OAuthCredential }> {
  const app = initializeApp({ projectId: PROJECT_ID, apiKey: 'demo-api-key', appId: 'demo-app' }, name);
  apps.push(app);
  const auth = getAuth(app);
  connectAuthEmulator(auth, `http://${AUTH_HOST}`, { disableWarnings: true });
  const credential = GoogleAuthProvider.credential(JSON.stringify({ sub: person, email: `${person}@example.com`, email_verified: true }));
  const { user } = await signInWithCredential(auth, credential);
  const { host, port } = emulatorAddress();
  const firestore = () => {
    const db = firestoreSdk.initializeFirestore(app, { localCache: firestoreSdk.memoryLocalCache() });
    firestoreSdk.connectFirestoreEmulator(db, host, port);
    return db;
  };
  // As src/firebase/firestore.ts does for the app: terminate, then a new instance on the same app.
  const recreate = async (stale: firestoreSdk.Firestore) => {
    await firestoreSdk.terminate(stale);
    return firestore();
  };
  const remote = new FirestoreRemote(firestore(), sdk, user.uid, name, () => auth.currentUser?.uid, recreate);
  return { remote, uid: user.uid, auth, credential };
}

function synced(note: NoteRecord) {
  const { id, text, color, pinned, done, trashed, deleted, createdAt, clocks, lane } = note;
  return { id, text, color, pinned, done, trashed, deleted, createdAt, clocks, lane };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function userOp(device: Device, random: Random): Promise<void> {
  const notes = await device.db.notes.toArray();
  const live = notes.filter((n) => !n.deleted && !n.trashed);
  const trashed = notes.filter((n) => n.trashed && !n.deleted);
  const roll = random.next();
  if (roll < 0.25 || live.length === 0) await createNote(device.db, { text: `${device.id} ${random.int(0, 999)}`, color: random.pick(NOTE_COLORS) });
  else if (roll < 0.45) await updateNote(device.db, random.pick(live).id, { text: `${device.id} edit ${random.int(0, 999)}` });
  else if (roll < 0.55) await updateNote(device.db, random.pick(live).id, { color: random.pick(NOTE_COLORS) });
  else if (roll < 0.65) await updateNote(device.db, random.pick(live).id, { pinned: random.chance(0.5), done: random.chance(0.5) });
  else if (roll < 0.75) await trashNote(device.db, random.pick(live).id);
  else if (roll < 0.82 && trashed.length) await restoreNote(device.db, random.pick(trashed).id);
  else if (roll < 0.95) await deleteNoteForever(device.db, random.pick(live).id);
  else await emptyTrash(device.db);
}

async function runSeed(seed: number): Promise<void> {
  const random = new Random(seed);
  const person = `sync-person-${seed}-${Date.now()}`;
  const sims: Device[] = [];
  let uid = '';
  for (const name of ['device-a', 'device-b', 'device-c']) {
    const connection = await connect(`${name}-${seed}`, person);
    uid ||= connection.uid;
    expect(connection.uid, 'every device signs in as the same person').toBe(uid);
    const device = new Device(`${name}-${seed}`, `emulator-${person}-${name}`, connection.remote, Date.now, { pageNotes: random.int(3, 8) });
    await device.open();
    await device.start();
    devices.push(device);
    sims.push(device);
  }

  const ops = new Map(sims.map((d) => [d, 0]));
  while ([...ops.values()].some((n) => n < OPS_PER_DEVICE)) {
    const device = random.pick(sims);
    const roll = random.next();
    if (roll < 0.6 && ops.get(device)! < OPS_PER_DEVICE) {
      await userOp(device, random);
      ops.set(device, ops.get(device)! + 1);
    } else if (roll < 0.8) {
      await device.engine.pushOnce();
    } else if (roll < 0.9) {
      await device.applyInbox();
    } else if (roll < 0.97) {
      await device.engine.catchUp();
    } else {
      // The tab closes: engine, listener and Dexie handle go; the same database reopens.
      await device.crash();
      await device.start();
    }
  }

  // Heal: push and pull until a whole round sends and receives nothing.
  let quiet = 0;
  for (let round = 0; quiet < 2; round++) {
    expect(round, `seed ${seed}: sync did not become quiescent`).toBeLessThan(30);
    let moved = 0;
    for (const device of sims) {
      const before = await device.db.outbox.count();
      await device.engine.pushAll();
      moved += before;
    }
    await pause(300);
    for (const device of sims) moved += await device.applyInbox();
    for (const device of sims) await device.engine.catchUp();
    quiet = moved === 0 ? quiet + 1 : 0;
  }

  const context = `seed ${seed}`;
  for (const device of sims) {
    // A refused change would stay here with `rejected`: every write passed the real rules.
    expect(await device.db.outbox.toArray(), `${context}: outbox of ${device.id}`).toEqual([]);
  }
  const [first, ...others] = await Promise.all(sims.map(async (d) => (await d.notes()).map(synced)));
  expect(first!.length, `${context}: notes were made`).toBeGreaterThan(5);
  for (const [index, notes] of others.entries()) expect(notes, `${context}: ${sims[index + 1]!.id} differs from ${sims[0]!.id}`).toEqual(first);
  const server = await sims[0]!.remote.fetchPage(undefined, 10_000);
  const fresh = server.map((doc) => synced(mergeRemote(undefined, doc).note)).sort((a, b) => (a.id < b.id ? -1 : 1));
  expect(first, `${context}: devices differ from the server`).toEqual(fresh);
  for (const doc of server) {
    expect(doc.updatedBy).toMatch(/^device-[abc]-/);
    if (doc.deleted) expect(doc.text).toBe('');
  }
}

describe('sync against the Firestore emulator', () => {
  it.each(SEEDS)('seed %i: three devices converge through the real server and its rules', async (seed) => {
    await runSeed(seed);
  }, 120_000);
});

describe('one note\'s text edited on two devices at once, against the real rules', () => {
  it('every word typed on either device ends up in the note, the same on both devices and the server', async () => {
    const person = `text-merge-${Date.now()}`;
    const [phone, desktop] = await Promise.all(
      ['phone', 'desktop'].map(async (name) => {
        const connection = await connect(`${person}-${name}`, person);
        const device = new Device(`${name}-${person}`, `emulator-${person}-${name}`, connection.remote, Date.now);
        await device.open();
        devices.push(device);
        return device;
      }),
    );
    const note = await createNote(phone!.db, { text: 'Weekend\nbuy bread\ncall Ann' });
    await phone!.engine.pushAll();
    await desktop!.engine.catchUp();
    // Both edit before either has heard of the other's edit (say, both offline).
    await updateNote(phone!.db, note.id, { text: 'Weekend\nbuy bread and milk\ncall Ann\nphone version' });
    await updateNote(desktop!.db, note.id, { text: 'Weekend plans\nbuy rye bread\ncall Ann\nchanged on desktop' });
    await phone!.engine.pushAll();
    // The desktop's write names the text it was made from; the phone's edit replaced it, so the
    // rules refuse it, and the desktop merges and sends the merged text.
    await desktop!.engine.pushAll();
    await phone!.engine.catchUp();
    await desktop!.engine.catchUp();
    const expected = 'Weekend plans\nbuy rye bread and milk\ncall Ann\nchanged on desktop\nphone version';
    for (const device of [phone!, desktop!]) {
      expect((await device.db.notes.get(note.id))?.text, device.id).toBe(expected);
      expect(await device.db.outbox.toArray(), device.id).toEqual([]);
    }
    const [onServer] = (await phone!.remote.fetchPage(undefined, 10)).filter((doc) => doc.id === note.id);
    expect(onServer?.text).toBe(expected);
    expect((await phone!.db.notes.get(note.id))?.clocks.text).toBe(onServer?.clocks.text);
    expect((await desktop!.db.notes.get(note.id))?.clocks.text).toBe(onServer?.clocks.text);
  }, 60_000);
});

describe('refusals and ended sessions against the real rules', () => {
  async function soloDevice(person: string, sdk?: typeof firestoreSdk) {
    const connection = await connect(`${person}-device`, person, sdk);
    const device = new Device(`${person}-device`, `emulator-${person}`, connection.remote, Date.now);
    await device.open();
    devices.push(device);
    return { ...connection, device };
  }

  it('a change the rules refuse is set aside with its reason while the others reach the server', async () => {
    const { device, remote } = await soloDevice(`refusal-${Date.now()}`);
    await createNote(device.db, { text: 'Fine before' });
    const refused = await createNote(device.db, { text: 'About to be too long' });
    // A record no version of the app would send (written past its own length check): the rules refuse it.
    await device.db.notes.update(refused.id, { text: 'x'.repeat(MAX_NOTE_TEXT_LENGTH + 1) });
    await createNote(device.db, { text: 'Fine after' });
    // Refused in every round (SYNC.REFUSAL_ROUNDS, which the run loop spaces out) before it is set aside.
    for (let round = 1; round < SYNC.REFUSAL_ROUNDS; round++) await expect(device.engine.pushAll()).rejects.toBeInstanceOf(UnconfirmedRefusal);
    await device.engine.pushAll();

    const outbox = await device.db.outbox.toArray();
    expect(outbox.map((entry) => entry.noteId)).toEqual([refused.id]);
    expect(outbox[0]!.rejected).toMatchObject({ code: 'permission-denied', message: expect.stringMatching(/refused/) });
    const server = await remote.fetchPage(undefined, 100);
    expect(server.map((note) => note.text).sort()).toEqual(['Fine after', 'Fine before']);
  });

  it('a connection made anew (as after stalled reads) fails the read in flight as unavailable, and sync goes on over the new one', async () => {
    const { device, remote } = await soloDevice(`reconnect-${Date.now()}`);
    await createNote(device.db, { text: 'Before the new connection' });
    await device.engine.pushAll();
    const inFlight = remote.fetchPage(undefined, 100).then(
      () => 'answered',
      (error: unknown) => errorCode(error),
    );
    await remote.reconnect();
    expect(await inFlight).toBe('unavailable');
    await createNote(device.db, { text: 'After the new connection' });
    await device.engine.pushAll();
    await device.engine.catchUp();
    const server = await remote.fetchPage(undefined, 100);
    expect(server.map((note) => note.text).sort()).toEqual(['After the new connection', 'Before the new connection']);
    expect(await device.db.notes.count()).toBe(2);
  });

  it("a catch-up while this device's own writes are in flight reads past them, and they come back once committed", async () => {
    // The SDK answers a read from the server with this device's unanswered writes applied, their
    // server time not known yet: the reads record when they met such writes, and the writes say
    // when they are sent, so each catch-up below starts with a write on its way.
    const metPendingWrites: boolean[] = [];
    let onSent = () => {};
    const recordingSdk: typeof firestoreSdk = {
      ...firestoreSdk,
      getDocsFromServer: (async (query: firestoreSdk.Query) => {
        const snapshot = await firestoreSdk.getDocsFromServer(query);
        metPendingWrites.push(snapshot.metadata.hasPendingWrites);
        return snapshot;
      }) as typeof firestoreSdk.getDocsFromServer,
      writeBatch: ((firestore: firestoreSdk.Firestore) => {
        const batch = firestoreSdk.writeBatch(firestore);
        const commit = batch.commit.bind(batch);
        batch.commit = () => {
          const committed = commit();
          onSent();
          return committed;
        };
        return batch;
      }) as typeof firestoreSdk.writeBatch,
    };
    const { device, remote } = await soloDevice(`in-flight-${Date.now()}`, recordingSdk);
    await createNote(device.db, { text: 'On the server before' });
    await device.engine.pushAll();
    await device.engine.catchUp();

    // A batch of many notes takes the emulator a while to answer; the catch-up's read, of the
    // few notes after its checkpoint, is answered first.
    const batch = 100;
    const rounds = 3;
    for (let round = 0; round < rounds; round++) {
      for (let index = 0; index < batch; index++) await createNote(device.db, { text: `Sent while reading ${round}.${index}` });
      const sent = new Promise<void>((resolve) => (onSent = resolve));
      const pushed = device.engine.pushOnce();
      await sent;
      await device.engine.catchUp();
      expect(await pushed).toBe(batch);
    }
    expect(metPendingWrites).toContain(true);

    await device.engine.catchUp();
    const server = await remote.fetchPage(undefined, 2000);
    expect(server).toHaveLength(rounds * batch + 1);
    expect(await device.db.notes.count()).toBe(rounds * batch + 1);
    expect(await device.db.outbox.count()).toBe(0);
  });

  it('a session that ends in the middle of sync sets nothing aside, and the next sign-in sends it all', async () => {
    const { device, remote, auth, credential } = await soloDevice(`session-${Date.now()}`);
    await createNote(device.db, { text: 'Sent before the session ended' });
    await device.engine.pushAll();
    await createNote(device.db, { text: 'Waiting 1' });
    await createNote(device.db, { text: 'Waiting 2' });

    await signOut(auth);
    await expect(device.engine.pushOnce()).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(device.engine.catchUp()).rejects.toMatchObject({ code: 'unauthenticated' });
    const waiting = await device.db.outbox.toArray();
    expect(waiting).toHaveLength(2);
    expect(waiting.filter((entry) => entry.rejected)).toEqual([]);

    await signInWithCredential(auth, credential);
    await device.engine.pushAll();
    expect(await device.db.outbox.count()).toBe(0);
    const server = await remote.fetchPage(undefined, 100);
    expect(server.map((note) => note.text).sort()).toEqual(['Sent before the session ended', 'Waiting 1', 'Waiting 2']);
  });
});
