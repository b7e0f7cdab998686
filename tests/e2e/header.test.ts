/**
 * The header and the shortcut sheet in real Chromium: one opaque row on a phone, with the search
 * field behind a button that opens it over the row; key hints only where there is a keyboard;
 * "?" and the header's keyboard button open the sheet, which lists every shortcut.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { appUrl, newDevice, openApp, useChromium } from './harness.js';
import { addNote, card } from './people.js';

const browser = useChromium();
let context: BrowserContext | undefined;

afterEach(async () => {
  await context?.close();
  context = undefined;
});

async function phone(): Promise<Page> {
  context = await browser().newContext({ baseURL: appUrl(), viewport: { width: 320, height: 568 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await openApp(page);
  return page;
}

async function desktop(): Promise<Page> {
  const device = await newDevice(browser());
  context = device.context;
  await device.page.setViewportSize({ width: 1280, height: 800 });
  await openApp(device.page);
  return device.page;
}

const header = (page: Page) => page.locator('app-header header');

describe('the header', () => {
  it('is one opaque row on a 320-px phone, and its search opens over the row, filters and closes', async () => {
    const page = await phone();
    await addNote(page, 'Pick up milk');
    await addNote(page, 'Call the plumber');
    const box = (await header(page).boundingBox())!;
    // One row: a 44-px target and the padding, not the three rows (about 130 px) it used to take.
    expect(box.height).toBeLessThanOrEqual(60);
    expect(await page.locator('app-header').evaluate((host) => getComputedStyle(host).backgroundColor)).toMatch(/^rgb\(/);

    const search = page.getByRole('searchbox', { name: 'Search notes' });
    expect(await search.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Search', exact: true }).tap();
    await expect.poll(() => search.evaluate((input) => input === (input.getRootNode() as ShadowRoot).activeElement && input.checkVisibility())).toBe(true);
    expect((await header(page).boundingBox())!.height).toBe(box.height);
    await search.fill('plumber');
    await card(page, 'Pick up milk').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Close search' }).tap();
    await card(page, 'Pick up milk').waitFor();
    expect(await search.isVisible()).toBe(false);
  });

  it('shows key hints only where there is a keyboard', async () => {
    const onPhone = await phone();
    await onPhone.getByText('No notes yet').waitFor();
    expect(await onPhone.locator('app-header .key-hint').isVisible()).toBe(false);
    expect(await onPhone.locator('note-composer .hint').isVisible()).toBe(false);
    expect(await onPhone.getByText('or press n').isVisible()).toBe(false);
    await context!.close();

    const onDesktop = await desktop();
    expect(await onDesktop.locator('app-header .key-hint').isVisible()).toBe(true);
    expect(await onDesktop.locator('note-composer .hint').isVisible()).toBe(true);
    await onDesktop.getByText('or press n').waitFor();
  });
});

describe('the shortcut sheet', () => {
  it('opens with "?" and from the header, lists every shortcut, and closes with Esc', async () => {
    const page = await desktop();
    const sheet = page.locator('shortcut-sheet dialog[open]');
    await page.keyboard.press('?');
    await sheet.waitFor();
    const listed = await sheet.locator('dt').allInnerTexts();
    for (const key of ['n', '/', '?', 'Ctrl', 'Cmd', 'Esc', 'Home', 'End', 'Enter', 'Delete', 'Alt', '←', 'Shift']) {
      expect(listed.join(' '), `the sheet lists ${key}`).toContain(key);
    }
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await sheet.waitFor();
    await sheet.getByRole('button', { name: 'Close' }).click();
    await sheet.waitFor({ state: 'detached' });
  });
});
