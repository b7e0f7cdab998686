/**
 * Signing in on one device, against the real Auth emulator: every provider through the emulator's
 * identity provider page, email links, sessions that survive a reload, linking a second method,
 * guest notes moved in, and two accounts on one device that never see each other's notes.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { APP } from '../../src/constants.js';
import { serveGapiStandIn } from './gapi-stand-in.js';
import { newDevice, useChromium, openApp, waitForApp, type Device } from './harness.js';
import * as person from './people.js';
import { AUTH_EMULATOR, PROJECT_ID, completeProviderPopup, requireAuthEmulator, uniqueEmail } from './people.js';

const browser = useChromium(requireAuthEmulator);
let device: Device;
let page: Page;

afterEach(async () => {
  expect(device.errors).toEqual([]);
  await device.context.close();
});

async function freshDevice() {
  device = await newDevice(browser(), inject('emulatorAppUrl'));
  page = device.page;
  await serveGapiStandIn(device.context);
  await openApp(page);
}

const card = (text: string) => person.card(page, text);
const addNote = (text: string) => person.addNote(page, text);
const signIn = (provider: string, who: person.Person) => person.signIn(page, provider, who);

/**
 * Signs out. `unsynced`: the warning about that many unsynced changes must appear (the device is
 * kept offline so they cannot sync first); 'if-asked': sync may or may not have sent them yet.
 */
async function signOut(options: { unsynced?: number | 'if-asked' } = {}) {
  await page.getByRole('button', { name: /^Account: / }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  if (typeof options.unsynced === 'number') {
    await page.getByText(new RegExp(`^\\s*${options.unsynced} changes? on this device`)).waitFor();
  }
  const signInButton = page.getByRole('button', { name: 'Sign in' });
  const warning = page.getByRole('button', { name: 'Sign out anyway' });
  // Sign-out first marks this device signed out in the registry (a call to the functions emulator,
  // which the app waits for up to PUSH_SIGN_OUT_TIMEOUT_MS), so a poll of expect's default second
  // failed on a loaded machine while the app was still within its own bound.
  await expect
    .poll(async () => (await signInButton.isVisible()) || (await warning.isVisible()), { timeout: APP.PUSH_SIGN_OUT_TIMEOUT_MS + 5_000 })
    .toBe(true);
  if (options.unsynced !== undefined && (await warning.isVisible())) await warning.click();
  await signInButton.waitFor();
}

/** Keeps this device's changes from syncing, so the unsynced-changes warning is certain. */
async function goOffline() {
  await device.context.setOffline(true);
  await page.evaluate(() => window.dispatchEvent(new Event('offline')));
}

async function accountSummary(): Promise<string> {
  await page.getByRole('button', { name: /^Account: / }).click();
  const text = (await page.locator('account-dialog dialog').innerText()).replace(/\s+/g, ' ');
  await page.locator('account-dialog').getByRole('button', { name: 'Close' }).click();
  return text;
}

describe('sign-in', () => {
  const providers = ['Google', 'Microsoft', 'Facebook', 'X (Twitter)', 'GitHub', 'Apple'];

  it('signs in with every provider through the emulator, and the session survives a reload', async () => {
    await freshDevice();
    for (const provider of providers) {
      const person = { email: uniqueEmail('ada'), name: `Ada ${provider}` };
      await signIn(provider, person);
      expect(await accountSummary()).toContain(`Signed in with ${provider}.`);
      if (provider === 'Google') {
        await addNote('Written while signed in');
        await page.reload();
        await waitForApp(page);
        await page.getByRole('button', { name: `Account: ${person.name}` }).waitFor();
        await card('Written while signed in').waitFor();
        await signOut({ unsynced: 'if-asked' });
      } else {
        await signOut();
      }
    }
  });

  it('signs in with an email link', async () => {
    await freshDevice();
    const email = uniqueEmail('grace');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('textbox', { name: 'Email address' }).fill(email);
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await page.getByText(`We sent a sign-in link to ${email}.`).waitFor();

    const codes = (await (await fetch(`${AUTH_EMULATOR}/emulator/v1/projects/${PROJECT_ID}/oobCodes`)).json()) as {
      oobCodes: { email: string; oobCode: string; requestType: string }[];
    };
    const code = codes.oobCodes.find((c) => c.email === email && c.requestType === 'EMAIL_SIGNIN');
    expect(code).toBeDefined();
    await openApp(page, `/?apiKey=demo-api-key&oobCode=${code!.oobCode}&mode=signIn&lang=en`);
    await page.getByRole('button', { name: `Account: ${email}` }).waitFor();
    expect(await page.evaluate(() => location.search)).toBe('');
    expect(await accountSummary()).toContain('Signed in with Email link.');
  });

  it('links a second provider to the same account', async () => {
    await freshDevice();
    const person = { email: uniqueEmail('lin'), name: 'Lin Link' };
    await signIn('Google', person);
    await page.getByRole('button', { name: 'Account: Lin Link' }).click();
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Link GitHub' }).click()]);
    await completeProviderPopup(popup, person);
    await page.getByText('GitHub is now linked to your account.').waitFor();
    await page.locator('account-dialog').getByRole('button', { name: 'Close' }).click();
    expect(await accountSummary()).toContain('Signed in with Google, GitHub.');
    await page.reload();
    await waitForApp(page);
    expect(await accountSummary()).toContain('Signed in with Google, GitHub.');
  });

  it('gives the buttons back within a second of the sign-in window closing, and a second attempt right after works', async () => {
    await freshDevice();
    await page.getByRole('button', { name: 'Sign in' }).click();
    const google = page.getByRole('button', { name: 'Continue with Google' });
    const [popup] = await Promise.all([page.waitForEvent('popup'), google.click()]);
    await popup.waitForLoadState();
    await page.getByRole('button', { name: 'Waiting for the sign-in window…' }).waitFor();
    expect(await page.locator('account-dialog .methods button:disabled').count()).toBeGreaterThan(1);
    await popup.close();
    const closedAt = Date.now();
    // Firebase itself reports the closed window only about 10 s later.
    await page.getByText('The sign-in window was closed before sign-in finished. You can try again.').waitFor({ timeout: 1_000 });
    await page.getByRole('button', { name: 'Continue with Google', disabled: false }).waitFor({ timeout: 1_000 });
    expect(Date.now() - closedAt).toBeLessThan(1_000);
    expect(await page.locator('account-dialog .methods button:disabled').count()).toBe(0);
    // The earlier request is still pending inside Firebase: the new one replaces it cleanly.
    const [again] = await Promise.all([page.waitForEvent('popup'), google.click()]);
    await completeProviderPopup(again, { email: uniqueEmail('retry'), name: 'Retry Person' });
    await page.getByRole('button', { name: 'Account: Retry Person' }).waitFor();
    expect(await page.locator('account-dialog [role=alert]').count()).toBe(0);
  });
});

describe('sync that cannot load', () => {
  it('says sync is unavailable when sign-in cannot be downloaded, tries again on Retry and when back online, then signs in', async () => {
    device = await newDevice(browser(), inject('emulatorAppUrl'));
    page = device.page;
    await serveGapiStandIn(device.context);
    // The chunk of src/firebase/auth.ts fails to download as it does with the network gone on a
    // first visit (the page is not yet served by the service worker). A guest's page asks for it
    // only when sign-in is opened.
    let refused = 0;
    const authChunk = '**/assets/auth-*.js';
    await page.route(authChunk, (route) => {
      refused += 1;
      return route.abort('internetdisconnected');
    });
    await openApp(page);
    // The notes work all along.
    await addNote('Written while sync is unavailable');
    expect(refused).toBe(0);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const unavailable = page.getByTestId('sync-unavailable');
    await unavailable.filter({ hasText: 'Sync is unavailable: part of the app could not be downloaded.' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
    // A sign-in method tried in the dialog says what is missing, and nothing else happens.
    await page.getByRole('button', { name: 'Continue with Google' }).click();
    await page
      .locator('account-dialog [role=alert]')
      .getByText('Signing in needs a part of the app that has not been downloaded yet. Connect to the internet and try again.')
      .waitFor();
    await page.locator('account-dialog').getByRole('button', { name: 'Close' }).click();

    const refusedBefore = refused;
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => refused).toBe(refusedBefore + 1);
    await unavailable.waitFor();

    await page.unroute(authChunk);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await unavailable.count()).toBe(0);
    await signIn('Google', { email: uniqueEmail('late'), name: 'Lee Late' });
    await page.getByText('This device has 1 note from before you signed in.').waitFor();
  });

  it('keeps the person signed in, and says why, when sign-out asks for a part not downloaded yet', async () => {
    device = await newDevice(browser(), inject('emulatorAppUrl'));
    page = device.page;
    await serveGapiStandIn(device.context);
    // The account flows' chunk (fetched when the page is idle) never arrives, as on a first visit
    // that lost the network before the service worker stored it.
    const flowsChunk = '**/assets/account-flows-*.js';
    await page.route(flowsChunk, (route) => route.abort('internetdisconnected'));
    await openApp(page);
    await signIn('GitHub', { email: uniqueEmail('unready'), name: 'Una Ready' });
    await page.getByRole('button', { name: /^Account: / }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('Signing out needs a part of the app that has not been downloaded yet. Connect to the internet and try again.').waitFor();
    expect(await page.getByRole('button', { name: /^Account: / }).count()).toBe(1);

    // With the part downloadable again, the same button signs out.
    await page.unroute(flowsChunk);
    await page.keyboard.press('Escape');
    await signOut();
  });
});

describe('accounts on one device', () => {
  it('offers to move guest notes into the account after the first sign-in', async () => {
    await freshDevice();
    await addNote('Guest note one');
    await addNote('Guest note two');
    await signIn('Google', { email: uniqueEmail('mover'), name: 'Mo Ver' });
    await page.getByText('This device has 2 notes from before you signed in.').waitFor();
    await page.getByRole('button', { name: 'Move into my account' }).click();
    await page.getByText('Moved 2 notes into your account').waitFor();
    await card('Guest note one').waitFor();
    await card('Guest note two').waitFor();
    // The moved notes are the account's now: queued to sync, and gone from the guest's board.
    await signOut({ unsynced: 'if-asked' });
    await page.getByText('No notes yet').waitFor();
  });

  it('keeps guest notes on the device when the person says not now', async () => {
    await freshDevice();
    await addNote('Stays with the guest');
    await signIn('GitHub', { email: uniqueEmail('later'), name: 'Nat Later' });
    await page.getByRole('button', { name: 'Not now', exact: true }).click();
    await page.getByText('No notes yet').waitFor();
    await signOut();
    await card('Stays with the guest').waitFor();
  });

  it('shows each person only their own notes', async () => {
    await freshDevice();
    const alice = { email: uniqueEmail('alice'), name: 'Alice' };
    const bob = { email: uniqueEmail('bob'), name: 'Bob' };
    await signIn('Google', alice);
    await goOffline();
    await addNote("Alice's surprise party plan");
    await signOut({ unsynced: 1 });
    await device.context.setOffline(false);
    expect(await card("Alice's surprise party plan").count()).toBe(0);

    await signIn('Google', bob);
    await addNote("Bob's grocery list");
    expect(await card("Alice's surprise party plan").count()).toBe(0);
    const databases = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).sort());
    expect(databases.filter((name) => name?.startsWith('roaming-notes-user-'))).toHaveLength(1);
  });
});
