/**
 * The device registry's server side against the real emulators: registerDevice called directly
 * (what it writes and what it refuses), then the registerMyDevice callable in the functions
 * emulator with real Auth emulator sessions: its custom token signs in to a session whose ID
 * tokens carry the deviceId claim, and a revoked device's session cannot register again; and
 * deviceState / the checkMyDevice callable, the server's word on a device.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERASE } from '../../functions/src/account-erase';
import { deviceState, registerDevice } from '../../functions/src/devices';
import { emulatorHost } from '../../testing/emulator-suite.mjs';
import { FUNCTIONS_EMULATOR, PROJECT_ID, assertFunctionsEmulator, pushTestFirestore, uniqueUid, type Firestore } from './push-helpers';

let db: Firestore;

beforeAll(async () => {
  db = pushTestFirestore();
  await db.collection('pushReceipts').limit(1).get();
});

const record = (uid: string, deviceId: string) => db.collection('users').doc(uid).collection('devices').doc(deviceId);

describe('registerDevice (called directly)', () => {
  it('writes the record of a device (name, platform, times, not revoked) and refreshes it later', async () => {
    const uid = uniqueUid('reg');
    expect(await registerDevice(db, { uid }, { deviceId: 'device-a', name: '  Kitchen phone ', platform: 'Android' })).toEqual({
      ok: true,
      registration: { deviceId: 'device-a', name: 'Kitchen phone', platform: 'Android' },
    });
    const first = (await record(uid, 'device-a').get()).data()!;
    expect(first).toMatchObject({ name: 'Kitchen phone', platform: 'Android', revokedAt: null, revokedBy: null });
    expect(first.createdAt.toMillis()).toBeGreaterThan(Date.now() - 60_000);

    expect(await registerDevice(db, { uid, deviceClaim: 'device-a' }, { deviceId: 'device-a', name: 'Pixel', platform: 'Android' })).toMatchObject({ ok: true });
    const second = (await record(uid, 'device-a').get()).data()!;
    expect(second.name).toBe('Pixel');
    expect(second.createdAt.isEqual(first.createdAt)).toBe(true);
  });

  it.each([
    [null, 'Send { deviceId, name, platform }.'],
    [{ deviceId: 'a/b', name: 'x' }, 'deviceId must be'],
    [{ deviceId: 'x'.repeat(65), name: 'x' }, 'deviceId must be'],
    [{ deviceId: 'device-a', name: '  ' }, 'name must be'],
    [{ deviceId: 'device-a', name: 'x', platform: 3 }, 'platform must be'],
  ])('refuses bad input %j, writing nothing', async (input, message) => {
    const uid = uniqueUid('reg');
    const result = await registerDevice(db, { uid }, input);
    expect(result).toMatchObject({ ok: false, code: 'invalid-argument' });
    expect(result.ok ? '' : result.message).toContain(message);
    expect((await db.collection('users').doc(uid).collection('devices').get()).size).toBe(0);
  });

  it('refuses a revoked device, a session naming another device, and a deleted account', async () => {
    const uid = uniqueUid('reg');
    await record(uid, 'device-lost').set({ name: 'Lost phone', platform: '', createdAt: new Date(), lastSeen: new Date(), revokedAt: new Date(), revokedBy: 'device-a' });
    expect(await registerDevice(db, { uid, deviceClaim: 'device-lost' }, { deviceId: 'device-lost', name: 'Lost phone' })).toMatchObject({ ok: false, code: 'permission-denied' });
    expect(await registerDevice(db, { uid, deviceClaim: 'device-lost' }, { deviceId: 'device-other', name: 'Other' })).toMatchObject({ ok: false, code: 'permission-denied' });
    expect(await registerDevice(db, { uid, deviceClaim: 'device-gone' }, { deviceId: 'device-gone', name: 'Gone' })).toMatchObject({ ok: false, code: 'permission-denied' });
    expect((await record(uid, 'device-lost').get()).get('revokedAt')).not.toBeNull();

    // The owner signing in afresh on that device (a session with no device claim) re-admits it.
    expect(await registerDevice(db, { uid }, { deviceId: 'device-lost', name: 'Found phone' })).toMatchObject({ ok: true });
    expect((await record(uid, 'device-lost').get()).get('revokedAt')).toBeNull();

    await db.collection(ERASE.DELETED_ACCOUNTS).doc(uid).set({ deletedAt: new Date(), expireAt: new Date() });
    expect(await registerDevice(db, { uid }, { deviceId: 'device-new', name: 'New' })).toMatchObject({ ok: false, code: 'permission-denied' });
    expect((await record(uid, 'device-new').get()).exists).toBe(false);
  });
});

describe('deviceState: the server\'s word on a device, for the app to confirm a record reported missing', () => {
  it('says active, revoked (revoked or gone), unbound (no device claim) or account-deleted, and writes nothing', async () => {
    const uid = `state-${randomUUID()}`;
    await record(uid, 'device-a').set({ name: 'A', platform: '', createdAt: new Date(), lastSeen: new Date(), revokedAt: null, revokedBy: null });
    await record(uid, 'device-b').set({ name: 'B', platform: '', createdAt: new Date(), lastSeen: new Date(), revokedAt: new Date(), revokedBy: 'device-a' });
    expect(await deviceState(db, { uid, deviceClaim: 'device-a' })).toBe('active');
    expect(await deviceState(db, { uid, deviceClaim: 'device-b' })).toBe('revoked');
    expect(await deviceState(db, { uid, deviceClaim: 'device-gone' })).toBe('revoked');
    expect((await record(uid, 'device-gone').get()).exists).toBe(false);
    expect(await deviceState(db, { uid })).toBe('unbound');
    await db.collection(ERASE.DELETED_ACCOUNTS).doc(uid).set({ deletedAt: new Date(), expireAt: new Date() });
    expect(await deviceState(db, { uid, deviceClaim: 'device-a' })).toBe('account-deleted');
  });
});

describe('the registerMyDevice callable (functions and Auth emulators)', () => {
  const auth = `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST ?? emulatorHost('auth')}/identitytoolkit.googleapis.com/v1`;

  beforeAll(async () => {
    await assertFunctionsEmulator();
  });

  async function post(url: string, body: unknown, idToken?: string): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(idToken ? { authorization: `Bearer ${idToken}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  const claims = (idToken: string) => JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
  const callRegister = (idToken: string, data: unknown) => post(`${FUNCTIONS_EMULATOR}/${PROJECT_ID}/us-central1/registerMyDevice`, { data }, idToken);

  it('answers with a custom token whose session carries the device id; a revoked device cannot register again', async () => {
    const signUp = await post(`${auth}/accounts:signUp?key=demo-api-key`, { email: `reg-${randomUUID()}@example.com`, password: 'a long password', returnSecureToken: true });
    const { idToken, localId: uid } = signUp.json as { idToken: string; localId: string };
    expect(claims(idToken).deviceId).toBeUndefined();

    const registered = await callRegister(idToken, { deviceId: 'device-desk', name: 'Desk', platform: 'Linux' });
    expect(registered.status).toBe(200);
    const customToken = (registered.json.result as { token: string }).token;
    const session = await post(`${auth}/accounts:signInWithCustomToken?key=demo-api-key`, { token: customToken, returnSecureToken: true });
    const bound = (session.json as { idToken: string }).idToken;
    expect(claims(bound)).toMatchObject({ user_id: uid, deviceId: 'device-desk' });
    expect((await record(uid, 'device-desk').get()).get('name')).toBe('Desk');

    const check = (idToken: string) => post(`${FUNCTIONS_EMULATOR}/${PROJECT_ID}/us-central1/checkMyDevice`, { data: {} }, idToken);
    expect(await check(bound)).toEqual({ status: 200, json: { result: { state: 'active' } } });
    expect(await check(idToken)).toEqual({ status: 200, json: { result: { state: 'unbound' } } });

    await record(uid, 'device-desk').update({ revokedAt: new Date(), revokedBy: 'device-phone' });
    const again = await callRegister(bound, { deviceId: 'device-desk', name: 'Desk', platform: 'Linux' });
    expect(again.status).toBe(403);
    expect(JSON.stringify(again.json)).toContain('signed out from another device');
    // Answered, not refused: the app reads the state and erases only on it.
    expect(await check(bound)).toEqual({ status: 200, json: { result: { state: 'revoked' } } });
  });

  it('refuses a caller who is not signed in', async () => {
    const response = await post(`${FUNCTIONS_EMULATOR}/${PROJECT_ID}/us-central1/registerMyDevice`, { data: { deviceId: 'device-x', name: 'X' } });
    expect(response.status).toBe(401);
  });
});
