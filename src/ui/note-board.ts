/**
 * The grid of note cards. Only the rows in view (plus a few above and below) are in the DOM, so
 * ten thousand notes scroll and filter as smoothly as ten. Cards have one fixed height, which
 * makes every card's position a little arithmetic instead of a measurement. The board knows how
 * many notes there are (`total`) but holds only a window of them (`notes`, starting at
 * `windowOffset`); it asks for the window it needs with a `visible-range` event.
 * Arrow keys, Home and End move between cards, rendering and scrolling to them as needed.
 *
 * Board order: with `pinnedCount` set the board has two sections, pinned then others, each a
 * list of its own under a full-width heading row ("Pinned", "Others", shown only when both have
 * notes); the heading rows are part of the same arithmetic. Cards are reordered within their
 * section by dragging (mouse, or a long press on touch; gestures in board-drag.ts) or with
 * Alt+arrow keys, said to screen readers through a live region. A drop in the other section is
 * refused (the cue disappears there): pinning stays the pin button's job.
 */

/** Which notes the board shows now (indexes into the whole board, inclusive). */
export interface VisibleRange {
  first: number;
  last: number;
}

/** Asks to select notes: `toggle` one (Ctrl/Cmd-click, a long press, a tap while some are selected) or `add` a Shift-click range. */
export interface NoteSelectDetail {
  ids: string[];
  mode: 'toggle' | 'add';
}
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { APP } from '../constants.js';
import type { NoteRecord } from '../db/database.js';
import { BoardDragController } from './board-drag.js';
import type { BoardMode, NoteActions } from './note-actions.js';
import type { NoteCard } from './note-card.js';
import './note-card.js';

const CARD_MIN_WIDTH_PX = 170;
const CARD_HEIGHT_PX = 210;
const GAP_PX = 14;
const ROW_PX = CARD_HEIGHT_PX + GAP_PX;
/** A section heading is a full-width row of this height (its gap included). */
const HEADING_ROW_PX = 44;
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
    .cell.dragging {
      z-index: 2;
      opacity: 0.85;
      pointer-events: none;
      filter: drop-shadow(0 8px 16px rgb(0 0 0 / 0.3));
    }
    :host(.drag-active) {
      user-select: none;
      -webkit-user-select: none;
    }
    .heading {
      position: absolute;
      top: 0;
      left: 0;
      margin: 0;
      height: ${HEADING_ROW_PX}px;
      line-height: ${HEADING_ROW_PX - 8}px;
      font-size: 0.8rem;
      font-weight: 600;
      letter-spacing: 0.06em;
      text-transform: uppercase;
      color: var(--rn-muted, inherit);
    }
    .drop-cue {
      position: absolute;
      top: 0;
      left: 0;
      width: 4px;
      height: ${CARD_HEIGHT_PX}px;
      border-radius: 2px;
      background: var(--rn-accent, #1a73e8);
      pointer-events: none;
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
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
  /**
   * How many of the notes are pinned (they come first). Set on the board, where notes can be
   * reordered; undefined in search results and the trash, which have no sections and no reordering.
   */
  @property({ attribute: false }) pinnedCount: number | undefined;
  /** The selected notes' ids (select several: selection-controller.ts). */
  @property({ attribute: false }) selected: ReadonlySet<string> = new Set();

  @state() private _width = 0;
  /** Board indexes of the first and last card in view, overscan included. */
  @state() private _firstIndex = 0;
  @state() private _lastIndex = -1;
  /** The card being dragged, where the pointer has taken it, and the gap it would drop into. */
  @state() private _drag: { index: number; id: string; startX: number; startY: number; dx: number; dy: number; gap: number | undefined } | undefined;
  /** Said by the live region after a move, e.g. "Moved to position 3 of 12". */
  @state() private _announcement = '';
  /** The card that has (or last had) keyboard focus, kept rendered even when scrolled away. */
  @state() private _focusIndex = -1;

  private readonly _resizeObserver = new ResizeObserver((entries) => {
    const width = entries[0]?.contentRect.width ?? 0;
    if (width !== this._width) this._width = width;
  });
  private _scrollFrame = 0;

  private readonly _dragController = new BoardDragController(this, {
    draggableIndex: (path) => this._draggableIndex(path),
    start: (index, x, y) => {
      const note = this._noteAt(index);
      if (!note) return;
      this._drag = { index, id: note.id, startX: x, startY: y, dx: 0, dy: 0, gap: undefined };
      this.classList.add('drag-active');
    },
    move: (x, y) => {
      const drag = this._drag;
      if (!drag) return;
      this._drag = { ...drag, dx: x - drag.startX, dy: y - drag.startY, gap: this._gapAt(drag.index, x, y) };
    },
    drop: () => void this._drop(),
    cancel: () => this._endDrag(),
    select: (index) => this._select(index, false),
  });
  /** Where the last single selection was: a Shift-click selects from here. */
  private _selectAnchor = -1;

  override connectedCallback(): void {
    super.connectedCallback();
    this._resizeObserver.observe(this);
    window.addEventListener('scroll', this._onScroll, { passive: true });
    window.addEventListener('resize', this._onScroll, { passive: true });
    // A group of one or two lists (the sections), with their headings.
    this.setAttribute('role', 'group');
    this.addEventListener('keydown', this._onKeydown);
    this.addEventListener('focusin', this._onFocusIn);
    this.addEventListener('click', this._onSelectClick, { capture: true });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._resizeObserver.disconnect();
    window.removeEventListener('scroll', this._onScroll);
    window.removeEventListener('resize', this._onScroll);
    this.removeEventListener('keydown', this._onKeydown);
    this.removeEventListener('focusin', this._onFocusIn);
    this.removeEventListener('click', this._onSelectClick, { capture: true });
    cancelAnimationFrame(this._scrollFrame);
  }

  private get _columns(): number {
    return Math.max(1, Math.floor((this._width + GAP_PX) / (CARD_MIN_WIDTH_PX + GAP_PX)));
  }

  protected override willUpdate(changed: PropertyValues): void {
    const focused = (this.renderRoot as ShadowRoot).activeElement?.closest<HTMLElement>('.cell');
    this._focusedNoteId = focused?.dataset.noteId;
    if (changed.has('label')) this.setAttribute('aria-label', this.label);
    if (changed.has('total') || changed.has('_width') || changed.has('pinnedCount')) {
      this._measureVisibleRows();
      const last = this._sections.at(-1);
      const height = last ? last.top + Math.ceil(last.count / this._columns) * ROW_PX - GAP_PX : 0;
      this.style.height = `${Math.max(0, height)}px`;
    }
    if (this._focusIndex >= this.total) this._focusIndex = this.total - 1;
  }

  protected override updated(): void {
    this._keepFocus();
    const range: VisibleRange = { first: this._firstIndex, last: this._lastIndex };
    if (this._width > 0 && (range.first !== this._announced?.first || range.last !== this._announced?.last)) {
      this._announced = range;
      this.dispatchEvent(new CustomEvent<VisibleRange>('visible-range', { detail: range }));
    }
  }

  private _announced: VisibleRange | undefined;
  /** Alt+arrow moves in the order they were pressed. */
  private _keyboardMoves: Promise<void> = Promise.resolve();
  /** The note whose card had focus before this update (see _keepFocus). */
  private _focusedNoteId: string | undefined;

  /**
   * When a note changes place, repeat() moves its cell in the DOM, and a moved element loses
   * focus to the page. Focus goes back to the same card in the same task, so no key pressed in
   * a row (Alt+arrow, Alt+arrow) falls on the page instead.
   */
  private _keepFocus(): void {
    const id = this._focusedNoteId;
    if (!id || (this.renderRoot as ShadowRoot).activeElement) return;
    const card = this.renderRoot.querySelector<NoteCard>(`.cell[data-note-id="${CSS.escape(id)}"] note-card`);
    card?.focus();
  }

  private _noteAt(index: number): NoteRecord | undefined {
    return this.notes[index - this.windowOffset];
  }

  /**
   * The sections as rows of the layout: where each one's cards start (below its heading row, if
   * it has one) and which board indexes it holds. One section when there are no headings.
   */
  private get _sections(): Section[] {
    const pinned = this.pinnedCount ?? 0;
    if (!(pinned > 0 && pinned < this.total)) return this.total > 0 ? [{ heading: undefined, start: 0, count: this.total, top: 0 }] : [];
    const pinnedRows = Math.ceil(pinned / this._columns);
    return [
      { heading: 'Pinned', start: 0, count: pinned, top: HEADING_ROW_PX },
      { heading: 'Others', start: pinned, count: this.total - pinned, top: HEADING_ROW_PX + pinnedRows * ROW_PX + HEADING_ROW_PX },
    ];
  }

  private _sectionOf(index: number): Section | undefined {
    return this._sections.find((section) => index >= section.start && index < section.start + section.count);
  }

  /** Where a card sits: its column and the top of its row, in board pixels. */
  private _placeOf(index: number): { column: number; top: number } {
    const section = this._sectionOf(index) ?? { start: 0, top: 0 };
    const within = index - section.start;
    return { column: within % this._columns, top: section.top + Math.floor(within / this._columns) * ROW_PX };
  }

  private _measureVisibleRows(): void {
    const top = this.getBoundingClientRect().top;
    const overscan = APP.BOARD_OVERSCAN_ROWS * ROW_PX;
    const [from, to] = [-top - overscan, window.innerHeight - top + overscan];
    const columns = this._columns;
    let first = Infinity;
    let last = -1;
    for (const section of this._sections) {
      const rows = Math.ceil(section.count / columns);
      if (section.top + rows * ROW_PX < from || section.top > to) continue;
      const firstRow = Math.max(0, Math.floor((from - section.top) / ROW_PX));
      const lastRow = Math.min(rows - 1, Math.floor((to - section.top) / ROW_PX));
      first = Math.min(first, section.start + firstRow * columns);
      last = Math.max(last, Math.min(section.start + section.count, section.start + (lastRow + 1) * columns) - 1);
    }
    this._firstIndex = first === Infinity ? 0 : first;
    this._lastIndex = last;
  }

  private _onScroll = () => {
    if (this._scrollFrame) return;
    this._scrollFrame = requestAnimationFrame(() => {
      this._scrollFrame = 0;
      const [first, last] = [this._firstIndex, this._lastIndex];
      this._measureVisibleRows();
      if (first !== this._firstIndex || last !== this._lastIndex) this.requestUpdate();
    });
  };

  /** Indexes of the notes to render: the visible rows, plus the focused card. */
  private _renderedIndexes(): number[] {
    const from = this._firstIndex;
    const to = Math.min(this.total, this._lastIndex + 1);
    const indexes: number[] = [];
    for (let i = from; i < to; i++) indexes.push(i);
    const extra = [this._focusIndex, this._drag?.index ?? -1];
    for (const index of extra) if (index >= 0 && index < this.total && (index < from || index >= to)) indexes.push(index);
    // Only notes the window holds; the rest of the visible rows fill in when it arrives.
    return indexes.filter((index) => this._noteAt(index) !== undefined);
  }

  override render() {
    const columns = this._columns;
    const cardWidth = (this._width - GAP_PX * (columns - 1)) / columns;
    if (this._width === 0) return html``;
    const sections = this._sections;
    const rendered = this._renderedIndexes();
    const drag = this._drag;
    return html`
      ${sections.map(
        (section) => html`
          ${section.heading
            ? html`<h2 class="heading" style=${styleMap({ transform: `translate(0, ${section.top - HEADING_ROW_PX}px)` })}>${section.heading}</h2>`
            : nothing}
          <div
            role="list"
            aria-label=${section.heading ?? this.label}
            data-section=${section.heading ?? 'all'}
          >
            ${repeat(
              rendered.filter((index) => index >= section.start && index < section.start + section.count),
              (index) => this._noteAt(index)!.id,
              (index) => this._renderCell(index, section, cardWidth),
            )}
          </div>
        `,
      )}
      ${drag?.gap === undefined ? nothing : this._renderDropCue(drag.gap, cardWidth)}
      <div class="visually-hidden" role="status" aria-live="polite">${this._announcement}</div>
    `;
  }

  private _renderCell(index: number, section: Section, cardWidth: number) {
    const note = this._noteAt(index)!;
    const { column, top } = this._placeOf(index);
    const dragged = this._drag?.index === index ? this._drag : undefined;
    const x = column * (cardWidth + GAP_PX) + (dragged?.dx ?? 0);
    const y = top + (dragged?.dy ?? 0);
    // styleMap writes through the CSSOM, which a Content-Security-Policy without
    // 'unsafe-inline' styles still allows; a style="" attribute would be blocked.
    return html`<div
      class="cell ${dragged ? 'dragging' : ''}"
      role="listitem"
      aria-setsize=${section.count}
      aria-posinset=${index - section.start + 1}
      data-index=${index}
      data-note-id=${note.id}
      style=${styleMap({ width: `${cardWidth}px`, transform: `translate(${x}px, ${y}px)` })}
    >
      <note-card .note=${note} .actions=${this.actions} .mode=${this.mode} ?selected=${this.selected.has(note.id)}></note-card>
    </div>`;
  }

  /** The insertion cue: a bar in the gap before the card at `gap` (or after the last of its row). */
  private _renderDropCue(gap: number, cardWidth: number) {
    const section = this._sectionOf(gap) ?? this._sectionOf(gap - 1)!;
    const end = section.start + section.count;
    const afterPrevious = gap === end || (gap > section.start && this._placeOf(gap).column === 0);
    const place = this._placeOf(afterPrevious ? gap - 1 : gap);
    const x = place.column * (cardWidth + GAP_PX) + (afterPrevious ? cardWidth + GAP_PX / 2 : -GAP_PX / 2) - 2;
    return html`<div class="drop-cue" data-gap=${gap} style=${styleMap({ transform: `translate(${x}px, ${place.top}px)` })}></div>`;
  }

  /**
   * Shift-click and Ctrl/Cmd-click on a card select instead of opening it, and so does any tap on
   * a card while notes are selected; a card's own controls (done, more actions) keep their click.
   */
  private _onSelectClick = (event: MouseEvent) => {
    if (this.mode !== 'board' || !(event.shiftKey || event.ctrlKey || event.metaKey || this.selected.size > 0)) return;
    const path = event.composedPath();
    if (path.some((target) => target instanceof HTMLElement && target.matches('button, input, label, [role="menu"]'))) return;
    const cell = path.find((target) => target instanceof HTMLElement && target.classList.contains('cell')) as HTMLElement | undefined;
    if (!cell) return;
    event.preventDefault();
    event.stopPropagation();
    this._select(Number(cell.dataset.index), event.shiftKey);
  };

  private _select(index: number, range: boolean): void {
    const note = this._noteAt(index);
    if (!note) return;
    let detail: NoteSelectDetail = { ids: [note.id], mode: 'toggle' };
    if (range && this._selectAnchor >= 0) {
      const ids: string[] = [];
      for (let i = Math.min(index, this._selectAnchor); i <= Math.max(index, this._selectAnchor); i++) {
        const inRange = this._noteAt(i);
        if (inRange) ids.push(inRange.id);
      }
      detail = { ids, mode: 'add' };
    } else {
      this._selectAnchor = index;
    }
    this.dispatchEvent(new CustomEvent<NoteSelectDetail>('note-select', { detail, bubbles: true, composed: true }));
  }

  /** Reordering happens on the board only: not in the trash or search results. */
  private get _canReorder(): boolean {
    return this.mode === 'board' && this.pinnedCount !== undefined;
  }

  private _draggableIndex(path: EventTarget[]): number | undefined {
    if (!this._canReorder) return undefined;
    for (const target of path) {
      if (!(target instanceof HTMLElement)) continue;
      if (target.classList.contains('cell')) {
        const index = Number(target.dataset.index);
        return index;
      }
      // Controls keep their own press: a drag never starts on a button, checkbox or editor.
      if (target.matches('button, input, textarea, select, a, label, [role="radio"], [role="radiogroup"]')) return undefined;
    }
    return undefined;
  }

  /**
   * The gap a dragged card would drop into, as the board index of the card it would go before
   * (the section's end for its bottom), or undefined where it cannot go: outside its own section,
   * or where it already is.
   */
  private _gapAt(dragged: number, clientX: number, clientY: number): number | undefined {
    const section = this._sectionOf(dragged);
    if (!section) return undefined;
    const rect = this.getBoundingClientRect();
    const [x, y] = [clientX - rect.left, clientY - rect.top];
    const columns = this._columns;
    const cardWidth = (this._width - GAP_PX * (columns - 1)) / columns;
    const rows = Math.ceil(section.count / columns);
    // Half a row of slack above and below the section, so its first and last gaps are easy to hit.
    if (y < section.top - ROW_PX / 2 || y > section.top + rows * ROW_PX + ROW_PX / 2) return undefined;
    const row = Math.min(rows - 1, Math.max(0, Math.floor((y - section.top) / ROW_PX)));
    const column = Math.min(columns - 1, Math.max(0, Math.floor(x / (cardWidth + GAP_PX))));
    const past = x - column * (cardWidth + GAP_PX) > cardWidth / 2 ? 1 : 0;
    const gap = Math.min(section.start + section.count, section.start + row * columns + column + past);
    return gap === dragged || gap === dragged + 1 ? undefined : gap;
  }

  private async _drop(): Promise<void> {
    const drag = this._drag;
    if (!drag || drag.gap === undefined) {
      this._endDrag();
      return;
    }
    const section = this._sectionOf(drag.index)!;
    const above = drag.gap > section.start ? this._noteAt(drag.gap - 1) : null;
    const below = drag.gap < section.start + section.count ? this._noteAt(drag.gap) : null;
    if (above === undefined || below === undefined) {
      this._endDrag();
      return;
    }
    const target = drag.gap > drag.index ? drag.gap - 1 : drag.gap;
    const moved = await this.actions.move(drag.id, { kind: 'between', above: above?.id ?? null, below: below?.id ?? null });
    this._endDrag();
    if (moved) await this._settleMove(drag.id, target, section);
  }

  private _endDrag(): void {
    this._drag = undefined;
    this.classList.remove('drag-active');
  }

  /** One place up or down within the section, from the keyboard. */
  private async _step(id: string, by: -1 | 1): Promise<void> {
    const index = this.notes.findIndex((note) => note.id === id) + this.windowOffset;
    const note = this._noteAt(index);
    const section = this._sectionOf(index);
    if (!note || note.id !== id || !section || !this._canReorder) return;
    const target = index + by;
    if (target < section.start || target >= section.start + section.count) {
      this._announce(`${by < 0 ? 'Already first' : 'Already last'}${section.heading ? ` in ${section.heading}` : ''}`);
      return;
    }
    if (await this.actions.move(note.id, { kind: 'step', by })) await this._settleMove(note.id, target, section);
  }

  /** Once the moved note shows at its new place: focus it there and say where it is. */
  private async _settleMove(id: string, index: number, section: Section): Promise<void> {
    for (let frame = 0; frame < FOCUS_WAIT_FRAMES && this._noteAt(index)?.id !== id; frame++) {
      await new Promise(requestAnimationFrame);
      await this.updateComplete;
    }
    if (this._noteAt(index)?.id !== id) return;
    this._announce(`Moved to position ${index - section.start + 1} of ${section.count}${section.heading ? ` in ${section.heading}` : ''}`);
    await this.focusCard(index);
  }

  private _announce(text: string): void {
    // The same words twice in a row must still be spoken: clear, then set on the next frame.
    this._announcement = '';
    requestAnimationFrame(() => (this._announcement = text));
  }

  private _onFocusIn = (event: FocusEvent) => {
    const cell = (event.composedPath() as Element[]).find((el) => el instanceof HTMLElement && el.classList.contains('cell'));
    if (cell instanceof HTMLElement) this._focusIndex = Number(cell.dataset.index);
  };

  private _onKeydown = (event: KeyboardEvent) => {
    const card = event.composedPath()[0];
    if (!(card instanceof HTMLElement) || card.tagName !== 'ARTICLE' || this._focusIndex < 0 || this._dragController.dragging) return;
    const step = { ArrowLeft: -1, ArrowUp: -1, ArrowRight: 1, ArrowDown: 1 } as const;
    if (event.altKey && event.key in step) {
      event.preventDefault();
      // By id, and one after another: presses can come faster than a move shows, and each
      // must start from where the previous one left the note (and be announced in turn).
      const cell = event.composedPath().find((el) => el instanceof HTMLElement && el.classList.contains('cell')) as HTMLElement | undefined;
      const id = cell?.dataset.noteId;
      if (id) this._keyboardMoves = this._keyboardMoves.then(() => this._step(id, step[event.key as keyof typeof step]));
      return;
    }
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

  /**
   * After a note left the view (trash, delete): once the board no longer shows it at `index`,
   * focuses the card now there (the next one; the new last when it was last), or the board
   * itself when none is left, so focus never falls to the page.
   */
  async focusAfterRemoval(id: string, index: number): Promise<void> {
    for (let frame = 0; frame < FOCUS_WAIT_FRAMES && this._noteAt(index)?.id === id; frame++) {
      await new Promise(requestAnimationFrame);
      await this.updateComplete;
    }
    if (this.total > 0) {
      await this.focusCard(Math.min(index, this.total - 1));
    } else {
      this.tabIndex = -1;
      this.focus();
    }
  }

  /** Scrolls a card into view and focuses it, once the window holds its note. */
  async focusCard(index: number): Promise<void> {
    if (index < 0 || index >= this.total) return;
    this._focusIndex = index;
    const rowTop = this._placeOf(index).top;
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

interface Section {
  /** "Pinned" or "Others"; undefined when the board is one list (nothing pinned, or all pinned). */
  heading: 'Pinned' | 'Others' | undefined;
  /** Board index of its first note, and how many it has. */
  start: number;
  count: number;
  /** Top of its first row of cards, in board pixels. */
  top: number;
}

declare global {
  interface HTMLElementTagNameMap {
    'note-board': NoteBoard;
  }
}
