/**
 * The board's pointer gestures, loaded after first paint: drag to reorder (board-drag.ts) and
 * click or long press to select (board-selection.ts). Painting the board needs neither, so their
 * code stays off the first paint's bytes and loads as soon as the first cards show; until then a
 * click on a card still opens it (a Shift or Ctrl/Cmd-click waits for them and selects), and the
 * board's keyboard moves are its own.
 */
import type { ReactiveControllerHost } from 'lit';
import type { BoardDragCallbacks, BoardDragController } from './board-drag.js';
import type { BoardSelectionClicks, BoardSelectionHost } from './board-selection.js';

/** What the gestures ask of the board: the drag's callbacks (a long press selects) and the selection's. */
export type BoardGestureCallbacks = Omit<BoardDragCallbacks, 'select'> & BoardSelectionHost;

/**
 * The board index of the card a click selects, or undefined when it lands off the cards or on a
 * card's own controls (done, more actions) or a link in its text, which keep their click.
 */
export function clickedCardIndex(event: MouseEvent): number | undefined {
  const path = event.composedPath();
  if (path.some((target) => target instanceof HTMLElement && target.matches('button, input, label, a[href], [role="menu"]'))) return undefined;
  const cell = path.find((target) => target instanceof HTMLElement && target.classList.contains('cell')) as HTMLElement | undefined;
  return cell ? Number(cell.dataset.index) : undefined;
}

export class BoardGestures {
  private _drag: BoardDragController | undefined;
  private _selection: BoardSelectionClicks | undefined;
  private _loading: Promise<void> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly callbacks: BoardGestureCallbacks,
  ) {
    host.addEventListener('click', this._clickBeforeLoaded, { capture: true });
  }

  /**
   * A Shift or Ctrl/Cmd-click on a card before the selection has loaded selects that card once it
   * has, instead of opening the note. Once loaded, the selection's own listener takes every click.
   */
  private readonly _clickBeforeLoaded = (event: MouseEvent) => {
    if (this._selection || !(event.shiftKey || event.ctrlKey || event.metaKey) || !this.callbacks.selecting().enabled) return;
    const index = clickedCardIndex(event);
    if (index === undefined) return;
    event.preventDefault();
    event.stopPropagation();
    const range = event.shiftKey;
    this.load().then(
      () => this.select(index, range),
      () => undefined,
    );
  };

  /** True while a card is being dragged. */
  get dragging(): boolean {
    return this._drag?.dragging === true;
  }

  /** Toggles the card at `index`, or with `range` adds the cards from the last one toggled. */
  select(index: number, range: boolean): void {
    this._selection?.select(index, range);
  }

  /** Loads and attaches the gestures, once (a failed download is tried again at the next call). */
  load(): Promise<void> {
    this._loading ??= Promise.all([import('./board-drag.js'), import('./board-selection.js')]).then(
      ([{ BoardDragController }, { BoardSelectionClicks }]) => {
        this._drag = new BoardDragController(this.host, { ...this.callbacks, select: (index) => this.select(index, false) });
        // Made after the drag controller, so its click listener runs after the drag's.
        this._selection = new BoardSelectionClicks(this.host, this.callbacks);
      },
    );
    this._loading.catch(() => (this._loading = undefined));
    return this._loading;
  }
}
