/**
 * 10. Keystroke in an opened note to painted. A person types into the text of an opened note on a
 * board of 10,000 notes; the time runs from the keystroke (the text inserted and its input event
 * dispatched, as the browser does for a key) to the end of the first frame that paints it, with
 * everything the note does on each keystroke (its field growing with the text, the save scheduled)
 * inside the figure. Baseline: the same on a board of 100 notes, in a second context of the same
 * browser, alternating in blocks; beside them, the paint floor (a click changing one text node).
 */
import type { Page } from 'playwright-core';
import { compareBoards, paintedResult, type Painted } from '../lib/app-pages.js';
import type { BenchContext } from '../lib/context.js';
import type { BenchResult } from '../lib/results.js';


/** Opens a visible note, types `keys` characters into its text one after another, closes it; each keystroke's milliseconds. */
function typeInPage(page: Page, keys: number, offset: number): Promise<Painted[]> {
  return page.evaluate(
    async ({ keys, offset }) => {
      type Card = HTMLElement & { note: { id: string } };
      type Editor = HTMLElement & { note?: { id: string } };
      const app = document.querySelector('notes-app')!.shadowRoot!;
      const board = app.querySelector('note-board')!;
      const afterPaint = () =>
        new Promise<void>((resolve) =>
          requestAnimationFrame(() => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => resolve();
            channel.port2.postMessage(0);
          }),
        );
      const visible = [...board.shadowRoot!.querySelectorAll<HTMLElement>('.cell')]
        .filter((cell) => {
          const box = cell.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= innerHeight;
        })
        .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
      const card = visible[offset % Math.min(6, visible.length)]!.querySelector('note-card') as Card;
      const { id } = card.note;
      card.shadowRoot!.querySelector<HTMLElement>('.preview')!.click();
      let body: HTMLTextAreaElement | null | undefined;
      while (!body) {
        await new Promise(requestAnimationFrame);
        const editor = app.querySelector<Editor>('note-editor');
        const dialog = editor?.shadowRoot?.querySelector('dialog');
        if (dialog?.open && editor!.note?.id === id) body = dialog.querySelector<HTMLTextAreaElement>('textarea.body');
      }
      body.focus();
      const times: { ms: number; frame: number }[] = [];
      for (let i = 0; i < keys; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        await afterPaint();
        const end = body.value.length;
        const started = performance.now();
        body.setRangeText(i % 8 === 7 ? ' ' : 'x', end, end, 'end');
        body.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertText', data: 'x' }));
        // The field shows its new text in the next frame, whatever the app does on the keystroke.
        await afterPaint();
        times.push({ ms: performance.now() - started, frame: 1 });
      }
      // Close it (the close button's path: save, close, history back) and wait until the shell removed it.
      app.querySelector<Editor>('note-editor')!.shadowRoot!.querySelector<HTMLElement>('button.close')!.click();
      while (app.querySelector('note-editor')) await new Promise(requestAnimationFrame);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return times;
    },
    { keys, offset },
  );
}

export async function typeInNote(context: BenchContext): Promise<BenchResult> {
  const full = context.scale === 'full';
  const [stored, baselineStored, keys, block] = full ? [10_000, 100, 200, 20] : [300, 20, 6, 3];
  const painted = await compareBoards(context, { stored, baselineStored, runs: keys, block, floor: true }, typeInPage);
  return paintedResult(
    { id: 'type-in-note', title: `Keystroke in an opened note to painted, ${stored.toLocaleString('en-US')} notes stored`, interaction: 'keystroke', baselineWhat: 'the same', stored, baselineStored, countName: 'keystrokes' },
    painted,
  );
}
