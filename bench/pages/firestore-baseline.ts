/**
 * The baselines that use the plain Firestore Web SDK, with nothing of the app around it. Built by
 * bench/lib/builds.ts into its own folder (never the app's dist) and driven from the benchmarks:
 * - cold start: `?cold=<uid>` reads `users/<uid>/notes` from a persistentLocalCache with
 *   getDocsFromCache as soon as the module runs, and records the time since navigation;
 * - first sync: download the same notes in pages, as the SDK alone would;
 * - roaming: a raw onSnapshot listener, loaded into a device's app page (same origin, so the Auth
 *   session the app stored is the one this copy of the SDK restores).
 */
import { initializeApp, type FirebaseApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, signInAnonymously } from 'firebase/auth';
import {
  collection,
  connectFirestoreEmulator,
  documentId,
  getDocs,
  getDocsFromCache,
  initializeFirestore,
  loadBundle,
  limit,
  memoryLocalCache,
  onSnapshot,
  orderBy,
  persistentLocalCache,
  query,
  startAfter,
  terminate,
  type Firestore,
  type QueryConstraint,
} from 'firebase/firestore';

/**
 * Filled in at build time by bench/pages/vite.config.ts: the emulator build's Firebase options
 * (from .env.emulator, so the app's Auth session is found under the same API key) and where the
 * emulators listen (testing/emulator-suite.mjs).
 */
declare const __BASELINE_FIREBASE__: {
  options: { projectId: string; apiKey: string; authDomain: string };
  authUrl: string;
  firestore: { host: string; port: number };
};
const CONFIG = __BASELINE_FIREBASE__.options;

let app: FirebaseApp | undefined;
let firestore: Firestore | undefined;

function firebaseApp(): FirebaseApp {
  app ??= initializeApp(CONFIG);
  return app;
}

function db(cache: 'persistent' | 'memory'): Firestore {
  if (!firestore) {
    firestore = initializeFirestore(firebaseApp(), { localCache: cache === 'persistent' ? persistentLocalCache() : memoryLocalCache() });
    connectFirestoreEmulator(firestore, __BASELINE_FIREBASE__.firestore.host, __BASELINE_FIREBASE__.firestore.port);
  }
  return firestore;
}

function auth() {
  const instance = getAuth(firebaseApp());
  if (!instance.emulatorConfig) connectAuthEmulator(instance, __BASELINE_FIREBASE__.authUrl, { disableWarnings: true });
  return instance;
}

export interface ColdRead {
  count: number;
  textChars: number;
  /** Navigation start to the documents in hand. */
  navigationToDocsMs: number;
  /** The getDocsFromCache call alone. */
  readMs: number;
}

export interface RawChange {
  id: string;
  done: boolean;
  /** performance.timeOrigin + performance.now() when the snapshot arrived. */
  at: number;
}

/** Terminates the Firestore instance; the next use makes a new one. */
async function releaseFirestore(): Promise<void> {
  if (firestore) await terminate(firestore);
  firestore = undefined;
}

const api = {
  /** Signs in anonymously (for a Firestore cache of its own) and returns the uid. */
  async signIn(): Promise<string> {
    const credential = await signInAnonymously(auth());
    return credential.user.uid;
  },
  /** The uid the app's stored session restores here (same origin), or undefined. */
  async restoredUid(): Promise<string | undefined> {
    const instance = auth();
    await instance.authStateReady();
    return instance.currentUser?.uid;
  },
  /** Downloads users/<uid>/notes in pages; returns the count and the time taken. */
  /**
   * Pages of the notes in id order. A page read that has not answered within `stallDeadlineMs`
   * (the app's SYNC.READ_DEADLINE_MS) is counted as a stall and asked again; after
   * `stallsBeforeReconnect` stalls in a row the Firestore instance is terminated and made anew, as
   * the app does (its stream can stay stuck for good). The benchmark reports stalls and new
   * instances instead of hanging on one.
   */
  async download(
    uid: string,
    pageSize: number,
    cache: 'persistent' | 'memory',
    stallDeadlineMs = Infinity,
    stallsBeforeReconnect = Infinity,
  ): Promise<{ count: number; ms: number; stalls: number; msLostToStalls: number; reconnects: number }> {
    const notes = () => collection(db(cache), 'users', uid, 'notes');
    const started = performance.now();
    let count = 0;
    let stalls = 0;
    let stallsInARow = 0;
    let reconnects = 0;
    let msLostToStalls = 0;
    let last: string | undefined;
    for (;;) {
      const constraints: QueryConstraint[] = [orderBy(documentId())];
      if (last) constraints.push(startAfter(last));
      const asked = performance.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stalled = new Promise<'stalled'>((resolve) => {
        if (Number.isFinite(stallDeadlineMs)) timer = setTimeout(() => resolve('stalled'), stallDeadlineMs);
      });
      const read = getDocs(query(notes(), ...constraints, limit(pageSize)));
      // Abandoned at its deadline, a read fails later when its instance is terminated: nobody waits for it.
      read.catch(() => undefined);
      const snapshot = await Promise.race([read, stalled]).finally(() => clearTimeout(timer));
      if (snapshot === 'stalled') {
        stalls += 1;
        msLostToStalls += performance.now() - asked;
        if (++stallsInARow >= stallsBeforeReconnect) {
          stallsInARow = 0;
          reconnects += 1;
          await releaseFirestore();
        }
        continue;
      }
      stallsInARow = 0;
      count += snapshot.size;
      if (snapshot.size < pageSize) break;
      last = snapshot.docs[snapshot.size - 1]!.id;
    }
    return { count, ms: performance.now() - started, stalls, msLostToStalls, reconnects };
  },
  /**
   * Shuts Firestore down, releasing the persistent cache. A page closed with the cache still held
   * leaves its lease valid for a few seconds, and a new page that cannot take the cache in that time
   * silently falls back to a memory cache (and reads 0 notes from it).
   */
  release: releaseFirestore,
  /** Puts a bundle's documents in the persistent cache, as if downloaded; returns how many. */
  async loadBundle(bundle: string): Promise<number> {
    const progress = await loadBundle(db('persistent'), bundle);
    return progress.documentsLoaded;
  },
  /** Reads users/<uid>/notes from the persistent cache. */
  async readFromCache(uid: string): Promise<ColdRead> {
    const started = performance.now();
    const snapshot = await getDocsFromCache(collection(db('persistent'), 'users', uid, 'notes'));
    // Touch every document's data, as a board would to render it.
    let chars = 0;
    for (const doc of snapshot.docs) chars += String(doc.get('text') ?? '').length;
    const done = performance.now();
    return { count: snapshot.size, textChars: chars, navigationToDocsMs: done, readMs: done - started };
  },
  /** A raw listener on users/<uid>/notes; every server-confirmed change is recorded with its arrival time. */
  listen(uid: string): RawChange[] {
    const changes: RawChange[] = [];
    onSnapshot(collection(db('memory'), 'users', uid, 'notes'), (snapshot) => {
      const at = performance.timeOrigin + performance.now();
      for (const change of snapshot.docChanges()) {
        if (change.doc.metadata.hasPendingWrites) continue;
        changes.push({ id: change.doc.id, done: change.doc.get('done') === true, at });
      }
    });
    return changes;
  },
};

export type FirestoreBench = typeof api;
declare global {
  interface Window {
    firestoreBench: FirestoreBench;
    firestoreBenchCold?: Promise<ColdRead>;
  }
}
window.firestoreBench = api;

const coldUid = new URLSearchParams(location.search).get('cold');
if (coldUid) window.firestoreBenchCold = api.readFromCache(coldUid);
