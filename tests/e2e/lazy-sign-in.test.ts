/**
 * Nothing loads that the person did not ask for, against the real Auth emulator: a guest who has
 * never signed in on this device loads no Firebase code at all, through first paint and every
 * part fetched when idle, until they open sign-in; a guest tab learns of a sign-in made in another
 * tab of the same browser and follows it; a person who signed in before gets their session back
 * at start without opening anything.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { serveGapiStandIn } from './gapi-stand-in.js';
import { newDevice, openApp, useChromium, waitForApp, type Device } from './harness.js';
import * as person from './people.js';
import { requireAuthEmulator, uniqueEmail } from './people.js';

const browser = useChromium(requireAuthEmulator);
let device: Device;

afterEach(async () => {
  expect(device.errors).toEqual([]);
  await device.context.close();
});

/**
 * The Firebase modules `page` requested (the SDK's chunks name their packages, "@firebase/app",
 * "@firebase/auth"; the app's own Firebase glue only ever loads them). Requests the service worker
 * makes to precache the build are its own, not the page's: they fetch code, they do not run it.
 */
function watchFirebaseModules(page: Page): string[] {
  const firebase: string[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    void response.text().then(
      (body) => {
        if (body.includes('@firebase/')) firebase.push(new URL(response.url()).pathname);
      },
      () => undefined,
    );
  });
  return firebase;
}

/** Every part the app loads when idle has arrived (the last element among them is the sync line). */
async function idlePartsLoaded(page: Page): Promise<void> {
  await page.waitForFunction(() => customElements.get('sync-status') !== undefined && customElements.get('account-dialog') !== undefined);
  await page.waitForLoadState('networkidle');
}

async function openTab(page: Page): Promise<string[]> {
  const firebase = watchFirebaseModules(page);
  await openApp(page);
  return firebase;
}

describe('a guest who never signed in on this device', () => {
  it('loads no Firebase module through first paint and the idle prefetch, and loads it when sign-in opens', async () => {
    device = await newDevice(browser(), inject('emulatorAppUrl'));
    await serveGapiStandIn(device.context);
    const page = device.page;
    const firebase = await openTab(page);
    await person.addNote(page, 'A guest’s note');
    await idlePartsLoaded(page);
    expect(firebase).toEqual([]);
    expect(await page.getByTestId('sync-unavailable').count()).toBe(0);

    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => firebase.length).toBeGreaterThan(0);
    // Loaded because it was asked for, it works as ever.
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Continue with GitHub' }).click()]);
    await person.completeProviderPopup(popup, { email: uniqueEmail('asked'), name: 'Ash Asked' });
    await page.getByRole('button', { name: 'Account: Ash Asked' }).waitFor();
  });

  it('follows a sign-in made in another tab, and a reload after it restores the session at start', async () => {
    device = await newDevice(browser(), inject('emulatorAppUrl'));
    await serveGapiStandIn(device.context);
    const guestTab = device.page;
    const guestFirebase = await openTab(guestTab);
    await idlePartsLoaded(guestTab);

    const signingTab = await device.context.newPage();
    signingTab.on('pageerror', (error) => device.errors.push(`second tab: ${error.message}`));
    await openTab(signingTab);
    // The signing tab's start loaded nothing of Firebase either, so the guest tab cannot have been told by it.
    expect(guestFirebase).toEqual([]);
    const who = { email: uniqueEmail('elsewhere'), name: 'Eli Elsewhere' };
    await person.signIn(signingTab, 'Google', who);

    await guestTab.getByRole('button', { name: `Account: ${who.name}` }).waitFor();
    expect(guestFirebase.length).toBeGreaterThan(0);
    await person.addNote(guestTab, 'Written in the tab that followed');
    await person.card(signingTab, 'Written in the tab that followed').waitFor();

    // This device has an account now: the next start loads Auth at once and keeps the session.
    await signingTab.close();
    const restartFirebase = watchFirebaseModules(guestTab);
    await guestTab.reload();
    await waitForApp(guestTab);
    await guestTab.getByRole('button', { name: `Account: ${who.name}` }).waitFor();
    await expect.poll(() => restartFirebase.length).toBeGreaterThan(0);
  });
});
