/**
 * The grid of note cards. Only the rows in view (plus a few above and below) are in the DOM, so
 * ten thousand notes scroll and filter as smoothly as ten. Cards have one fixed height, which
 * makes every card's position a little arithmetic instead of a measurement. The board knows how
 * many notes there are (`total`) but holds only a window of them (`notes`, starting at
 * `windowOffset`); it asks for the window it needs with a `visible-range` event.
 * Arrow keys, Home and End move between cards, rendering and scrolling to them as needed.
 */

/** Which notes the board shows now (indexes into the whole board, inclusive). */
export interface VisibleRange {
  first: number;
  last: number;
}
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { APP } from '../constants.js';
import type { NoteRecord } from '../db/database.js';
import type { BoardMode, NoteActions } from './note-actions.js';
import type { NoteCard } from './note-card.js';
import './note-card.js';

const CARD_MIN_WIDTH_PX = 170;
const CARD_HEIGHT_PX = 210;
const GAP_PX = 14;
const ROW_PX = CARD_HEIGHT_PX + GAP_PX;
/** How long focusCard waits for the window to bring a note it scrolled to (about a second). */
const FOCUS_WAIT_FRAMES = 60;

@customElement('note-board')
export class NoteBoard extends LitElement {
  static override styles = css`
    :host {
      display: block;
      position: relative;
      contain: layout;
    }
    .cell {
      position: absolute;
      top: 0;
      left: 0;
      height: ${CARD_HEIGHT_PX}px;
    }
  `;

  /** How many notes the board has in all. */
  @property({ type: Number }) total = 0;
  /** The board index of notes[0]. */
  @property({ type: Number }) windowOffset = 0;
  @property({ attribute: false }) notes: NoteRecord[] = [];
  @property({ attribute: false }) actions!: NoteActions;
  @property() mode: BoardMode = 'board';
  @property() label = 'Notes';

  @state() private _width = 0;
  @state() private _firstRow = 0;
  @state() private _lastRow = 0;
  /** The card that has (or last had) keyboard focus, kept rendered even when scrolled away. */
  @state() private _focusIndex = -1;

  private readonly _resizeObserver = new ResizeObserver((entries) => {
    const width = entries[0]?.contentRect.width ?? 0;
    if (width !== this._width) this._width = width;
  });
  private _scrollFrame = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    this._resizeObserver.observe(this);
    window.addEventListener('scroll', this._onScroll, { passive: true });
    window.addEventListener('resize', this._onScroll, { passive: true });
    this.setAttribute('role', 'list');
    this.addEventListener('keydown', this._onKeydown);
    this.addEventListener('focusin', this._onFocusIn);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._resizeObserver.disconnect();
    window.removeEventListener('scroll', this._onScroll);
    window.removeEventListener('resize', this._onScroll);
    this.removeEventListener('keydown', this._onKeydown);
    this.removeEventListener('focusin', this._onFocusIn);
    cancelAnimationFrame(this._scrollFrame);
  }

  private get _columns(): number {
    return Math.max(1, Math.floor((this._width + GAP_PX) / (CARD_MIN_WIDTH_PX + GAP_PX)));
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('label')) this.setAttribute('aria-label', this.label);
    if (changed.has('total') || changed.has('_width')) {
      this._measureVisibleRows();
      const rows = Math.ceil(this.total / this._columns);
      this.style.height = `${Math.max(0, rows * ROW_PX - GAP_PX)}px`;
    }
    if (this._focusIndex >= this.total) this._focusIndex = this.total - 1;
  }

  protected override updated(): void {
    const columns = this._columns;
    const range: VisibleRange = { first: this._firstRow * columns, last: Math.min(this.total, (this._lastRow + 1) * columns) - 1 };
    if (this._width > 0 && (range.first !== this._announced?.first || range.last !== this._announced?.last)) {
      this._announced = range;
      this.dispatchEvent(new CustomEvent<VisibleRange>('visible-range', { detail: range }));
    }
  }

  private _announced: VisibleRange | undefined;

  private _noteAt(index: number): NoteRecord | undefined {
    return this.notes[index - this.windowOffset];
  }

  private _measureVisibleRows(): void {
    const top = this.getBoundingClientRect().top;
    const viewport = window.innerHeight;
    const rows = Math.ceil(this.total / this._columns);
    this._firstRow = Math.max(0, Math.floor(-top / ROW_PX) - APP.BOARD_OVERSCAN_ROWS);
    this._lastRow = Math.min(rows - 1, Math.ceil((viewport - top) / ROW_PX) + APP.BOARD_OVERSCAN_ROWS);
  }

  private _onScroll = () => {
    if (this._scrollFrame) return;
    this._scrollFrame = requestAnimationFrame(() => {
      this._scrollFrame = 0;
      const [first, last] = [this._firstRow, this._lastRow];
      this._measureVisibleRows();
      if (first !== this._firstRow || last !== this._lastRow) this.requestUpdate();
    });
  };

  /** Indexes of the notes to render: the visible rows, plus the focused card. */
  private _renderedIndexes(): number[] {
    const columns = this._columns;
    const from = this._firstRow * columns;
    const to = Math.min(this.total, (this._lastRow + 1) * columns);
    const indexes: number[] = [];
    for (let i = from; i < to; i++) indexes.push(i);
    const focused = this._focusIndex;
    if (focused >= 0 && focused < this.total && (focused < from || focused >= to)) indexes.push(focused);
    // Only notes the window holds; the rest of the visible rows fill in when it arrives.
    return indexes.filter((index) => this._noteAt(index) !== undefined);
  }

  override render() {
    const columns = this._columns;
    const cardWidth = (this._width - GAP_PX * (columns - 1)) / columns;
    if (this._width === 0) return html``;
    return repeat(
      this._renderedIndexes(),
      (index) => this._noteAt(index)!.id,
      (index) => {
        const note = this._noteAt(index)!;
        const x = (index % columns) * (cardWidth + GAP_PX);
        const y = Math.floor(index / columns) * ROW_PX;
        // styleMap writes through the CSSOM, which a Content-Security-Policy without
        // 'unsafe-inline' styles still allows; a style="" attribute would be blocked.
        return html`<div
          class="cell"
          role="listitem"
          aria-setsize=${this.total}
          aria-posinset=${index + 1}
          data-index=${index}
          style=${styleMap({ width: `${cardWidth}px`, transform: `translate(${x}px, ${y}px)` })}
        >
          <note-card
            .note=${note}
            .actions=${this.actions}
            .mode=${this.mode}
          ></note-card>
        </div>`;
      },
    );
  }

  private _onFocusIn = (event: FocusEvent) => {
    const cell = (event.composedPath() as Element[]).find((el) => el instanceof HTMLElement && el.classList.contains('cell'));
    if (cell instanceof HTMLElement) this._focusIndex = Number(cell.dataset.index);
  };

  private _onKeydown = (event: KeyboardEvent) => {
    const card = event.composedPath()[0];
    if (!(card instanceof HTMLElement) || card.tagName !== 'ARTICLE' || this._focusIndex < 0) return;
    const columns = this._columns;
    const moves: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: columns,
      ArrowUp: -columns,
      Home: -this._focusIndex,
      End: this.total - 1 - this._focusIndex,
    };
    const move = moves[event.key];
    if (move === undefined) return;
    event.preventDefault();
    const target = Math.min(this.total - 1, Math.max(0, this._focusIndex + move));
    void this.focusCard(target);
  };

  /** Scrolls a card into view and focuses it, once the window holds its note. */
  async focusCard(index: number): Promise<void> {
    if (index < 0 || index >= this.total) return;
    this._focusIndex = index;
    const rowTop = Math.floor(index / this._columns) * ROW_PX;
    const boardTop = this.getBoundingClientRect().top + window.scrollY;
    const cardTop = boardTop + rowTop;
    if (cardTop < window.scrollY + 80 || cardTop + CARD_HEIGHT_PX > window.scrollY + window.innerHeight) {
      window.scrollTo({ top: Math.max(0, cardTop - 120) });
      this._measureVisibleRows();
    }
    await this.updateComplete;
    for (let frame = 0; frame < FOCUS_WAIT_FRAMES && !this._noteAt(index); frame++) {
      await new Promise(requestAnimationFrame);
      await this.updateComplete;
    }
    const cell = this.renderRoot.querySelector<HTMLElement>(`.cell[data-index="${index}"] note-card`) as NoteCard | null;
    await cell?.updateComplete;
    cell?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'note-board': NoteBoard;
  }
}
