/**
 * The real dependencies of following the account (FollowDependencies in
 * lifecycle-dependencies.ts), loaded with it after first paint.
 */
import { deleteNotesDatabase } from '../db/accounts.js';
import type { NotesDatabase } from '../db/database.js';
import type { SyncHandle } from '../sync/controller.js';
import { underGuestMoveLock } from './guest-move.js';
import type { FollowDependencies } from './lifecycle-dependencies.js';
import { onSignInElsewhere } from './session.js';

export const defaultFollowDependencies = (): FollowDependencies => ({
  deleteDatabase: deleteNotesDatabase,
  startSync: startSyncLazily,
  async signOutOfFirebase() {
    const { signOutOfFirebase } = await import('../firebase/auth.js');
    await signOutOfFirebase();
  },
  onSignInElsewhere,
  underGuestMoveLock,
  followDevice(uid, onEnd) {
    const following = import('./devices.js').then((devices) => devices.followThisDevice(uid, onEnd));
    following.catch((error: unknown) => console.warn('devices: following this device failed', error));
    return () => following.then((stop) => stop()).catch(() => undefined);
  },
  retireDevice: async (uid) => (await import('./devices.js')).retireThisDevice(uid),
  async forgetPushChannel() {
    const { removeThisDevice } = await import('../push/channels.js');
    await removeThisDevice();
  },
});

/**
 * Starts sync with its controller loaded on demand: sync starts only once sign-in has loaded,
 * after first paint, so the controller is off the first paint's bytes. A failed download is said
 * like any reason sync stopped.
 */
function startSyncLazily(db: NotesDatabase, uid: string, onStopped: (error: unknown) => void): SyncHandle {
  let handle: SyncHandle | undefined;
  let stopped = false;
  import('../sync/controller.js').then(
    ({ startSync }) => {
      if (!stopped) handle = startSync(db, uid, onStopped);
    },
    (error: unknown) => {
      if (!stopped) onStopped(error);
    },
  );
  return {
    stop() {
      stopped = true;
      handle?.stop();
    },
  };
}
