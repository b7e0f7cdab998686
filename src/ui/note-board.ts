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
 * notes); the heading rows are part of the same arithmetic (board-layout.ts). Cards are selected
 * by Shift/Ctrl/Cmd-click or a long press (board-selection.ts) and reordered within their
 * section by dragging (mouse, or a long press on touch; gestures in board-drag.ts) or with
 * Alt+arrow keys, said to screen readers through a live region. A drop in the other section is
 * refused (the cue disappears there): pinning stays the pin button's job.
 */

/** Which notes the board shows now (indexes into the whole board, inclusive). */
export interface VisibleRange {
  first: number;
  last: number;
}
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { APP } from '../constants.js';
import { afterNextPaint } from './after-paint.js';
import type { LabelRecord, NoteRecord } from '../db/database.js';
import { BoardGestures } from './board-gestures.js';
import { BoardLayout, CARD_HEIGHT_PX, HEADING_ROW_PX, ROW_PX, type Section } from './board-layout.js';
import { noteBoardStyles } from './note-board-styles.js';
import type { BoardMode, NoteActions } from './note-actions.js';
import type { NoteCard } from './note-card.js';
import './note-card.js';

/** How long focusCard waits for the window to bring a note it scrolled to (about a second). */
const FOCUS_WAIT_FRAMES = 60;

/** The board's width stored for the next start, with the window's width it was measured in. */
interface RememberedWidth {
  window: number;
  board: number;
}

/** The board's width from the last start, if the window is as wide now as it was then (else 0). */
function rememberedBoardWidth(): number {
  try {
    const saved = JSON.parse(localStorage.getItem(APP.BOARD_WIDTH_KEY) ?? 'null') as Partial<RememberedWidth> | null;
    return saved?.window === window.innerWidth && typeof saved.board === 'number' && saved.board > 0 ? saved.board : 0;
  } catch {
    return 0;
  }
}

/** What this page last stored (storage is written only when it changes). */
let rememberedValue: string | undefined;

function rememberBoardWidth(board: number): void {
  if (board <= 0) return;
  const value = JSON.stringify({ window: window.innerWidth, board } satisfies RememberedWidth);
  if (value === rememberedValue) return;
  try {
    localStorage.setItem(APP.BOARD_WIDTH_KEY, value);
    rememberedValue = value;
  } catch {
    // Storage blocked or full: the next start measures the board first, as before.
  }
}

@customElement('note-board')
export class NoteBoard extends LitElement {
  static override styles = noteBoardStyles;

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
  /** The person's live labels by id, for the cards' chips. */
  @property({ attribute: false }) labels: ReadonlyMap<string, LabelRecord> | undefined;
  /** A subset of the board (one label's notes): its sections show, but its cards keep their board places. */
  @property({ type: Boolean }) fixedOrder = false;

  /**
   * The board's width: remembered from the last start in a window as wide as this one, so the
   * first render lays out the first cards without waiting for a layout to measure it; 0 until
   * known (nothing is rendered then).
   */
  @state() private _width = rememberedBoardWidth();
  /** Board indexes of the first and last card in view, overscan included. */
  @state() private _firstIndex = 0;
  @state() private _lastIndex = -1;
  /** The card being dragged, where the pointer has taken it, and the gap it would drop into. */
  @state() private _drag:
    | { index: number; id: string; startX: number; startY: number; startScrollY: number; dx: number; dy: number; gap: number | undefined }
    | undefined;
  /** Said by the live region after a move, e.g. "Moved to position 3 of 12". */
  @state() private _announcement = '';
  /** The card that has (or last had) keyboard focus, kept rendered even when scrolled away. */
  @state() private _focusIndex = -1;

  /**
   * The board's width, read from a probe of no height that spans it: the board's own height
   * follows from its width, so observing the board itself would report the height its new layout
   * gives it inside the same delivery (the browser's "ResizeObserver loop completed" error).
   * The first width is taken at once, so the first cards paint in the first frame; a later one
   * (a resized window, a scrollbar come or gone) waits for the next frame, where a layout it
   * changes is not measured within the observer's delivery either.
   */
  private readonly _resizeObserver = new ResizeObserver((entries) => {
    const width = entries[0]?.contentRect.width ?? 0;
    rememberBoardWidth(width);
    if (!this._measured || this._width === 0) {
      // The remembered width, if one was used, is confirmed or corrected before this frame paints.
      this._measured = true;
      this._width = width;
      this._measureVisibleRows();
      return;
    }
    this._nextWidth = width;
    this._widthFrame ||= requestAnimationFrame(() => {
      this._widthFrame = 0;
      this._width = this._nextWidth;
    });
  });
  /** Whether the observer has reported the board's width yet (before it, the width is the one remembered, if any). */
  private _measured = false;
  private _nextWidth = 0;
  /**
   * Rows rendered beyond the screen, above and below: none until the first cards are painted, so
   * a cold start renders only what it shows (each card is a few milliseconds to render).
   */
  private _overscan: 'not yet' | 'after this paint' | 'on' = 'not yet';
  private get _overscanRows(): number {
    return this._overscan === 'on' ? APP.BOARD_OVERSCAN_ROWS : 0;
  }
  private _widthFrame = 0;
  private _scrollFrame = 0;

  /** Drag to reorder and click to select, loaded once the first cards are painted (board-gestures.ts). */
  private readonly _gestures = new BoardGestures(this, {
    canDrag: () => this._canReorder,
    start: (index, x, y) => {
      const note = this._noteAt(index);
      if (!note) return;
      this._drag = { index, id: note.id, startX: x, startY: y, startScrollY: window.scrollY, dx: 0, dy: 0, gap: undefined };
      this.classList.add('drag-active');
    },
    move: (x, y) => {
      const drag = this._drag;
      if (!drag) return;
      // The page may have scrolled under the pointer (edge scrolling): the card stays under it.
      const dy = y - drag.startY + window.scrollY - drag.startScrollY;
      this._drag = { ...drag, dx: x - drag.startX, dy, gap: this._gapAt(drag.index, x, y) };
    },
    drop: () => void this._drop(),
    cancel: () => this._endDrag(),
    selecting: () => ({ enabled: this.mode !== 'trash', anySelected: this.selected.size > 0 }),
    noteAt: (index) => this._noteAt(index),
  });

  override connectedCallback(): void {
    super.connectedCallback();
    // Connected again after being taken out: the probe is there already (firstUpdated observes it the first time).
    const probe = this.renderRoot?.querySelector('.width-probe');
    if (probe) this._resizeObserver.observe(probe);
    window.addEventListener('scroll', this._onScroll, { passive: true });
    window.addEventListener('resize', this._onScroll, { passive: true });
    // A group of one or two lists (the sections), with their headings.
    this.setAttribute('role', 'group');
    this.addEventListener('keydown', this._onKeydown);
    this.addEventListener('focusin', this._onFocusIn);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._resizeObserver.disconnect();
    cancelAnimationFrame(this._widthFrame);
    this._widthFrame = 0;
    window.removeEventListener('scroll', this._onScroll);
    window.removeEventListener('resize', this._onScroll);
    this.removeEventListener('keydown', this._onKeydown);
    this.removeEventListener('focusin', this._onFocusIn);
    cancelAnimationFrame(this._scrollFrame);
  }

  /** The geometry for the board as it is now (cheap: a few numbers, made when needed). */
  private get _layout(): BoardLayout {
    return new BoardLayout(this._width, this.total, this.pinnedCount);
  }

  protected override willUpdate(changed: PropertyValues): void {
    const focused = (this.renderRoot as ShadowRoot).activeElement?.closest<HTMLElement>('.cell');
    this._focusedNoteId = focused?.dataset.noteId;
    if (changed.has('label')) this.setAttribute('aria-label', this.label);
    if (changed.has('total') || changed.has('_width') || changed.has('pinnedCount')) {
      this._measureVisibleRows();
      this.style.height = `${this._layout.height}px`;
    }
    if (this._focusIndex >= this.total) this._focusIndex = this.total - 1;
  }

  protected override updated(): void {
    this._keepFocus();
    if (this.notes.length > 0) void this._gestures.load().catch(() => undefined);
    if (this.notes.length > 0 && this._overscan === 'not yet') {
      // The cards above and below the screen come in the frame after the first cards are painted.
      this._overscan = 'after this paint';
      afterNextPaint(() => {
        this._overscan = 'on';
        this._measureVisibleRows();
        this.requestUpdate();
      });
    }
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

  private _measureVisibleRows(): void {
    // An empty board shows no rows: no need to read its place, which forces a layout mid-update.
    if (this.total === 0) {
      this._firstIndex = 0;
      this._lastIndex = -1;
      return;
    }
    // Not measured yet (a width remembered from the last start): reading the board's place would
    // force a layout in the middle of the first render. Rows are counted from the top of the
    // screen instead, which holds every row on screen at a start; the first measure corrects it.
    const top = this._measured ? this.getBoundingClientRect().top : 0;
    const overscan = this._overscanRows * ROW_PX;
    const { first, last } = this._layout.indexesBetween(-top - overscan, window.innerHeight - top + overscan);
    this._firstIndex = first;
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

  protected override firstUpdated(): void {
    this._resizeObserver.observe(this.renderRoot.querySelector('.width-probe')!);
  }

  override render() {
    return html`<div class="width-probe"></div>${this._width === 0 ? nothing : this._renderBoard()}`;
  }

  private _renderBoard() {
    const layout = this._layout;
    const rendered = this._renderedIndexes();
    const drag = this._drag;
    return html`
      ${layout.sections.map(
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
              (index) => this._renderCell(index, section, layout),
            )}
          </div>
        `,
      )}
      ${drag?.gap === undefined ? nothing : this._renderDropCue(layout.dropCueAt(drag.gap), drag.gap)}
      <div class="visually-hidden" role="status" aria-live="polite">${this._announcement}</div>
    `;
  }

  private _renderCell(index: number, section: Section, layout: BoardLayout) {
    const note = this._noteAt(index)!;
    const { column, top } = layout.placeOf(index);
    const dragged = this._drag?.index === index ? this._drag : undefined;
    const x = layout.xOf(column) + (dragged?.dx ?? 0);
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
      style=${styleMap({ width: `${layout.cardWidth}px`, transform: `translate(${x}px, ${y}px)` })}
    >
      <note-card .note=${note} .actions=${this.actions} .mode=${this.mode} ?selected=${this.selected.has(note.id)} .labels=${this.labels}></note-card>
    </div>`;
  }

  /** The insertion cue: a bar in the gap before the card at `gap` (or after the last of its row). */
  private _renderDropCue(at: { x: number; top: number }, gap: number) {
    return html`<div class="drop-cue" data-gap=${gap} style=${styleMap({ transform: `translate(${at.x}px, ${at.top}px)` })}></div>`;
  }

  /** Reordering happens on the board only: not in the archive, the trash or search results. */
  private get _canReorder(): boolean {
    return this.mode === 'board' && this.pinnedCount !== undefined && !this.fixedOrder;
  }

  /** The gap a dragged card would drop into at this point of the viewport (board-layout.ts). */
  private _gapAt(dragged: number, clientX: number, clientY: number): number | undefined {
    const rect = this.getBoundingClientRect();
    return this._layout.gapAt(dragged, clientX - rect.left, clientY - rect.top);
  }

  private async _drop(): Promise<void> {
    const drag = this._drag;
    if (!drag || drag.gap === undefined) {
      this._endDrag();
      return;
    }
    const section = this._layout.sectionOf(drag.index)!;
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
    const section = this._layout.sectionOf(index);
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
    if (!(card instanceof HTMLElement) || card.tagName !== 'ARTICLE' || this._focusIndex < 0 || this._gestures.dragging) return;
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
    const columns = this._layout.columns;
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
    const rowTop = this._layout.placeOf(index).top;
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
