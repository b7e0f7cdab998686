/**
 * Taking data away, in real Chromium against the real Auth, Firestore and Functions emulators:
 * two devices of one person (A and B, each its own browser context) and a third person (C) as the
 * control. Revoking B from A's My devices makes B stop, erase its database and say so, while A
 * keeps syncing; B's stolen ID token reads nothing from then on (asked of Firestore directly, from
 * outside the app); B closed at revocation erases at its next open; "Sign out everywhere else"
 * does that to every other device at once; deleting the account on A erases A and B and leaves C
 * as it was, signing in again first when Firebase asks for a recent sign-in.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { serveGapiStandIn } from '../../testing/gapi-stand-in.js';
import { EMULATOR_PROJECT_ID, emulatorUrl } from '../../testing/emulator-suite.mjs';
import { newDevice, openApp, useChromium, useDevices, type Device } from './harness.js';
import { addNote, card, completeProviderPopup, requireAuthEmulator, signIn, uniqueEmail, type Person } from './people.js';

/** Roaming and revocation on the local emulators take about a second; this only bounds a hang. */
const TIMEOUT_MS = 20_000;

const browser = useChromium(requireAuthEmulator);
const devices = useDevices();

async function deviceOf(person: Person, options: { existing: boolean }): Promise<Device> {
  const device = await newDevice(browser(), inject('emulatorAppUrl'));
  devices.push(device);
  await serveGapiStandIn(device.context);
  await openApp(device.page);
  await signIn(device.page, 'Google', person, options);
  await synced(device.page);
  return device;
}

const synced = (page: Page) => page.getByTestId('sync-status').filter({ hasText: /^Synced/ }).waitFor({ timeout: TIMEOUT_MS });
const waitForCard = (page: Page, text: string) => card(page, text).first().waitFor({ timeout: TIMEOUT_MS });
const person = (name: string): Person => ({ email: uniqueEmail(name), name: `${name} Eraser` });

/** The session Firebase Auth keeps in the page's IndexedDB: uid and current ID token. */
async function storedSession(page: Page): Promise<{ uid: string; idToken: string } | undefined> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('firebaseLocalStorageDb');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      if (!db.objectStoreNames.contains('firebaseLocalStorage')) return undefined;
      const rows = await new Promise<{ value: { uid?: string; stsTokenManager?: { accessToken?: string } } }[]>((resolve, reject) => {
        const request = db.transaction('firebaseLocalStorage').objectStore('firebaseLocalStorage').getAll();
        request.onsuccess = () => resolve(request.result as never);
        request.onerror = () => reject(request.error);
      });
      const user = rows.map((row) => row.value).find((value) => value?.uid && value.stsTokenManager?.accessToken);
      return user ? { uid: user.uid!, idToken: user.stsTokenManager!.accessToken! } : undefined;
    } finally {
      db.close();
    }
  });
}

const claimsOf = (idToken: string) => JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

/** Waits until the device's session is bound to it (registered; its ID token names the device). */
async function boundSession(page: Page): Promise<{ uid: string; idToken: string }> {
  let session: { uid: string; idToken: string } | undefined;
  await expect
    .poll(
      async () => {
        session = await storedSession(page);
        return session ? typeof claimsOf(session.idToken).deviceId : 'none';
      },
      { timeout: TIMEOUT_MS },
    )
    .toBe('string');
  return session!;
}

/** Lists a person's notes straight from the Firestore emulator's REST API with the given ID token. */
async function readNotesWith(session: { uid: string; idToken: string }): Promise<number> {
  const url = `${emulatorUrl('firestore')}/v1/projects/${EMULATOR_PROJECT_ID}/databases/(default)/documents/users/${session.uid}/notes`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${session.idToken}` } });
  return response.status;
}

async function accountDatabases(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? '').filter((name) => name.startsWith('roaming-notes-user-')));
}

async function openMyDevices(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Account: / }).click();
  await page.getByRole('button', { name: 'My devices' }).click();
  await page.getByRole('list', { name: 'Devices signed in to your account' }).waitFor();
}

async function revokeTheOtherDevice(page: Page): Promise<void> {
  await openMyDevices(page);
  const devicesList = page.getByRole('list', { name: 'Devices signed in to your account' });
  await expect.poll(() => devicesList.getByRole('listitem').count(), { timeout: TIMEOUT_MS }).toBe(2);
  await devicesList.getByRole('button', { name: /^Sign out and erase / }).click();
  await page.getByRole('button', { name: 'Sign out and erase', exact: true }).click();
  await page.getByText(/is signed out\. It erases its notes/).waitFor({ timeout: TIMEOUT_MS });
  await page.locator('devices-panel').getByRole('button', { name: 'Close' }).click();
}

describe('signing a device out remotely and erasing it', () => {
  it('revoking B from A: B stops, erases its database and says so; A keeps syncing; B’s stolen token reads nothing; C sees no change', async () => {
    const carol = await deviceOf(person('carol'), { existing: false });
    await addNote(carol.page, 'Carol keeps this');
    const ada = person('ada');
    const a = await deviceOf(ada, { existing: false });
    const b = await deviceOf(ada, { existing: true });
    await addNote(a.page, 'Before the revocation');
    await waitForCard(b.page, 'Before the revocation');
    const stolen = await boundSession(b.page);
    expect(await readNotesWith(stolen)).toBe(200);

    await revokeTheOtherDevice(a.page);

    await b.page.getByText('This device was signed out from another of your devices').waitFor({ timeout: TIMEOUT_MS });
    await b.page.getByRole('button', { name: 'Sign in' }).waitFor();
    await expect.poll(() => accountDatabases(b.page), { timeout: TIMEOUT_MS }).toEqual([]);
    expect(await card(b.page, 'Before the revocation').count()).toBe(0);
    // The token B held a moment ago, used from outside the app: refused by the rules.
    expect(await readNotesWith(stolen)).toBe(403);

    await addNote(a.page, 'After the revocation');
    await synced(a.page);
    await a.page.reload();
    await waitForCard(a.page, 'After the revocation');
    await waitForCard(a.page, 'Before the revocation');

    await carol.page.reload();
    await waitForCard(carol.page, 'Carol keeps this');
    await synced(carol.page);
  });

  it('B closed when it is revoked erases itself at its next open', async () => {
    const bea = person('bea');
    const a = await deviceOf(bea, { existing: false });
    const b = await deviceOf(bea, { existing: true });
    await addNote(a.page, 'Seen on B before it closed');
    await waitForCard(b.page, 'Seen on B before it closed');
    await boundSession(b.page);
    await b.page.close();

    await revokeTheOtherDevice(a.page);

    const reopened = await b.context.newPage();
    b.page = reopened;
    await openApp(reopened);
    await reopened.getByText('This device was signed out from another of your devices').waitFor({ timeout: TIMEOUT_MS });
    await expect.poll(() => accountDatabases(reopened), { timeout: TIMEOUT_MS }).toEqual([]);
  });
});

describe('signing out everywhere else', () => {
  it('on A: the two other devices stop and erase their databases, and A keeps syncing', async () => {
    const fay = person('fay');
    const a = await deviceOf(fay, { existing: false });
    const others = [await deviceOf(fay, { existing: true }), await deviceOf(fay, { existing: true })];
    await addNote(a.page, 'Written before the others were signed out');
    for (const other of others) {
      await waitForCard(other.page, 'Written before the others were signed out');
      await boundSession(other.page);
    }

    await openMyDevices(a.page);
    const devicesList = a.page.getByRole('list', { name: 'Devices signed in to your account' });
    await expect.poll(() => devicesList.getByRole('listitem').count(), { timeout: TIMEOUT_MS }).toBe(3);
    await a.page.getByRole('button', { name: 'Sign out everywhere else' }).click();
    const confirmation = a.page.getByRole('group', { name: 'Confirm' });
    await confirmation.getByText(/^Sign out 2 other devices and erase them\? .*Changes made on them that have not synced are lost\.$/).waitFor();
    await confirmation.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await a.page.getByText('2 other devices are signed out. Each erases its notes the next time it is online.').waitFor({ timeout: TIMEOUT_MS });
    await a.page.locator('devices-panel').getByRole('button', { name: 'Close' }).click();

    for (const other of others) {
      await other.page.getByText('This device was signed out from another of your devices').waitFor({ timeout: TIMEOUT_MS });
      await expect.poll(() => accountDatabases(other.page), { timeout: TIMEOUT_MS }).toEqual([]);
    }
    await addNote(a.page, 'After the others were signed out');
    await synced(a.page);
  });
});

describe('deleting the account', () => {
  it('on A: the confirmation names what goes; A ends as a guest, B erases at its next contact, C sees no change', async () => {
    const carol = await deviceOf(person('carol'), { existing: false });
    await addNote(carol.page, 'Carol is not affected');
    const dee = person('dee');
    const a = await deviceOf(dee, { existing: false });
    const b = await deviceOf(dee, { existing: true });
    await addNote(a.page, 'Gone with the account');
    await waitForCard(b.page, 'Gone with the account');
    await boundSession(a.page);
    const stolen = await boundSession(b.page);

    await a.page.getByRole('button', { name: /^Account: / }).click();
    await a.page.getByRole('button', { name: 'Delete my account' }).click();
    const question = a.page.locator('confirm-dialog dialog');
    await expect.poll(() => question.innerText(), { timeout: TIMEOUT_MS }).toMatch(/your 1 note on the server, signs out 2 devices .* removes your sign-in \(Google\)/s);
    await question.getByRole('button', { name: 'Delete my account' }).click();

    await a.page.getByText('The account was deleted, so its notes were erased from this device.').waitFor({ timeout: TIMEOUT_MS });
    await a.page.getByRole('button', { name: 'Sign in' }).waitFor();
    await expect.poll(() => accountDatabases(a.page), { timeout: TIMEOUT_MS }).toEqual([]);

    await b.page.getByText('The account was deleted, so its notes were erased from this device.').waitFor({ timeout: TIMEOUT_MS });
    await expect.poll(() => accountDatabases(b.page), { timeout: TIMEOUT_MS }).toEqual([]);
    expect(await readNotesWith(stolen)).toBe(403);

    await carol.page.reload();
    await waitForCard(carol.page, 'Carol is not affected');
    await synced(carol.page);
  });
  it('signs in again when Firebase asks for a recent sign-in, then deletes', async () => {
    const eve = person('eve');
    const a = await deviceOf(eve, { existing: false });
    const session = await boundSession(a.page);
    // Firebase refuses to delete a user whose sign-in is not recent; the Auth emulator never does,
    // so its first answer to the delete is the one Firebase gives then.
    let deletes = 0;
    await a.page.route('**/accounts:delete*', async (route) => {
      deletes += 1;
      if (deletes > 1) return route.continue();
      await route.fulfill({
        status: 400,
        headers: { 'access-control-allow-origin': '*' },
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 400, message: 'CREDENTIAL_TOO_OLD_LOGIN_AGAIN', errors: [] } }),
      });
    });

    await a.page.getByRole('button', { name: /^Account: / }).click();
    await a.page.getByRole('button', { name: 'Delete my account' }).click();
    const question = a.page.locator('confirm-dialog dialog');
    const [popup] = await Promise.all([a.page.waitForEvent('popup', { timeout: TIMEOUT_MS }), question.getByRole('button', { name: 'Delete my account' }).click()]);
    await completeProviderPopup(popup, eve, { existing: true });

    await a.page.getByText('The account was deleted, so its notes were erased from this device.').waitFor({ timeout: TIMEOUT_MS });
    expect(deletes).toBe(2);
    // The server's erase follows the deletion (the onAccountDeleted trigger); then the old token reads nothing.
    await expect.poll(() => readNotesWith(session), { timeout: TIMEOUT_MS }).toBe(403);
    // The browser logs the refused first delete as a failed request: that one, and nothing else.
    const refused = a.errors.findIndex((error) => error.includes('400') && error.includes('accounts:delete'));
    expect(refused, a.errors.join('\n')).toBeGreaterThanOrEqual(0);
    a.errors.splice(refused, 1);
  });
});
