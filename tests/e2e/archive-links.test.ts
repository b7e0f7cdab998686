/**
 * The archive and links in note text, as a person uses them, in real Chromium with real IndexedDB:
 * archive from a card's menu, the opened note and the selection bar, with Undo (snackbar and
 * Ctrl+Z); the Archive view and unarchive; search finding archived notes; trash and restore of an
 * archived note; and http(s)/mailto links that open a new tab without opening the note, while
 * hostile addresses (javascript:, data:) stay plain text.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openApp, useChromium, useFreshDevice, type Device } from './harness.js';
import { chooseFromMenu, openNote, openedNote, waitForClosed } from './opened-note.js';
import { addNote, card } from './people.js';

const fresh = useFreshDevice(useChromium());
let device: Device;
let page: Page;

async function freshApp(): Promise<void> {
  device = await fresh.openApp();
  page = device.page;
}

const gone = (text: string) => expect.poll(() => card(page, text).count()).toBe(0);
const snackbar = () => page.locator('app-snackbar .bar');
const showView = (name: 'Notes' | 'Archive') => page.getByRole('button', { name, exact: true }).click();
const heading = (name: string) => page.getByRole('heading', { name, exact: true }).waitFor();
const search = () => page.getByRole('searchbox', { name: 'Search notes' });

/** The stored archived flag of the card showing `text`. */
const archivedFlag = (text: string) => card(page, text).evaluate((element) => (element as unknown as { note: { archived?: boolean } }).note.archived);

describe('archive', () => {
  it('archives from the menu, shows the note in the Archive view, unarchives it back onto the board', async () => {
    await freshApp();
    await addNote(page, 'Keep for later');
    await addNote(page, 'Stays on the board');

    await chooseFromMenu(page, 'Keep for later', 'Archive');
    await gone('Keep for later');
    await snackbar().filter({ hasText: 'Note archived' }).waitFor();
    await card(page, 'Stays on the board').waitFor();

    await showView('Archive');
    await heading('Archive');
    await card(page, 'Keep for later').waitFor();
    expect(await archivedFlag('Keep for later')).toBe(true);
    await gone('Stays on the board');
    // The archive's cards keep their done tick: a to-do can be ticked off where it is.
    await card(page, 'Keep for later').getByRole('checkbox', { name: 'Done' }).check();
    await expect.poll(() => card(page, 'Keep for later').locator('article').getAttribute('class')).toContain('done');

    await chooseFromMenu(page, 'Keep for later', 'Unarchive');
    await gone('Keep for later');
    await page.getByText('No archived notes.', { exact: false }).waitFor();
    await showView('Notes');
    await card(page, 'Keep for later').waitFor();
    expect(await archivedFlag('Keep for later')).toBe(false);
  });

  it.each([
    ['the snackbar', (p: Page) => p.locator('app-snackbar').getByRole('button', { name: 'Undo' }).click()],
    [
      'Ctrl+Z',
      async (p: Page) => {
        await snackbar().waitFor();
        await p.keyboard.press('Control+z');
      },
    ],
  ])('undoes an archive and an unarchive by %s', async (_how, undo) => {
    await freshApp();
    await addNote(page, 'Undo me');
    await chooseFromMenu(page, 'Undo me', 'Archive');
    await gone('Undo me');
    await undo(page);
    await card(page, 'Undo me').waitFor();
    await expect.poll(() => snackbar().count()).toBe(0);

    await chooseFromMenu(page, 'Undo me', 'Archive');
    await gone('Undo me');
    await showView('Archive');
    await chooseFromMenu(page, 'Undo me', 'Unarchive');
    await gone('Undo me');
    await undo(page);
    await card(page, 'Undo me').waitFor();
  });

  it('archives from the opened note, saving what was typed first', async () => {
    await freshApp();
    await addNote(page, 'Opened then archived');
    const dialog = await openNote(page, 'Opened then archived');
    await dialog.getByRole('textbox', { name: 'Note text' }).fill('typed just before archiving');
    await dialog.getByRole('button', { name: 'Archive', exact: true }).click();
    await waitForClosed(page);
    await gone('Opened then archived');
    await showView('Archive');
    await card(page, 'typed just before archiving').waitFor();

    // From the archive, the opened note offers Unarchive.
    const again = await openNote(page, 'Opened then archived');
    await again.getByRole('button', { name: 'Unarchive', exact: true }).click();
    await waitForClosed(page);
    await gone('Opened then archived');
    await showView('Notes');
    await card(page, 'Opened then archived').waitFor();
  });

  it('archives several notes from the selection bar, as one undoable step', async () => {
    await freshApp();
    // Names no card's other text contains (card() matches any part of a card, "Done" included).
    for (const text of ['Apples', 'Pears', 'Plums']) await addNote(page, text);
    for (const text of ['Apples', 'Plums']) await card(page, text).locator('.preview').click({ modifiers: ['Control'] });
    const bar = page.getByRole('toolbar', { name: 'Selected notes' });
    await bar.getByText('2 selected').waitFor();
    await bar.getByRole('button', { name: 'Archive', exact: true }).click();
    await gone('Apples');
    await gone('Plums');
    await snackbar().filter({ hasText: '2 notes archived' }).waitFor();
    await card(page, 'Pears').waitFor();

    await showView('Archive');
    for (const text of ['Apples', 'Plums']) await card(page, text).locator('.preview').click({ modifiers: ['Control'] });
    await bar.getByText('2 selected').waitFor();
    await bar.getByRole('button', { name: 'Unarchive', exact: true }).click();
    await gone('Apples');
    await gone('Plums');
    await snackbar().filter({ hasText: '2 notes unarchived' }).waitFor();
    await page.locator('app-snackbar').getByRole('button', { name: 'Undo' }).click();
    await card(page, 'Apples').waitFor();
    await card(page, 'Plums').waitFor();
  });

  it('search on the board finds archived notes, after the board’s, marked "Archived"', async () => {
    await freshApp();
    await addNote(page, 'Milk on the board');
    await addNote(page, 'Milk in the archive');
    await addNote(page, 'Bread');
    await chooseFromMenu(page, 'Milk in the archive', 'Archive');
    await gone('Milk in the archive');

    await search().fill('milk');
    await card(page, 'Milk in the archive').waitFor();
    await gone('Bread');
    const shown = await page.locator('note-board note-card').evaluateAll((cards) => cards.map((c) => (c as unknown as { note: { text: string } }).note.text));
    expect(shown).toEqual(['Milk on the board', 'Milk in the archive']);
    await card(page, 'Milk in the archive').getByText('Archived', { exact: true }).waitFor();
    expect(await card(page, 'Milk on the board').getByText('Archived', { exact: true }).count()).toBe(0);
    expect(await card(page, 'Milk in the archive').locator('article').getAttribute('aria-label')).toBe('Note, archived: Milk in the archive');

    // Opened from the results it stays open (it is archived, not gone), and can be unarchived there.
    const dialog = await openNote(page, 'Milk in the archive');
    await dialog.getByRole('button', { name: 'Unarchive', exact: true }).click();
    await waitForClosed(page);
    await expect.poll(() => card(page, 'Milk in the archive').getByText('Archived', { exact: true }).count()).toBe(0);

    // In the Archive view, search filters the archive.
    await chooseFromMenu(page, 'Milk in the archive', 'Archive');
    await search().fill('');
    await showView('Archive');
    await search().fill('bread');
    await page.getByText('No notes match “bread”.').waitFor();
    await search().fill('milk');
    await card(page, 'Milk in the archive').waitFor();
  });

  it('an archived note trashed goes to the trash, and restored goes back to the archive', async () => {
    await freshApp();
    await addNote(page, 'Archived then trashed');
    await chooseFromMenu(page, 'Archived then trashed', 'Archive');
    await showView('Archive');
    await chooseFromMenu(page, 'Archived then trashed', 'Move to trash');
    await gone('Archived then trashed');
    await page.getByRole('button', { name: 'Trash (1)' }).click();
    await chooseFromMenu(page, 'Archived then trashed', 'Restore');
    await snackbar().filter({ hasText: 'Note restored to the archive' }).waitFor();
    await gone('Archived then trashed');
    await showView('Notes');
    await page.getByText('No notes yet.', { exact: false }).waitFor();
    await showView('Archive');
    await card(page, 'Archived then trashed').waitFor();

    // Delete on a card of the archive trashes it too, with Undo.
    await card(page, 'Archived then trashed').locator('article').focus();
    await page.keyboard.press('Delete');
    await gone('Archived then trashed');
    await page.locator('app-snackbar').getByRole('button', { name: 'Undo' }).click();
    await card(page, 'Archived then trashed').waitFor();
  });

  it('keeps archived notes through a reload', async () => {
    await freshApp();
    await addNote(page, 'Still archived after a reload');
    await chooseFromMenu(page, 'Still archived after a reload', 'Archive');
    await gone('Still archived after a reload');
    await page.reload();
    await openApp(page);
    await page.getByText('No notes yet.', { exact: false }).waitFor();
    await showView('Archive');
    await card(page, 'Still archived after a reload').waitFor();
  });
});

describe('links in note text', () => {
  const TEXT = [
    'Links: https://example.com/a?b=1&c=(2).',
    'Write to mailto:ana@example.com, or not.',
    'Hostile: javascript:alert(document.domain) data:text/html,<script>alert(1)</script> JAVASCRIPT://x vbscript:msgbox',
    'Tricky: https://example.com/"onmouseover="alert(1) and http:// and xhttps://nope.example',
  ].join('\n');

  it('makes http(s) and mailto addresses links that open a new tab, and leaves everything else as text', async () => {
    await freshApp();
    // Links open in a new tab: those tabs get a page of their own, never the network.
    await device.context.route('https://example.com/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Example</title>' }));
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    // Typed into the quick-add field as a person would (addNote waits for the text in one piece,
    // and a card shows the title line and the body as two elements).
    const field = page.getByRole('textbox', { name: 'New note' });
    await field.fill(TEXT);
    await field.press('Enter');
    const preview = card(page, 'Hostile').locator('.preview');
    await preview.waitFor();
    const links = preview.locator('a');
    await expect.poll(() => links.count()).toBe(3);
    const attributes = await links.evaluateAll((anchors) =>
      anchors.map((a) => ({ text: a.textContent, href: a.getAttribute('href'), target: a.getAttribute('target'), rel: a.getAttribute('rel') })),
    );
    expect(attributes).toEqual([
      { text: 'https://example.com/a?b=1&c=(2)', href: 'https://example.com/a?b=1&c=(2)', target: '_blank', rel: 'noopener noreferrer' },
      { text: 'mailto:ana@example.com', href: 'mailto:ana@example.com', target: '_blank', rel: 'noopener noreferrer' },
      { text: 'https://example.com/', href: 'https://example.com/', target: '_blank', rel: 'noopener noreferrer' },
    ]);
    // Nothing else became markup: the preview's text is the note's text, and it holds no other element.
    expect(await preview.evaluate((element) => [...element.querySelectorAll('*')].map((e) => e.tagName).filter((tag) => tag !== 'A' && tag !== 'STRONG' && tag !== 'SPAN'))).toEqual([]);
    // The title line and the body are two elements: the text is theirs joined without the newline.
    expect(await preview.evaluate((element) => element.textContent)).toBe(TEXT.replace('\n', ''));
    expect(dialogs).toEqual([]);

    // A click on a link opens it in a new tab, without an opener, and leaves the note closed.
    const [popup] = await Promise.all([device.context.waitForEvent('page'), links.first().click()]);
    await popup.waitForLoadState();
    expect(popup.url()).toBe('https://example.com/a?b=1&c=(2)');
    expect(await popup.evaluate(() => window.opener)).toBeNull();
    await popup.close();
    expect(await openedNote(page).count()).toBe(0);
    expect(await page.locator('note-editor').count()).toBe(0);

    // A click beside the links still opens the note.
    await preview.locator('strong').click({ position: { x: 2, y: 2 } });
    await openedNote(page).waitFor();
  });

  it('a link past the end of the card’s excerpt is scrolled into view when it gets keyboard focus', async () => {
    await freshApp();
    const text = ['A long list', ...Array.from({ length: 12 }, (_, i) => `line ${i + 1}`), 'https://example.com/at-the-end'].join('\n');
    const field = page.getByRole('textbox', { name: 'New note' });
    await field.fill(text);
    await field.press('Enter');
    const preview = card(page, 'A long list').locator('.preview');
    const link = preview.locator('a');
    await link.waitFor({ state: 'attached' });
    const inside = () =>
      link.evaluate((anchor) => {
        const box = anchor.getBoundingClientRect();
        const outer = anchor.closest('.preview')!.getBoundingClientRect();
        return box.top >= outer.top && box.bottom <= outer.bottom;
      });
    expect(await inside()).toBe(false);
    await card(page, 'A long list').locator('article').focus();
    await page.keyboard.press('Tab');
    expect(await link.evaluate((anchor) => anchor.matches(':focus'))).toBe(true);
    expect(await inside()).toBe(true);
  });

  it('a Ctrl-click on a link follows it instead of selecting the card', async () => {
    await freshApp();
    await device.context.route('https://example.com/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Example</title>' }));
    await addNote(page, 'Other note');
    await addNote(page, 'See https://example.com/ctrl');
    await card(page, 'Other note').locator('.preview').click({ modifiers: ['Control'] });
    await page.getByRole('toolbar', { name: 'Selected notes' }).getByText('1 selected').waitFor();
    const [popup] = await Promise.all([device.context.waitForEvent('page'), card(page, 'See https').locator('a').click({ modifiers: ['Control'] })]);
    await popup.close();
    await page.getByRole('toolbar', { name: 'Selected notes' }).getByText('1 selected').waitFor();
  });
});
