/**
 * The opened note in real Chromium: opened from its card with focus in its text, closed by Esc,
 * the back button (phone), a click outside (desktop) and its close button, each saving what was
 * typed; the title line and body round trip; changes made in another tab shown while open, and
 * merged with what is typed here; Esc
 * closing a menu inside it before the note itself; a long note readable whole; too-long text kept;
 * opened from a /?note= link.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { APP } from '../../src/constants.js';
import { newDevice, openApp, readStores, useChromium, waitForApp } from './harness.js';
import { openNote, openedNote, typeInto, waitForClosed } from './opened-note.js';
import { addNote, card } from './people.js';

const browser = useChromium();
let device: Awaited<ReturnType<typeof newDevice>>;
let page: Page;

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

afterEach(async () => {
  expect(device.errors).toEqual([]);
  await device.context.close();
});

async function freshApp(viewport = DESKTOP, path = '/') {
  device = await newDevice(browser());
  page = device.page;
  await page.setViewportSize(viewport);
  await openApp(page, path);
}

/** The notes as stored in IndexedDB, read beside the app. */
async function storedTexts(): Promise<string[]> {
  const { records } = await readStores(page, 'roaming-notes-guest', ['notes']);
  return (records.notes as { text: string }[]).map((note) => note.text).sort();
}

/** The field focused in the opened note (by its label), and whether its caret is at the end of its text. */
function focusedField(): Promise<{ label: string | null | undefined; caretAtEnd: boolean }> {
  return page.evaluate(() => {
    let element: Element | null = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    const field = element instanceof HTMLTextAreaElement ? element : undefined;
    const end = field?.value.length;
    return { label: element?.getAttribute('aria-label'), caretAtEnd: field?.selectionStart === end && field?.selectionEnd === end };
  });
}

async function reloadAndOpen(text: string) {
  await page.reload();
  await waitForApp(page);
  return openNote(page, text);
}

describe('the opened note', () => {
  it('opens from its card with the title line and body, saves while typing, and closes with Esc saving the rest', async () => {
    await freshApp();
    await addNote(page, 'Groceries');
    const dialog = await openNote(page, 'Groceries');
    expect(await dialog.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('Groceries');
    expect(await dialog.getByRole('textbox', { name: 'Note text' }).inputValue()).toBe('');
    // Opened with focus already in the text, at its end: the title line, as there is no body yet.
    expect(await focusedField()).toEqual({ label: 'Title', caretAtEnd: true });

    // Typing saves (debounced) while the note stays open.
    await dialog.getByRole('textbox', { name: 'Note text' }).fill('eggs\nflour');
    await expect.poll(storedTexts).toEqual(['Groceries\neggs\nflour']);
    expect(await openedNote(page).isVisible()).toBe(true);

    // What is typed last is saved by closing, before the debounce would have.
    await dialog.getByRole('textbox', { name: 'Note text' }).press('End');
    await page.keyboard.type('\nsugar');
    await page.keyboard.press('Escape');
    await waitForClosed(page);
    // Closing took its history entry back: no stale entry for the back button to land on.
    expect(await page.evaluate(() => history.state as unknown)).toBeNull();

    // The card previews it: the title line bold, the body below. The board shows the save once
    // its own read of the store answers, which may come a frame after the note closed.
    await expect.poll(() => card(page, 'Groceries').locator('.body').textContent()).toBe('eggs\nflour\nsugar');
    expect(await card(page, 'Groceries').locator('.title').textContent()).toBe('Groceries');

    const reopened = await reloadAndOpen('Groceries');
    expect(await reopened.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('Groceries');
    expect(await reopened.getByRole('textbox', { name: 'Note text' }).inputValue()).toBe('eggs\nflour\nsugar');
    // A note with a body opens with the caret at the end of the body.
    expect(await focusedField()).toEqual({ label: 'Note text', caretAtEnd: true });

    // Enter in the title line moves what follows the caret into the body; a note with no title line keeps working.
    const title = reopened.getByRole('textbox', { name: 'Title' });
    await title.press('Home');
    await title.press('Enter');
    await page.keyboard.type('Shop');
    await reopened.getByRole('button', { name: 'Close' }).click();
    await waitForClosed(page);
    await expect.poll(storedTexts).toEqual(['\nShopGroceries\neggs\nflour\nsugar']);
    const untitled = await reloadAndOpen('ShopGroceries');
    expect(await untitled.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('');
    expect(await untitled.getByRole('textbox', { name: 'Note text' }).inputValue()).toBe('ShopGroceries\neggs\nflour\nsugar');
    await page.keyboard.press('Escape');
    await waitForClosed(page);
    expect(await storedTexts()).toEqual(['\nShopGroceries\neggs\nflour\nsugar']);
  });

  it('is a full-screen sheet on a phone, and the back button closes it, saving what was typed', async () => {
    await freshApp(PHONE);
    await addNote(page, 'Call mum');
    const before = await page.evaluate(() => history.length);
    const dialog = await openNote(page, 'Call mum');
    const box = (await dialog.boundingBox())!;
    expect([box.x, box.y, box.width, box.height]).toEqual([0, 0, PHONE.width, PHONE.height]);
    await typeInto(dialog, 'Call mum\nabout Sunday lunch');
    await page.goBack();
    await waitForClosed(page);
    expect(await page.evaluate(() => history.length)).toBe(before + 1);
    // Back closed the note, not the app: still on the board.
    await card(page, 'Call mum').waitFor();
    await expect.poll(storedTexts).toEqual(['Call mum\nabout Sunday lunch']);
    const reopened = await reloadAndOpen('Call mum');
    expect(await reopened.getByRole('textbox', { name: 'Note text' }).inputValue()).toBe('about Sunday lunch');
  });

  it('is a dialog on a wide screen, and a click outside it closes it, saving what was typed', async () => {
    await freshApp(DESKTOP);
    await addNote(page, 'Ideas');
    const dialog = await openNote(page, 'Ideas');
    const box = (await dialog.boundingBox())!;
    expect(box.width).toBeLessThan(DESKTOP.width - 100);
    await typeInto(dialog, 'Ideas\na garden on the roof');
    await page.mouse.click(10, DESKTOP.height - 10);
    await waitForClosed(page);
    await expect.poll(storedTexts).toEqual(['Ideas\na garden on the roof']);
    // Focus went back to the card.
    await expect
      .poll(() =>
        page.evaluate(() => {
          let el: Element | null = document.activeElement;
          while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
          return el?.getAttribute('aria-label');
        }),
      )
      .toBe('Note: Ideas');
    const reopened = await reloadAndOpen('Ideas');
    expect(await reopened.getByRole('textbox', { name: 'Note text' }).inputValue()).toBe('a garden on the roof');
  });

  it('follows its note while open: a change made in another tab shows in it', async () => {
    await freshApp();
    await addNote(page, 'Plans');
    const dialog = await openNote(page, 'Plans');
    const done = dialog.getByRole('checkbox', { name: 'Done' });
    expect(await done.isChecked()).toBe(false);
    const otherTab = await device.context.newPage();
    await openApp(otherTab);
    await card(otherTab, 'Plans').getByRole('checkbox', { name: 'Done' }).check();
    await expect.poll(() => done.isChecked()).toBe(true);
    // Its text too, as nothing was typed in it here.
    await card(otherTab, 'Plans').locator('.preview').click();
    await typeInto(openedNote(otherTab), 'Plans\nthe weekend');
    await otherTab.keyboard.press('Escape');
    await waitForClosed(otherTab);
    await expect.poll(() => dialog.getByRole('textbox', { name: 'Note text' }).inputValue()).toBe('the weekend');
    await otherTab.close();
  });

  it('keeps both what is typed here and a change made in another tab meanwhile', async () => {
    await freshApp();
    await addNote(page, 'Plans');
    const dialog = await openNote(page, 'Plans');
    const body = dialog.getByRole('textbox', { name: 'Note text' });
    // A draft too long to save waits here, unsaved, while the other tab changes the title line.
    await body.fill('z'.repeat(20_000));
    await dialog.getByText(/Too long to save/).waitFor();
    const otherTab = await device.context.newPage();
    await openApp(otherTab);
    await typeInto(await openNote(otherTab, 'Plans'), 'Weekend plans');
    await otherTab.keyboard.press('Escape');
    await waitForClosed(otherTab);
    await expect.poll(storedTexts).toEqual(['Weekend plans']);
    // The draft here was made from "Plans": shortened, it saves merged with the other tab's change.
    await body.fill('bread\nmilk');
    await expect.poll(storedTexts).toEqual(['Weekend plans\nbread\nmilk']);
    expect(await dialog.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('Weekend plans');
    expect(await body.inputValue()).toBe('bread\nmilk');
    // The caret stays where the typing was.
    expect(await focusedField()).toEqual({ label: 'Note text', caretAtEnd: true });
    await page.keyboard.press('Escape');
    await waitForClosed(page);
    expect(await storedTexts()).toEqual(['Weekend plans\nbread\nmilk']);
    await otherTab.close();
  });

  it('shows a long note whole: the text fields grow with their text and the sheet scrolls', async () => {
    for (const viewport of [PHONE, DESKTOP]) {
      if (viewport !== PHONE) {
        expect(device.errors).toEqual([]);
        await device.context.close();
      }
      await freshApp(viewport);
      const paragraph = 'The quick brown fox jumps over the lazy dog and keeps on running. ';
      const body = Array.from({ length: 45 }, (_, i) => `${i + 1}. ${paragraph}`).join('\n').slice(0, 3_000);
      await addNote(page, 'Long one');
      const dialog = await openNote(page, 'Long one');
      await dialog.getByRole('textbox', { name: 'Note text' }).fill(body);
      await page.keyboard.press('Escape');
      await waitForClosed(page);
      const reopened = await reloadAndOpen('Long one');
      const field = reopened.getByRole('textbox', { name: 'Note text' });
      expect(await field.inputValue()).toBe(body);
      const sizes = await field.evaluate((textarea) => {
        const scroller = textarea.parentElement!;
        return { field: [textarea.scrollHeight, textarea.clientHeight], sheet: [scroller.scrollHeight, scroller.clientHeight] };
      });
      // The field is as tall as its text (no inner scrollbar); the sheet scrolls instead.
      expect(sizes.field[0]).toBeLessThanOrEqual(sizes.field[1]! + 1);
      expect(sizes.sheet[0]).toBeGreaterThan(sizes.sheet[1]!);
      // Scrolled to the end, the last line is in view inside the dialog.
      await field.press('Control+End');
      const caretVisible = await field.evaluate((textarea) => {
        const scroller = textarea.parentElement!;
        return scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2;
      });
      expect(caretVisible).toBe(true);
      await page.keyboard.press('Escape');
      await waitForClosed(page);
    }
  });

  it('refuses too-long text with the message and keeps it: closing once more than the limit keeps the note open', async () => {
    await freshApp();
    await addNote(page, 'Short');
    const dialog = await openNote(page, 'Short');
    const body = dialog.getByRole('textbox', { name: 'Note text' });
    await body.fill('z'.repeat(20_000));
    await dialog.getByText(/Too long to save: 20,006 of 20,000 characters/).waitFor();
    await page.keyboard.press('Escape');
    // Still open, with the text, and a word on how to discard it.
    await dialog.getByText(/Close again to discard your changes/).waitFor();
    expect(await body.inputValue()).toHaveLength(20_000);
    // Waits out the save debounce (with a margin): nothing was saved.
    await page.waitForTimeout(APP.SAVE_DEBOUNCE_MS * 2);
    expect(await storedTexts()).toEqual(['Short']);
    // Shortened to fit, it saves and closes.
    await body.fill('z'.repeat(19_994));
    await page.keyboard.press('Escape');
    await waitForClosed(page);
    await expect.poll(async () => (await storedTexts())[0]!.length).toBe(20_000);
  });

  it('holds an edited title to 1,000 characters, saying how to keep the rest', async () => {
    await freshApp();
    await addNote(page, 'Short');
    const dialog = await openNote(page, 'Short');
    const title = dialog.getByRole('textbox', { name: 'Title' });
    await title.fill('t'.repeat(1_001));
    await dialog.getByText('The title is too long to save: 1,001 of 1,000 characters. Shorten it, or press Enter in it to move the rest to the note.').waitFor();
    await page.waitForTimeout(APP.SAVE_DEBOUNCE_MS * 2);
    expect(await storedTexts()).toEqual(['Short']);
    // Enter before the last character moves it to the body: the title fits and the note saves.
    await title.press('End');
    await title.press('ArrowLeft');
    await title.press('Enter');
    await expect.poll(storedTexts).toEqual([`${'t'.repeat(1_000)}\nt`]);
  });

  it('closes the color menu with a first Esc, giving focus straight back to its button, and the note with a second', async () => {
    await freshApp(PHONE);
    await addNote(page, 'Paint the fence');
    for (let round = 0; round < 2; round++) {
      const dialog = await openNote(page, 'Paint the fence');
      await dialog.getByRole('button', { name: 'Change color' }).click();
      await dialog.getByRole('menu').waitFor();
      // Esc on the menu, and where focus is before any later task runs: a second Esc pressed that
      // soon must not land on a hidden menu item, where it would be swallowed.
      const focusedRightAfter = await page.evaluate(() => {
        const deepFocus = () => {
          let element = document.activeElement;
          while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
          return element;
        };
        deepFocus()?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true }));
        return deepFocus()?.getAttribute('aria-label');
      });
      expect(focusedRightAfter).toBe('Change color');
      await dialog.getByRole('menu').waitFor({ state: 'detached' });
      await page.keyboard.press('Escape');
      await waitForClosed(page);
    }
  });

  it('opens from a /?note=<id> link, as a notification does', async () => {
    await freshApp();
    await addNote(page, 'Something else');
    // A card shows the title line and the body apart, so the text is found by its first line.
    const field = page.getByRole('textbox', { name: 'New note' });
    await field.fill('Passport renewal\nbefore June');
    await field.press('Enter');
    await card(page, 'Passport renewal').waitFor();
    const id = await card(page, 'Passport renewal').evaluate((element) => (element as unknown as { note: { id: string } }).note.id);
    await openApp(page, `/?note=${id}`);
    const dialog = openedNote(page);
    await dialog.waitFor();
    expect(await dialog.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('Passport renewal');
    expect(await dialog.getByRole('textbox', { name: 'Note text' }).inputValue()).toBe('before June');
    expect(new URL(page.url()).search).toBe('');
    await page.keyboard.press('Escape');
    await waitForClosed(page);
  });
});
