/**
 * The device registry's server side: a signed-in device registers itself here and gets a session
 * bound to it. Kept apart from the callable wrapper (index.ts) so tests run it directly.
 *
 * How a request names its device (the enforcement of "Sign out and erase this device"): the
 * device's session carries its device id as a claim that only the server can put there. The
 * callable writes `users/{uid}/devices/{deviceId}` and answers with a custom token made by the
 * Admin SDK with the developer claim `deviceId`; the app signs in with it, and from then on every
 * ID token of that session (refreshed ones too) carries `request.auth.token.deviceId`. The rules
 * (firestore.rules, activeSession) read that device's record on every read and write and refuse
 * the request once the record is revoked or gone. A copy of the app that never runs the wipe, or
 * someone holding its tokens, is refused all the same: they cannot drop or change the claim, and
 * registering again from a device-bound session is refused when that device is revoked.
 * A session without the claim comes only from a fresh sign-in with the person's own sign-in
 * method (or from app versions before the registry); the rules let it in unless the account is
 * deleted, and such a session re-admits a revoked device id when it registers it (the owner came
 * back with their credentials).
 */
import type { DocumentData, Firestore } from 'firebase-admin/firestore';
import { FieldValue } from 'firebase-admin/firestore';
import { ERASE } from './account-erase.js';

export const DEVICE_LIMITS = {
  ID: /^[A-Za-z0-9_-]{1,64}$/,
  NAME_MAX: 100,
  PLATFORM_MAX: 64,
} as const;

export interface DeviceRegistration {
  deviceId: string;
  name: string;
  platform: string;
}

export interface Caller {
  uid: string;
  /** The `deviceId` claim of the caller's ID token, when its session is bound to a device. */
  deviceClaim?: unknown;
}

export type RegisterResult =
  | { ok: true; registration: DeviceRegistration }
  | { ok: false; code: 'invalid-argument' | 'permission-denied'; message: string };

/** Checks the callable's input; names and platforms are trimmed and capped, never refused for length. */
export function parseRegistration(data: unknown): DeviceRegistration | string {
  if (typeof data !== 'object' || data === null) return 'Send { deviceId, name, platform }.';
  const { deviceId, name, platform } = data as Record<string, unknown>;
  if (typeof deviceId !== 'string' || !DEVICE_LIMITS.ID.test(deviceId)) return 'deviceId must be 1 to 64 letters, digits, "-" or "_".';
  if (typeof name !== 'string' || name.trim() === '') return 'name must be a non-empty string.';
  if (platform !== undefined && typeof platform !== 'string') return 'platform must be a string.';
  return {
    deviceId,
    name: name.trim().slice(0, DEVICE_LIMITS.NAME_MAX),
    platform: (platform ?? '').trim().slice(0, DEVICE_LIMITS.PLATFORM_MAX),
  };
}

/** True when the record says the device was signed out from another device. */
export function isRevoked(record: DocumentData | undefined): boolean {
  return record !== undefined && record.revokedAt !== null && record.revokedAt !== undefined;
}

/**
 * Writes (or refreshes) the caller's device record. Refused: an account being deleted, a
 * device-bound session naming another device, and a device-bound session whose device is revoked
 * or gone.
 */
export async function registerDevice(db: Firestore, caller: Caller, data: unknown): Promise<RegisterResult> {
  const parsed = parseRegistration(data);
  if (typeof parsed === 'string') return { ok: false, code: 'invalid-argument', message: parsed };
  const { uid } = caller;
  const bound = typeof caller.deviceClaim === 'string' ? caller.deviceClaim : undefined;
  if (bound !== undefined && bound !== parsed.deviceId) {
    return { ok: false, code: 'permission-denied', message: 'This session belongs to another device.' };
  }
  const ref = db.collection('users').doc(uid).collection(ERASE.DEVICES).doc(parsed.deviceId);
  const marker = db.collection(ERASE.DELETED_ACCOUNTS).doc(uid);
  return db.runTransaction(async (transaction) => {
    const [record, deleted] = await Promise.all([transaction.get(ref), transaction.get(marker)]);
    if (deleted.exists) return { ok: false, code: 'permission-denied', message: 'This account has been deleted.' } as const;
    if (bound !== undefined && (!record.exists || isRevoked(record.data()))) {
      return { ok: false, code: 'permission-denied', message: 'This device was signed out from another device.' } as const;
    }
    transaction.set(
      ref,
      {
        name: parsed.name,
        platform: parsed.platform,
        lastSeen: FieldValue.serverTimestamp(),
        // A fresh sign-in (no claim) re-admits a device id that was revoked before.
        revokedAt: null,
        revokedBy: null,
        ...(record.exists ? {} : { createdAt: FieldValue.serverTimestamp() }),
      },
      { merge: true },
    );
    return { ok: true, registration: parsed } as const;
  });
}

/** What the server says of the calling session's device: may it go on, and if not, why. */
export type DeviceState = 'active' | 'revoked' | 'account-deleted' | 'unbound';

/**
 * The server's word on the caller's device, read with the Admin SDK (no client cache in between):
 * 'account-deleted' once the account's deleted marker exists; 'unbound' for a session that names
 * no device; 'revoked' when its record is revoked or gone (the rules refuse it then, as they
 * refuse a revoked one); else 'active'. Writes nothing.
 */
export async function deviceState(db: Firestore, caller: Caller): Promise<DeviceState> {
  const marker = await db.collection(ERASE.DELETED_ACCOUNTS).doc(caller.uid).get();
  if (marker.exists) return 'account-deleted';
  if (typeof caller.deviceClaim !== 'string' || !DEVICE_LIMITS.ID.test(caller.deviceClaim)) return 'unbound';
  const record = await db.collection('users').doc(caller.uid).collection(ERASE.DEVICES).doc(caller.deviceClaim).get();
  return !record.exists || isRevoked(record.data()) ? 'revoked' : 'active';
}
