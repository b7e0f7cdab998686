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
    const { auth, authSdk, db, sdk } = await firebase();
    const user = auth.currentUser;
    if (user?.uid !== uid) return { status: 'unavailable', error: new Error('Signed in as someone else now.') };
    const id = await deviceId();
    const claims = (await user.getIdTokenResult()).claims;
    if (claims.deviceId === id) {
      // Not awaited: offline it would wait for the server, and a refusal (revoked, deleted) is
      // for the watcher to read from the record, which says which of the two it is.
      sdk.updateDoc(sdk.doc(db, 'users', uid, 'devices', id), { lastSeen: sdk.serverTimestamp() }).catch(() => undefined);
      return { status: 'bound' };
    }
    const { firebaseFunctions } = await import('../firebase/functions.js');
    const { functions, sdk: functionsSdk } = await firebaseFunctions();
    const label = describeDevice(navigator.userAgent);
    const register = functionsSdk.httpsCallable<{ deviceId: string; name: string; platform: string }, { token: string }>(functions, 'registerMyDevice');
    const { data } = await register({ deviceId: id, name: label.name, platform: label.platform });
    if (auth.currentUser?.uid !== uid || !wanted()) return { status: 'unavailable', error: new Error('Signed in as someone else now.') };
    const switching = authSdk.signInWithCustomToken(auth, data.token);
    signingIn?.(switching);
    await switching;
    return { status: 'bound' };
  } catch (error) {
    if (errorCode(error) === 'functions/permission-denied' || errorCode(error) === 'permission-denied') {
      const message = error instanceof Error ? error.message : '';
      return { status: 'ended', end: /deleted/i.test(message) ? 'account-deleted' : 'revoked' };
    }
    return { status: 'unavailable', error };
  }
}

/**
 * Calls `onEnd` once this device's record says it was revoked, or is gone (the account was
 * deleted: records go only with it). Only for a session bound to this device, which may always
 * read its own record. Returns the unsubscribe.
 */
export async function watchThisDevice(uid: string, onEnd: (end: DeviceEnd) => void): Promise<() => void> {
  const { db, sdk } = await firebase();
  const id = await deviceId();
  let ended = false;
  const end = (why: DeviceEnd) => {
    if (ended) return;
    ended = true;
    onEnd(why);
  };
  return sdk.onSnapshot(
    sdk.doc(db, 'users', uid, 'devices', id),
    (snapshot) => {
      // A snapshot from the memory cache only is not the server's word that the record is gone.
      if (snapshot.metadata.fromCache) return;
      if (!snapshot.exists()) end('account-deleted');
      else if (snapshot.get('revokedAt') != null) end('revoked');
    },
    (error) => {
      // The own record is readable by its device even once revoked: a refusal means the session
      // is not bound to this device any more, not a verdict. Nothing to do until the next open.
      console.warn('devices: watching this device stopped', error);
    },
  );
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
