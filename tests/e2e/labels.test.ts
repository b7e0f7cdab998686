/**
 * Labels as a person uses them, in real Chromium with real IndexedDB: made, renamed, recolored and
 * deleted in "Edit labels"; put on a note from the opened note's picker (and made there); shown as
 * chips on the card; the board filtered by one from the side drawer, searched within, and a note
 * added there carrying it; the limits said in words; everything kept over a reload.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readStores, useChromium, useFreshDevice, waitForApp } from './harness.js';
import { openNote, waitForClosed } from './opened-note.js';
import { addNote, card } from './people.js';

const fresh = useFreshDevice(useChromium());
let page: Page;

interface StoredLabel {
  id: string;
  name: string;
  color: string;
  deleted: boolean;
}

async function stored(): Promise<{ labels: StoredLabel[]; notes: { text: string; labels?: string[] }[] }> {
  const { records } = await readStores(page, 'roaming-notes-guest', ['labels', 'notes']);
  return { labels: records.labels as StoredLabel[], notes: records.notes as { text: string; labels?: string[] }[] };
}

/** The names of the labels a note carries, as stored (ids looked up among live labels). */
async function storedLabelsOf(text: string): Promise<string[]> {
  const { labels, notes } = await stored();
  const note = notes.find((each) => each.text === text);
  return (note?.labels ?? []).map((id) => labels.find((label) => label.id === id && !label.deleted)?.name ?? `(unknown ${id})`).sort();
}

const drawer = () => page.locator('labels-drawer dialog[open]');
const manager = () => page.locator('labels-manager dialog[open]');
const picker = () => page.locator('note-labels dialog[open]');
const heading = () => page.locator('notes-app').getByRole('heading', { level: 2 }).first();
const chips = (text: string) => card(page, text).first().locator('.labels li');

async function openDrawer(): Promise<Locator> {
  await page.locator('app-header').getByRole('button', { name: 'Labels' }).click();
  await drawer().waitFor();
  return drawer();
}

async function openManager(): Promise<Locator> {
  const panel = await openDrawer();
  await panel.getByRole('button', { name: /^(Edit labels|Create a label)$/ }).click();
  await manager().waitFor();
  return manager();
}

async function closeManager(): Promise<void> {
  await manager().getByRole('button', { name: 'Done' }).click();
  await manager().waitFor({ state: 'detached' });
}

/** Makes a label from the manager's field with Enter and waits for its row. */
async function createInManager(name: string): Promise<void> {
  await manager().getByRole('textbox', { name: 'New label' }).fill(name);
  await manager().getByRole('textbox', { name: 'New label' }).press('Enter');
  await manager().getByRole('textbox', { name: `Name of the label ${name}`, exact: true }).waitFor();
}

/** Shows the board filtered by `name`, from the drawer. */
async function filterBy(name: string): Promise<void> {
  const panel = await openDrawer();
  await panel.getByRole('button', { name, exact: true }).click();
  await drawer().waitFor({ state: 'detached' });
  await expect.poll(() => heading().textContent()).toBe(name);
}

describe('labels', () => {
  it('are made in the manager and the picker, shown on cards, filter the board, and survive a reload', async () => {
    page = (await fresh.openApp()).page;
    for (const text of ['Groceries for the week', 'Trip to the coast', 'Call the plumber']) await addNote(page, text);

    // No labels yet: the manager says so, and makes two (Enter, then the Add button).
    await openManager();
    await manager().getByText('No labels yet.', { exact: false }).waitFor();
    await createInManager('Errands');
    await manager().getByRole('textbox', { name: 'New label' }).fill('Travel');
    await manager().getByRole('button', { name: 'Add' }).click();
    await manager().getByRole('textbox', { name: 'Name of the label Travel', exact: true }).waitFor();
    // A color, from the swatches, named for screen readers.
    await manager().getByRole('button', { name: 'Color of Travel: No color' }).click();
    await manager().getByRole('radio', { name: 'Blue' }).check();
    await expect.poll(async () => (await stored()).labels.find((label) => label.name === 'Travel')?.color).toBe('blue');
    await closeManager();

    // The picker puts a label on the note, and makes one that does not exist yet.
    let dialog = await openNote(page, 'Groceries for the week');
    await dialog.getByRole('button', { name: 'Labels' }).click();
    await picker().getByRole('checkbox', { name: 'Errands' }).check();
    await expect.poll(() => storedLabelsOf('Groceries for the week')).toEqual(['Errands']);
    await picker().getByRole('textbox', { name: 'Label name' }).fill('Food');
    await picker().getByRole('button', { name: 'Create “Food”' }).click();
    await expect.poll(() => storedLabelsOf('Groceries for the week')).toEqual(['Errands', 'Food']);
    await picker().getByRole('button', { name: 'Done' }).click();
    await dialog.getByRole('list', { name: 'Labels' }).getByText('Food').waitFor();
    // A chip's × takes the label off.
    await dialog.getByRole('button', { name: 'Remove label Food' }).click();
    await expect.poll(() => storedLabelsOf('Groceries for the week')).toEqual(['Errands']);
    await page.keyboard.press('Escape');
    await waitForClosed(page);
    dialog = await openNote(page, 'Trip to the coast');
    await dialog.getByRole('button', { name: 'Labels' }).click();
    await picker().getByRole('checkbox', { name: 'Travel' }).check();
    // Esc closes the picker alone; the next one closes the note.
    await page.keyboard.press('Escape');
    await picker().waitFor({ state: 'detached' });
    expect(await dialog.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await waitForClosed(page);
    await expect.poll(() => chips('Groceries for the week').allTextContents()).toEqual(['Errands']);
    await expect.poll(() => chips('Trip to the coast').allTextContents()).toEqual(['Travel']);
    expect(await chips('Call the plumber').count()).toBe(0);

    // Filtered by Errands: only its notes; search looks within them; a note added here carries it.
    await filterBy('Errands');
    await card(page, 'Groceries for the week').waitFor();
    expect(await card(page, 'Trip to the coast').count()).toBe(0);
    expect(await card(page, 'Call the plumber').count()).toBe(0);
    await page.keyboard.press('/');
    await page.getByRole('searchbox', { name: 'Search notes' }).fill('coast');
    await page.getByText('No notes match “coast”.').waitFor();
    await page.getByRole('searchbox', { name: 'Search notes' }).fill('groceries');
    await card(page, 'Groceries for the week').waitFor();
    await page.getByRole('searchbox', { name: 'Search notes' }).fill('');
    await page.keyboard.press('Escape');
    await addNote(page, 'Buy stamps');
    await expect.poll(() => storedLabelsOf('Buy stamps')).toEqual(['Errands']);
    await expect.poll(() => chips('Buy stamps').allTextContents()).toEqual(['Errands']);

    // The filter lasts the session: a reload keeps it, and "All notes" goes back.
    await page.reload();
    await waitForApp(page);
    await expect.poll(() => heading().textContent()).toBe('Errands');
    await card(page, 'Buy stamps').waitFor();
    expect(await card(page, 'Call the plumber').count()).toBe(0);
    await page.getByRole('button', { name: 'All notes' }).click();
    await expect.poll(() => heading().textContent()).toBe('Notes');
    await card(page, 'Call the plumber').waitFor();

    // Renamed in the manager (Enter saves): the chips and the drawer follow.
    await openManager();
    const errands = manager().getByRole('textbox', { name: 'Name of the label Errands', exact: true });
    await errands.fill('Chores');
    await errands.press('Enter');
    await manager().getByRole('textbox', { name: 'Name of the label Chores', exact: true }).waitFor();
    await closeManager();
    await expect.poll(() => chips('Groceries for the week').allTextContents()).toEqual(['Chores']);
    const names = await (await openDrawer()).getByRole('list', { name: 'Labels' }).getByRole('button').allTextContents();
    expect(names.map((name) => name.trim())).toEqual(['Chores', 'Food', 'Travel', 'Edit labels']);
    await page.keyboard.press('Escape');
    await drawer().waitFor({ state: 'detached' });

    // Deleted, after a question saying how many notes carry it: off the notes and the drawer; the notes stay.
    await openManager();
    await manager().getByRole('button', { name: 'Delete the label Travel' }).click();
    const question = page.locator('confirm-dialog dialog[open]');
    await question.getByText('Delete the label “Travel”? One note carries it; the note stays, without this label.').waitFor();
    await question.getByRole('button', { name: 'Delete label' }).click();
    await manager().getByRole('textbox', { name: 'Name of the label Travel', exact: true }).waitFor({ state: 'detached' });
    await page.locator('app-snackbar').getByText('Label “Travel” deleted').waitFor();
    await closeManager();
    await expect.poll(() => chips('Trip to the coast').count()).toBe(0);
    expect(await storedLabelsOf('Trip to the coast')).toEqual([]);
    const left = await (await openDrawer()).getByRole('list', { name: 'Labels' }).getByRole('button').allTextContents();
    expect(left.map((name) => name.trim())).toEqual(['Chores', 'Food', 'Edit labels']);
    await page.keyboard.press('Escape');

    // A reload keeps the labels, the notes' chips and the notes.
    await page.reload();
    await waitForApp(page);
    await expect.poll(() => chips('Groceries for the week').allTextContents()).toEqual(['Chores']);
    await expect.poll(() => chips('Buy stamps').allTextContents()).toEqual(['Chores']);
    await card(page, 'Trip to the coast').waitFor();
    expect((await stored()).labels.filter((label) => !label.deleted).map((label) => label.name).sort()).toEqual(['Chores', 'Food']);
  });

  it('says why a name or a 21st label cannot be saved, keeping what was typed, and leaves a deleted label shown', async () => {
    page = (await fresh.openApp()).page;
    await addNote(page, 'Everything at once');
    await openManager();
    for (let i = 1; i <= 21; i++) await createInManager(`Tag ${String(i).padStart(2, '0')}`);
    // A name taken (any case) and one too long: the reason under the field, the text still in it.
    const field = manager().getByRole('textbox', { name: 'New label' });
    await field.fill('tag 01');
    await field.press('Enter');
    await manager().getByText('There is already a label called “Tag 01”.').waitFor();
    expect(await field.inputValue()).toBe('tag 01');
    await field.fill('x'.repeat(51));
    await field.press('Enter');
    await manager().getByText('A label name has at most 50 characters; this one has 51.').waitFor();
    expect(await field.inputValue()).toBe('x'.repeat(51));
    // Renaming to a taken name: refused in words, the typed name kept in its field.
    const rename = manager().getByRole('textbox', { name: 'Name of the label Tag 02', exact: true });
    await rename.fill('Tag 03');
    await rename.press('Enter');
    await manager().getByText('There is already a label called “Tag 03”.').waitFor();
    expect(await rename.inputValue()).toBe('Tag 03');
    await closeManager();

    // Twenty labels fit on a note; the 21st is refused in words.
    const dialog = await openNote(page, 'Everything at once');
    await dialog.getByRole('button', { name: 'Labels' }).click();
    for (let i = 1; i <= 20; i++) {
      await picker().getByRole('checkbox', { name: `Tag ${String(i).padStart(2, '0')}` }).check();
    }
    await expect.poll(async () => (await storedLabelsOf('Everything at once')).length).toBe(20);
    await picker().getByRole('checkbox', { name: 'Tag 21' }).click();
    await picker().getByText('A note carries at most 20 labels. Take one off to add another.').waitFor();
    expect(await picker().getByRole('checkbox', { name: 'Tag 21' }).isChecked()).toBe(false);
    expect((await storedLabelsOf('Everything at once')).length).toBe(20);
    await picker().getByRole('button', { name: 'Done' }).click();
    await page.keyboard.press('Escape');
    await waitForClosed(page);
    // The card shows as many chips as its width has room for, and how many more: two on a narrow
    // card (several columns), three on a wide one (one column on a small phone).
    const shownChips = () => card(page, 'Everything at once').first().locator('.labels li:visible').allTextContents();
    const viewport = page.viewportSize()!;
    expect(await card(page, 'Everything at once').first().evaluate((c) => c.getBoundingClientRect().width)).toBeLessThan(220);
    await expect.poll(shownChips).toEqual(['Tag 01', 'Tag 02', '+18']);
    await page.setViewportSize({ width: 320, height: 640 });
    await expect.poll(() => card(page, 'Everything at once').first().evaluate((c) => c.getBoundingClientRect().width)).toBeGreaterThanOrEqual(220);
    await expect.poll(shownChips).toEqual(['Tag 01', 'Tag 02', 'Tag 03', '+17']);
    await page.setViewportSize(viewport);

    // The label shown is deleted: the board shows every note again.
    await filterBy('Tag 21');
    await page.getByText('No notes with this label yet.').waitFor();
    await openManager();
    await manager().getByRole('button', { name: 'Delete the label Tag 21' }).click();
    await page.locator('confirm-dialog dialog[open]').getByText('No note carries it.', { exact: false }).waitFor();
    await page.locator('confirm-dialog dialog[open]').getByRole('button', { name: 'Delete label' }).click();
    await closeManager();
    await expect.poll(() => heading().textContent()).toBe('Notes');
    await card(page, 'Everything at once').waitFor();
  });
});
