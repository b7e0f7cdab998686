/**
 * Board order in real Chromium: notes keep their place when edited, recolored or ticked; a new
 * note goes on top; Pinned and Others headings; reordering by mouse drag (scrolling the page by
 * the window's edge), by a long press on touch (a quick swipe moves nothing) and by Alt+arrow
 * keys, each surviving a reload; and, against
 * the emulators, the order roaming to a second device of the same person and two devices that
 * reorder while offline converging once they reconnect.
 */
import type { CDPSession, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { APP } from '../../src/constants.js';
import { serveGapiStandIn } from './gapi-stand-in.js';
import { newDevice, openApp, useChromium, useDevices, waitForApp, type Device } from './harness.js';
import { chooseFromMenu, editNote } from './opened-note.js';
import { addNote, card, requireAuthEmulator, signIn, uniqueEmail, type Person } from './people.js';

/** Roaming on the local emulator takes well under a second; this only bounds a hang. */
const ROAM_TIMEOUT_MS = 15_000;

const browser = useChromium();
const devices = useDevices();

async function localDevice(): Promise<Page> {
  const device = await newDevice(browser());
  devices.push(device);
  await device.page.setViewportSize({ width: 1000, height: 900 });
  await openApp(device.page);
  return device.page;
}

/** The texts of the board's notes in board order (by each cell's board index). */
function boardOrder(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const board = document.querySelector('notes-app')!.shadowRoot!.querySelector('note-board')!;
    return [...board.shadowRoot!.querySelectorAll<HTMLElement>('.cell')]
      .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
      .map((cell) => (cell.querySelector('note-card') as unknown as { note: { text: string } }).note.text);
  });
}

const expectOrder = (page: Page, texts: string[], timeout = 5_000) => expect.poll(() => boardOrder(page), { timeout }).toEqual(texts);

/** Adds notes so the board shows them in the order given (each new note goes on top). */
async function addInOrder(page: Page, texts: string[]): Promise<void> {
  for (const text of [...texts].reverse()) await addNote(page, text);
  await expectOrder(page, texts);
}

/** A point on a card's text, away from its buttons: where a person grabs a card. */
async function grabPoint(page: Page, text: string, side: 'left' | 'center' | 'right' = 'center'): Promise<{ x: number; y: number }> {
  const box = (await card(page, text).locator('article').boundingBox())!;
  const x = side === 'left' ? box.x + box.width * 0.15 : side === 'right' ? box.x + box.width * 0.85 : box.x + box.width / 2;
  return { x, y: box.y + box.height * 0.35 };
}

async function reload(page: Page): Promise<void> {
  await page.reload();
  await waitForApp(page);
}

describe('a board that keeps its order', () => {
  it('keeps each note in place when it is edited, recolored or ticked; new notes go on top; Pinned and Others headings', async () => {
    const page = await localDevice();
    await addInOrder(page, ['first', 'second', 'third', 'fourth']);

    await editNote(page, 'third', 'third (edited)');
    await expectOrder(page, ['first', 'second', 'third (edited)', 'fourth']);

    await chooseFromMenu(page, 'fourth', 'Pink');
    await card(page, 'second').getByRole('checkbox', { name: 'Done' }).check();
    await expect.poll(() => card(page, 'fourth').locator('article').getAttribute('data-color')).toBe('pink');
    await expectOrder(page, ['first', 'second', 'third (edited)', 'fourth']);

    await addNote(page, 'fifth');
    await expectOrder(page, ['fifth', 'first', 'second', 'third (edited)', 'fourth']);
    const headings = page.locator('note-board h2');
    expect(await headings.count()).toBe(0);

    await chooseFromMenu(page, 'second', 'Pin');
    await expectOrder(page, ['second', 'fifth', 'first', 'third (edited)', 'fourth']);
    await expect.poll(() => headings.allTextContents().then((texts) => texts.map((t) => t.trim()))).toEqual(['Pinned', 'Others']);
    await expect.poll(() => page.getByRole('list', { name: 'Others' }).getByRole('listitem').count()).toBe(4);

    await reload(page);
    await expectOrder(page, ['second', 'fifth', 'first', 'third (edited)', 'fourth']);
  });

  it('reorders by mouse drag with an insertion cue, refuses a drop in the other section, and keeps it after a reload', async () => {
    const page = await localDevice();
    await addInOrder(page, ['alpha', 'bravo', 'charlie', 'delta']);

    const from = await grabPoint(page, 'delta');
    const to = await grabPoint(page, 'bravo', 'left');
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 12 });
    await page.locator('note-board .drop-cue').waitFor();
    expect(await page.locator('note-board .cell.dragging').count()).toBe(1);
    await page.mouse.up();
    await expectOrder(page, ['alpha', 'delta', 'bravo', 'charlie']);
    expect(await page.locator('note-board .drop-cue').count()).toBe(0);
    // The drop did not also open the note.
    expect(await page.locator('note-editor').count()).toBe(0);

    await chooseFromMenu(page, 'charlie', 'Pin');
    await expectOrder(page, ['charlie', 'alpha', 'delta', 'bravo']);
    const pinned = await grabPoint(page, 'charlie');
    const others = await grabPoint(page, 'delta', 'right');
    await page.mouse.move(pinned.x, pinned.y);
    await page.mouse.down();
    await page.mouse.move(others.x, others.y, { steps: 12 });
    await page.locator('note-board .cell.dragging').waitFor();
    expect(await page.locator('note-board .drop-cue').count()).toBe(0);
    await page.mouse.up();
    await expectOrder(page, ['charlie', 'alpha', 'delta', 'bravo']);

    await reload(page);
    await expectOrder(page, ['charlie', 'alpha', 'delta', 'bravo']);
  });

  it('scrolls the page while a dragged card is held by the window\'s bottom edge, so it can go past the screen', async () => {
    const page = await localDevice();
    await page.setViewportSize({ width: 1000, height: 600 });
    const texts = Array.from({ length: 30 }, (_, i) => `card ${String(i + 1).padStart(2, '0')}`);
    // Every note the board holds, in board order (the window of 40 holds them all; only the cards
    // in view are rendered).
    const allInOrder = () =>
      page.evaluate(() => {
        const board = document.querySelector('notes-app')!.shadowRoot!.querySelector('note-board') as unknown as { notes: { text: string }[] };
        return board.notes.map((note) => note.text);
      });
    for (const text of [...texts].reverse()) await addNote(page, text);
    await expect.poll(allInOrder).toEqual(texts);
    await page.evaluate(() => window.scrollTo(0, 0));

    const from = await grabPoint(page, 'card 01');
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x, 596, { steps: 12 });
    // Held there, the page scrolls on its own until the end of the board.
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(400);
    await expect.poll(() => page.evaluate(() => window.scrollY + innerHeight >= document.documentElement.scrollHeight - 1)).toBe(true);
    // The card stays under the pointer while the page moves under it.
    const dragged = (await page.locator('note-board .cell.dragging').boundingBox())!;
    expect(dragged.y).toBeLessThan(600);
    expect(dragged.y + dragged.height).toBeGreaterThan(550);
    await page.mouse.move(from.x, 560, { steps: 4 });
    await page.locator('note-board .drop-cue').waitFor();
    await page.mouse.up();
    await expect.poll(async () => (await allInOrder()).indexOf('card 01')).toBeGreaterThan(20);
    expect((await allInOrder()).slice().sort()).toEqual(texts);
  });

  it('reorders by touch after a long press, while a quick swipe moves nothing', async () => {
    const page = await localDevice();
    await addInOrder(page, ['uno', 'dos', 'tres', 'cuatro']);
    const cdp: CDPSession = await page.context().newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', point?: { x: number; y: number }) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: point ? [{ x: point.x, y: point.y }] : [] });

    // A swipe (up, as to scroll): the finger moves at once, so no card is picked up, even after
    // the long-press time.
    const swipeFrom = await grabPoint(page, 'uno');
    await touch('touchStart', swipeFrom);
    for (let step = 1; step <= 6; step++) await touch('touchMove', { x: swipeFrom.x, y: swipeFrom.y - step * 20 });
    await page.waitForTimeout(APP.DRAG_LONG_PRESS_MS * 2);
    expect(await page.locator('note-board .cell.dragging').count()).toBe(0);
    await touch('touchEnd');
    await expectOrder(page, ['uno', 'dos', 'tres', 'cuatro']);

    // A long press picks the card up; moving then drags it and drops it behind "tres".
    const from = await grabPoint(page, 'uno');
    const to = await grabPoint(page, 'tres', 'right');
    await touch('touchStart', from);
    await page.locator('note-board .cell.dragging').waitFor({ timeout: APP.DRAG_LONG_PRESS_MS * 10 });
    for (let step = 1; step <= 10; step++) {
      await touch('touchMove', { x: from.x + ((to.x - from.x) * step) / 10, y: from.y + ((to.y - from.y) * step) / 10 });
    }
    await page.locator('note-board .drop-cue').waitFor();
    await touch('touchEnd');
    await expectOrder(page, ['dos', 'tres', 'uno', 'cuatro']);
    await cdp.detach();

    await reload(page);
    await expectOrder(page, ['dos', 'tres', 'uno', 'cuatro']);
  });

  it('moves the focused note one place with Alt+arrows and says where it went', async () => {
    const page = await localDevice();
    await addInOrder(page, ['red', 'green', 'blue', 'gray']);
    const status = page.locator('note-board [role="status"]');

    await card(page, 'blue').locator('article').focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expectOrder(page, ['red', 'blue', 'green', 'gray']);
    await expect.poll(() => status.textContent()).toBe('Moved to position 2 of 4');
    // Focus stays on the moved note, so the next press moves it again.
    await page.keyboard.press('Alt+ArrowLeft');
    await expectOrder(page, ['blue', 'red', 'green', 'gray']);
    await expect.poll(() => status.textContent()).toBe('Moved to position 1 of 4');
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => status.textContent()).toBe('Already first');
    await card(page, 'red').locator('article').focus();
    await page.keyboard.press('Alt+ArrowDown');
    await page.keyboard.press('Alt+ArrowRight');
    await expectOrder(page, ['blue', 'green', 'gray', 'red']);
    await expect.poll(() => status.textContent()).toBe('Moved to position 4 of 4');

    await reload(page);
    await expectOrder(page, ['blue', 'green', 'gray', 'red']);
  });
});

describe('board order roams', () => {
  async function deviceOf(person: Person, options: { existing: boolean }): Promise<Device> {
    await requireAuthEmulator();
    const device = await newDevice(browser(), inject('emulatorAppUrl'));
    devices.push(device);
    await device.page.setViewportSize({ width: 1000, height: 900 });
    await serveGapiStandIn(device.context);
    await openApp(device.page);
    await signIn(device.page, 'Google', person, options);
    await synced(device.page);
    return device;
  }

  const synced = (page: Page) => page.getByTestId('sync-status').filter({ hasText: /^Synced/ }).waitFor({ timeout: ROAM_TIMEOUT_MS });

  it('a reorder on one device shows on the other; two devices reordering offline converge', async () => {
    const person = { email: uniqueEmail('ordo'), name: 'Ordo Roamer' };
    const a = await deviceOf(person, { existing: false });
    await addInOrder(a.page, ['mon', 'tue', 'wed', 'thu', 'fri']);
    const b = await deviceOf(person, { existing: true });
    await expectOrder(b.page, ['mon', 'tue', 'wed', 'thu', 'fri'], ROAM_TIMEOUT_MS);

    await card(a.page, 'thu').locator('article').focus();
    await a.page.keyboard.press('Alt+ArrowUp');
    await a.page.keyboard.press('Alt+ArrowUp');
    await expectOrder(a.page, ['mon', 'thu', 'tue', 'wed', 'fri']);
    await expectOrder(b.page, ['mon', 'thu', 'tue', 'wed', 'fri'], ROAM_TIMEOUT_MS);

    // Both offline: A puts fri on top, B puts wed on top and mon last. Every device must end
    // with one order, the same everywhere, and each moved note where its last move put it
    // relative to notes nobody else moved.
    await a.context.setOffline(true);
    await b.context.setOffline(true);
    await card(a.page, 'fri').locator('article').focus();
    for (let i = 0; i < 4; i++) await a.page.keyboard.press('Alt+ArrowUp');
    await expectOrder(a.page, ['fri', 'mon', 'thu', 'tue', 'wed']);
    await card(b.page, 'wed').locator('article').focus();
    for (let i = 0; i < 3; i++) await b.page.keyboard.press('Alt+ArrowUp');
    await expectOrder(b.page, ['wed', 'mon', 'thu', 'tue', 'fri']);
    await card(b.page, 'mon').locator('article').focus();
    for (let i = 0; i < 4; i++) await b.page.keyboard.press('Alt+ArrowDown');
    await expectOrder(b.page, ['wed', 'thu', 'tue', 'fri', 'mon']);

    await a.context.setOffline(false);
    await b.context.setOffline(false);
    await Promise.all([synced(a.page), synced(b.page)]);
    await expect
      .poll(async () => {
        const [here, there] = await Promise.all([boardOrder(a.page), boardOrder(b.page)]);
        return here.join() === there.join() ? here : [`A: ${here.join()}`, `B: ${there.join()}`];
      }, { timeout: ROAM_TIMEOUT_MS })
      .toEqual(expect.arrayContaining(['mon', 'tue', 'wed', 'thu', 'fri']));
    const converged = await boardOrder(a.page);
    // fri and wed both went to the top: whichever key is smaller (or, tied, whichever id) leads.
    expect(converged.slice(0, 2).sort()).toEqual(['fri', 'wed']);
    expect(converged.slice(2)).toEqual(['thu', 'tue', 'mon']);

    await reload(b.page);
    await expectOrder(b.page, converged);
  });
});
