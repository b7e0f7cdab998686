/**
 * Short messages at the bottom of the screen, one at a time, each with an optional action
 * (like Undo). Announced politely to screen readers. An undo action also runs on Ctrl/Cmd+Z for
 * as long as the message shows (outside text fields, whose own undo comes first): focus stays where
 * the person works (the next card after a delete) and the undo is one key away, said with the message.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { APP } from '../constants.js';
import { closeIcon } from './later-icons.js';
import { sharedStyles } from './shared-styles.js';

export interface SnackbarMessage {
  text: string;
  /** `undo`: the action undoes what the message reports, and Ctrl/Cmd+Z runs it too. */
  action?: { label: string; run: () => void; undo?: boolean };
  durationMs?: number;
}

@customElement('app-snackbar')
export class AppSnackbar extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        position: fixed;
        left: 50%;
        bottom: calc(16px + env(safe-area-inset-bottom));
        transform: translateX(-50%);
        z-index: 10;
        width: min(560px, calc(100vw - 24px));
        pointer-events: none;
      }
      .bar {
        display: flex;
        align-items: center;
        gap: 12px;
        padding: 10px 10px 10px 16px;
        border-radius: 12px;
        background: var(--rn-inverse-surface);
        color: var(--rn-inverse-on-surface);
        box-shadow: var(--rn-shadow-raised);
        pointer-events: auto;
      }
      .text {
        flex: 1;
      }
      .visually-hidden {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
      }
      button {
        border: none;
        background: transparent;
        color: var(--rn-inverse-accent);
        font-weight: 600;
        min-height: 36px;
        padding: 0 10px;
        border-radius: 8px;
      }
      @media (pointer: coarse) {
        button {
          min-width: 44px;
          min-height: 44px;
        }
      }
    `,
  ];

  @state() private _message: SnackbarMessage | undefined;
  private _timer: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this._onKeydown);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this._onKeydown);
  }

  /** True while a message offers undo (Ctrl/Cmd+Z runs it). */
  get offersUndo(): boolean {
    return this._message?.action?.undo === true;
  }

  show(message: SnackbarMessage): void {
    clearTimeout(this._timer);
    this._message = message;
    this._timer = setTimeout(() => this.dismiss(), message.durationMs ?? APP.MESSAGE_SNACKBAR_MS);
  }

  dismiss(): void {
    clearTimeout(this._timer);
    this._message = undefined;
  }

  private _run(action: NonNullable<SnackbarMessage['action']>): void {
    this.dismiss();
    action.run();
  }

  private _onKeydown = (event: KeyboardEvent) => {
    const action = this._message?.action;
    if (!action?.undo || event.defaultPrevented || event.key.toLowerCase() !== 'z' || event.shiftKey || event.altKey) return;
    if (!(event.ctrlKey || event.metaKey)) return;
    const target = event.composedPath()[0];
    if (target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
    event.preventDefault();
    this._run(action);
  };

  override render() {
    const message = this._message;
    return html`<div role="status" aria-live="polite">
      ${message
        ? html`<div class="bar">
            <span class="text"
              >${message.text}${message.action?.undo ? html`<span class="visually-hidden">. Control+Z undoes it.</span>` : nothing}</span
            >
            ${message.action
              ? html`<button aria-keyshortcuts=${message.action.undo ? 'Control+Z Meta+Z' : nothing} @click=${() => this._run(message.action!)}>
                  ${message.action.label}
                </button>`
              : nothing}
            <button aria-label="Dismiss" @click=${() => this.dismiss()}>${closeIcon}</button>
          </div>`
        : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'app-snackbar': AppSnackbar;
  }
}
