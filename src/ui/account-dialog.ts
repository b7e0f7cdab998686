/**
 * Signing in and the signed-in account: the sign-in methods this app offers (popup providers and
 * an email link), the methods linked to the account, linking another one, and signing out.
 * A failed or abandoned sign-in always ends in a message and enabled buttons, never a spinner:
 * a closed sign-in window gives the buttons back at once, while a late answer still signs in.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { PropertyValues } from 'lit';
import { accountUid, type AccountState } from '../account/session.js';
import { SIGN_IN_METHOD_LABELS, firebaseSettings, type SignInMethod } from '../firebase/config.js';
import type { PopupMethod } from '../firebase/auth.js';
import { dialogStyles, sharedStyles } from './shared-styles.js';

const LABELS = SIGN_IN_METHOD_LABELS;

type Busy = SignInMethod | 'send-link' | 'finish-link' | undefined;

@customElement('account-dialog')
export class AccountDialog extends LitElement {
  static override styles = [
    sharedStyles,
    dialogStyles,
    css`
      :host {
        --dialog-width: 420px;
      }
      h2 {
        margin: 0 0 6px;
        font-size: 1.2rem;
      }
      p {
        margin: 0 0 14px;
        color: var(--rn-muted);
      }
      .methods {
        display: grid;
        gap: 8px;
      }
      .methods .text-button {
        width: 100%;
      }
      form {
        display: flex;
        gap: 8px;
        margin-top: 12px;
      }
      input[type='email'] {
        flex: 1;
        min-height: 36px;
        padding: 0 12px;
        border: 1px solid var(--rn-border);
        border-radius: 999px;
        font: inherit;
        color: inherit;
        background: var(--rn-surface);
      }
      @media (pointer: coarse) {
        input[type='email'] {
          min-height: 44px;
        }
      }
      .message {
        margin: 12px 0 0;
      }
      .actions {
        display: flex;
        justify-content: space-between;
        gap: 8px;
        margin-top: 18px;
      }
      h3 {
        margin: 16px 0 8px;
        font-size: 0.95rem;
      }
    `,
  ];

  @property({ attribute: false }) state: AccountState = { kind: 'guest' };
  /** Notes kept on this device without an account, offered to move in while signed in. */
  @property({ attribute: false }) guestNotes = 0;
  @state() private _busy: Busy;
  @state() private _error = '';
  @state() private _info = '';
  /** An email link opened without the address remembered: ask for it to finish signing in. */
  @state() private _linkToFinish: string | undefined;
  @query('dialog') private _dialog!: HTMLDialogElement;
  /** Counts attempts: what an attempt replaced by a newer one reports is not shown. */
  private _attempts = 0;

  /** A message about signing in stops being true once someone else is signed in (another tab, say). */
  protected override willUpdate(changed: PropertyValues<this>): void {
    const previous = changed.get('state');
    if (previous === undefined || accountUid(previous) === accountUid(this.state)) return;
    this._error = '';
    this._info = '';
    this._linkToFinish = undefined;
  }

  open(): void {
    this._error = '';
    this._info = '';
    if (!this._dialog.open) this._dialog.showModal();
  }

  close(): void {
    this._dialog.close();
  }

  /** Completes an email-link sign-in the app was opened with. */
  async finishEmailLink(url: string): Promise<void> {
    await this._attempt('finish-link', async (auth) => {
      const user = await auth.completeEmailSignIn(url);
      if (user) return;
      this._linkToFinish = url;
      this.open();
    });
  }

  override render() {
    return html`<dialog aria-labelledby="account-title">
      ${this.state.kind === 'account' ? this._renderAccount(this.state.account) : this._renderSignIn()}
      ${this._error ? html`<p class="message error-text" role="alert">${this._error}</p>` : nothing}
      ${this._info ? html`<p class="message" role="status">${this._info}</p>` : nothing}
      <div class="actions">
        ${this.state.kind === 'account'
          ? html`<span>
              <button class="text-button" @click=${this._signOut}>Sign out</button>
              <button class="text-button" @click=${this._requestDevices}>My devices</button>
              <button class="text-button" @click=${this._requestDelete}>Delete my account</button>
            </span>`
          : html`<span></span>`}
        <button class="text-button primary" @click=${() => this.close()}>Close</button>
      </div>
    </dialog>`;
  }

  private _renderSignIn() {
    const methods = firebaseSettings?.signInMethods ?? [];
    const popupMethods = methods.filter((m): m is PopupMethod => m !== 'email');
    return html`
      <h2 id="account-title">Sign in to sync</h2>
      <p>Your notes roam to every device you sign in on. Only you can see them.</p>
      <div class="methods">
        ${popupMethods.map(
          (method) => html`<button
            class="text-button"
            ?disabled=${this._busy !== undefined}
            @click=${() => this._signIn(method)}
          >${this._busy === method ? 'Waiting for the sign-in window…' : `Continue with ${LABELS[method]}`}</button>`,
        )}
      </div>
      ${methods.includes('email') || this._linkToFinish ? this._renderEmailForm() : nothing}
    `;
  }

  private _renderEmailForm() {
    const finishing = this._linkToFinish !== undefined;
    return html`<form @submit=${this._onEmailSubmit}>
      <label class="visually-hidden" for="email">Email address</label>
      <input id="email" type="email" required autocomplete="email" placeholder="you@example.com" />
      <button class="text-button" type="submit" ?disabled=${this._busy !== undefined}>
        ${finishing ? 'Finish signing in' : 'Email me a link'}
      </button>
    </form>`;
  }

  private _renderAccount(account: Extract<AccountState, { kind: 'account' }>['account']) {
    const linkable = (firebaseSettings?.signInMethods ?? []).filter(
      (m): m is PopupMethod => m !== 'email' && !account.methods.includes(m),
    );
    return html`
      <h2 id="account-title">Your account</h2>
      <p data-testid="account-name">${account.displayName ?? account.email ?? 'Signed in'}${
        account.displayName && account.email ? html` · ${account.email}` : nothing
      }</p>
      <p>Signed in with ${account.methods.map((m) => LABELS[m]).join(', ') || 'an unknown method'}.</p>
      ${this.guestNotes > 0
        ? html`<button class="text-button" @click=${this._moveGuestNotes}>
            Move ${this.guestNotes} ${this.guestNotes === 1 ? 'note' : 'notes'} from this device into my account
          </button>`
        : nothing}
      ${linkable.length
        ? html`<h3>Add another way to sign in</h3>
            <div class="methods">
              ${linkable.map(
                (method) => html`<button
                  class="text-button"
                  ?disabled=${this._busy !== undefined}
                  @click=${() => this._link(method)}
                >${this._busy === method ? 'Waiting for the sign-in window…' : `Link ${LABELS[method]}`}</button>`,
              )}
            </div>`
        : nothing}
    `;
  }

  /**
   * Runs one Auth call with the buttons disabled; every outcome re-enables them. A popup call
   * re-enables them as soon as its window is closed; a newer attempt replaces it (Firebase cancels
   * the older popup request, which is not an error to show).
   */
  private async _attempt(busy: Busy, run: (auth: typeof import('../firebase/auth.js')) => Promise<void>): Promise<void> {
    const attempt = ++this._attempts;
    const current = () => attempt === this._attempts;
    this._busy = busy;
    this._error = '';
    this._info = '';
    let auth: typeof import('../firebase/auth.js');
    try {
      auth = await import('../firebase/auth.js');
    } catch {
      // Offline on a visit that never stored it (a guest's page loads sign-in only when asked).
      if (current()) {
        this._busy = undefined;
        this._error = 'Signing in needs a part of the app that has not been downloaded yet. Connect to the internet and try again.';
      }
      return;
    }
    const popup = busy !== undefined && busy !== 'email' && busy !== 'send-link' && busy !== 'finish-link';
    const windowClosed = () => {
      if (!current()) return;
      this._busy = undefined;
      this._error = auth.describeAuthError({ code: 'auth/popup-closed-by-user' });
    };
    try {
      await (popup ? auth.watchingSignInWindow(() => run(auth), windowClosed) : run(auth));
    } catch (error) {
      if (!current() || auth.isReplacedSignIn(error)) return;
      this._error = auth.describeAuthError(error);
      if (!this._dialog.open) this._dialog.showModal();
    } finally {
      if (current()) this._busy = undefined;
    }
  }

  private _signIn(method: PopupMethod): Promise<void> {
    return this._attempt(method, async (auth) => {
      await auth.signInWithMethod(method);
      this.close();
    });
  }

  private _moveGuestNotes = () => {
    this.close();
    this.dispatchEvent(new CustomEvent('move-guest-notes', { bubbles: true, composed: true }));
  };

  private _link(method: PopupMethod): Promise<void> {
    return this._attempt(method, async (auth) => {
      const user = await auth.linkMethod(method);
      this._info = `${LABELS[method]} is now linked to your account.`;
      this.dispatchEvent(new CustomEvent('account-updated', { detail: auth.linkedMethods(user), bubbles: true, composed: true }));
    });
  }

  private _onEmailSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const email = (this.renderRoot.querySelector('#email') as HTMLInputElement).value.trim();
    const link = this._linkToFinish;
    if (link) {
      void this._attempt('finish-link', async (auth) => {
        await auth.completeEmailSignIn(link, email);
        this._linkToFinish = undefined;
        this.close();
      });
      return;
    }
    void this._attempt('send-link', async (auth) => {
      await auth.sendEmailSignInLink(email);
      this._info = `We sent a sign-in link to ${email}. Open it on this device to finish.`;
    });
  };

  /** My devices (src/ui/devices-panel.ts) is the shell's to open. */
  private _requestDevices = () => {
    this.close();
    this.dispatchEvent(new CustomEvent('devices-requested', { bubbles: true, composed: true }));
  };

  /** Deleting the account asks and tells through the shell (src/ui/account-flows.ts). */
  private _requestDelete = () => {
    this.dispatchEvent(new CustomEvent('delete-account-requested', { bubbles: true, composed: true }));
  };

  private _signOut = () => {
    this.dispatchEvent(new CustomEvent('sign-out-requested', { bubbles: true, composed: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'account-dialog': AccountDialog;
  }
}
