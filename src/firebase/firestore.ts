/**
 * Cloud Firestore, created lazily and once, connected to the emulator right after creation when
 * configured. Firestore is a transport here, not the app's store (that is Dexie), so it keeps
 * only a memory cache: its IndexedDB persistence would duplicate every note and slow start-up.
 */
import type { Firestore } from 'firebase/firestore';
import { firebaseApp, forgetOnFailure } from './app.js';
import { EMULATOR_PORTS, firebaseSettings } from './config.js';

type FirestoreSdk = typeof import('firebase/firestore');

let firestorePromise: Promise<{ db: Firestore; sdk: FirestoreSdk }> | undefined;

export function firebaseFirestore(): Promise<{ db: Firestore; sdk: FirestoreSdk }> {
  firestorePromise ??= forgetOnFailure((async () => {
    const [app, sdk] = await Promise.all([firebaseApp(), import('firebase/firestore')]);
    const db = sdk.initializeFirestore(app, { localCache: sdk.memoryLocalCache() });
    const host = firebaseSettings?.emulatorHost;
    if (host) sdk.connectFirestoreEmulator(db, host, EMULATOR_PORTS.firestore);
    return { db, sdk };
  })(), () => (firestorePromise = undefined));
  return firestorePromise;
}

/**
 * Terminates `stale` and makes a new instance in its place, for a connection whose stream stopped
 * answering (src/sync/stall-guard.ts). Termination frees the app's Firestore slot, so the new
 * instance starts with a new stream and an empty memory cache (the notes live in Dexie).
 */
export async function recreateFirebaseFirestore(stale: Firestore): Promise<Firestore> {
  const current = await firebaseFirestore();
  if (current.db === stale) {
    firestorePromise = undefined;
    await current.sdk.terminate(stale).catch(() => undefined);
  }
  return (await firebaseFirestore()).db;
}
