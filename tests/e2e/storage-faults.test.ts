/**
 * Storage faults in real Chromium IndexedDB: a connection the browser closes (Chromium's own
 * "Force close" in chrome://indexeddb-internals, which fires the close event a lost connection
 * gets), a schema upgrade by another tab, and a full disk (the site's quota lowered below what
 * the next write needs, over CDP). The app must carry on or say clearly what happened, and never
 * lose or half-write a note.
 */
import type { CDPSession, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { APP } from '../../src/constants.js';
import { newDevice, newPersistentDevice, openApp, readStores, useChromium, waitForApp, type Device } from './harness.js';
import { upgradeFromNewerVersion } from './engine-app.js';
import { editNote } from './opened-note.js';
import { addNote, card } from './people.js';

/** How long Chromium trusts its last look at a site's free space before asking the quota again. */
const CHROMIUM_FREE_SPACE_CACHE_MS = 30_000;

const browser = useChromium();
let device: Device;
let page: Page;

afterEach(async () => {
  expect(device.errors).toEqual([]);
  await device.context.close();
});

/** `onDisk`: Chromium enforces the quota only for a profile on disk, never off the record. */
async function freshApp(options: { onDisk?: boolean } = {}): Promise<void> {
  device = options.onDisk ? await newPersistentDevice() : await newDevice(browser());
  page = device.page;
  await openApp(page);
}

const origin = () => new URL(page.url()).origin;

/** Closes every IndexedDB connection of the app's origin the way Chromium does when it loses one. */
async function forceCloseConnections(): Promise<void> {
  const internals = await device.context.newPage();
  await internals.goto('chrome://indexeddb-internals');
  const bucket = internals.locator('.indexeddb-origin', { has: internals.locator(`a[href="${origin()}"]`) });
  const buttons = bucket.locator('.force-close');
  await buttons.first().waitFor();
  for (const button of await buttons.all()) await button.click();
  await internals.close();
}

/** What is stored, read with plain IndexedDB beside the app: notes by text, and outbox entries. */
async function stored(): Promise<{ texts: string[]; outbox: number }> {
  const { records } = await readStores(page, APP.GUEST_DB_NAME, ['notes', 'outbox']);
  return { texts: (records.notes as { text: string }[]).map((note) => note.text).sort(), outbox: records.outbox!.length };
}

async function snackbarText(): Promise<string> {
  const snackbar = page.locator('app-snackbar [role="status"] .text');
  await expect.poll(async () => (await snackbar.textContent())?.trim() ?? '').not.toBe('');
  return (await snackbar.textContent())!.trim();
}

describe('a lost connection', () => {
  it('is reopened transparently: notes are added and edited afterwards, and all survive a reload', async () => {
    await freshApp();
    await addNote(page, 'Before the connection closed');
    await forceCloseConnections();
    await addNote(page, 'Added once reopened');
    await editNote(page, 'Before the connection closed', 'Edited after the connection closed');
    await forceCloseConnections();
    await page.reload();
    await waitForApp(page);
    await card(page, 'Added once reopened').waitFor();
    await card(page, 'Edited after the connection closed').waitFor();
    expect((await stored()).texts).toEqual(['Added once reopened', 'Edited after the connection closed']);
  });
});

describe('a schema upgrade in another tab', () => {
  it('closes this tab’s connection, which reopens on the newer version and keeps working', async () => {
    await freshApp();
    await addNote(page, 'Written before the upgrade');
    // A newer version of the app in another tab upgrades the database (a store of its own).
    // Run from a page of the same origin that starts no app of its own: an app starting there
    // would hold its own start reads open for a moment, and the upgrade would see those first.
    const newerTab = await device.context.newPage();
    await newerTab.goto(new URL('/robots.txt', page.url()).href);
    const upgraded = await newerTab.evaluate(upgradeFromNewerVersion, APP.GUEST_DB_NAME);
    expect(upgraded).toBeGreaterThan(10);
    await newerTab.close();
    await addNote(page, 'Written after the upgrade');
    await page.reload();
    await waitForApp(page);
    await card(page, 'Written before the upgrade').waitFor();
    await card(page, 'Written after the upgrade').waitFor();
  });
});

describe('a full disk', () => {
  async function setQuota(cdp: CDPSession, bytes: number | undefined): Promise<void> {
    await cdp.send('Storage.overrideQuotaForOrigin', bytes === undefined ? { origin: origin() } : { origin: origin(), quotaSize: bytes });
  }

  it('refuses the new note with a clear message, keeps the typed text and every saved note, and half-writes nothing', { timeout: 120_000 }, async () => {
    await freshApp({ onDisk: true });
    await addNote(page, 'Saved before the disk filled');
    const before = await stored();
    const cdp = await device.context.newCDPSession(page);
    // Chromium refuses a commit that would take usage past the quota; at one byte, every write would.
    // It checks against the space it last found free for up to 30 seconds, so the new quota
    // applies only once that has passed.
    await setQuota(cdp, 1);
    await page.waitForTimeout(CHROMIUM_FREE_SPACE_CACHE_MS + 1_000);

    const text = `A long note that does not fit ${'x'.repeat(15_000)}`;
    const field = page.getByRole('textbox', { name: 'New note' });
    await field.fill(text);
    await field.press('Enter');
    expect(await snackbarText()).toMatch(/out of storage space/i);
    expect(await field.inputValue()).toBe(text);
    await card(page, 'Saved before the disk filled').waitFor();
    expect(await stored()).toEqual(before);

    // A tick is painted at once, then taken back when its save is refused, with the same message.
    await page.locator('app-snackbar').getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => page.locator('app-snackbar .text').count()).toBe(0);
    const saved = card(page, 'Saved before the disk filled');
    await saved.getByRole('checkbox', { name: 'Done' }).click();
    expect(await snackbarText()).toMatch(/out of storage space/i);
    await expect.poll(() => saved.locator('article').evaluate((article) => article.classList.contains('done'))).toBe(false);
    expect(await saved.getByRole('checkbox', { name: 'Done' }).isChecked()).toBe(false);
    expect(await stored()).toEqual(before);

    // Space freed: the same text saves on the next try.
    await setQuota(cdp, undefined);
    await field.press('Enter');
    await expect.poll(() => field.inputValue()).toBe('');
    await card(page, 'A long note that does not fit').waitFor();
    expect((await stored()).texts).toHaveLength(2);
    await cdp.detach();
  });
});
