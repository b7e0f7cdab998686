/**
 * My devices: the person's push channels (name, platform, last seen, which one is this device),
 * renaming, a test notification, removing; and turning notifications on for this device, with
 * a clear word for each state (not available in this browser and why, with Safari's Home Screen
 * rule on Apple platforms; blocked by the browser and how to unblock; on).
 * Nothing here asks for permission until the person presses the button.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { AccountSummary } from '../account/session.js';
import type { ChannelInfo } from '../push/channels.js';
import { PUSH_SUPPORT_MESSAGES, pushPermission, pushSupport, type PushPermission } from '../push/push-support.js';
import { dialogStyles, sharedStyles } from './shared-styles.js';

type Channels = typeof import('../push/channels.js');

const channelsModule = (): Promise<Channels> => import('../push/channels.js');

@customElement('devices-panel')
export class DevicesPanel extends LitElement {
  static override styles = [
    sharedStyles,
    dialogStyles,
    css`
      :host {
        --dialog-width: 520px;
      }
      h2 {
        margin: 0 0 12px;
        font-size: 1.2rem;
      }
      p {
        margin: 0 0 12px;
      }
      .muted {
        color: var(--rn-muted);
      }
      .unsupported {
        margin: 0 0 12px;
        padding: 10px 12px;
        border: 1px solid var(--rn-border);
        border-radius: 12px;
      }
      .unsupported p:last-child {
        margin: 0;
      }
      ul {
        list-style: none;
        margin: 0 0 12px;
        padding: 0;
        display: grid;
        gap: 10px;
      }
      li {
        border: 1px solid var(--rn-border);
        border-radius: 12px;
        padding: 10px 12px;
      }
      .name {
        font-weight: 600;
      }
      .tag {
        margin-left: 6px;
        padding: 1px 8px;
        border-radius: 999px;
        font-size: 0.75rem;
        background: var(--rn-pressed);
      }
      .row-actions {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        margin-top: 8px;
      }
      form {
        display: flex;
        gap: 6px;
        margin-top: 8px;
      }
      input {
        flex: 1;
        min-height: 34px;
        padding: 0 10px;
        border: 1px solid var(--rn-border);
        border-radius: 999px;
        font: inherit;
        color: inherit;
        background: var(--rn-surface);
      }
      @media (pointer: coarse) {
        input {
          min-height: 44px;
        }
      }
      .actions {
        display: flex;
        justify-content: flex-end;
        margin-top: 12px;
      }
    `,
  ];

  @property({ attribute: false }) account: AccountSummary | undefined;
  /** Known before the first paint (no Firebase needed), so no button shows where push cannot work. */
  @state() private _permission: PushPermission = pushPermission();
  /** Notifications are on for this device and this account. */
  @state() private _on = false;
  @state() private _channels: ChannelInfo[] | undefined;
  @state() private _renaming: string | undefined;
  @state() private _busy = false;
  @state() private _error = '';
  @state() private _info = '';
  @query('dialog') private _dialog!: HTMLDialogElement;

  async open(): Promise<void> {
    this._error = '';
    this._info = '';
    this._renaming = undefined;
    if (!this._dialog.open) this._dialog.showModal();
    await this._reload();
  }

  close(): void {
    this._dialog.close();
  }

  private async _reload(): Promise<void> {
    const account = this.account;
    if (!account) return;
    const push = await channelsModule();
    this._permission = pushPermission();
    const stored = await push.storedChannel();
    this._on = this._permission === 'granted' && stored?.uid === account.uid;
    try {
      this._channels = await push.listChannels(account.uid);
    } catch (error) {
      this._channels = [];
      this._error = `Your devices could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Runs one action with the buttons disabled; failures become a message. */
  private async _attempt(run: (push: Channels) => Promise<void>): Promise<void> {
    this._busy = true;
    this._error = '';
    this._info = '';
    try {
      await run(await channelsModule());
    } catch (error) {
      this._error = error instanceof Error ? error.message : String(error);
    } finally {
      this._busy = false;
    }
  }

  private _turnOn = () =>
    this._attempt(async (push) => {
      if (!this.account) return;
      const result = await push.turnOnNotifications(this.account);
      this._permission = pushPermission();
      if (!result.ok) {
        this._error = result.message;
        return;
      }
      // The state line above says "Notifications are on for this device." (and is announced):
      // no second message saying it again.
      await this._reload();
    });

  private _sendTest = (channel: ChannelInfo) =>
    this._attempt(async (push) => {
      await push.sendTestNotification(channel.id);
      this._info = `A test notification is on its way to ${channel.deviceName}.`;
    });

  private _remove = (channel: ChannelInfo) =>
    this._attempt(async (push) => {
      await push.removeChannel(channel.id);
      this._info = channel.thisDevice ? 'This device will no longer get notifications.' : `${channel.deviceName} was removed.`;
      await this._reload();
    });

  private _onRename = (event: SubmitEvent, channel: ChannelInfo) => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).querySelector('input') as HTMLInputElement;
    void this._attempt(async (push) => {
      await push.renameChannel(channel.id, input.value);
      this._renaming = undefined;
      await this._reload();
    });
  };

  override render() {
    return html`<dialog aria-labelledby="devices-title">
      <h2 id="devices-title">My devices</h2>
      <section aria-label="Notifications on this device" aria-live="polite">${this._renderThisDevice()}</section>
      ${this._renderChannels()}
      ${this._error ? html`<p class="error-text" role="alert">${this._error}</p>` : nothing}
      ${this._info ? html`<p role="status">${this._info}</p>` : nothing}
      <div class="actions">
        <button class="text-button primary" @click=${() => this.close()}>Close</button>
      </div>
    </dialog>`;
  }

  private _renderThisDevice() {
    switch (this._permission) {
      case 'unsupported':
        return this._renderUnsupported();
      case 'denied':
        return html`<p data-testid="push-state">
          Notifications are blocked for this site by the browser. To get them, allow notifications in the site settings
          (the icon to the left of the address), then reopen My devices.
        </p>`;
      default:
        return this._on
          ? html`<p data-testid="push-state">Notifications are on for this device.</p>`
          : html`<p data-testid="push-state" class="muted">Get a notification here when you add a note on another device.</p>
              <button class="text-button primary" ?disabled=${this._busy} @click=${this._turnOn}>Turn on notifications</button>`;
    }
  }

  /** A designed state, not an error: what is missing here, and where notifications can be had. */
  private _renderUnsupported() {
    const support = pushSupport();
    if (support.supported) return nothing;
    return html`<div class="unsupported" data-testid="push-state">
      <p><strong>${PUSH_SUPPORT_MESSAGES.title}</strong> ${support.why}</p>
      ${support.appleRule ? html`<p data-testid="apple-push-rule">${support.appleRule}</p>` : nothing}
      <p class="muted">${PUSH_SUPPORT_MESSAGES.stillRoams}</p>
    </div>`;
  }

  private _renderChannels() {
    const channels = this._channels;
    if (!channels) return html`<p class="muted">Loading your devices…</p>`;
    if (channels.length === 0) return html`<p class="muted">No device gets notifications yet.</p>`;
    return html`<ul aria-label="Devices that get notifications">
      ${channels.map((channel) => this._renderChannel(channel))}
    </ul>`;
  }

  private _renderChannel(channel: ChannelInfo) {
    const renaming = this._renaming === channel.id;
    return html`<li data-channel=${channel.id}>
      <div>
        <span class="name">${channel.deviceName}</span>${channel.thisDevice ? html`<span class="tag">This device</span>` : nothing}
      </div>
      <div class="muted">${[channel.platform, channel.lastSeen ? `last seen ${channel.lastSeen.toLocaleString()}` : ''].filter(Boolean).join(' · ')}</div>
      ${renaming
        ? html`<form @submit=${(event: SubmitEvent) => this._onRename(event, channel)}>
            <label class="visually-hidden" for=${`name-${channel.id}`}>Device name</label>
            <input id=${`name-${channel.id}`} required maxlength="100" .value=${channel.deviceName} />
            <button class="text-button" type="submit" ?disabled=${this._busy}>Save</button>
            <button class="text-button" type="button" @click=${() => (this._renaming = undefined)}>Cancel</button>
          </form>`
        : html`<div class="row-actions">
            <button class="text-button" ?disabled=${this._busy} @click=${() => (this._renaming = channel.id)} aria-label=${`Rename ${channel.deviceName}`}>
              Rename
            </button>
            <button class="text-button" ?disabled=${this._busy} @click=${() => this._sendTest(channel)} aria-label=${`Send a test notification to ${channel.deviceName}`}>
              Send a test notification
            </button>
            <button class="text-button" ?disabled=${this._busy} @click=${() => this._remove(channel)} aria-label=${`Remove ${channel.deviceName}`}>
              Remove
            </button>
          </div>`}
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'devices-panel': DevicesPanel;
  }
}
