/**
 * 1. Local edit to painted. A person ticks "Done" on a visible card; the time runs from the click
 * (the input event is dispatched synchronously inside it) to the end of the first frame that
 * paints the card as done. The card paints the tick itself, before the store has it; the write,
 * the live query over the board window in view and its render follow, and whatever of them runs
 * before that frame is inside the figure. Baseline: the same edit on a board of 100 notes, in a second
 * context of the same browser, alternating in blocks so both see the same machine load. Beside
 * them, the paint floor: a click that changes one text node, timed the same way.
 */
import type { Page } from 'playwright-core';
import { compareBoards, paintedResult, type Painted } from '../lib/app-pages.js';
import type { BenchContext } from '../lib/context.js';
import type { BenchResult } from '../lib/results.js';


/** Runs `edits` edits in the page, one after another, and returns each one's milliseconds. */
export function editInPage(page: Page, edits: number, offset: number): Promise<Painted[]> {
  return page.evaluate(
    async ({ edits, offset }) => {
      type Card = HTMLElement & { note: { id: string; done: boolean } };
      const board = document.querySelector('notes-app')!.shadowRoot!.querySelector('note-board')!;
      const afterPaint = () =>
        new Promise<void>((resolve) =>
          requestAnimationFrame(() => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => resolve();
            channel.port2.postMessage(0);
          }),
        );
      const times: { ms: number; frame: number }[] = [];
      for (let i = 0; i < edits; i++) {
        // A card fully in view, a different one each time.
        const visible = [...board.shadowRoot!.querySelectorAll<HTMLElement>('.cell')]
          .filter((cell) => {
            const box = cell.getBoundingClientRect();
            return box.top >= 0 && box.bottom <= innerHeight;
          })
          .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
        const card = visible[(i + offset) % Math.min(6, visible.length)]!.querySelector('note-card') as Card;
        const { id } = card.note;
        const expected = !card.note.done;
        const checkbox = card.shadowRoot!.querySelector<HTMLInputElement>('input[type=checkbox]')!;
        const started = performance.now();
        checkbox.click();
        let frame = 0;
        await new Promise<void>((resolve) => {
          const check = () => {
            frame++;
            const now = [...board.shadowRoot!.querySelectorAll<Card>('note-card')].find((c) => c.note?.id === id);
            const article = now?.shadowRoot?.querySelector('article');
            if (article?.classList.contains('done') === expected && now!.isConnected) {
              // Seen in this frame's rAF: it is painted when this frame is. A task posted now runs after that.
              const channel = new MessageChannel();
              channel.port1.onmessage = () => resolve();
              channel.port2.postMessage(0);
            } else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        });
        times.push({ ms: performance.now() - started, frame });
        // Let the live queries of the outbox and status settle before the next tick.
        await new Promise((resolve) => setTimeout(resolve, 50));
        await afterPaint();
      }
      return times;
    },
    { edits, offset },
  );
}

export async function localEdit(context: BenchContext): Promise<BenchResult> {
  const full = context.scale === 'full';
  const [stored, baselineStored, edits, block] = full ? [10_000, 100, 200, 20] : [300, 20, 6, 3];
  const painted = await compareBoards(context, { stored, baselineStored, runs: edits, block, floor: true }, editInPage);
  return paintedResult(
    { id: 'local-edit', title: `Local edit to painted, ${stored.toLocaleString('en-US')} notes stored`, interaction: 'click', baselineWhat: 'the same edit', stored, baselineStored, countName: 'edits' },
    painted,
  );
}
