/**
 * The bar that replaces the header's row while notes are selected: how many, and what can be done
 * to all of them at once (color, pin, done, copy, archive or unarchive, trash), and clearing the selection
 * (its button or Esc, selection-controller.ts). It renders; the controller acts.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { NOTE_COLORS, type NoteColor } from '../shared/note.js';
import type { ActionMenu, MenuEntry } from './action-menu.js';
import { archiveIcon, pinIcon, trashIcon } from './icons.js';
import { checkIcon, closeIcon, copyIcon, paletteIcon, unarchiveIcon } from './later-icons.js';
import { COLOR_NAMES } from './note-card.js';
import { sharedStyles } from './shared-styles.js';

/** What the bar's buttons do, over every selected note. */
export interface SelectionActions {
  clear(): void;
  color(color: NoteColor): void;
  pin(pinned: boolean): void;
  done(done: boolean): void;
  copy(): void;
  archive(archived: boolean): void;
  trash(): void;
}

@customElement('selection-bar')
export class SelectionBar extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        position: fixed;
        top: 0;
        left: 0;
        right: 0;
        z-index: 6;
      }
      [role='toolbar'] {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 4px 2px;
        padding: calc(8px + env(safe-area-inset-top)) 12px 8px;
        background: var(--rn-surface);
        border-bottom: 1px solid var(--rn-border);
        box-shadow: var(--rn-shadow);
      }
      /* On a phone the number alone, as in the platforms' own bars; screen readers still hear "selected". */
      @media (max-width: 420px) {
        .word {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip-path: inset(50%);
          white-space: nowrap;
        }
      }
      .count {
        margin-left: 6px;
        white-space: nowrap;
        flex: 1;
        font-weight: 600;
      }
      button {
        min-height: 44px;
        min-width: 44px;
      }
    `,
  ];

  @property({ type: Number }) count = 0;
  /** Whether every selected note is pinned / done: the buttons then unpin / untick. */
  @property({ type: Boolean }) allPinned = false;
  @property({ type: Boolean }) allDone = false;
  /** Whether every selected note is archived: the button then unarchives. */
  @property({ type: Boolean }) allArchived = false;
  @property({ attribute: false }) actions!: SelectionActions;

  @state() private _menuOpen = false;
  @query('action-menu') private _menu?: ActionMenu;
  @query('.palette') private _paletteButton?: HTMLElement;

  override render() {
    const actions = this.actions;
    // A landmark of its own (it stands where the header was), holding the toolbar.
    return html`<section aria-label="Selection"><div role="toolbar" aria-label="Selected notes">
      <button class="icon-button" aria-label="Clear selection" title="Clear selection (Esc)" @click=${() => actions.clear()}>${closeIcon}</button>
      <span class="count" role="status">${this.count}<span class="word"> selected</span></span>
      <button class="icon-button palette" aria-label="Color" title="Color" aria-haspopup="menu" @click=${this._openPalette}>${paletteIcon}</button>
      <button class="icon-button" aria-label=${this.allPinned ? 'Unpin' : 'Pin'} title=${this.allPinned ? 'Unpin' : 'Pin'} @click=${() => actions.pin(!this.allPinned)}>
        ${pinIcon}
      </button>
      <button class="icon-button" aria-label=${this.allDone ? 'Not done' : 'Done'} title=${this.allDone ? 'Mark not done' : 'Mark done'} @click=${() => actions.done(!this.allDone)}>
        ${checkIcon}
      </button>
      <button class="icon-button" aria-label="Copy" title="Make a copy" @click=${() => actions.copy()}>${copyIcon}</button>
      <button
        class="icon-button"
        aria-label=${this.allArchived ? 'Unarchive' : 'Archive'}
        title=${this.allArchived ? 'Unarchive' : 'Archive'}
        @click=${() => actions.archive(!this.allArchived)}
      >${this.allArchived ? unarchiveIcon : archiveIcon}</button>
      <button class="icon-button" aria-label="Trash" title="Move to trash" @click=${() => actions.trash()}>${trashIcon}</button>
      ${this._menuOpen
        ? html`<action-menu label="Color of the selected notes" .entries=${this._colors()} @menu-closed=${() => (this._menuOpen = false)}></action-menu>`
        : nothing}
    </div></section>`;
  }

  private _colors(): MenuEntry[] {
    return NOTE_COLORS.map((color) => ({ kind: 'color', color, label: COLOR_NAMES[color], checked: false, run: () => this.actions.color(color) }));
  }

  private _openPalette = async () => {
    await import('./action-menu.js');
    this._menuOpen = true;
    await this.updateComplete;
    await this._menu?.show(this._paletteButton!);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'selection-bar': SelectionBar;
  }
}
