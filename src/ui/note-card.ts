/**
 * One sticky note on the board or in the trash, as a preview: its title line (bold), the first
 * lines of the rest, a checklist's first open items and how many are ticked, its color, pin and
 * done state. A click, a tap or Enter opens the note (the
 * opened note, note-editor.ts, is where it is read and written); the card keeps the done tick and
 * a "More actions" menu, so every action is at hand without opening it. Text is always rendered
 * as text, never markup; only its http(s) and mailto addresses become links (links.ts), which
 * open in a new tab without opening the note. An archived note found by search says "Archived".
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { LabelRecord, NoteRecord } from '../db/database.js';
import { NOTE_COLORS, noteTitle, splitTitle, type NoteColor } from '../shared/note-basics.js';
import type { ChecklistItem, NotePatch } from '../shared/note.js';
import type { ActionMenu, MenuEntry } from './action-menu.js';
import { archiveIcon, moreIcon, pinIcon } from './icons.js';
import { renderWithLinks } from './links.js';
import type { BoardMode, NoteActions } from './note-actions.js';
import { noteColorStyles, sharedStyles } from './shared-styles.js';

/** Open items a card shows of its checklist. */
const PREVIEW_ITEMS = 6;
/** Label chips a card shows, and a narrow one (under 220 px, as in two columns on a phone: the @container rules); "+N" says how many more. */
const CARD_LABELS = 3;
const NARROW_CARD_LABELS = 2;

export const COLOR_NAMES: Record<NoteColor, string> = {
  yellow: 'Yellow',
  green: 'Green',
  pink: 'Pink',
  purple: 'Purple',
  blue: 'Blue',
  gray: 'Gray',
};

/** Fields whose change leaves a note where it is on the board: a card paints them before they are saved. */
const IN_PLACE_FIELDS: readonly string[] = ['done', 'color'];

/**
 * Entries of a note's menu: on the board and in the archive pin, copy, archive or unarchive (by
 * the note's own state, so an archived note found by search offers Unarchive), trash and the
 * colors; in the trash restore and delete. `save` changes fields of the note.
 */
export function noteMenuEntries(note: NoteRecord, mode: BoardMode, actions: NoteActions, save: (patch: NotePatch) => void): MenuEntry[] {
  if (mode === 'trash') {
    return [
      { kind: 'item', label: 'Restore', run: () => void actions.restore(note.id) },
      { kind: 'item', label: 'Delete forever', run: () => void actions.deleteForever(note.id) },
    ];
  }
  return [
    { kind: 'item', label: note.pinned ? 'Unpin' : 'Pin', run: () => save({ pinned: !note.pinned }) },
    { kind: 'item', label: 'Make a copy', run: () => void actions.copy(note.id) },
    note.archived
      ? { kind: 'item', label: 'Unarchive', run: () => void actions.archive(note.id, false) }
      : { kind: 'item', label: 'Archive', run: () => void actions.archive(note.id, true) },
    { kind: 'item', label: 'Move to trash', run: () => void actions.trash(note.id) },
    ...NOTE_COLORS.map((color): MenuEntry => ({
      kind: 'color',
      color,
      label: COLOR_NAMES[color],
      checked: color === note.color,
      run: () => save({ color }),
    })),
  ];
}

@customElement('note-card')
export class NoteCard extends LitElement {
  static override styles = [
    sharedStyles,
    noteColorStyles,
    css`
      :host {
        display: block;
        height: 100%;
      }
      article.selected {
        box-shadow: 0 0 0 3px var(--rn-accent, #1a73e8), var(--rn-shadow);
      }
      article {
        display: flex;
        flex-direction: column;
        height: 100%;
        border-radius: var(--rn-radius);
        background: var(--note-bg);
        color: var(--rn-note-ink);
        box-shadow: var(--rn-shadow);
        overflow: hidden;
        position: relative;
      }
      .preview {
        flex: 1;
        min-height: 0;
        padding: 14px 14px 4px;
        cursor: pointer;
        overflow: hidden;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        line-height: 1.4;
        position: relative;
      }
      /* Long text fades out at the bottom: a gradient painted over it (a mask-image on every card
         made each one a composited layer of its own, a cost on every cold start's first frame). */
      .preview::after {
        content: '';
        position: absolute;
        inset: 75% 0 0;
        background: linear-gradient(to bottom, transparent, var(--note-bg));
        pointer-events: none;
      }
      .pinned .preview {
        padding-right: 30px;
      }
      .title {
        font-weight: 700;
        display: -webkit-box;
        -webkit-box-orient: vertical;
        -webkit-line-clamp: 2;
        overflow: hidden;
      }
      .title + .body {
        display: block;
        margin-top: 4px;
      }
      .items {
        list-style: none;
        margin: 4px 0 0;
        padding: 0;
        white-space: normal;
      }
      .items li {
        display: flex;
        gap: 8px;
        align-items: baseline;
      }
      .box {
        flex: none;
        width: 0.8em;
        height: 0.8em;
        border: 1.5px solid currentColor;
        border-radius: 3px;
        transform: translateY(0.1em);
      }
      .more-items {
        display: block;
        margin-top: 2px;
        font-size: 0.85rem;
        color: var(--rn-note-ink-faded);
      }
      /* A faded ink, not opacity: opacity fell under 4.5:1 on the dark theme's notes. */
      .done .preview {
        text-decoration: line-through;
        color: var(--rn-note-ink-faded);
      }
      .empty {
        color: var(--rn-note-ink-faded);
        font-style: italic;
      }
      /* The note's ink, underlined: link blue falls under 4.5:1 on some note colors. */
      .preview a {
        color: inherit;
        text-decoration: underline;
        text-underline-offset: 2px;
      }
      .archived-mark,
      label.done-toggle {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        padding: 0 6px;
        min-height: 36px;
        font-size: 0.85rem;
      }
      .archived-mark {
        color: var(--rn-note-ink-faded);
      }
      .archived-mark svg {
        width: 16px;
        height: 16px;
      }
      reminder-chip {
        margin: 2px 10px 0;
        max-width: calc(100% - 20px);
      }
      .labels {
        /* The chips fit themselves to the card's width (NARROW_CARD_LABELS): only a card with labels is a container. */
        container-type: inline-size;
        display: flex;
        gap: 4px;
        margin: 0;
        padding: 2px 10px 0;
        list-style: none;
        font-size: 0.75rem;
        overflow: hidden;
      }
      .labels li {
        min-width: 0;
        padding: 1px 6px;
        border: 1px solid var(--rn-note-ink-faded);
        border-radius: 999px;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .labels .plus {
        flex: none;
      }
      /* The card's width less the list's 20 px of padding: a card under 220 px shows fewer chips. */
      @container (max-width: 199.98px) {
        .labels .wide {
          display: none;
        }
      }
      @container (min-width: 200px) {
        .labels .narrow {
          display: none;
        }
      }
      footer {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 2px;
        padding: 2px 4px 4px;
      }
      .pin-mark {
        position: absolute;
        top: 6px;
        right: 6px;
        opacity: 0.6;
      }
      label.done-toggle {
        cursor: pointer;
      }
      input[type='checkbox'] {
        width: 18px;
        height: 18px;
        margin: 0;
        accent-color: var(--rn-accent);
      }
      @media (pointer: coarse) {
        label.done-toggle,
        .icon-button {
          min-width: 44px;
          min-height: 44px;
        }
      }
    `,
  ];

  @property({ attribute: false }) note!: NoteRecord;
  @property({ attribute: false }) actions!: NoteActions;
  @property() mode: BoardMode = 'board';
  /** Chosen for the selection bar's actions (select several). */
  @property({ type: Boolean }) selected = false;
  /** The person's live labels by id (a label id with none here is not shown). */
  @property({ attribute: false }) labels: ReadonlyMap<string, LabelRecord> | undefined;

  @state() private _menuOpen = false;
  /**
   * A tick or a color chosen here, shown at once: painted in the frame after the click rather than
   * a frame or two later, once the write has committed and the board's query has read it back.
   * Dropped when the note arrives holding it, when the note arrives after the save ended (another
   * device's later edit may have won meanwhile), or when the save fails (the app says why).
   */
  @state() private _unsaved: { id: string; patch: NotePatch; settled: boolean } | undefined;

  @query('article') private _article?: HTMLElement;
  @query('.more') private _moreButton?: HTMLElement;
  @query('action-menu') private _menu?: ActionMenu;

  override focus(): void {
    this._article?.focus();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('note') && this._unsaved && (this._unsaved.settled || this.note.id !== this._unsaved.id || this._holds(this._unsaved.patch))) {
      this._unsaved = undefined;
    }
  }

  private _holds(patch: NotePatch): boolean {
    return Object.entries(patch).every(([field, value]) => this.note[field as keyof NotePatch] === value);
  }

  /** The note as this card shows it: with the change it has asked for and the store does not hold yet. */
  private get _shown(): NoteRecord {
    return this._unsaved?.id === this.note.id ? { ...this.note, ...this._unsaved.patch } : this.note;
  }

  private _save = (patch: NotePatch): void => {
    const { id } = this.note;
    const unsaved = Object.keys(patch).every((field) => IN_PLACE_FIELDS.includes(field))
      ? { id, patch: { ...(this._unsaved?.id === id ? this._unsaved.patch : {}), ...patch }, settled: false }
      : undefined;
    if (unsaved) this._unsaved = unsaved;
    void this.actions.update(id, patch).then((saved) => {
      if (this._unsaved !== unsaved || !unsaved) return;
      this._unsaved = saved && !this._holds(unsaved.patch) ? { ...unsaved, settled: true } : undefined;
    });
  };

  override render() {
    const note = this._shown;
    const items = note.items ?? [];
    const label = `${this.selected ? 'Selected, ' : ''}${note.pinned ? 'Pinned note' : 'Note'}${note.done ? ', done' : ''}${note.archived && this.mode === 'board' ? ', archived' : ''}: ${noteTitle(note.text.trim() ? note.text : (items[0]?.text ?? ''))}`;
    const { title, body } = splitTitle(note.text);
    return html`
      <article
        data-color=${note.color}
        class=${[note.done ? 'done' : '', note.pinned ? 'pinned' : '', this.selected ? 'selected' : ''].join(' ')}
        tabindex="0"
        aria-label=${label}
        @keydown=${this._onCardKeydown}
      >
        ${note.pinned ? html`<span class="pin-mark" aria-hidden="true">${pinIcon}</span>` : nothing}
        <div class="preview" data-excerpt @click=${this._open}>${note.text.trim() === '' && items.length === 0
          ? html`<span class="empty">Empty note</span>`
          : html`${title ? html`<strong class="title" data-excerpt>${renderWithLinks(title)}</strong>` : nothing}${body
              ? html`<span class="body">${renderWithLinks(body)}</span>`
              : nothing}${items.length ? this._renderItems(items) : nothing}`}</div>
        ${note.reminder ? html`<reminder-chip .reminder=${note.reminder}></reminder-chip>` : nothing}${this._renderLabels()}
        <footer>
          ${this.mode === 'trash'
            ? html`<span></span>`
            : note.archived && this.mode === 'board'
              ? html`<span class="archived-mark">${archiveIcon}Archived</span>`
              : html`<label class="done-toggle">
                  <input type="checkbox" .checked=${note.done} @change=${this._toggleDone} />
                  Done
                </label>`}
          <button
            class="icon-button more"
            aria-haspopup="menu"
            aria-expanded=${this._menuOpen ? 'true' : 'false'}
            aria-label="More actions"
            title="More actions"
            @click=${this._openMenu}
          >${moreIcon}</button>
          ${this._menuOpen
            ? html`<action-menu
                label="Note actions"
                .entries=${noteMenuEntries(note, this.mode, this.actions, this._save)}
                @menu-closed=${() => (this._menuOpen = false)}
              ></action-menu>`
            : nothing}
        </footer>
      </article>
    `;
  }

  private _renderLabels() {
    const labels = (this.note.labels ?? []).map((id) => this.labels?.get(id)).filter((label) => label !== undefined);
    if (labels.length === 0) return nothing;
    // Both counts are rendered and the card's width shows one: a narrow card has room for fewer chips.
    const more = (shown: number, width: 'narrow' | 'wide') => (labels.length > shown ? html`<li class="plus ${width}">+${labels.length - shown}</li>` : nothing);
    return html`<ul class="labels" aria-label="Labels">${labels
      .slice(0, CARD_LABELS)
      .map((label, i) => html`<li class=${i < NARROW_CARD_LABELS ? '' : 'wide'}>${label.name}</li>`)}${more(NARROW_CARD_LABELS, 'narrow')}${more(CARD_LABELS, 'wide')}</ul>`;
  }

  /** A checklist's first open items, then how many are ticked (the opened note shows them all). */
  private _renderItems(items: ChecklistItem[]) {
    const open = items.filter((item) => !item.done);
    const ticked = items.length - open.length;
    return html`<ul class="items">${open
      .slice(0, PREVIEW_ITEMS)
      .map((item) => html`<li><span class="box" aria-hidden="true"></span>${renderWithLinks(item.text)}</li>`)}</ul>${open.length > PREVIEW_ITEMS
      ? html`<span class="more-items">+ ${open.length - PREVIEW_ITEMS} more</span>`
      : nothing}${ticked ? html`<span class="more-items">${ticked === 1 ? '1 ticked item' : `${ticked} ticked items`}</span>` : nothing}`;
  }

  private _open = () => {
    this.actions.open(this.note);
  };

  /** The menu's code loads the first time any card's menu opens. */
  private _openMenu = async () => {
    if (this._menuOpen) {
      this._menu?.close(true);
      return;
    }
    await import('./action-menu.js');
    this._menuOpen = true;
    await this.updateComplete;
    await this._menu?.show(this._moreButton!);
  };

  private _onCardKeydown = (event: KeyboardEvent) => {
    if (event.target !== this._article) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      this._open();
    } else if ((event.key === 'Delete' || event.key === 'Backspace') && this.mode !== 'trash') {
      event.preventDefault();
      void this.actions.trash(this.note.id);
    }
  };

  private _toggleDone = (event: Event) => {
    this._save({ done: (event.target as HTMLInputElement).checked });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'note-card': NoteCard;
  }
}
