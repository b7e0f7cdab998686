/**
 * This device's push channel: `channels/{sha256hex(token)}` = {uid, token, deviceId, deviceName,
 * platform, createdAt, lastSeen} (firestore.rules). Turned on only when the person asks (a
 * button, never a prompt on load); refreshed on every app open while signed in (lastSeen, token
 * rotation, and a takeover when another person now uses this device); removed at sign-out
 * together with the token. The person's other channels are listed, renamed and removed from
 * My devices (src/ui/devices-panel.ts).
 */
import { del, get, set } from '../platform/keyval.js';
import type { AccountSummary } from '../account/session.js';
import { APP } from '../constants.js';
import { deviceId } from '../platform/settings.js';
import { errorCode } from '../shared/errors.js';
import { cleanDeviceName, describeDevice } from './device-name.js';
import { WORKER_MESSAGES, readyWorker, workerUnavailableReason } from './worker-availability.js';
import { pushPermission } from './push-support.js';
import { tokenSource } from './token-source.js';

/** What this device remembers about its own channel. */
export interface StoredChannel {
  uid: string;
  token: string;
  channelId: string;
}

export interface ChannelInfo {
  id: string;
  deviceId: string;
  deviceName: string;
  platform: string;
  lastSeen: Date | undefined;
  createdAt: Date | undefined;
  thisDevice: boolean;
}

export async function channelIdOf(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function storedChannel(): Promise<StoredChannel | undefined> {
  return get<StoredChannel>(APP.PUSH_CHANNEL_KEY).catch(() => undefined);
}

async function firestore() {
  const { firebaseFirestore } = await import('../firebase/firestore.js');
  return firebaseFirestore();
}

/** The app's one worker; its registration is where push subscriptions (and tokens) live. */
async function registration(): Promise<ServiceWorkerRegistration> {
  return readyWorker(navigator.serviceWorker);
}

/**
 * Writes (claims) the channel of `token` for `uid`. The rules let the owner read it, so a read
 * that succeeds means it is ours already: refresh lastSeen (and keep the name the person gave
 * it). A denied read means it does not exist or another person holds it: write it whole, with
 * createdAt = now, which the rules accept both as a create and as a takeover.
 */
async function claimChannel(uid: string, token: string): Promise<string> {
  const { db, sdk } = await firestore();
  const id = await channelIdOf(token);
  const ref = sdk.doc(db, 'channels', id);
  const thisDevice = await deviceId();
  let ours = false;
  try {
    ours = (await sdk.getDoc(ref)).exists();
  } catch (error) {
    if (errorCode(error) !== 'permission-denied') throw error;
  }
  if (ours) {
    await sdk.updateDoc(ref, { deviceId: thisDevice, lastSeen: sdk.serverTimestamp() });
  } else {
    const label = describeDevice(navigator.userAgent);
    await sdk.setDoc(ref, {
      uid,
      token,
      deviceId: thisDevice,
      deviceName: label.name,
      platform: label.platform,
      createdAt: sdk.serverTimestamp(),
      lastSeen: sdk.serverTimestamp(),
    });
  }
  return id;
}

async function deleteChannel(channelId: string): Promise<void> {
  const { db, sdk } = await firestore();
  await sdk.deleteDoc(sdk.doc(db, 'channels', channelId));
}

export type TurnOnResult =
  | { ok: true; channelId: string }
  | { ok: false; reason: 'unsupported' | 'no-worker' | 'denied' | 'dismissed' | 'failed'; message: string };

/** Messages a person can act on, one per way turning on can end. */
export const PUSH_MESSAGES = {
  unsupported: 'This browser cannot show notifications from Roaming Notes. Installing the app (or another browser) may help.',
  denied:
    'Notifications are blocked for this site. To turn them on, allow notifications in the site settings ' +
    '(the icon to the left of the address), then press the button again.',
  dismissed: 'Notifications stay off: the browser did not get an answer. Press the button again to be asked.',
} as const;

/**
 * Turns notifications on for this device and account: asks the browser (only here, from the
 * button), gets a token and claims its channel. Never throws: every outcome is a result.
 */
export async function turnOnNotifications(account: Pick<AccountSummary, 'uid'>): Promise<TurnOnResult> {
  if (pushPermission() === 'unsupported') return { ok: false, reason: 'unsupported', message: PUSH_MESSAGES.unsupported };
  const noWorker = workerUnavailableReason({ devServer: import.meta.env.DEV });
  if (noWorker) return { ok: false, reason: 'no-worker', message: noWorker };
  try {
    const permission = await Notification.requestPermission();
    if (permission === 'denied') return { ok: false, reason: 'denied', message: PUSH_MESSAGES.denied };
    if (permission !== 'granted') return { ok: false, reason: 'dismissed', message: PUSH_MESSAGES.dismissed };
    const channelId = await syncChannel(account.uid);
    return { ok: true, channelId };
  } catch (error) {
    if (error instanceof Error && error.message === WORKER_MESSAGES.notReady) return { ok: false, reason: 'no-worker', message: error.message };
    return { ok: false, reason: 'failed', message: `Notifications could not be turned on: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Gets the current token, claims its channel, and deletes the channel of a rotated-away token. */
async function syncChannel(uid: string): Promise<string> {
  const token = await tokenSource().getToken(await registration());
  const previous = await storedChannel();
  const channelId = await claimChannel(uid, token);
  if (previous && previous.token !== token && previous.uid === uid) {
    // Token rotation: the old channel would only collect "not registered" failures.
    await deleteChannel(previous.channelId).catch((error: unknown) => console.warn('push: old channel not deleted', error));
  }
  await set(APP.PUSH_CHANNEL_KEY, { uid, token, channelId } satisfies StoredChannel);
  return channelId;
}

/**
 * Call after sign-in and on every app open while signed in. Does nothing unless notifications
 * were turned on here and the browser still allows them. Refreshes lastSeen, follows a token
 * rotation, and claims the channel for `account` when another person used this device before
 * (their channel would otherwise keep getting their notes here). Never throws.
 */
export async function refreshThisDevice(account: Pick<AccountSummary, 'uid'>): Promise<void> {
  try {
    const stored = await storedChannel();
    if (!stored || pushPermission() !== 'granted') return;
    await syncChannel(account.uid);
  } catch (error) {
    console.warn('push: could not refresh this device’s channel', error);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms))]);
}

/**
 * At sign-out, before Firebase Auth signs out (the delete needs the owner signed in): deletes
 * this device's channel and its token. Offline the delete cannot finish; the token is deleted
 * anyway when possible, so FCM answers "not registered" and the function drops the channel at
 * the next push. Bounded in time; never throws.
 */
export async function removeThisDevice(): Promise<void> {
  const stored = await storedChannel();
  if (!stored) return;
  const work = Promise.allSettled([deleteChannel(stored.channelId), tokenSource().deleteToken()]).then((results) => {
    for (const result of results) if (result.status === 'rejected') console.warn('push: sign-out clean-up', result.reason);
  });
  await withTimeout(work, APP.PUSH_SIGN_OUT_TIMEOUT_MS);
  await del(APP.PUSH_CHANNEL_KEY).catch(() => undefined);
}

/** The person's channels, this device's marked, most recently seen first. */
export async function listChannels(uid: string): Promise<ChannelInfo[]> {
  const { db, sdk } = await firestore();
  const [snapshot, stored] = await Promise.all([
    sdk.getDocs(sdk.query(sdk.collection(db, 'channels'), sdk.where('uid', '==', uid))),
    storedChannel(),
  ]);
  const date = (value: unknown) => (value instanceof sdk.Timestamp ? value.toDate() : undefined);
  return snapshot.docs
    .map((doc) => ({
      id: doc.id,
      deviceId: String(doc.get('deviceId') ?? ''),
      deviceName: String(doc.get('deviceName') ?? ''),
      platform: String(doc.get('platform') ?? ''),
      lastSeen: date(doc.get('lastSeen')),
      createdAt: date(doc.get('createdAt')),
      thisDevice: stored?.channelId === doc.id,
    }))
    .sort((a, b) => Number(b.thisDevice) - Number(a.thisDevice) || (b.lastSeen?.getTime() ?? 0) - (a.lastSeen?.getTime() ?? 0));
}

export async function renameChannel(channelId: string, input: string): Promise<void> {
  const name = cleanDeviceName(input);
  if (!name) throw new RangeError('A device name has 1 to 100 characters.');
  const { db, sdk } = await firestore();
  await sdk.updateDoc(sdk.doc(db, 'channels', channelId), { deviceName: name, lastSeen: sdk.serverTimestamp() });
}

/** Removes one of the person's devices; removing this one also deletes its token. */
export async function removeChannel(channelId: string): Promise<void> {
  const stored = await storedChannel();
  if (stored?.channelId === channelId) {
    await removeThisDevice();
    return;
  }
  await deleteChannel(channelId);
}

/** Asks the function to send a test notification to one of the person's devices. */
export async function sendTestNotification(channelId: string): Promise<void> {
  const { firebaseFunctions } = await import('../firebase/functions.js');
  const { functions, sdk } = await firebaseFunctions();
  await sdk.httpsCallable<{ channelId: string }, { sent: boolean }>(functions, 'sendTestPush')({ channelId });
}
