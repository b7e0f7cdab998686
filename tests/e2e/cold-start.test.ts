/**
 * A cold start paints the notes read before the shell ran (src/platform/start-reads.ts), before
 * Dexie has opened: the first frame that shows any card must show exactly what the board then
 * settles on (the same notes in the same order, each with its label chips), never a state the
 * store takes back a moment later.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useChromium, useFreshDevice, waitForApp } from './harness.js';
import { openNote, waitForClosed } from './opened-note.js';
import { addNote, card } from './people.js';

const fresh = useFreshDevice(useChromium());

interface CardShown {
  text: string;
  chips: string[];
}

/** Records, in the page, the cards of the first frame that paints any (their text and chips). */
const FIRST_CARDS_PROBE = () => {
  const w = window as unknown as { firstCards?: CardShown[] };
  const check = () => {
    const board = document.querySelector('notes-app')?.shadowRoot?.querySelector('note-board');
    const cells = [...(board?.shadowRoot?.querySelectorAll<HTMLElement>('.cell') ?? [])].sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
    const cards = cells.map((cell) => cell.querySelector('note-card')?.shadowRoot).filter((root) => root?.querySelector('.preview'));
    if (cards.length > 0) {
      w.firstCards = cards.map((root) => ({
        text: root!.querySelector('.preview')!.textContent!.trim(),
        chips: [...root!.querySelectorAll('.labels li')].filter((chip) => getComputedStyle(chip).display !== 'none').map((chip) => chip.textContent!.trim()),
      }));
    } else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
};

async function cardsNow(page: Page): Promise<CardShown[]> {
  return page.evaluate(() => {
    const board = document.querySelector('notes-app')!.shadowRoot!.querySelector('note-board')!;
    const cells = [...board.shadowRoot!.querySelectorAll<HTMLElement>('.cell')].sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
    return cells.map((cell) => {
      const root = cell.querySelector('note-card')!.shadowRoot!;
      return {
        text: root.querySelector('.preview')!.textContent!.trim(),
        chips: [...root.querySelectorAll('.labels li')].filter((chip) => getComputedStyle(chip).display !== 'none').map((chip) => chip.textContent!.trim()),
      };
    });
  });
}

async function labelNote(page: Page, text: string, label: string): Promise<void> {
  const dialog = await openNote(page, text);
  await dialog.getByRole('button', { name: 'Labels' }).click();
  const picker = page.locator('note-labels dialog[open]');
  await picker.getByRole('textbox', { name: 'Label name' }).fill(label);
  await picker.getByRole('button', { name: `Create “${label}”` }).click();
  await picker.getByRole('button', { name: 'Done' }).click();
  await page.keyboard.press('Escape');
  await waitForClosed(page);
}

describe('a cold start', () => {
  it('paints in its first frame the notes, their order and their labels the board settles on', async () => {
    const { page, context } = await fresh.openApp();
    for (const text of ['Oldest note', 'Groceries for the week', 'Trip to the coast', 'Newest note']) await addNote(page, text);
    await labelNote(page, 'Groceries for the week', 'Errands');
    await labelNote(page, 'Trip to the coast', 'Travel');
    await expect.poll(() => card(page, 'Trip to the coast').first().locator('.labels li').allTextContents()).toEqual(['Travel']);

    await context.addInitScript(FIRST_CARDS_PROBE);
    await page.reload();
    await waitForApp(page);
    const first = await page.waitForFunction(() => (window as unknown as { firstCards?: CardShown[] }).firstCards).then((handle) => handle.jsonValue() as Promise<CardShown[]>);
    expect(first.map((shown) => shown.text)).toEqual(['Newest note', 'Trip to the coast', 'Groceries for the week', 'Oldest note']);
    expect(first).toEqual([
      { text: 'Newest note', chips: [] },
      { text: 'Trip to the coast', chips: ['Travel'] },
      { text: 'Groceries for the week', chips: ['Errands'] },
      { text: 'Oldest note', chips: [] },
    ]);
    // A note added now shows through the board's own live query (Dexie open, its window read):
    // beside it, the board holds exactly what the first frame showed.
    await addNote(page, 'After the start');
    await expect.poll(() => cardsNow(page)).toEqual([{ text: 'After the start', chips: [] }, ...first]);
  });
});

/**
 * Records, in the page, the first frame whose board says something when empty: its words, and
 * which IndexedDB databases existed then (asked in that frame, before the app's next request).
 */
const FIRST_EMPTY_TEXT_PROBE = () => {
  const w = window as unknown as { firstEmptyText?: { text: string; databases: string[] } };
  const check = () => {
    const text = document.querySelector('notes-app')?.shadowRoot?.querySelector('p.empty')?.textContent?.trim();
    if (text) {
      void indexedDB.databases().then((databases) => (w.firstEmptyText = { text, databases: databases.map((database) => database.name!) }));
    } else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
};

describe('a first visit', () => {
  it('says there are no notes yet before the notes database is made, as the board then settles', async () => {
    const { page, context } = await fresh.newDevice();
    await context.addInitScript(FIRST_EMPTY_TEXT_PROBE);
    await page.goto('/');
    const first = await page
      .waitForFunction(() => (window as unknown as { firstEmptyText?: { text: string; databases: string[] } }).firstEmptyText)
      .then((handle) => handle.jsonValue() as Promise<{ text: string; databases: string[] }>);
    expect(first).toEqual({ text: 'No notes yet. Type one above, or press n.', databases: [] });
    // Then the database is made and the board's own query answers: the same words, still no cards.
    await expect.poll(() => page.evaluate(async () => (await indexedDB.databases()).map((database) => database.name))).toContain('roaming-notes-guest');
    expect(await page.evaluate(() => document.querySelector('notes-app')!.shadowRoot!.querySelector('p.empty')?.textContent?.trim())).toBe(first.text);
    await addNote(page, 'The first note');
    await expect.poll(() => cardsNow(page)).toEqual([{ text: 'The first note', chips: [] }]);
  });
});

describe('the board width a start remembers', () => {
  /** Where each card sits on the board (its cell's left and top edges, in CSS pixels). */
  const cellPlaces = (page: Page) =>
    page.evaluate(() => {
      const board = document.querySelector('notes-app')!.shadowRoot!.querySelector('note-board')!;
      return [...board.shadowRoot!.querySelectorAll<HTMLElement>('.cell')]
        .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
        .map((cell) => {
          const rect = cell.getBoundingClientRect();
          return [Math.round(rect.left), Math.round(rect.top + window.scrollY)];
        });
    });
  /** Records, in the page, where the cards sit in the first frame that paints any (read just after that frame). */
  const FIRST_PLACES_PROBE = () => {
    const w = window as unknown as { firstPlaces?: number[][] };
    const check = () => {
      const board = document.querySelector('notes-app')?.shadowRoot?.querySelector('note-board');
      const cells = [...(board?.shadowRoot?.querySelectorAll<HTMLElement>('.cell') ?? [])];
      if (cells.length === 0) return requestAnimationFrame(check);
      // A message posted in the frame's animation callbacks is handled right after that frame is painted.
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        w.firstPlaces = cells
          .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
          .map((cell) => {
            const rect = cell.getBoundingClientRect();
            return [Math.round(rect.left), Math.round(rect.top + window.scrollY)];
          });
      };
      channel.port2.postMessage(0);
    };
    requestAnimationFrame(check);
  };
  const remembered = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem('roaming-notes.board-width') ?? 'null') as { window: number; board: number } | null);

  it('is written with the window width, and a wrong one (same window, another board) is corrected at the start', async () => {
    const { page, context } = await fresh.openApp();
    for (const text of ['First', 'Second', 'Third', 'Fourth', 'Fifth']) await addNote(page, text);
    const settled = await cellPlaces(page);
    // Five cards side by side or in rows: at 1280 px there are several columns.
    expect(new Set(settled.map(([left]) => left)).size).toBeGreaterThan(1);
    const width = await remembered(page);
    expect(width).toMatchObject({ window: await page.evaluate(() => window.innerWidth) });
    expect(width!.board).toBeGreaterThan(300);

    // A board that was narrower last time in a window as wide as this one (a drawer open, say).
    await page.evaluate(() => {
      const saved = JSON.parse(localStorage.getItem('roaming-notes.board-width')!) as { window: number; board: number };
      localStorage.setItem('roaming-notes.board-width', JSON.stringify({ ...saved, board: 250 }));
    });
    await context.addInitScript(FIRST_PLACES_PROBE);
    await page.reload();
    await waitForApp(page);
    // The first frame that paints cards already places them where the board settles.
    const first = await page.waitForFunction(() => (window as unknown as { firstPlaces?: number[][] }).firstPlaces).then((handle) => handle.jsonValue());
    expect(first).toEqual(settled);
    expect(await cellPlaces(page)).toEqual(settled);
    expect(await remembered(page)).toEqual(width);
  });
});
