/**
 * What AccountLifecycle needs of the outside world (the session, the notes databases, sync,
 * Firebase sign-out, the network, the device registry, push), and the real ones. Tests replace
 * any of them, so the lifecycle runs without a browser or Firebase.
 */
import { deleteNotesDatabase } from '../db/accounts.js';
import type { NotesDatabase } from '../db/database.js';
import { describeStorageError, openNotesDatabase } from '../db/open.js';
import { deviceId } from '../platform/settings.js';
import type { SyncHandle } from '../sync/controller.js';
import type { DeviceEnd } from './devices.js';
import { underGuestMoveLock } from './guest-move.js';
import { AccountSession, onSignInElsewhere, syncConfigured } from './session.js';

/** The outside world, replaceable so the lifecycle is tested without a browser or Firebase. */
export interface LifecycleDependencies {
  session: AccountSession;
  syncConfigured: boolean;
  openDatabase(name: string): Promise<NotesDatabase>;
  deleteDatabase(name: string): Promise<void>;
  describeStorageError(error: unknown): string;
  startSync(db: NotesDatabase, uid: string, onStopped: (error: unknown) => void): SyncHandle;
  signOutOfFirebase(): Promise<void>;
  /** Resolves once the page has painted what it has, so Firebase loads after first paint. */
  afterFirstPaint(): Promise<void>;
  online(): boolean;
  /** Calls `listener` each time the device comes back online; returns the unsubscribe. */
  onOnline(listener: () => void): () => void;
  /** Calls `listener` each time another tab signs an account in; returns the unsubscribe. */
  onSignInElsewhere(listener: () => void): () => void;
  /** Runs the guest-notes move while no other tab runs it (a Web Lock). */
  underGuestMoveLock<T>(move: () => Promise<T>): Promise<T>;
  /**
   * Registers this device for `uid` and watches its record; calls `onEnd` once it is revoked or
   * the account deleted. Returns the stop, which resolves once no switch to the session bound to
   * this device is under way (so a sign-out after it stays signed out).
   */
  followDevice(uid: string, onEnd: (end: DeviceEnd) => void): () => Promise<void>;
  /** Deletes this device's push token and forgets its channel (bounded in time; never throws). */
  forgetPushChannel(): Promise<void>;
  /** Marks this device signed out in the registry at sign-out (bounded in time). */
  retireDevice(uid: string): Promise<void>;
}

export const defaultDependencies = (): LifecycleDependencies => ({
  session: new AccountSession(),
  syncConfigured,
  openDatabase: async (name) => openNotesDatabase(name, await deviceId()),
  deleteDatabase: deleteNotesDatabase,
  describeStorageError,
  startSync: startSyncLazily,
  async signOutOfFirebase() {
    const { signOutOfFirebase } = await import('../firebase/auth.js');
    await signOutOfFirebase();
  },
  afterFirstPaint: () => new Promise((resolve) => setTimeout(resolve, 0)),
  online: () => navigator.onLine,
  onOnline(listener) {
    window.addEventListener('online', listener);
    return () => window.removeEventListener('online', listener);
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
