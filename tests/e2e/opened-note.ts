/**
 * The opened note (note-editor) and a card's "More actions" menu, as a person uses them in
 * browser tests: open a note from its card, type into it, close it, pick a menu entry.
 */
import type { Locator, Page } from 'playwright-core';
import { card } from './people.js';

/** The dialog of the opened note, while one is open. */
export function openedNote(page: Page): Locator {
  return page.locator('note-editor dialog[open]');
}

/** Clicks a card's preview (its text) and waits for the note to open. */
export async function openNote(page: Page, text: string): Promise<Locator> {
  await card(page, text).first().locator('.preview').click();
  const dialog = openedNote(page);
  await dialog.waitFor();
  return dialog;
}

/** Waits until no note is open any more (the shell removes the element once it closed). */
export async function waitForClosed(page: Page): Promise<void> {
  await page.locator('note-editor').waitFor({ state: 'detached' });
}

/** Types `text` into the opened note (its first line as the title line, the rest as the body). */
export async function typeInto(dialog: Locator, text: string): Promise<void> {
  const newline = text.indexOf('\n');
  await dialog.getByRole('textbox', { name: 'Title' }).fill(newline < 0 ? text : text.slice(0, newline));
  await dialog.getByRole('textbox', { name: 'Note text' }).fill(newline < 0 ? '' : text.slice(newline + 1));
}

/** Opens the note that shows `text`, replaces its text, and closes it with Esc. */
export async function editNote(page: Page, text: string, newText: string): Promise<void> {
  const dialog = await openNote(page, text);
  await typeInto(dialog, newText);
  await page.keyboard.press('Escape');
  await waitForClosed(page);
  await card(page, newText).first().waitFor();
}

const COLOR_NAMES = ['Yellow', 'Green', 'Pink', 'Purple', 'Blue', 'Gray'];

/** Chooses an entry (a menu item, or a color by name) from a card's "More actions" menu. */
export async function chooseFromMenu(page: Page, text: string, entry: string): Promise<void> {
  const target = card(page, text).first();
  await target.getByRole('button', { name: 'More actions' }).click();
  const menu = target.getByRole('menu');
  await menu.waitFor();
  const role = COLOR_NAMES.includes(entry) ? 'menuitemradio' : 'menuitem';
  await menu.getByRole(role, { name: entry, exact: true }).click();
}
