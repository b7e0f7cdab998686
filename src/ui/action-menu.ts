/**
 * A menu of actions opened from a button: note actions on a card, the color palette in an opened
 * note. It follows the ARIA menu pattern (role=menu, menuitem and menuitemradio; arrows, Home,
 * End, Enter and Space; Esc or Tab closes and gives focus back to the button that opened it).
 * It is a popover, so it shows in the top layer: a card that clips its content cannot cut it off.
 * Loaded on first use: nothing in it is needed for the first paint.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { NoteColor } from '../shared/note.js';
import { noteColorStyles, sharedStyles } from './shared-styles.js';

export type MenuEntry =
  | { kind: 'item'; label: string; run: () => void }
  | { kind: 'color'; color: NoteColor; label: string; checked: boolean; run: () => void };

/** Space kept between the menu and the edges of the window, in CSS pixels. */
const EDGE_MARGIN_PX = 8;

@customElement('action-menu')
export class ActionMenu extends LitElement {
  static override styles = [
    sharedStyles,
    noteColorStyles,
    css`
      [popover] {
        position: fixed;
        inset: auto;
        margin: 0;
        min-width: 180px;
        max-width: calc(100vw - ${EDGE_MARGIN_PX * 2}px);
        max-height: calc(100dvh - ${EDGE_MARGIN_PX * 2}px);
        overflow: auto;
        padding: 6px 0;
        border: 1px solid var(--rn-border);
        border-radius: 12px;
        background: var(--rn-surface);
        color: var(--rn-on-surface);
        box-shadow: var(--rn-shadow-raised);
      }
      [role='menuitem'] {
        display: flex;
        align-items: center;
        width: 100%;
        min-height: 40px;
        padding: 0 16px;
        border: none;
        background: transparent;
        text-align: start;
      }
      [role='menuitem']:hover,
      [role='menuitem']:focus {
        background: var(--rn-hover);
      }
      [role='group'] {
        display: grid;
        grid-template-columns: repeat(3, 44px);
        gap: 6px;
        justify-content: center;
        padding: 8px 12px;
      }
      [role='group']:not(:first-child) {
        border-top: 1px solid var(--rn-border);
        margin-top: 6px;
      }
      .swatch {
        width: 44px;
        height: 44px;
        border-radius: 50%;
        border: 2px solid var(--rn-border);
        background: var(--note-bg);
      }
      .swatch[aria-checked='true'] {
        border-color: var(--rn-on-surface);
        box-shadow: inset 0 0 0 3px var(--rn-surface);
      }
      @media (pointer: coarse) {
        [role='menuitem'] {
          min-height: 48px;
        }
      }
    `,
  ];

  @property({ attribute: false }) entries: MenuEntry[] = [];
  @property() label = 'Actions';

  @query('[popover]') private _popover!: HTMLElement;
  private _anchor: HTMLElement | undefined;

  /** Opens the menu beside `anchor`, with focus on its first action, or else its checked color. */
  async show(anchor: HTMLElement): Promise<void> {
    this._anchor = anchor;
    await this.updateComplete;
    this._popover.showPopover();
    this._place(anchor);
    const items = this._items();
    (items.find((item) => item.getAttribute('role') === 'menuitem') ?? items.find((item) => item.getAttribute('aria-checked') === 'true') ?? items[0])?.focus();
  }

  close(returnFocus: boolean): void {
    if (!this._isOpen()) return;
    this._popover.hidePopover();
    // Focus moves now, not when the toggle event comes a task later: a key pressed in between
    // (a quick second Esc) must reach the button's surroundings, not a hidden menu item.
    if (returnFocus) this._anchor?.focus();
  }

  private _isOpen(): boolean {
    return this._popover?.matches(':popover-open') ?? false;
  }

  override render() {
    const actions = this.entries.filter((entry) => entry.kind === 'item');
    const colors = this.entries.filter((entry) => entry.kind === 'color');
    return html`<div popover="auto" role="menu" aria-label=${this.label} @keydown=${this._onKeydown} @toggle=${this._onToggle}>
      ${actions.map(
        (entry) => html`<button role="menuitem" tabindex="-1" @click=${() => this._choose(entry)}>${entry.label}</button>`,
      )}
      ${colors.length
        ? html`<div role="group" aria-label="Color">
            ${colors.map(
              (entry) => html`<button
                class="swatch"
                role="menuitemradio"
                tabindex="-1"
                data-color=${entry.color}
                aria-checked=${entry.checked ? 'true' : 'false'}
                aria-label=${entry.label}
                title=${entry.label}
                @click=${() => this._choose(entry)}
              ></button>`,
            )}
          </div>`
        : ''}
    </div>`;
  }

  private _items(): HTMLElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('[role^="menuitem"]')];
  }

  private _choose(entry: MenuEntry): void {
    this.close(true);
    entry.run();
  }

  /** Below the button, its right edges aligned; above it when there is no room below. */
  private _place(anchor: HTMLElement): void {
    const box = anchor.getBoundingClientRect();
    const menu = this._popover.getBoundingClientRect();
    const fitsBelow = box.bottom + menu.height + EDGE_MARGIN_PX <= window.innerHeight;
    const top = fitsBelow ? box.bottom : Math.max(EDGE_MARGIN_PX, box.top - menu.height);
    const left = Math.min(window.innerWidth - menu.width - EDGE_MARGIN_PX, Math.max(EDGE_MARGIN_PX, box.right - menu.width));
    // Through the CSSOM, which a Content-Security-Policy without 'unsafe-inline' styles allows.
    this._popover.style.top = `${top}px`;
    this._popover.style.left = `${left}px`;
  }

  private _onKeydown = (event: KeyboardEvent) => {
    const items = this._items();
    const focused = this.renderRoot instanceof ShadowRoot ? this.renderRoot.activeElement : null;
    const current = items.findIndex((item) => item === focused);
    const moves: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowRight: current + 1,
      ArrowUp: current - 1,
      ArrowLeft: current - 1,
      Home: 0,
      End: items.length - 1,
    };
    const next = moves[event.key];
    if (next !== undefined) {
      event.preventDefault();
      items[(next + items.length) % items.length]?.focus();
    } else if (event.key === 'Escape' && this._isOpen()) {
      // Handled here, so an opened note around the menu does not close with it.
      event.preventDefault();
      event.stopPropagation();
      this.close(true);
    } else if (event.key === 'Tab') {
      this.close(true);
    }
  };

  private _onToggle = (event: ToggleEvent) => {
    if (event.newState !== 'closed') return;
    this.dispatchEvent(new CustomEvent('menu-closed', { bubbles: true, composed: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'action-menu': ActionMenu;
  }
}
