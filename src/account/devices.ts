/**
 * This device in the person's device registry (`users/{uid}/devices/{deviceId}`; the rules are in
 * firestore.rules, the server side in functions/src/devices.ts), loaded with Firebase after first
 * paint. After sign-in the device registers itself and switches to a session bound to it (a
 * custom token carrying its device id), then watches its own record: once another device revokes
 * it ("Sign out and erase this device") or the account is deleted, the app erases this device's
 * copy (AccountLifecycle.eraseThisDevice). The rules refuse a revoked device's reads and writes
 * whether or not this code ever runs; this is how the app learns it and tidies up.
 */
import { APP } from '../constants.js';
import { deviceId } from '../platform/settings.js';
import { describeDevice, cleanDeviceName } from '../push/device-name.js';
import { errorCode } from '../shared/errors.js';

/** Why this device's copy of an account ends without the person here asking for it. */
export type DeviceEnd = 'revoked' | 'account-deleted';

export interface DeviceInfo {
  id: string;
  name: string;
  platform: string;
  lastSeen: Date | undefined;
  revoked: boolean;
  thisDevice: boolean;
}

async function firebase() {
  const [{ firebaseAuth }, { firebaseFirestore }] = await Promise.all([import('../firebase/auth.js'), import('../firebase/firestore.js')]);
  const [{ auth, sdk: authSdk }, { db, sdk }] = await Promise.all([firebaseAuth(), firebaseFirestore()]);
  return { auth, authSdk, db, sdk };
}

export type BindResult = { status: 'bound' } | { status: 'ended'; end: DeviceEnd } | { status: 'unavailable'; error: unknown };

/** The server's refusal of this device's registration, read as why the device ends; undefined for any other failure. */
function refusal(error: unknown): DeviceEnd | undefined {
  if (errorCode(error) !== 'functions/permission-denied' && errorCode(error) !== 'permission-denied') return undefined;
  const message = error instanceof Error ? error.message : '';
  return /deleted/i.test(message) ? 'account-deleted' : 'revoked';
}

async function callable<In, Out>(name: string, data: In): Promise<Out> {
  const { firebaseFunctions } = await import('../firebase/functions.js');
  const { functions, sdk } = await firebaseFunctions();
  return (await sdk.httpsCallable<In, Out>(functions, name)(data)).data;
}

/** Registers this device with the server (registerMyDevice); returns the custom token of a session bound to it. */
async function register(id: string): Promise<string> {
  const label = describeDevice(navigator.userAgent);
  return (await callable<{ deviceId: string; name: string; platform: string }, { token: string }>('registerMyDevice', { deviceId: id, name: label.name, platform: label.platform })).token;
}

/**
 * The server's word on this device's session (checkMyDevice, read with the Admin SDK: no client
 * cache in between): whether it may go on, and if not, why.
 */
async function askServer(): Promise<'active' | 'unbound' | DeviceEnd> {
  return (await callable<Record<string, never>, { state: 'active' | 'unbound' | 'revoked' | 'account-deleted' }>('checkMyDevice', {})).state;
}

/**
 * Registers this device for `uid` and makes the session one bound to it, unless it already is.
 * 'ended' when the server refuses because this device was revoked or the account deleted;
 * 'unavailable' for anything else (offline, say): sync goes on in the unbound session, and the
 * next app open tries again. `wanted` is asked right before the session is switched: once it says
 * no (sign-out has begun), the switch is not made, so a sign-out is never followed by a sign-in.
 * `signingIn` hears of a switch under way, for a sign-out to wait for before it signs out.
 */
export async function bindThisDevice(uid: string, wanted: () => boolean = () => true, signingIn?: (done: Promise<unknown>) => void): Promise<BindResult> {
  try {
    const { auth, authSdk } = await firebase();
    const user = auth.currentUser;
    if (user?.uid !== uid) return { status: 'unavailable', error: new Error('Signed in as someone else now.') };
    const id = await deviceId();
    const claims = (await user.getIdTokenResult()).claims;
    // Already bound: the watcher refreshes lastSeen once it holds the record (watchThisDevice).
    if (claims.deviceId === id) return { status: 'bound' };
    const token = await register(id);
    if (auth.currentUser?.uid !== uid || !wanted()) return { status: 'unavailable', error: new Error('Signed in as someone else now.') };
    const switching = authSdk.signInWithCustomToken(auth, token);
    signingIn?.(switching);
    await switching;
    return { status: 'bound' };
  } catch (error) {
    const end = refusal(error);
    return end ? { status: 'ended', end } : { status: 'unavailable', error };
  }
}

/** What one snapshot of this device's own record says, before anything is done about it. */
export type RecordReading = 'wait' | 'active' | 'revoked' | 'missing';

export function readOwnRecord(snapshot: { metadata: { fromCache: boolean }; exists(): boolean; get(field: string): unknown }): RecordReading {
  // A snapshot from the memory cache only is not the server's word on anything.
  if (snapshot.metadata.fromCache) return 'wait';
  if (!snapshot.exists()) return 'missing';
  return snapshot.get('revokedAt') != null ? 'revoked' : 'active';
}

/** Waits before asking the server again whether this device may go on, when it could not answer. */
const CONFIRM_RETRY_MS = [2_000, 10_000, 30_000, 60_000] as const;

/**
 * Calls `onEnd` once this device's record says it was revoked, or the server confirms that it may
 * not go on (the account was deleted, or the record is gone). Only for a session bound to this
 * device, which may always read its own record. Returns the unsubscribe.
 *
 * A record that the listener reports missing is not taken at its word: the Firestore SDK can
 * report a document that exists as missing "from the server" for a moment. (When this device's
 * own write to the record is acknowledged before the listener has the record, the SDK keeps it as
 * a document of unknown content, ignores the listener's older copy and reports the document
 * missing; a crash test met exactly that and erased a device whose record was there.) Erasing
 * throws away unsynced changes, so the server itself is asked first (checkMyDevice). For the
 * same reason lastSeen is written only once the listener holds the record.
 */
export async function watchThisDevice(uid: string, onEnd: (end: DeviceEnd) => void): Promise<() => void> {
  const { db, sdk } = await firebase();
  const id = await deviceId();
  const ref = sdk.doc(db, 'users', uid, 'devices', id);
  let stopped = false;
  let seen = false;
  let confirming = false;
  const end = (why: DeviceEnd) => {
    if (stopped) return;
    stopped = true;
    onEnd(why);
  };
  const confirmMissing = async () => {
    if (confirming) return;
    confirming = true;
    try {
      for (let attempt = 0; !stopped; attempt++) {
        try {
          const state = await askServer();
          if (state === 'revoked' || state === 'account-deleted') end(state);
          return;
        } catch (error) {
          if (attempt >= CONFIRM_RETRY_MS.length) throw error;
          await new Promise((resolve) => setTimeout(resolve, CONFIRM_RETRY_MS[attempt]));
        }
      }
    } catch (error) {
      // No answer from the server: nothing is erased; the next open asks again.
      console.warn('devices: could not ask the server about this device', error);
    } finally {
      confirming = false;
    }
  };
  const unsubscribe = sdk.onSnapshot(
    ref,
    (snapshot) => {
      switch (readOwnRecord(snapshot)) {
        case 'revoked':
          return end('revoked');
        case 'missing':
          return void confirmMissing();
        case 'active':
          if (seen) return;
          seen = true;
          // Not awaited: offline it would wait for the server. Refused once revoked, which the
          // listener then reports.
          sdk.updateDoc(ref, { lastSeen: sdk.serverTimestamp() }).catch(() => undefined);
      }
    },
    (error) => {
      // The own record is readable by its device even once revoked, so a refusal is not a verdict:
      // the account may have been deleted (its marker refuses every read, this one included, and
      // can come before the records go), or the session is no longer bound to this device. The
      // listener is over either way; the server says which.
      console.warn('devices: watching this device stopped', error);
      if (errorCode(error) === 'permission-denied') void confirmMissing();
    },
  );
  return () => {
    stopped = true;
    unsubscribe();
  };
}

/**
 * Binds this device (bindThisDevice), then watches its record (watchThisDevice) until the
 * returned stop; `onEnd` hears once that it was revoked or the account deleted. Never throws.
 * The stop resolves once no switch to the bound session is under way any more: signing out
 * after it cannot be undone by a custom-token sign-in finishing late.
 */
export function followThisDevice(uid: string, onEnd: (end: DeviceEnd) => void): () => Promise<void> {
  let stopped = false;
  let unwatch: (() => void) | undefined;
  let switching: Promise<unknown> = Promise.resolve();
  void (async () => {
    const bound = await bindThisDevice(
      uid,
      () => !stopped,
      (done) => (switching = done),
    );
    if (stopped) return;
    if (bound.status === 'ended') onEnd(bound.end);
    else if (bound.status === 'bound') unwatch = await watchThisDevice(uid, onEnd);
    else console.warn('devices: this device is not registered yet; trying again at the next open', bound.error);
    if (stopped) unwatch?.();
  })().catch((error: unknown) => console.warn('devices: following this device failed', error));
  return async () => {
    stopped = true;
    unwatch?.();
    await switching.catch(() => undefined);
  };
}

/** Every registered device of the person, this one first, then the most recently seen. */
export async function listDevices(uid: string): Promise<DeviceInfo[]> {
  const { db, sdk } = await firebase();
  const [snapshot, id] = await Promise.all([sdk.getDocs(sdk.collection(db, 'users', uid, 'devices')), deviceId()]);
  const date = (value: unknown) => (value instanceof sdk.Timestamp ? value.toDate() : undefined);
  return snapshot.docs
    .map((doc) => ({
      id: doc.id,
      name: String(doc.get('name') ?? ''),
      platform: String(doc.get('platform') ?? ''),
      lastSeen: date(doc.get('lastSeen')),
      revoked: doc.get('revokedAt') != null,
      thisDevice: doc.id === id,
    }))
    .sort((a, b) => Number(b.thisDevice) - Number(a.thisDevice) || (b.lastSeen?.getTime() ?? 0) - (a.lastSeen?.getTime() ?? 0));
}

/**
 * Signs `targets` out and has them erase themselves: their records are revoked (the rules refuse
 * them from the moment this commits) and their push channels deleted, in one batch.
 */
export async function revokeDevices(uid: string, targets: readonly string[]): Promise<void> {
  if (targets.length === 0) return;
  const { db, sdk } = await firebase();
  const me = await deviceId();
  const channels = await sdk.getDocs(sdk.query(sdk.collection(db, 'channels'), sdk.where('uid', '==', uid)));
  const batch = sdk.writeBatch(db);
  for (const target of targets) {
    batch.update(sdk.doc(db, 'users', uid, 'devices', target), { revokedAt: sdk.serverTimestamp(), revokedBy: me });
  }
  for (const channel of channels.docs) if (targets.includes(String(channel.get('deviceId')))) batch.delete(channel.ref);
  await batch.commit();
}

/**
 * At sign-out: marks this device's record signed out, so My devices on the others says so (a
 * later sign-in here registers it again). Only online, and bounded in time: sign-out never waits
 * on it.
 */
export async function retireThisDevice(uid: string): Promise<void> {
  if (!navigator.onLine) return;
  const me = await deviceId();
  const retire = revokeDevices(uid, [me]).catch((error: unknown) => console.warn('devices: this device was not marked signed out', error));
  await Promise.race([retire, new Promise((resolve) => setTimeout(resolve, APP.PUSH_SIGN_OUT_TIMEOUT_MS))]);
}

/** Every device of the person but this one that is not revoked yet. */
export async function revokeOtherDevices(uid: string): Promise<number> {
  const others = (await listDevices(uid)).filter((device) => !device.thisDevice && !device.revoked).map((device) => device.id);
  await revokeDevices(uid, others);
  return others.length;
}

export async function renameDevice(uid: string, id: string, input: string): Promise<void> {
  const name = cleanDeviceName(input);
  if (!name) throw new RangeError('A device name has 1 to 100 characters.');
  const { db, sdk } = await firebase();
  await sdk.updateDoc(sdk.doc(db, 'users', uid, 'devices', id), { name });
}
