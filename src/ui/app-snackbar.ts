/**
 * Short messages at the bottom of the screen, one at a time, each with an optional action
 * (like Undo). Announced politely to screen readers.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { APP } from '../constants.js';
import { closeIcon } from './icons.js';
import { sharedStyles } from './shared-styles.js';

export interface SnackbarMessage {
  text: string;
  action?: { label: string; run: () => void };
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

  show(message: SnackbarMessage): void {
    clearTimeout(this._timer);
    this._message = message;
    this._timer = setTimeout(() => this.dismiss(), message.durationMs ?? APP.MESSAGE_SNACKBAR_MS);
  }

  dismiss(): void {
    clearTimeout(this._timer);
    this._message = undefined;
  }

  override render() {
    const message = this._message;
    return html`<div role="status" aria-live="polite">
      ${message
        ? html`<div class="bar">
            <span class="text">${message.text}</span>
            ${message.action
              ? html`<button
                  @click=${() => {
                    this.dismiss();
                    message.action!.run();
                  }}
                >${message.action.label}</button>`
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
