/**
 * Undo of every destructive action (snackbar and Ctrl+Z), where focus lands after one, and the
 * quick-add field under fast typing on a slow CPU, in real Chromium with real IndexedDB.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { APP } from '../../src/constants.js';
import { useChromium, useFreshDevice } from './harness.js';
import { chooseFromMenu } from './opened-note.js';
import { addNote, card } from './people.js';

const fresh = useFreshDevice(useChromium());
let page: Page;

async function freshApp(): Promise<void> {
  ({ page } = await fresh.openApp());
}

/** Every note's text on the board, as stored. */
const boardTexts = () =>
  page.locator('note-board note-card').evaluateAll((cards) => cards.map((c) => (c as unknown as { note: { text: string } }).note.text).sort());

/** Every note's text on the board, in the order shown. */
const boardOrder = () =>
  page.locator('note-board note-card').evaluateAll((cards) => cards.map((c) => (c as unknown as { note: { text: string } }).note.text));

const gone = (text: string) => expect.poll(() => card(page, text).count()).toBe(0);
const snackbar = () => page.locator('app-snackbar .bar');

/** The text of the card that has focus (inside the board's and the card's shadow roots). */
const focusedCardText = () =>
  page.evaluate(() => {
    const board = document.querySelector('notes-app')?.shadowRoot?.querySelector('note-board');
    const cardElement = board?.shadowRoot?.activeElement as (Element & { note?: { text: string } }) | null;
    return cardElement?.note?.text;
  });

type Undo = (page: Page) => Promise<void>;
const BY_SNACKBAR: Undo = (p) => p.locator('app-snackbar').getByRole('button', { name: 'Undo' }).click();
const BY_KEYBOARD: Undo = async (p) => {
  await snackbar().waitFor();
  await p.keyboard.press('Control+z');
};

describe.each([
  ['the snackbar', BY_SNACKBAR],
  ['Ctrl+Z', BY_KEYBOARD],
])('undo by %s', (_how, undo) => {
  it('undoes trash, recolor, delete forever and empty trash', async () => {
    await freshApp();
    await addNote(page, 'Alpha');
    await addNote(page, 'Beta');
    await addNote(page, 'Gamma');

    await chooseFromMenu(page, 'Alpha', 'Move to trash');
    await gone('Alpha');
    await undo(page);
    await card(page, 'Alpha').waitFor();
    await expect.poll(() => snackbar().count()).toBe(0);

    await chooseFromMenu(page, 'Beta', 'Blue');
    await expect.poll(() => card(page, 'Beta').locator('article').getAttribute('data-color')).toBe('blue');
    await undo(page);
    await expect.poll(() => card(page, 'Beta').locator('article').getAttribute('data-color')).toBe('yellow');

    for (const text of ['Alpha', 'Beta', 'Gamma']) {
      await chooseFromMenu(page, text, 'Move to trash');
      await gone(text);
    }
    await page.getByRole('button', { name: 'Trash (3)' }).click();
    await chooseFromMenu(page, 'Gamma', 'Delete forever');
    await gone('Gamma');
    await page.getByRole('button', { name: 'Trash (2)' }).waitFor();
    await undo(page);
    // Back in the trash with its text.
    await card(page, 'Gamma').waitFor();
    await page.getByRole('button', { name: 'Trash (3)' }).waitFor();

    await page.getByRole('button', { name: 'Empty trash' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete forever' }).click();
    await page.getByText('The trash is empty.').waitFor();
    await snackbar().filter({ hasText: '3 notes deleted forever' }).waitFor();
    await undo(page);
    await page.getByRole('button', { name: 'Trash (3)' }).waitFor();
    expect(await boardTexts()).toEqual(['Alpha', 'Beta', 'Gamma']);
  });
});

describe('focus and the keyboard', () => {
  it('after Delete trashes a note, focus is on the next card; Ctrl+Z from there brings it back', async () => {
    await freshApp();
    for (const text of ['Third', 'Second', 'First']) await addNote(page, text);
    await card(page, 'First').locator('article').focus();
    await page.keyboard.press('ArrowRight');
    expect(await focusedCardText()).toBe('Second');
    await page.keyboard.press('Delete');
    await gone('Second');
    await expect.poll(focusedCardText).toBe('Third');
    // Said with the message, for screen readers: the shortcut that undoes it.
    expect(await page.locator('app-snackbar [role=status]').textContent()).toContain('Control+Z');
    await page.keyboard.press('Control+z');
    await card(page, 'Second').waitFor();
  });

  it('Ctrl+Z in a text field is the field’s own undo, not the snackbar’s', async () => {
    await freshApp();
    await addNote(page, 'Stay trashed');
    await chooseFromMenu(page, 'Stay trashed', 'Move to trash');
    await gone('Stay trashed');
    const field = page.getByRole('textbox', { name: 'New note' });
    await field.click();
    await page.keyboard.press('Control+z');
    await snackbar().waitFor();
    expect(await card(page, 'Stay trashed').count()).toBe(0);
  });
});

describe('the quick-add field', () => {
  it('on a 6x slower CPU, keys sent with no delay after Enter never merge two notes', async () => {
    await freshApp();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
    const field = page.getByRole('textbox', { name: 'New note' });
    await field.click();
    const texts = Array.from({ length: 8 }, (_, i) => `quick ${i}`);
    await page.keyboard.type(texts.map((t) => `${t}\n`).join(''), { delay: 0 });
    await expect.poll(boardTexts, { timeout: 20_000 }).toEqual([...texts].sort());
    expect(await field.inputValue()).toBe('');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  });
});

/** Each note's stored fields by text, for the notes on the board. */
const states = () =>
  page.locator('note-board note-card').evaluateAll((cards) =>
    Object.fromEntries(
      cards.map((c) => {
        const note = (c as unknown as { note: { text: string; color: string; pinned: boolean; done: boolean } }).note;
        return [note.text, { color: note.color, pinned: note.pinned, done: note.done }];
      }),
    ),
  );
const selectedCount = () => page.locator('note-board article.selected').count();
const bar = () => page.getByRole('toolbar', { name: 'Selected notes' });

describe('select several', () => {
  it('a Ctrl-click made before the selection code has loaded selects the card once it has, and opens nothing', async () => {
    // No service worker: the selection's chunk comes from the network, held here until released.
    const device = await fresh.newDevice({ serviceWorkers: 'block' });
    page = device.page;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let requested = false;
    await page.route(/\/assets\/board-selection-[^/]+\.js$/, async (route) => {
      requested = true;
      await released;
      await route.continue();
    });
    await page.goto('/');
    for (const text of ['first', 'second']) await addNote(page, text);
    // The board asked for its gestures once it showed cards; the selection has not arrived.
    await expect.poll(() => requested).toBe(true);

    await card(page, 'first').locator('.preview').click({ modifiers: ['Control'] });
    release();
    await bar().getByText('1 selected').waitFor();
    expect(await card(page, 'first').locator('article.selected').count()).toBe(1);
    expect(await page.locator('note-editor').count()).toBe(0);
  });

  it('Ctrl-click and Shift-click select; each bulk action acts on all and is undone as one step', async () => {
    await freshApp();
    for (const text of ['dogs', 'cats', 'bees', 'ants']) await addNote(page, text);

    await card(page, 'ants').locator('.preview').click({ modifiers: ['Control'] });
    await card(page, 'cats').locator('.preview').click({ modifiers: ['Shift'] });
    await bar().getByText('3 selected').waitFor();
    expect(await selectedCount()).toBe(3);
    expect(await card(page, 'bees').locator('article').getAttribute('aria-label')).toMatch(/^Selected, /);
    // A plain click while notes are selected toggles too (it does not open the note).
    await card(page, 'bees').locator('.preview').click();
    await bar().getByText('2 selected').waitFor();
    await card(page, 'bees').locator('.preview').click({ modifiers: ['Control'] });
    await bar().getByText('3 selected').waitFor();
    expect(await page.locator('note-editor').count()).toBe(0);

    const before = await states();
    const selectAgain = async () => {
      await card(page, 'ants').locator('.preview').click({ modifiers: ['Control'] });
      await card(page, 'cats').locator('.preview').click({ modifiers: ['Shift'] });
      await bar().getByText('3 selected').waitFor();
    };
    const bulk = async (act: () => Promise<void>, expected: (state: { color: string; pinned: boolean; done: boolean }) => boolean) => {
      await act();
      await expect.poll(async () => {
        const now = await states();
        return ['ants', 'bees', 'cats'].every((t) => now[t] && expected(now[t])) && JSON.stringify(now.dogs) === JSON.stringify(before.dogs);
      }).toBe(true);
      expect(await bar().count()).toBe(0);
      await page.locator('app-snackbar').getByRole('button', { name: 'Undo' }).click();
      await expect.poll(states).toEqual(before);
      await selectAgain();
    };

    await bulk(async () => {
      await bar().getByRole('button', { name: 'Color' }).click();
      await page.getByRole('menuitemradio', { name: 'Green' }).click();
    }, (s) => s.color === 'green');
    await bulk(() => bar().getByRole('button', { name: 'Pin' }).click(), (s) => s.pinned);
    await bulk(() => bar().getByRole('button', { name: 'Done' }).click(), (s) => s.done);

    // Copy: new notes on top, in the board order of the originals; Undo takes the copies away.
    await bar().getByRole('button', { name: 'Copy' }).click();
    await expect.poll(boardOrder).toEqual(['ants', 'bees', 'cats', 'ants', 'bees', 'cats', 'dogs']);
    await page.locator('app-snackbar').getByText('3 notes copied').waitFor();
    await page.locator('app-snackbar').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(boardOrder).toEqual(['ants', 'bees', 'cats', 'dogs']);
    expect(await states()).toEqual(before);
    await selectAgain();

    await bar().getByRole('button', { name: 'Trash' }).click();
    await expect.poll(() => page.locator('note-board note-card').count()).toBe(1);
    await page.getByRole('button', { name: 'Trash (3)' }).waitFor();
    await page.keyboard.press('Control+z');
    await expect.poll(states).toEqual(before);

    await selectAgain();
    await page.keyboard.press('Escape');
    await expect.poll(selectedCount).toBe(0);
    expect(await bar().count()).toBe(0);

    // One note's copy, from its card's menu.
    await chooseFromMenu(page, 'dogs', 'Make a copy');
    await expect.poll(boardOrder).toEqual(['dogs', 'ants', 'bees', 'cats', 'dogs']);
    await page.locator('app-snackbar').getByText('Note copied').waitFor();
  });

  it('a long press without moving selects on touch; a long press then move still drags', async () => {
    await freshApp();
    for (const text of ['tres', 'dos', 'uno']) await addNote(page, text);
    const cdp = await page.context().newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', point?: { x: number; y: number }) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: point ? [{ x: point.x, y: point.y }] : [] });
    const centre = async (text: string) => {
      const box = (await card(page, text).locator('.preview').boundingBox())!;
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    };

    const at = await centre('dos');
    await touch('touchStart', at);
    await page.locator('note-board .cell.dragging').waitFor({ timeout: APP.DRAG_LONG_PRESS_MS * 10 });
    await touch('touchEnd');
    await bar().getByText('1 selected').waitFor();
    expect(await card(page, 'dos').locator('article.selected').count()).toBe(1);
    // A tap adds another while some are selected.
    await touch('touchStart', await centre('uno'));
    await touch('touchEnd');
    await bar().getByText('2 selected').waitFor();
    expect(await page.locator('note-editor').count()).toBe(0);
    await cdp.detach();
  });
});
