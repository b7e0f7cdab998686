/**
 * The account's place in the header: "Sync is not set up" for a copy without Firebase, "Sync is
 * unavailable: <why>" with Retry when Firebase could not be loaded, otherwise "Sign in" for the
 * guest or the account's initial. It fires `account-open` and `sync-retry`; the shell acts.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { SyncAvailability } from '../account/lifecycle.js';
import type { AccountState } from '../account/session.js';
import { accountIcon } from './icons.js';
import { sharedStyles } from './shared-styles.js';

@customElement('account-button')
export class AccountButton extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        align-items: center;
        gap: 8px;
      }
      .not-set-up {
        font-size: 0.8rem;
        color: var(--rn-muted);
        white-space: nowrap;
      }
      .unavailable {
        font-size: 0.8rem;
        color: var(--rn-error);
      }
      /* On a phone's one-row header it takes two short lines beside the buttons, not a squeeze. */
      @media (max-width: 699px) {
        .not-set-up {
          max-width: 6em;
          white-space: normal;
          text-align: right;
          line-height: 1.15;
          font-size: 0.75rem;
        }
      }
      .avatar {
        width: 36px;
        height: 36px;
        border-radius: 50%;
        border: none;
        background: var(--rn-accent);
        color: var(--rn-on-accent);
        font-weight: 700;
      }
      @media (pointer: coarse) {
        .avatar {
          width: 44px;
          height: 44px;
        }
      }
    `,
  ];

  @property({ attribute: false }) account: AccountState = { kind: 'guest' };
  @property({ attribute: false }) sync: SyncAvailability = { status: 'loading' };

  private _fire(type: 'account-open' | 'sync-retry') {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true }));
  }

  override render() {
    const sync = this.sync;
    if (sync.status === 'not-configured') {
      return html`<span class="not-set-up" role="status" title="This copy of the app has no Firebase configuration; notes stay on this device."
        >Sync is not set up</span
      >`;
    }
    const unavailable =
      sync.status === 'unavailable'
        ? html`<span class="unavailable" role="status" data-testid="sync-unavailable">Sync is unavailable: ${sync.reason}</span>
            <button class="text-button" @click=${() => this._fire('sync-retry')}>Retry</button>`
        : nothing;
    const account = this.account;
    if (account.kind === 'guest') {
      // Signing in needs what could not be loaded: the button comes back once it has.
      return sync.status === 'unavailable' ? unavailable : html`<button class="text-button" @click=${() => this._fire('account-open')}>Sign in</button>`;
    }
    const name = account.account.displayName ?? account.account.email ?? '';
    const initial = name.trim().charAt(0).toUpperCase();
    return html`${unavailable}
      <button class="avatar" aria-label=${`Account: ${name || 'signed in'}`} title=${name} @click=${() => this._fire('account-open')}>
        ${initial || accountIcon}
      </button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'account-button': AccountButton;
  }
}
