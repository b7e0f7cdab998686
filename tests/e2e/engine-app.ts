/**
 * What a person does in the app, in any engine (testing/engine-page.ts): the queries for the
 * app's parts and the steps the engine tests repeat (add a note, open and edit one, pick from a
 * card's menu, wait for the service worker).
 */
import { expect } from 'vitest';
import { APP } from '../../src/constants.js';
import { cssQuery, roleQuery, type EnginePage, type Query } from '../../testing/engine-page.js';

export const composer = roleQuery('textbox', 'New note');
export const card = (text: string): Query => ({ css: 'note-card', hasText: text });
export const openedNote = cssQuery('dialog[open]', cssQuery('note-editor'));
export const snackbar = cssQuery('app-snackbar');

/** A card's stored state, read from the element the board rendered. */
export function cardState(page: EnginePage, text: string): Promise<{ color: string; done: boolean; pinned: boolean }> {
  return page.evaluateOn(card(text), (element) => {
    const article = element.shadowRoot!.querySelector('article')!;
    return { color: article.dataset.color ?? '', done: article.classList.contains('done'), pinned: element.shadowRoot!.querySelector('.pin-mark') !== null };
  });
}

/** The notes' texts, in board order, as the cards hold them. */
export function boardTexts(page: EnginePage): Promise<string[]> {
  return page.evaluate(() => {
    const cells: { index: number; text: string }[] = [];
    const board = document.querySelector('notes-app')?.shadowRoot?.querySelector('note-board');
    for (const cell of Array.from(board?.shadowRoot?.querySelectorAll('.cell') ?? [])) {
      const note = (cell.querySelector('note-card') as unknown as { note?: { text: string } } | null)?.note;
      if (note) cells.push({ index: Number((cell as HTMLElement).dataset.index), text: note.text });
    }
    return cells.sort((a, b) => a.index - b.index).map((cell) => cell.text);
  });
}

export async function addNote(page: EnginePage, text: string): Promise<void> {
  await page.fill(composer, text);
  // Every key taken (WebDriver's key actions may return before the page has them all), and taken
  // by the quick-add field: a dialog left open would hold focus, and the field would stay empty.
  await page.waitUntil(() => page.value(composer), `"${text}" in the quick-add field`, (value) => value === text);
  await page.press('Enter');
  await page.waitUntil(() => page.value(composer), 'the composer to empty', (value) => value === '');
  await page.waitFor(card(text));
}

export async function openNote(page: EnginePage, text: string): Promise<void> {
  await page.click(cssQuery('.preview', card(text)));
  await page.waitFor(openedNote);
}

/** Opens the note showing `text`, types a new title line over it, and closes it with Esc. */
export async function editTitle(page: EnginePage, text: string, title: string): Promise<void> {
  await openNote(page, text);
  await page.fill(roleQuery('textbox', 'Title', openedNote), title);
  await page.press('Escape');
  await page.waitFor(cssQuery('note-editor'), { gone: true });
  await page.waitFor(card(title));
}

/** Picks an entry (a menu item, or a color by name) from a card's "More actions" menu. */
export async function chooseFromMenu(page: EnginePage, text: string, entry: string): Promise<void> {
  await page.click(roleQuery('button', 'More actions', card(text)));
  const menu = roleQuery('menu', undefined, card(text));
  await page.waitFor(menu);
  const colors = ['Yellow', 'Green', 'Pink', 'Purple', 'Blue', 'Gray'];
  await page.click(roleQuery(colors.includes(entry) ? 'menuitemradio' : 'menuitem', entry, menu));
}

/**
 * Waits until the service worker controls the page. The worker does not claim the page that
 * installed it, so on a first visit this waits for it to activate and reloads.
 */
export async function waitForServiceWorker(page: EnginePage): Promise<void> {
  await page.waitUntil(() => page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active !== null)), 'an active service worker', Boolean, 30_000);
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
  const state = await page.waitUntil(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? 'none'), 'the worker to control the page', (s) => s === 'activated');
  expect(state).toBe('activated');
}

/** How many responses the service worker's precache holds (0 when there is none). */
export function precacheSize(page: EnginePage): Promise<number> {
  return page.evaluate(async () => {
    const name = (await caches.keys()).find((key) => key.includes('precache'));
    return name ? (await (await caches.open(name)).keys()).length : 0;
  });
}

/** A text field's painted height and how much text it holds (scrollHeight above clientHeight: it scrolls). */
export function fieldBox(page: EnginePage, field: Query): Promise<{ height: number; scrollHeight: number; clientHeight: number }> {
  return page.evaluateOn(field, (element) => ({
    height: Math.round(element.getBoundingClientRect().height),
    scrollHeight: element.scrollHeight,
    clientHeight: element.clientHeight,
  }));
}

/**
 * What a newer version of the app does in another tab, run in the page: upgrades the database
 * `name` (a store of its own), which closes every older connection through versionchange.
 * Resolves the new version. Self-contained, for page.evaluate in any engine.
 */
export async function upgradeFromNewerVersion(name: string): Promise<number> {
  const probe = indexedDB.open(name);
  const current = await new Promise<number>((resolve) => (probe.onsuccess = () => (resolve(probe.result.version), probe.result.close())));
  const request = indexedDB.open(name, current + 10);
  request.onupgradeneeded = () => request.result.createObjectStore('newer-feature');
  return new Promise<number>((resolve, reject) => {
    request.onsuccess = () => (resolve(request.result.version), request.result.close());
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('the upgrade was blocked by the open app'));
  });
}

/**
 * How many changes of the signed-in account wait in its outbox (sent and acknowledged ones are
 * gone): 0 once Firestore has every change made on this device.
 */
export function outboxSize(page: EnginePage): Promise<number> {
  return page.evaluate(async (prefix) => {
    const name = (await indexedDB.databases()).map((db) => db.name).find((n) => n?.startsWith(prefix));
    if (!name) return -1;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      const count = db.transaction('outbox').objectStore('outbox').count();
      return await new Promise<number>((resolve, reject) => {
        count.onsuccess = () => resolve(count.result);
        count.onerror = () => reject(count.error);
      });
    } finally {
      db.close();
    }
  }, APP.ACCOUNT_DB_PREFIX);
}
