/**
 * The guest's notes after signing in, against the real Auth emulator: "Not now" keeps them
 * reachable ("On this device", the account menu) and movable later; the board never says "No notes
 * yet" while the move is being decided; two tabs never both move them and each says what
 * happened; and the messages around email-link sign-in and sign-out stay true.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { serveGapiStandIn } from './gapi-stand-in.js';
import { newDevice, openApp, useChromium, type Device } from './harness.js';
import * as person from './people.js';
import { AUTH_EMULATOR, PROJECT_ID, requireAuthEmulator, uniqueEmail } from './people.js';

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

/** A second tab of the same browser (same storage, same Auth session), watched for errors too. */
async function secondTab(): Promise<Page> {
  const tab = await device.context.newPage();
  tab.on('pageerror', (error) => device.errors.push(`second tab: ${error.message}`));
  tab.on('console', (message) => {
    if (message.type() === 'error') device.errors.push(`second tab console: ${message.text()}`);
  });
  await openApp(tab);
  return tab;
}

const snackbar = (on: Page) => on.locator('app-snackbar');
const question = (on: Page) => on.locator('confirm-dialog dialog[open]');

describe('guest notes after signing in', () => {
  it('"Not now" keeps them reachable, and they can be moved in later from "On this device"', async () => {
    await freshDevice();
    await person.addNote(page, 'Guest plan one');
    await person.addNote(page, 'Guest plan two');
    await person.signIn(page, 'Google', { email: uniqueEmail('later'), name: 'Lou Later' });
    await question(page).getByText('This device has 2 notes from before you signed in.').waitFor();
    // The account's board is empty, but nothing is decided yet: it must not say so.
    expect(await page.getByText('No notes yet').count()).toBe(0);
    await page.getByRole('button', { name: 'Not now', exact: true }).click();
    await snackbar(page).getByText('Not moved. The 2 notes kept on this device are under “On this device”').waitFor();
    await page.getByText('No notes yet').waitFor();

    await page.getByRole('button', { name: 'On this device (2)' }).click();
    const list = page.getByRole('list', { name: 'Notes kept on this device' });
    await list.getByText('Guest plan one').waitFor();
    await list.getByText('Guest plan two').waitFor();
    await page.locator('guest-notes-panel').getByRole('button', { name: 'Move into my account' }).click();
    await snackbar(page).getByText('Moved 2 notes into your account.').waitFor();
    await person.card(page, 'Guest plan one').waitFor();
    await person.card(page, 'Guest plan two').waitFor();
    await page.getByRole('button', { name: /^On this device/ }).waitFor({ state: 'detached' });

    // Nothing of the guest's is left, so sign-out says only what it removed.
    await page.getByRole('button', { name: /^Account: / }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    const warning = page.getByRole('button', { name: 'Sign out anyway' });
    const signInButton = page.getByRole('button', { name: 'Sign in' });
    await expect.poll(async () => (await signInButton.isVisible()) || (await warning.isVisible())).toBe(true);
    if (await warning.isVisible()) await warning.click();
    await snackbar(page).getByText('Signed out. This account’s notes were removed from this device.', { exact: true }).waitFor();
    await page.getByText('No notes yet').waitFor();
  });

  it('offers the move again from the account menu, and sign-out says which notes it left', async () => {
    await freshDevice();
    await person.addNote(page, 'Kept without an account');
    await person.signIn(page, 'GitHub', { email: uniqueEmail('menu'), name: 'Mae Menu' });
    await page.getByRole('button', { name: 'Not now', exact: true }).click();
    await page.getByRole('button', { name: 'Account: Mae Menu' }).click();
    await page.getByRole('button', { name: 'Move 1 note from this device into my account' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await snackbar(page)
      .getByText('Signed out. This account’s notes were removed from this device. Shown now: the 1 note kept on this device without an account.')
      .waitFor();
    await person.card(page, 'Kept without an account').waitFor();

    // Signing in again (not a first sign-in on this page any more) still reaches them from the menu.
    await person.signIn(page, 'GitHub', { email: uniqueEmail('menu2'), name: 'Mae Again' });
    await page.getByRole('button', { name: 'Not now', exact: true }).click();
    await page.getByRole('button', { name: 'Account: Mae Again' }).click();
    await page.getByRole('button', { name: 'Move 1 note from this device into my account' }).click();
    await snackbar(page).getByText('Moved 1 note into your account.').waitFor();
    await person.card(page, 'Kept without an account').waitFor();
  });

  it('two tabs: only one moves the notes, and the other says what happened', async () => {
    await freshDevice();
    await person.addNote(page, 'First tab note');
    await person.addNote(page, 'Second tab note');
    const other = await secondTab();
    await person.card(other, 'Second tab note').waitFor();
    await person.signIn(page, 'Google', { email: uniqueEmail('tabs'), name: 'Tab Two' });
    // The other tab learns of the sign-in through Auth's shared session and asks too.
    await question(page).getByText('This device has 2 notes').waitFor();
    await question(other).getByText('This device has 2 notes').waitFor({ timeout: 15_000 });
    expect(await other.getByText('No notes yet').count()).toBe(0);

    await page.getByRole('button', { name: 'Move into my account' }).click();
    await snackbar(page).getByText('Moved 2 notes into your account.').waitFor();
    await snackbar(other).getByText('Moved 2 notes from this device into your account in another tab.').waitFor();
    await question(other).waitFor({ state: 'detached' });
    await person.card(other, 'First tab note').waitFor();
    for (const tab of [page, other]) {
      expect(await tab.getByText(/Moved 0 notes/).count()).toBe(0);
      expect(await tab.getByRole('button', { name: /^On this device/ }).count()).toBe(0);
    }
  });

  it('email link opened in a second tab: the first tab drops its "open the link" message', async () => {
    await freshDevice();
    const email = uniqueEmail('linked');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('textbox', { name: 'Email address' }).fill(email);
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await page.getByText(`We sent a sign-in link to ${email}. Open it on this device to finish.`).waitFor();

    const codes = (await (await fetch(`${AUTH_EMULATOR}/emulator/v1/projects/${PROJECT_ID}/oobCodes`)).json()) as {
      oobCodes: { email: string; oobCode: string; requestType: string }[];
    };
    const code = codes.oobCodes.find((c) => c.email === email && c.requestType === 'EMAIL_SIGNIN');
    const other = await device.context.newPage();
    await openApp(other, `/?apiKey=demo-api-key&oobCode=${code!.oobCode}&mode=signIn&lang=en`);
    await other.getByRole('button', { name: `Account: ${email}` }).waitFor();

    await page.getByRole('heading', { name: 'Your account' }).waitFor({ timeout: 15_000 });
    expect(await page.getByText('Open it on this device').count()).toBe(0);
    expect(await page.getByText('Sign in to sync').count()).toBe(0);
  });
});
