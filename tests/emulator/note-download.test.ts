/**
 * The downloadNotes function in the functions emulator, read by the app's own reader
 * (src/sync/download-stream.ts) with real Auth emulator sessions: a person gets exactly their own
 * notes, in the order and shape page reads give them, from the start or after a cursor; a caller
 * who is not signed in, a device signed out and erased, and a malformed cursor are refused.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RemoteNote } from '../../src/db/remote-note';
import { NOTE_DOWNLOAD } from '../../src/shared/note-download';
import { downloadNotes, type DownloadPart } from '../../src/sync/download-stream';
import { toRemoteNote } from '../../src/sync/firestore-remote';
import { emulatorHost } from '../../testing/emulator-suite.mjs';
import { FUNCTIONS_EMULATOR, PROJECT_ID, assertFunctionsEmulator, noteDoc, pushTestFirestore, type Firestore } from './push-helpers';

const URL = `${FUNCTIONS_EMULATOR}/${PROJECT_ID}/${NOTE_DOWNLOAD.REGION}/${NOTE_DOWNLOAD.FUNCTION}`;
const AUTH = `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST ?? emulatorHost('auth')}/identitytoolkit.googleapis.com/v1`;

let db: Firestore;

beforeAll(async () => {
  await assertFunctionsEmulator();
  db = pushTestFirestore();
});

async function post(url: string, body: unknown, idToken?: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(idToken ? { authorization: `Bearer ${idToken}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** A new person signed in to the Auth emulator: their uid and ID token. */
async function signUp(): Promise<{ uid: string; idToken: string }> {
  const json = await post(`${AUTH}/accounts:signUp?key=demo-api-key`, { email: `download-${randomUUID()}@example.com`, password: 'a long password', returnSecureToken: true });
  return { uid: json.localId as string, idToken: json.idToken as string };
}

/** Notes for `uid` as the sync engine writes them; two at a time share an `updatedAt` (the id orders them). */
async function seedNotes(uid: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += 10) {
    const batch = db.batch();
    for (let i = start; i < Math.min(count, start + 10); i++) {
      batch.set(
        db.collection('users').doc(uid).collection('notes').doc(randomUUID()),
        noteDoc({
          text: `note ${i}`,
          createdAt: new Date(1_750_000_000_000 + i),
          updatedAt: new Date(1_760_000_000_000 + Math.floor(i / 2) * 1000),
          ...(i === 1 ? { items: [{ id: 'item-1', text: 'milk', done: false }], labels: ['label-1'], archived: true } : {}),
        }),
      );
    }
    await batch.commit();
  }
}

/** The person's notes as page reads give them: (updatedAt, id) order, through the same conversion. */
async function notesInOrder(uid: string): Promise<RemoteNote[]> {
  const snapshot = await db.collection('users').doc(uid).collection('notes').orderBy('updatedAt').orderBy('__name__').get();
  return snapshot.docs.map((doc) => toRemoteNote(doc.id, doc.data()));
}

async function download(idToken: string, after?: RemoteNote, pageNotes = 10): Promise<DownloadPart<RemoteNote>[]> {
  const parts: DownloadPart<RemoteNote>[] = [];
  const endpoint = { url: URL, idToken: async () => idToken };
  const cursor = after && { seconds: after.updatedAt.seconds, nanoseconds: after.updatedAt.nanoseconds, id: after.id };
  for await (const part of downloadNotes(endpoint, cursor, { pageNotes, deadlineMs: 30_000, signal: new AbortController().signal }, toRemoteNote)) parts.push(part);
  return parts;
}

describe('the downloadNotes function (functions, Firestore and Auth emulators)', () => {
  it('streams exactly the caller\'s notes, as page reads give them, in pages; from the start or after a cursor', async () => {
    const [alice, bob] = [await signUp(), await signUp()];
    await seedNotes(alice.uid, 25);
    await seedNotes(bob.uid, 3);
    const expected = await notesInOrder(alice.uid);
    expect(expected).toHaveLength(25);
    expect(expected.find((note) => note.text === 'note 1')).toMatchObject({ items: [{ text: 'milk' }], labels: ['label-1'], archived: true });

    const parts = await download(alice.idToken);
    expect(parts[0]).toEqual({ total: 25 });
    const pages = parts.slice(1).map((part) => ('notes' in part ? part.notes : []));
    expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(expected);

    const resumed = await download(alice.idToken, expected[11]);
    expect(resumed.slice(1).flatMap((part) => ('notes' in part ? part.notes : []))).toEqual(expected.slice(12));

    const bobs = (await download(bob.idToken)).slice(1).flatMap((part) => ('notes' in part ? part.notes : []));
    expect(bobs.map((note) => note.text).sort()).toEqual(['note 0', 'note 1', 'note 2']);
  });

  it('refuses a caller who is not signed in, a device signed out and erased, and a malformed cursor', async () => {
    await expect(download('not-a-token')).rejects.toMatchObject({ code: 'unauthenticated', status: 401 });

    const person = await signUp();
    const registered = await post(`${FUNCTIONS_EMULATOR}/${PROJECT_ID}/us-central1/registerMyDevice`, { data: { deviceId: 'device-lost', name: 'Lost phone', platform: 'Android' } }, person.idToken);
    const session = await post(`${AUTH}/accounts:signInWithCustomToken?key=demo-api-key`, { token: (registered.result as { token: string }).token, returnSecureToken: true });
    const bound = session.idToken as string;
    await seedNotes(person.uid, 2);
    expect(await download(bound)).toHaveLength(2);
    await db.collection('users').doc(person.uid).collection('devices').doc('device-lost').update({ revokedAt: new Date(), revokedBy: 'device-desk' });
    await expect(download(bound)).rejects.toMatchObject({ code: 'permission-denied', status: 403 });

    const malformed = await fetch(URL, { method: 'POST', headers: { authorization: `Bearer ${person.idToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ after: { seconds: -1, nanoseconds: 0, id: 'x' } }) });
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain('after.seconds');
  });

  it('compresses the response for a client that accepts gzip, and answers a warm-up GET with nothing', async () => {
    const person = await signUp();
    await seedNotes(person.uid, 3);
    const response = await fetch(URL, { method: 'POST', headers: { authorization: `Bearer ${person.idToken}`, 'content-type': 'application/json', 'accept-encoding': 'gzip' }, body: '{}' });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect((await response.text()).trim().split('\n')).toHaveLength(5);

    const warmUp = await fetch(URL);
    expect(warmUp.status).toBe(204);
  });
});
