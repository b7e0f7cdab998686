/**
 * The core of the app as a guest, written once and run in Chromium, Firefox ESR and WebKitGTK
 * (testing/engines.ts; BROWSERS=firefox runs one): first open, add / edit / color / pin / done,
 * trash with undo and restore, search, a reload that keeps everything, an offline start from the
 * service worker, and export then import on a fresh device. The local-only build: no emulators.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { APP } from '../../src/constants.js';
import { cssQuery, roleQuery, textQuery, type EnginePage } from '../../testing/engine-page.js';
import { enginesUnderTest, launchEngine, type Engine, type EngineDevice } from '../../testing/engines.js';
import { addNote, boardTexts, card, cardState, chooseFromMenu, composer, editTitle, fieldBox, openNote, openedNote, precacheSize, upgradeFromNewerVersion, waitForServiceWorker } from './engine-app.js';
import { startStaticServer, type StaticServer } from './harness.js';

describe.each(enginesUnderTest())('in %s', (engineName) => {
  let engine: Engine;
  let server: StaticServer;
  const devices: EngineDevice[] = [];

  beforeAll(async () => {
    // A server of this file's own: the offline test takes it down.
    server = await startStaticServer();
    engine = await launchEngine(engineName);
  });
  afterAll(async () => {
    await engine?.close();
    await server?.close();
  });
  afterEach(async () => {
    server.setOffline(false);
    for (const device of devices.splice(0)) {
      const errors = await device.errors();
      await device.close();
      expect(errors).toEqual([]);
    }
  });

  /** A fresh device (a new profile) with the app opened on it. */
  async function freshApp(): Promise<EnginePage> {
    const device = await engine.newDevice(server.url);
    devices.push(device);
    await device.page.open('/');
    return device.page;
  }

  it('adds, edits, colors, pins and ticks off notes, and a reload keeps everything', async () => {
    const page = await freshApp();
    // The local-only build says so plainly.
    await page.waitFor({ role: 'status', hasText: 'Sync is not set up' });
    await page.waitFor(textQuery('No notes yet'));
    // Firefox and WebKit have no Badging API: every board change below also takes the app's
    // unsupported path (src/push/badge.ts), and afterEach holds it to no errors.
    if (engineName !== 'chromium') expect(await page.evaluate(() => 'setAppBadge' in navigator)).toBe(false);
    await addNote(page, 'Pick up milk');
    await addNote(page, 'Call the plumber');
    expect(await boardTexts(page)).toEqual(['Call the plumber', 'Pick up milk']);

    await editTitle(page, 'Pick up milk', 'Pick up oat milk');
    await chooseFromMenu(page, 'Pick up oat milk', 'Blue');
    await page.waitUntil(async () => (await cardState(page, 'Pick up oat milk')).color, 'the blue card', (color) => color === 'blue');
    await chooseFromMenu(page, 'Call the plumber', 'Pin');
    await page.waitUntil(async () => (await cardState(page, 'Call the plumber')).pinned, 'the pin');
    await page.click(roleQuery('checkbox', 'Done', card('Pick up oat milk')));
    await page.waitUntil(async () => (await cardState(page, 'Pick up oat milk')).done, 'the tick');

    await page.reload();
    await page.waitFor(card('Pick up oat milk'));
    expect(await boardTexts(page)).toEqual(['Call the plumber', 'Pick up oat milk']);
    expect(await cardState(page, 'Pick up oat milk')).toEqual({ color: 'blue', done: true, pinned: false });
    expect(await cardState(page, 'Call the plumber')).toEqual({ color: 'yellow', done: false, pinned: true });
  });

  // The board measures its own width to place its cards: a new width lays them out again, and the
  // new layout's height never sets off a second round of measuring in the same frame (which WebKit
  // reports as the page error "ResizeObserver loop completed", failing afterEach).
  it('lays its cards out again when the board gets narrower, then wider', async () => {
    const page = await freshApp();
    for (const text of ['One', 'Two', 'Three']) await addNote(page, text);
    const rows = () =>
      page.evaluate(() => {
        const board = document.querySelector('notes-app')!.shadowRoot!.querySelector('note-board')!;
        const tops = Array.from(board.shadowRoot!.querySelectorAll('.cell'), (cell) => Math.round(cell.getBoundingClientRect().top));
        return new Set(tops).size;
      });
    expect(await rows()).toBe(1);
    await page.evaluateOn(cssQuery('note-board'), (board) => (board.style.maxWidth = '260px'));
    await page.waitUntil(rows, 'one card to a row', (count) => count === 3);
    await page.evaluateOn(cssQuery('note-board'), (board) => (board.style.maxWidth = ''));
    await page.waitUntil(rows, 'the cards side by side again', (count) => count === 1);
  });

  it('moves a note to the trash with Undo, restores it from the trash, and finds notes by search', async () => {
    const page = await freshApp();
    for (const text of ['Old receipt', 'Buy bread', 'Buy MILK']) await addNote(page, text);

    await chooseFromMenu(page, 'Old receipt', 'Move to trash');
    await page.waitFor(card('Old receipt'), { gone: true });
    await page.click(roleQuery('button', 'Undo'));
    await page.waitFor(card('Old receipt'));

    await chooseFromMenu(page, 'Old receipt', 'Move to trash');
    await page.waitFor(card('Old receipt'), { gone: true });
    await page.click(roleQuery('button', 'Trash (1)'));
    await chooseFromMenu(page, 'Old receipt', 'Restore');
    await page.waitFor(textQuery('The trash is empty.'));
    await page.click(roleQuery('button', 'Notes'));
    await page.waitFor(card('Old receipt'));

    const search = roleQuery('searchbox', 'Search notes');
    await page.fill(search, 'buy');
    await page.waitUntil(() => boardTexts(page), 'two matches', (texts) => texts.join() === 'Buy MILK,Buy bread');
    await page.fill(search, 'milk');
    await page.waitUntil(() => boardTexts(page), 'one match', (texts) => texts.join() === 'Buy MILK');
    await page.fill(search, 'zebra');
    await page.waitFor(textQuery('No notes match “zebra”.'));
  });

  it('opens offline with its notes after the first visit, and takes new notes offline', async () => {
    const page = await freshApp();
    await addNote(page, 'Readable on the plane');
    await waitForServiceWorker(page);
    server.setOffline(true);
    // The host is really gone: a request to it fails.
    expect(await fetch(`${server.url}/robots.txt`).then(() => 'answered', () => 'failed')).toBe('failed');
    await page.reload();
    await page.waitFor(card('Readable on the plane'));
    await addNote(page, 'Written offline');
    await page.reload();
    await page.waitFor(card('Written offline'));
  });

  it('opens offline after the page left for another origin and came back', async () => {
    const page = await freshApp();
    await addNote(page, 'Still here after the detour');
    await waitForServiceWorker(page);
    // How many files the worker precaches, from its script: looking into the caches from the page
    // now would hide the WebKit fault this reproduces (the precache then survived the detour).
    const manifest = /\[\{"revision":[^\]]*\]/.exec(await (await fetch(`${server.url}/sw.js`)).text());
    const precached = (JSON.parse(manifest![0]) as unknown[]).length;
    expect(precached).toBeGreaterThan(10);
    // A page of another origin (the same server under another host name), as a sign-in page would be.
    await page.goto(`${server.url.replace('127.0.0.1', 'localhost')}/`);
    await page.waitForApp();
    await page.open('/');
    // WebKit emptied the precache on the way: the worker puts it back while online.
    await page.waitUntil(() => precacheSize(page), 'the precache to be whole again', (size) => size === precached);
    server.setOffline(true);
    await page.reload();
    await page.waitFor(card('Still here after the detour'));
  });

  // WebKit's own way of closing a connection (its IndexedDB server, in the network process, going
  // away) cannot be caused under WebDriver: README, "engines". A newer version opened elsewhere
  // closes the app's connection through each engine's own versionchange, and the app reopens it.
  it('reopens its database when a newer version closes the connection under it, and keeps every note', async () => {
    const page = await freshApp();
    await addNote(page, 'Written before the upgrade');
    const upgraded = await page.evaluate(upgradeFromNewerVersion, APP.GUEST_DB_NAME);
    expect(upgraded).toBeGreaterThan(10);
    await addNote(page, 'Written after the upgrade');
    await page.reload();
    await page.waitFor(card('Written before the upgrade'));
    await page.waitFor(card('Written after the upgrade'));
  });

  it('grows the quick-add field and the opened note\'s fields with their text', async () => {
    const page = await freshApp();
    const oneLine = await fieldBox(page, composer);
    await page.fill(composer, 'Line 1');
    for (let line = 2; line <= 6; line++) {
      await page.press('Shift+Enter');
      await page.type(`Line ${line}`);
    }
    // WebDriver's key actions may return before the page has taken every key.
    await page.waitUntil(() => page.value(composer), 'the sixth line', (text) => text.endsWith('Line 6'));
    const sixLines = await fieldBox(page, composer);
    // Every line in sight: taller by five lines' worth, and nothing scrolled inside the field.
    expect(sixLines.height).toBeGreaterThan(oneLine.height + 60);
    expect(sixLines.scrollHeight).toBeLessThanOrEqual(sixLines.clientHeight + 1);
    await page.press('Enter');
    await page.waitFor(card('Line 1'));
    await page.waitUntil(() => fieldBox(page, composer), 'the emptied field to shrink back', (box) => box.height === oneLine.height);

    // Narrower, the same text wraps onto more lines and the field grows to show them. Where the
    // engine does not size fields itself it is measured again in the frame after the new width, never
    // inside the resize observer's delivery (which WebKit reports as a page error, failing afterEach).
    await page.fill(composer, 'words enough to wrap onto more lines once the quick-add field is made much narrower than it is');
    const wide = await page.waitUntil(() => fieldBox(page, composer), 'the long line shown whole', (box) => box.scrollHeight <= box.clientHeight + 1);
    await page.evaluateOn(cssQuery('note-composer'), (element) => (element.style.maxWidth = '220px'));
    await page.waitUntil(() => fieldBox(page, composer), 'the narrowed field to grow', (box) => box.height > wide.height && box.scrollHeight <= box.clientHeight + 1);
    await page.evaluateOn(cssQuery('note-composer'), (element) => (element.style.maxWidth = ''));
    await page.waitUntil(() => fieldBox(page, composer), 'the widened field to shrink', (box) => box.height === wide.height);
    await page.fill(composer, '');

    await openNote(page, 'Line 1');
    const body = roleQuery('textbox', 'Note text', openedNote);
    const fiveLines = await fieldBox(page, body);
    expect(fiveLines.scrollHeight).toBeLessThanOrEqual(fiveLines.clientHeight + 1);
    await page.fill(body, 'One');
    for (let line = 2; line <= 12; line++) await page.type(`\nLine ${line}`);
    await page.waitUntil(() => page.value(body), 'the twelfth line', (text) => text.endsWith('Line 12'));
    const twelveLines = await fieldBox(page, body);
    expect(twelveLines.height).toBeGreaterThan(fiveLines.height + 100);
    expect(twelveLines.scrollHeight).toBeLessThanOrEqual(twelveLines.clientHeight + 1);
    // And the dialog shows them whole: its scrolling part is as tall as the fields it holds
    // (with a flex basis of 0 it was a sliver in WebKit, the text scrolled out of sight).
    const sheet = await fieldBox(page, cssQuery('.scroll', openedNote));
    expect(sheet.height).toBeGreaterThan(twelveLines.height);
    expect(sheet.scrollHeight).toBeLessThanOrEqual(sheet.clientHeight + 1);
  });

  /**
   * The settings panel shows what this engine says of its storage. The app asked to keep it when
   * the first note was saved: Chromium answers at once (no, for a site barely used), Firefox asks
   * the person (headless, nobody answers), WebKitGTK has no Storage API to ask or report with.
   */
  async function expectStorageShown(page: EnginePage, engine: Engine['name']): Promise<void> {
    const hasStorageApi = await page.evaluate(() => typeof navigator.storage?.persisted === 'function');
    expect(hasStorageApi).toBe(engine !== 'webkit');
    const used = cssQuery('[data-testid="storage-used"]');
    const persistent = cssQuery('[data-testid="storage-persistent"]');
    await page.waitUntil(() => page.value(used), 'the storage report', (text) => text !== 'Checking…');
    if (!hasStorageApi) {
      expect(await page.value(used)).toBe('Not reported by this browser');
      expect(await page.value(persistent)).toBe('Not reported by this browser');
      return;
    }
    expect(await page.value(used)).toMatch(/^[\d.]+ (bytes|KB|MB) of [\d.]+ (MB|GB|TB) available$/);
    const kept = await page.evaluate(() => navigator.storage.persisted());
    expect(await page.value(persistent)).toMatch(kept ? /^Yes: / : /^No: the browser may clear notes under storage pressure\. Roaming Notes asked it to keep them;/);
  }

  it('exports its notes to a file and imports them on another device', async () => {
    const page = await freshApp();
    await addNote(page, 'Passport is in the drawer');
    await addNote(page, 'Spare key under the pot');
    await page.click(roleQuery('button', 'Settings'));
    await expectStorageShown(page, engineName);
    // The file the app hands to the browser's download (how each engine saves it is its own).
    await page.evaluate(() => {
      const saved: Promise<string>[] = [];
      (window as unknown as { savedFiles: Promise<string>[] }).savedFiles = saved;
      const click = HTMLAnchorElement.prototype.click;
      HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
        if (this.download) saved.push(fetch(this.href).then((response) => response.text()));
        return click.call(this);
      };
    });
    await page.click(roleQuery('button', 'Export notes'));
    const report = cssQuery('[data-testid="backup-report"]');
    await page.waitFor({ ...report, hasText: 'Exported 2 notes.' });
    const exported = await page.evaluate(() => Promise.all((window as unknown as { savedFiles: Promise<string>[] }).savedFiles));
    expect(exported).toHaveLength(1);
    expect((JSON.parse(exported[0]) as { notes: { text: string }[] }).notes.map((note) => note.text).sort()).toEqual([
      'Passport is in the drawer',
      'Spare key under the pot',
    ]);

    const other = await freshApp();
    await other.click(roleQuery('button', 'Settings'));
    // The file picker is the browser's own window: the chosen file is set on the input as a
    // picker would set it, and the app reads it from its change event.
    const fileInput = { css: 'input[type=file]', within: cssQuery('settings-panel'), hidden: true };
    await other.waitUntil(() => other.evaluateOn(fileInput, (input) => !(input as HTMLInputElement).disabled), 'the import to be ready');
    await other.evaluateOn(
      fileInput,
      (input, text) => {
        const files = new DataTransfer();
        files.items.add(new File([text], 'backup.json', { type: 'application/json' }));
        (input as HTMLInputElement).files = files.files;
        input.dispatchEvent(new Event('change', { bubbles: true }));
      },
      exported[0],
    );
    await other.waitUntil(() => other.value(report), 'the import report', (text) => text.startsWith('Imported backup.json: 2 added, 0 updated, 0 already here.'));
    await other.click(roleQuery('button', 'Close'));
    await other.waitFor(card('Passport is in the drawer'));
    await other.waitFor(card('Spare key under the pot'));
  });
});
