/**
 * Starts and stops sync for the account whose notes are open. Exactly one tab per account syncs:
 * it holds a Web Lock named after the account, and when that tab closes the lock passes to a
 * waiting tab at once. Other tabs see every change through Dexie, which tells all tabs. (Without
 * Web Locks every tab syncs: src/platform/locks.ts says why that is safe.)
 */
import type { NotesDatabase } from '../db/database.js';
import { firebaseSettings } from '../firebase/config.js';
import { withWebLock } from '../platform/locks.js';
import type { SyncEngine } from './engine.js';
import type { LabelSync } from './label-sync.js';

const LOCK_PREFIX = 'roaming-notes-sync-';

export interface SyncHandle {
  stop(): void;
}

/** What sync runs on. The engine loads with Firebase: nothing syncs before first paint, so it is off its bytes. */
function syncModules() {
  return Promise.all([
    import('../firebase/firestore.js'),
    import('../firebase/auth.js'),
    import('./firestore-remote.js'),
    import('../firebase/functions.js'),
    import('./engine.js'),
    import('./label-sync.js'),
    import('./firestore-labels.js'),
    import('../db/page-merger.js'),
  ]);
}

/**
 * Loads sync and Firestore while the person signs in: on a new device the first sync
 * starts the moment they are in, and its first request need not wait for them.
 */
export function prepareSync(): void {
  void syncModules()
    .then(([{ firebaseFirestore }]) => firebaseFirestore())
    .catch(() => undefined);
}

/**
 * Runs sync for `uid` while this handle lives; loads Firebase Firestore on first use.
 * `onStopped` hears why sync ended early (Firebase could not load, say), so the app can say so.
 */
export function startSync(db: NotesDatabase, uid: string, onStopped?: (error: unknown) => void): SyncHandle {
  const controller = new AbortController();
  let engine: SyncEngine | undefined;
  let labels: LabelSync | undefined;
  const onOnline = () => {
    engine?.nudge();
    labels?.nudge();
  };
  window.addEventListener('online', onOnline);

  const lead = async () => {
    const [{ firebaseFirestore, recreateFirebaseFirestore }, { firebaseAuth }, { FirestoreRemote, SessionEndedError }, { noteDownloadUrl }, { SyncEngine }, { LabelSync }, { FirestoreLabels }, { WorkerPageStore }] =
      await syncModules();
    const { auth } = await firebaseAuth();
    await auth.authStateReady();
    // Sync only as the account these notes belong to; Auth may still be switching accounts.
    if (auth.currentUser?.uid !== uid || controller.signal.aborted) return;
    const { db: firestore, sdk } = await firebaseFirestore();
    const download = firebaseSettings && {
      url: noteDownloadUrl(firebaseSettings),
      // Only this account's token: a download asked with another's would fetch their notes.
      idToken: async () => {
        const user = auth.currentUser;
        if (user?.uid !== uid) throw new SessionEndedError(new Error('signed in as someone else'));
        return user.getIdToken();
      },
    };
    const remote = new FirestoreRemote(firestore, sdk, uid, db.clock.deviceId, () => auth.currentUser?.uid, recreateFirebaseFirestore, download);
    const pages = new WorkerPageStore(db);
    engine = new SyncEngine(db, remote, { pages });
    // The labels go to the instance the notes use now (the engine makes a new one when a stream stalls).
    labels = new LabelSync(db, new FirestoreLabels(() => remote.firestore, sdk, uid, db.clock.deviceId));
    if (controller.signal.aborted) return;
    try {
      await Promise.all([engine.run(), labels.run()]);
    } finally {
      // run() has returned: nothing of the engine is being stored, and the lock goes with the worker.
      pages.close();
    }
  };

  withWebLock(`${LOCK_PREFIX}${uid}`, lead, { signal: controller.signal }).catch((error: unknown) => {
    if (controller.signal.aborted) return;
    if (onStopped) onStopped(error);
    else console.warn('Sync stopped', error);
  });

  return {
    stop() {
      controller.abort();
      engine?.stop();
      labels?.stop();
      window.removeEventListener('online', onOnline);
    },
  };
}
