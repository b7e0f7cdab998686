/**
 * Checklists as a person uses them, in real Chromium with real IndexedDB: a text note turned into
 * a list and back, items added with Enter and the button, removed with Backspace and their
 * button, ticked into "N ticked items", moved with Alt+arrows and dragged by the handle, the
 * card's preview of the first open items, search finding an item, the limits said in words, and
 * everything kept over a reload.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readStores, useChromium, useFreshDevice, waitForApp, type Device } from './harness.js';
import { openNote, openedNote, waitForClosed } from './opened-note.js';
import { addNote, card } from './people.js';

const fresh = useFreshDevice(useChromium());
let device: Device;
let page: Page;

async function freshApp(): Promise<void> {
  device = await fresh.openApp();
  page = device.page;
}

interface StoredItem {
  id: string;
  text: string;
  done: boolean;
}

/** The checklist of the one stored note. */
async function storedItems(): Promise<StoredItem[]> {
  const { records } = await readStores(page, 'roaming-notes-guest', ['notes']);
  return ((records.notes as { items?: StoredItem[] }[])[0]?.items ?? []).map(({ id, text, done }) => ({ id, text, done }));
}

const itemTexts = async () => (await storedItems()).map((item) => `${item.done ? '[x]' : '[ ]'} ${item.text}`);
const itemFields = (dialog: Locator) => dialog.locator('note-checklist ul:not(.ticked) textarea');

/** Opens a note titled "Groceries" with milk, bread and apples as its list. */
async function groceries(): Promise<Locator> {
  await freshApp();
  await addNote(page, 'Groceries');
  const dialog = await openNote(page, 'Groceries');
  await dialog.getByRole('textbox', { name: 'Note text' }).fill('milk\nbread\napples');
  await dialog.getByRole('button', { name: 'Show checkboxes' }).click();
  await expect.poll(itemTexts).toEqual(['[ ] milk', '[ ] bread', '[ ] apples']);
  return dialog;
}

describe('checklists', () => {
  it('turns a note\'s lines into items and back, and the card previews the list', async () => {
    const dialog = await groceries();
    expect(await itemFields(dialog).evaluateAll((fields) => fields.map((field) => (field as HTMLTextAreaElement).value))).toEqual(['milk', 'bread', 'apples']);
    // The caret is in the last item, ready to type.
    await page.keyboard.type(' (green)');
    await expect.poll(itemTexts).toEqual(['[ ] milk', '[ ] bread', '[ ] apples (green)']);
    await page.keyboard.press('Escape');
    await waitForClosed(page);
    const preview = card(page, 'Groceries').locator('.items li');
    await expect.poll(() => preview.allTextContents()).toEqual(['milk', 'bread', 'apples (green)']);
    // Back to text: each item a line of the body.
    const reopened = await openNote(page, 'Groceries');
    await reopened.getByRole('button', { name: 'Hide checkboxes' }).click();
    expect(await reopened.getByRole('textbox', { name: 'Note text' }).inputValue()).toBe('milk\nbread\napples (green)');
    await page.keyboard.press('Escape');
    await waitForClosed(page);
    expect(await storedItems()).toEqual([]);
    await expect.poll(() => card(page, 'Groceries').locator('.items').count()).toBe(0);
  });

  it('makes the next item with Enter, removes an empty one with Backspace, and adds one with the button', async () => {
    const dialog = await groceries();
    const bread = itemFields(dialog).nth(1);
    await bread.click();
    await bread.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('butter');
    await expect.poll(itemTexts).toEqual(['[ ] milk', '[ ] bread', '[ ] butter', '[ ] apples']);
    // Enter in the middle of an item takes the text after the caret to the next one.
    await bread.press('Home');
    await bread.press('ArrowRight');
    await bread.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect.poll(itemTexts).toEqual(['[ ] milk', '[ ] br', '[ ] ead', '[ ] butter', '[ ] apples']);
    // Backspace at the start of "ead" joins it back to "br", the caret at the join.
    await page.keyboard.press('Backspace');
    await expect.poll(itemTexts).toEqual(['[ ] milk', '[ ] bread', '[ ] butter', '[ ] apples']);
    await page.keyboard.type('X');
    await expect.poll(itemTexts).toEqual(['[ ] milk', '[ ] brXead', '[ ] butter', '[ ] apples']);
    await page.keyboard.press('Backspace');
    // Enter then Backspace: the empty item goes, the caret back at the end of the one above.
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await storedItems()).length).toBe(5);
    await page.keyboard.press('Backspace');
    await expect.poll(itemTexts).toEqual(['[ ] milk', '[ ] bread', '[ ] butter', '[ ] apples']);
    await page.keyboard.type('!');
    await expect.poll(itemTexts).toEqual(['[ ] milk', '[ ] bread!', '[ ] butter', '[ ] apples']);
    await page.keyboard.press('Backspace');
    await dialog.getByRole('button', { name: 'Remove butter', exact: true }).click();
    await dialog.getByRole('button', { name: 'List item' }).click();
    await page.keyboard.type('eggs');
    await expect.poll(itemTexts).toEqual(['[ ] milk', '[ ] bread', '[ ] apples', '[ ] eggs']);
  });

  it('collapses ticked items under "N ticked items", and unticking brings one back', async () => {
    const dialog = await groceries();
    // A ticked item leaves the open items at once: clicked, not check()ed (which waits to see it checked where it was).
    await dialog.getByRole('checkbox', { name: 'Ticked: milk' }).click();
    await dialog.getByRole('checkbox', { name: 'Ticked: apples' }).click();
    await expect.poll(itemTexts).toEqual(['[x] milk', '[ ] bread', '[x] apples']);
    const toggle = dialog.getByRole('button', { name: '2 ticked items' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await itemFields(dialog).count()).toBe(1);
    await toggle.click();
    await dialog.getByRole('checkbox', { name: 'Ticked: milk' }).click();
    await expect.poll(itemTexts).toEqual(['[ ] milk', '[ ] bread', '[x] apples']);
    await page.keyboard.press('Escape');
    await waitForClosed(page);
    await expect.poll(() => card(page, 'Groceries').locator('.items li').allTextContents()).toEqual(['milk', 'bread']);
    expect(await card(page, 'Groceries').locator('.more-items').textContent()).toBe('1 ticked item');
  });

  it('moves an item with Alt+arrows and by dragging its handle with a mouse and a finger', async () => {
    const dialog = await groceries();
    await itemFields(dialog).nth(0).click();
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(itemTexts).toEqual(['[ ] bread', '[ ] milk', '[ ] apples']);
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(itemTexts).toEqual(['[ ] bread', '[ ] apples', '[ ] milk']);
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(itemTexts).toEqual(['[ ] bread', '[ ] milk', '[ ] apples']);

    // Mouse: apples' handle dragged above bread.
    const handle = dialog.getByRole('button', { name: 'Move apples', exact: true });
    const from = (await handle.boundingBox())!;
    const top = (await itemFields(dialog).nth(0).boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    for (let step = 1; step <= 8; step++) await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 + ((top.y - 4 - from.y) * step) / 8);
    await page.mouse.up();
    await expect.poll(itemTexts).toEqual(['[ ] apples', '[ ] bread', '[ ] milk']);

    // A finger: touch events through CDP, as a phone sends them.
    const session = await page.context().newCDPSession(page);
    const bread = (await dialog.getByRole('button', { name: 'Move bread', exact: true }).boundingBox())!;
    const below = (await itemFields(dialog).nth(2).boundingBox())!;
    const x = bread.x + bread.width / 2;
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', y: number) => session.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
    await touch('touchStart', bread.y + bread.height / 2);
    for (let step = 1; step <= 8; step++) await touch('touchMove', bread.y + bread.height / 2 + ((below.y + below.height + 4 - bread.y) * step) / 8);
    await touch('touchEnd', 0);
    await expect.poll(itemTexts).toEqual(['[ ] apples', '[ ] milk', '[ ] bread']);
    await session.detach();
  });

  it('finds a note by one of its items, and keeps the list over a reload', async () => {
    const dialog = await groceries();
    await dialog.getByRole('checkbox', { name: 'Ticked: bread' }).click();
    await page.keyboard.press('Escape');
    await waitForClosed(page);
    await page.reload();
    await waitForApp(page);
    await page.getByRole('searchbox', { name: 'Search notes' }).fill('apples');
    await expect.poll(() => card(page, 'Groceries').count()).toBe(1);
    const reopened = await openNote(page, 'Groceries');
    expect(await itemFields(reopened).evaluateAll((fields) => fields.map((field) => (field as HTMLTextAreaElement).value))).toEqual(['milk', 'apples']);
    expect(await reopened.getByRole('button', { name: '1 ticked item' }).isVisible()).toBe(true);
  });

  it('says in words when an item is too long, and saves nothing until it fits', async () => {
    const dialog = await groceries();
    const milk = itemFields(dialog).nth(0);
    await milk.fill('m'.repeat(1_001));
    await dialog.getByText('An item is too long to save: 1,001 of 1,000 characters. Shorten it by 1 to save.').waitFor();
    await page.waitForTimeout(800);
    expect(await itemTexts()).toEqual(['[ ] milk', '[ ] bread', '[ ] apples']);
    await milk.press('Backspace');
    await expect.poll(async () => (await storedItems())[0]!.text.length).toBe(1_000);
    expect(await dialog.getByRole('alert').filter({ hasText: 'too long' }).count()).toBe(0);
  });

  it('is read-only in the trash', async () => {
    const dialog = await groceries();
    await dialog.getByRole('button', { name: 'Move to trash' }).click();
    await waitForClosed(page);
    await page.getByRole('button', { name: /^Trash/ }).click();
    await page.getByRole('heading', { name: 'Trash' }).waitFor();
    const trashed = await openNote(page, 'Groceries');
    expect(await itemFields(trashed).first().getAttribute('readonly')).not.toBeNull();
    expect(await trashed.getByRole('button', { name: 'List item' }).count()).toBe(0);
    expect(await openedNote(page).getByRole('checkbox', { name: 'Ticked: milk' }).isDisabled()).toBe(true);
  });
});
