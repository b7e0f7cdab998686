/**
 * Nothing loads that a guest did not ask for: a guest session on the emulator build (Firebase
 * configured, so sign-in and sync machinery load after first paint) records every request the
 * browser makes, with a phone's user agent (where Firebase Auth used to fetch Google's gapi script
 * up front) and a desktop's, through load, adding notes, opening a note, a card's menu, the trash
 * and settings; any request whose origin is neither the app's nor the configured emulator host's
 * fails the test. Sign-in, which does need the identity provider, is left out on purpose.
 */
import type { Page, Request } from 'playwright-core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { EMULATORS } from '../../testing/emulator-suite.mjs';
import { newDevice, openApp, useChromium, type Device } from './harness.js';
import { openNote, waitForClosed } from './opened-note.js';
import { addNote, card, requireAuthEmulator } from './people.js';

const browser = useChromium(requireAuthEmulator);
let device: Device;

afterEach(async () => {
  expect(device.errors).toEqual([]);
  await device.context.close();
});

const PHONE_USER_AGENT =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

/** The app's own origin and every emulator's (the configured emulator host, 127.0.0.1 in .env.emulator). */
function allowedOrigins(appUrl: string): Set<string> {
  const origins = new Set([new URL(appUrl).origin]);
  for (const address of Object.values(EMULATORS) as { host: string; port: number }[]) origins.add(`http://${address.host}:${address.port}`);
  return origins;
}

/** What a guest does, short of signing in. */
async function useAsGuest(page: Page): Promise<void> {
  await openApp(page);
  // Sign-in machinery loads after first paint: wait until the header offers it.
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  await addNote(page, 'A guest note, kept to this device');
  await addNote(page, 'Another guest note');
  await openNote(page, 'Another guest note');
  await page.keyboard.press('Escape');
  await waitForClosed(page);
  await card(page, 'A guest note').getByRole('button', { name: 'More actions' }).click();
  await page.getByRole('menuitem', { name: /trash/i }).click();
  await page.getByRole('button', { name: /^Trash/ }).click();
  await card(page, 'A guest note').waitFor();
  await page.getByRole('button', { name: 'Notes', exact: true }).click();
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.locator('settings-panel dialog[open]').waitFor();
  await page.getByTestId('storage-used').filter({ hasNotText: 'Checking' }).waitFor();
  await page.locator('settings-panel').getByRole('button', { name: 'Close' }).click();
}

describe('a guest session', () => {
  for (const [name, userAgent] of [
    ['a phone', PHONE_USER_AGENT],
    ['a desktop', undefined],
  ] as const) {
    it(`on ${name} requests nothing from any third party`, async () => {
      const appUrl = inject('emulatorAppUrl');
      device = await newDevice(browser(), appUrl, userAgent ? { userAgent, isMobile: true, hasTouch: true, viewport: { width: 390, height: 844 } } : {});
      const requests: string[] = [];
      // The context sees the requests of its pages and of its service worker (the precache).
      device.context.on('request', (request: Request) => requests.push(request.url()));
      await useAsGuest(device.page);
      const allowed = allowedOrigins(appUrl);
      const thirdParty = requests.filter((url) => !url.startsWith('data:') && !url.startsWith('blob:') && !allowed.has(new URL(url).origin));
      expect(requests.length).toBeGreaterThan(5);
      expect(thirdParty).toEqual([]);
    });
  }
});
