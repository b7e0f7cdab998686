/**
 * 9. Open a note to painted. A person clicks a visible card; the time runs from the click to the
 * end of the first frame that paints the opened note (its dialog open, showing that note's title
 * line). The opened note's module is loaded once before measuring, as the app fetches it just
 * after first paint. Baseline: the same on a board of 100 notes, in a second context of the same
 * browser, alternating in blocks so both see the same machine load. Beside them, the paint floor:
 * a click changing one text node, timed the same way, says what one frame allows on this machine.
 */
import type { Page } from 'playwright-core';
import { compareBoards, paintedResult, type Painted } from '../lib/app-pages.js';
import type { BenchContext } from '../lib/context.js';
import type { BenchResult } from '../lib/results.js';


/** Opens `opens` notes in the page, one after another, closing each, and returns each open's milliseconds. */
function openInPage(page: Page, opens: number, offset: number): Promise<Painted[]> {
  return page.evaluate(
    async ({ opens, offset }) => {
      type Card = HTMLElement & { note: { id: string; text: string } };
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
      const times: { ms: number; frame: number }[] = [];
      for (let i = 0; i < opens; i++) {
        const visible = [...board.shadowRoot!.querySelectorAll<HTMLElement>('.cell')]
          .filter((cell) => {
            const box = cell.getBoundingClientRect();
            return box.top >= 0 && box.bottom <= innerHeight;
          })
          .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
        const card = visible[(i + offset) % Math.min(6, visible.length)]!.querySelector('note-card') as Card;
        const { id } = card.note;
        const title = card.note.text.split('\n', 1)[0];
        const preview = card.shadowRoot!.querySelector<HTMLElement>('.preview')!;
        const started = performance.now();
        preview.click();
        let frame = 0;
        await new Promise<void>((resolve) => {
          const check = () => {
            frame++;
            const editor = app.querySelector<Editor>('note-editor');
            const dialog = editor?.shadowRoot?.querySelector('dialog');
            const shown = dialog?.open && editor!.note?.id === id && dialog.querySelector('textarea')?.value === title;
            if (shown) {
              // Seen in this frame's rAF: it is painted when this frame is. A task posted now runs after that.
              const channel = new MessageChannel();
              channel.port1.onmessage = () => resolve();
              channel.port2.postMessage(0);
            } else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        });
        times.push({ ms: performance.now() - started, frame });
        // Close it (Esc's path: save, close, history back) and wait until the shell removed it.
        const editor = app.querySelector<Editor>('note-editor')!;
        editor.shadowRoot!.querySelector<HTMLElement>('button.close')!.click();
        while (app.querySelector('note-editor')) await new Promise(requestAnimationFrame);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await afterPaint();
      }
      return times;
    },
    { opens, offset },
  );
}

export async function openNote(context: BenchContext): Promise<BenchResult> {
  const full = context.scale === 'full';
  const [stored, baselineStored, opens, block] = full ? [10_000, 100, 100, 10] : [300, 20, 4, 2];
  const painted = await compareBoards(context, { stored, baselineStored, runs: opens, block, floor: true }, openInPage);
  return paintedResult(
    { id: 'open-note', title: `Open a note to painted, ${stored.toLocaleString('en-US')} notes stored`, interaction: 'click', baselineWhat: 'the same', stored, baselineStored, countName: 'opens' },
    painted,
  );
}
