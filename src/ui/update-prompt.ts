/**
 * Registers the service worker once the app has painted, and offers a waiting new version with a
 * polite toast: "Reload" lets it take over, "Later" hides the toast until the next visit.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { registerServiceWorker, type PendingUpdate } from '../pwa/register.js';

@customElement('update-prompt')
export class UpdatePrompt extends LitElement {
  static override styles = css`
    :host {
      position: fixed;
      left: 50%;
      /* Above the snackbar (src/ui/app-snackbar.ts), so an Undo is never covered by this toast. */
      bottom: calc(84px + env(safe-area-inset-bottom));
      transform: translateX(-50%);
      z-index: 20;
      width: min(480px, calc(100vw - 24px - env(safe-area-inset-left) - env(safe-area-inset-right)));
      pointer-events: none;
      font-family: var(--rn-font, system-ui, sans-serif);
    }
    .toast {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 10px 10px 10px 16px;
      border: 1px solid var(--rn-border, transparent);
      border-radius: var(--rn-radius, 14px);
      background: var(--rn-surface, #ffffff);
      color: var(--rn-on-surface, #1f1c17);
      box-shadow: var(--rn-shadow, 0 1px 3px rgb(0 0 0 / 0.2));
      pointer-events: auto;
    }
    .text {
      flex: 1;
    }
    button {
      min-height: 36px;
      padding: 0 14px;
      border: none;
      border-radius: 999px;
      font: inherit;
      font-weight: 600;
      cursor: pointer;
      background: transparent;
      color: inherit;
    }
    button.primary {
      background: var(--rn-accent, #8a5a00);
      color: var(--rn-on-accent, #ffffff);
    }
    button:focus-visible {
      outline: 3px solid var(--rn-focus, #1a62d6);
      outline-offset: 2px;
    }
  `;

  @state() private _update: PendingUpdate | undefined;
  private _registered = false;
  private _cancelDeferred: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this._registered) return;
    // Registering starts the worker's install, which downloads the whole app: not before the
    // first paint.
    const register = () => {
      this._cancelDeferred = undefined;
      this._registered = true;
      registerServiceWorker((update) => (this._update = update)).catch((error: unknown) => {
        // No worker means no offline start, but the app itself works; nothing to show the person.
        console.warn('Service worker registration failed', error);
      });
    };
    if ('requestIdleCallback' in window) {
      const id = window.requestIdleCallback(register, { timeout: 2000 });
      this._cancelDeferred = () => window.cancelIdleCallback(id);
    } else {
      const id = setTimeout(register, 1);
      this._cancelDeferred = () => clearTimeout(id);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._cancelDeferred?.();
    this._cancelDeferred = undefined;
  }

  override render() {
    // The live region stays in the page so screen readers announce the toast when it appears.
    return html`<div role="status" aria-live="polite">
      ${this._update
        ? html`<div class="toast">
            <span class="text">New version available</span>
            <button type="button" @click=${this._later}>Later</button>
            <button type="button" class="primary" @click=${this._reload}>Reload</button>
          </div>`
        : nothing}
    </div>`;
  }

  private _reload = () => {
    this._update?.apply();
  };

  private _later = () => {
    this._update = undefined;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'update-prompt': UpdatePrompt;
  }
}
