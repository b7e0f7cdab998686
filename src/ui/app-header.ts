/**
 * The app's header: the name, the search field, the labels (the side drawer), the three views (Notes, Archive, Trash), the keyboard
 * shortcuts, settings and the account. Compact and opaque, one row at every width: on phones the
 * name is its logo, the views are icons, and the search field hides behind a button and opens
 * over the row. It renders and reports; the shell decides (`search-change`, `view-change`,
 * `labels-open`, `shortcuts-open`, `settings-open`; account-button's own `account-open` and `sync-retry` bubble).
 */
import { LitElement, css, html, nothing, type SVGTemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { SyncAvailability } from '../account/lifecycle.js';
import type { AccountState } from '../account/session.js';
import './account-button.js';
import { archiveIcon, backIcon, keyboardIcon, labelIcon, notesIcon, searchIcon, settingsIcon, trashIcon } from './icons.js';
import type { BoardMode } from './note-actions.js';
import { sharedStyles } from './shared-styles.js';

@customElement('app-header')
export class AppHeader extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        position: sticky;
        top: 0;
        z-index: 5;
        display: block;
        /* Opaque, so the board never shows through while it scrolls beneath. */
        background: var(--rn-bar);
        border-bottom: 1px solid var(--rn-border);
      }
      header {
        position: relative;
        display: flex;
        align-items: center;
        gap: 8px 12px;
        padding: calc(6px + env(safe-area-inset-top)) max(16px, env(safe-area-inset-right)) 6px max(16px, env(safe-area-inset-left));
      }
      h1 {
        display: flex;
        align-items: center;
        gap: 8px;
        margin: 0;
        font-size: 1.15rem;
        white-space: nowrap;
      }
      .logo {
        display: inline-grid;
        place-items: center;
        color: var(--rn-accent);
      }
      .search {
        position: relative;
        display: flex;
        align-items: center;
        gap: 4px;
        flex: 1 1 240px;
        max-width: 560px;
        margin: 0 auto;
      }
      input[type='search'] {
        width: 100%;
        min-height: 40px;
        padding: 0 40px 0 14px;
        border: 1px solid var(--rn-border);
        border-radius: 999px;
        font: inherit;
        color: inherit;
        background: var(--rn-surface);
      }
      @media (pointer: coarse) {
        input[type='search'] {
          min-height: 44px;
        }
      }
      .key-hint {
        display: none;
        position: absolute;
        right: 12px;
        padding: 0 6px;
        border: 1px solid var(--rn-border);
        border-radius: 6px;
        font: 0.8rem var(--rn-font);
        color: var(--rn-muted);
        pointer-events: none;
      }
      /* Only where there is a keyboard, and only while the field is empty. */
      @media (hover: hover) and (pointer: fine) {
        input:placeholder-shown + .key-hint {
          display: block;
        }
      }
      .search-toggle,
      .search-close {
        display: none;
      }
      nav {
        display: flex;
        align-items: center;
        gap: 4px;
        margin-left: auto;
      }
      .view {
        position: relative;
        display: inline-flex;
        align-items: center;
        gap: 6px;
      }
      .view[aria-current='page'] {
        background: var(--rn-pressed);
        border-color: transparent;
      }
      .badge {
        display: none;
      }
      @media (hover: none), (pointer: coarse) {
        .shortcuts {
          display: none;
        }
      }
      /* Below 700 px the header folds: icon views, the search field behind a button. */
      @media (max-width: 699px) {
        header {
          gap: 4px;
          padding-left: max(8px, env(safe-area-inset-left));
          padding-right: max(8px, env(safe-area-inset-right));
        }
        .search-toggle {
          display: inline-grid;
          margin-left: auto;
        }
        nav {
          margin-left: 0;
        }
        .search {
          display: none;
        }
        header.searching .search {
          position: absolute;
          inset: 0;
          display: flex;
          max-width: none;
          padding: inherit;
          background: var(--rn-bar);
        }
        header.searching .search-close {
          display: inline-grid;
          flex: none;
        }
        /* The open search covers the row; the page's heading stays for screen readers. */
        header.searching > :not(.search):not(h1) {
          visibility: hidden;
        }
        .view {
          justify-content: center;
          min-width: 44px;
          padding: 0;
          border-color: transparent;
          background: transparent;
        }
        .view .label {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip: rect(0 0 0 0);
          white-space: nowrap;
        }
        .badge {
          display: block;
          position: absolute;
          top: 2px;
          right: 0;
          min-width: 18px;
          padding: 0 4px;
          border-radius: 999px;
          font-size: 0.7rem;
          line-height: 18px;
          background: var(--rn-accent);
          color: var(--rn-on-accent);
        }
      }
      /* Phones and tablets: the name gives way to the logo, so everything fits one row down to
         320 px and the search field keeps room beside four views. */
      @media (max-width: 999px) {
        .app-name {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip: rect(0 0 0 0);
          white-space: nowrap;
        }
      }
      /* The smallest phones: three views, search, settings and "Sign in" need the logo's room too
         (the heading stays for screen readers). */
      @media (max-width: 359px) {
        .logo {
          display: none;
        }
        /* And Archive gives way to the Labels button: the side drawer it opens lists Archive. */
        .view.archive {
          display: none;
        }
      }
    `,
  ];

  @property() view: BoardMode = 'board';
  @property() search = '';
  @property({ type: Number }) trashCount = 0;
  /** The board (only it) is filtered by a label: the Labels button, not Notes, marks where the person is. */
  @property({ type: Boolean }) filtered = false;
  @property({ attribute: false }) account: AccountState = { kind: 'guest' };
  @property({ attribute: false }) sync: SyncAvailability = { status: 'loading' };

  /** The search field is open over the row (phones; on wider screens it is always there). */
  @state() private _searchOpen = false;

  @query('input[type=search]') private _searchInput!: HTMLInputElement;

  /** Opens the search field (on phones) and puts the cursor in it. */
  async focusSearch(): Promise<void> {
    this._searchOpen = true;
    await this.updateComplete;
    this._searchInput.focus();
  }

  private _fire<T>(type: string, detail?: T): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  private _closeSearch = () => {
    this._fire('search-change', '');
    this._searchOpen = false;
  };

  private _onSearchKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      this._closeSearch();
      this._searchInput.blur();
    }
  };

  override render() {
    // It stays open while it holds a search, so what filters the board is always in sight.
    const searching = this._searchOpen || this.search !== '';
    const trashLabel = `Trash${this.trashCount ? ` (${this.trashCount})` : ''}`;
    return html`<header class=${searching ? 'searching' : ''}>
      <h1><span class="logo" aria-hidden="true">${notesIcon}</span><span class="app-name">Roaming Notes</span></h1>
      <button class="icon-button search-toggle" aria-label="Search" title="Search" @click=${() => void this.focusSearch()}>${searchIcon}</button>
      <div class="search" role="search">
        <button class="icon-button search-close" aria-label="Close search" title="Close search" @click=${this._closeSearch}>${backIcon}</button>
        <label class="visually-hidden" for="search">Search notes</label>
        <input
          id="search"
          type="search"
          placeholder="Search notes"
          .value=${this.search}
          @input=${(event: InputEvent) => this._fire('search-change', (event.target as HTMLInputElement).value)}
          @keydown=${this._onSearchKeydown}
        />
        <kbd class="key-hint" aria-hidden="true">/</kbd>
      </div>
      <nav aria-label="Views">
        <button class="text-button view" aria-haspopup="dialog" aria-current=${this.filtered ? 'page' : 'false'} @click=${() => this._fire('labels-open')}>
          ${labelIcon}<span class="label">Labels</span>
        </button>
        ${this._viewButton('board', 'Notes', notesIcon)} ${this._viewButton('archive', 'Archive', archiveIcon)}
        ${this._viewButton('trash', trashLabel, trashIcon, this.trashCount)}
        <button class="icon-button shortcuts" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" @click=${() => this._fire('shortcuts-open')}>
          ${keyboardIcon}
        </button>
        <button class="icon-button" aria-label="Settings" title="Settings" @click=${() => this._fire('settings-open')}>${settingsIcon}</button>
        <account-button .account=${this.account} .sync=${this.sync}></account-button>
      </nav>
    </header>`;
  }

  /** A view's button: its label beside an icon, or on phones the icon alone with a count badge. */
  private _viewButton(view: BoardMode, label: string, icon: SVGTemplateResult, count = 0) {
    return html`<button class="text-button view ${view}" aria-current=${this.view === view && !this.filtered ? 'page' : 'false'} @click=${() => this._fire('view-change', view)}>
      ${icon}<span class="label">${label}</span>${count ? html`<span class="badge" aria-hidden="true">${count}</span>` : nothing}
    </button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'app-header': AppHeader;
  }
}
