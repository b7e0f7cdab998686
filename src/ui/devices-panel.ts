/**
 * My devices: every device of the person once (src/ui/device-rows.ts): the devices signed in to
 * the account (the device registry, src/account/devices.ts), each with whether it gets
 * notifications (its push channel) and which one is this device. Each can be renamed; one that
 * gets notifications can be sent a test one or have them turned off; each other signed-in device
 * can be signed out and erased, and "Sign out everywhere else" does that to all of them, each
 * confirmed in place with what it means. Then turning notifications on for this device, with a
 * clear word for each state (not available in this browser and why, with Safari's Home Screen
 * rule on Apple platforms; blocked by the browser and how to unblock; on).
 * Nothing here asks for permission until the person presses the button.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { AccountSummary } from '../account/session.js';
import type { DeviceInfo } from '../account/devices.js';
import type { ChannelInfo } from '../push/channels.js';
import { PUSH_SUPPORT_MESSAGES, pushPermission, pushSupport, type PushPermission } from '../push/push-support.js';
import { deviceRows, type DeviceRow } from './device-rows.js';
import { dialogStyles, sharedStyles } from './shared-styles.js';

type Channels = typeof import('../push/channels.js');
type Devices = typeof import('../account/devices.js');

const channelsModule = (): Promise<Channels> => import('../push/channels.js');
const devicesModule = (): Promise<Devices> => import('../account/devices.js');

/** The erase waiting for its confirmation: one device, or every other one. */
type PendingErase = { kind: 'one'; device: DeviceRow } | { kind: 'others'; count: number };

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
      h3 {
        margin: 16px 0 8px;
        font-size: 1rem;
      }
      .tag.revoked {
        background: var(--rn-error-container);
      }
      .warning {
        margin: 8px 0 0;
        padding: 10px 12px;
        border-radius: 12px;
        background: var(--rn-error-container);
      }
    `,
  ];

  @property({ attribute: false }) account: AccountSummary | undefined;
  /** Known before the first paint (no Firebase needed), so no button shows where push cannot work. */
  @state() private _permission: PushPermission = pushPermission();
  /** Notifications are on for this device and this account. */
  @state() private _on = false;
  @state() private _channels: ChannelInfo[] | undefined;
  @state() private _devices: DeviceInfo[] | undefined;
  @state() private _pendingErase: PendingErase | undefined;
  @state() private _renaming: string | undefined;
  @state() private _busy = false;
  @state() private _error = '';
  @state() private _info = '';
  @query('dialog') private _dialog!: HTMLDialogElement;

  async open(): Promise<void> {
    this._error = '';
    this._info = '';
    this._renaming = undefined;
    this._pendingErase = undefined;
    if (!this._dialog.open) this._dialog.showModal();
    await this._reload();
  }

  close(): void {
    this._dialog.close();
  }

  private async _reload(): Promise<void> {
    const account = this.account;
    if (!account) return;
    const devices = await devicesModule();
    try {
      this._devices = await devices.listDevices(account.uid);
    } catch (error) {
      this._devices = [];
      this._error = `Your signed-in devices could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
    }
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
      // The state line says "Notifications are on for this device." (and is announced): no second
      // message saying it again.
      await this._reload();
    });

  private _sendTest = (row: DeviceRow) =>
    this._attempt(async (push) => {
      await Promise.all(row.channels.map((channel) => push.sendTestNotification(channel.id)));
      this._info = `A test notification is on its way to ${row.name}.`;
    });

  /** Turns a device's notifications off (its channels go); it stays signed in. */
  private _turnOff = (row: DeviceRow) =>
    this._attempt(async (push) => {
      for (const channel of row.channels) await push.removeChannel(channel.id);
      this._info = row.thisDevice ? 'This device will no longer get notifications.' : `${row.name} will no longer get notifications.`;
      await this._reload();
    });

  /** Revokes what the person confirmed; the devices erase themselves at their next contact. */
  private _erase = (pending: PendingErase) =>
    this._attempt(async () => {
      const account = this.account;
      if (!account) return;
      const devices = await devicesModule();
      if (pending.kind === 'one') {
        await devices.revokeDevices(account.uid, [pending.device.id]);
        this._info = `${pending.device.name} is signed out. It erases its notes the next time it is online (at once if it is open now).`;
      } else {
        const count = await devices.revokeOtherDevices(account.uid);
        this._info = `${count} other ${count === 1 ? 'device is' : 'devices are'} signed out. Each erases its notes the next time it is online.`;
      }
      this._pendingErase = undefined;
      await this._reload();
    });

  /** Renames the device: its record and its channels, so every list and push says the same name. */
  private _onRename = (event: SubmitEvent, row: DeviceRow) => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).querySelector('input') as HTMLInputElement;
    void this._attempt(async (push) => {
      const account = this.account;
      if (!account) return;
      if (row.registered) await (await devicesModule()).renameDevice(account.uid, row.id, input.value);
      for (const channel of row.channels) await push.renameChannel(channel.id, input.value);
      this._renaming = undefined;
      await this._reload();
    });
  };

  override render() {
    return html`<dialog aria-labelledby="devices-title">
      <h2 id="devices-title">My devices</h2>
      <section aria-labelledby="signed-in-title">
        <h3 id="signed-in-title">Signed in</h3>
        ${this._renderDevices()}
      </section>
      <section aria-labelledby="notifications-title">
        <h3 id="notifications-title">Notifications</h3>
        <div aria-live="polite">${this._renderThisDevice()}</div>
        ${this._channels?.length === 0 ? html`<p class="muted">No device gets notifications yet.</p>` : nothing}
      </section>
      ${this._error ? html`<p class="error-text" role="alert">${this._error}</p>` : nothing}
      ${this._info ? html`<p role="status">${this._info}</p>` : nothing}
      <div class="actions">
        <button class="text-button primary" @click=${() => this.close()}>Close</button>
      </div>
    </dialog>`;
  }

  private _renderDevices() {
    if (!this._devices || !this._channels) return html`<p class="muted">Loading your devices…</p>`;
    const rows = deviceRows(this._devices, this._channels);
    if (rows.length === 0) return html`<p class="muted">No device has registered yet.</p>`;
    const others = rows.filter((row) => row.registered && !row.thisDevice && !row.revoked).length;
    const pending = this._pendingErase;
    return html`<ul aria-label="Devices signed in to your account">
        ${rows.map((row) => this._renderDevice(row))}
      </ul>
      ${others > 0
        ? pending?.kind === 'others'
          ? this._renderConfirmErase(
              `Sign out ${others} other ${others === 1 ? 'device' : 'devices'} and erase them? Each deletes its copy of your notes the next time it is online, and can read nothing of your account from now on. Changes made on them that have not synced are lost.`,
              'Sign out everywhere else',
              pending,
            )
          : html`<button class="text-button" ?disabled=${this._busy} @click=${() => (this._pendingErase = { kind: 'others', count: others })}>
              Sign out everywhere else
            </button>`
        : nothing}`;
  }

  private _renderDevice(row: DeviceRow) {
    const pending = this._pendingErase;
    const confirming = pending?.kind === 'one' && pending.device.id === row.id;
    const notifications = row.channels.length > 0;
    const details = [row.platform, notifications ? 'gets notifications' : '', row.lastSeen ? `last seen ${row.lastSeen.toLocaleString()}` : ''];
    return html`<li data-device=${row.id}>
      <div>
        <span class="name">${row.name}</span>${row.thisDevice ? html`<span class="tag">This device</span>` : nothing}${row.revoked
          ? html`<span class="tag revoked">Signed out</span>`
          : nothing}
      </div>
      <div class="muted">${details.filter(Boolean).join(' · ')}</div>
      ${this._renaming === row.id
        ? html`<form @submit=${(event: SubmitEvent) => this._onRename(event, row)}>
            <label class="visually-hidden" for=${`name-${row.id}`}>Device name</label>
            <input id=${`name-${row.id}`} required maxlength="100" .value=${row.name} />
            <button class="text-button" type="submit" ?disabled=${this._busy}>Save</button>
            <button class="text-button" type="button" @click=${() => (this._renaming = undefined)}>Cancel</button>
          </form>`
        : confirming
          ? this._renderConfirmErase(
              `Sign out “${row.name}” and erase it? It deletes its copy of your notes the next time it is online (at once if it is open now), and can read nothing of your account from now on. Changes made on it that have not synced are lost.`,
              'Sign out and erase',
              pending,
            )
          : this._renderRowActions(row)}
    </li>`;
  }

  private _renderRowActions(row: DeviceRow) {
    if (row.revoked) return nothing;
    const canErase = row.registered && !row.thisDevice;
    return html`<div class="row-actions">
      <button class="text-button" ?disabled=${this._busy} @click=${() => (this._renaming = row.id)} aria-label=${`Rename ${row.name}`}>Rename</button>
      ${row.channels.length > 0
        ? html`<button class="text-button" ?disabled=${this._busy} @click=${() => this._sendTest(row)} aria-label=${`Send a test notification to ${row.name}`}>
              Send a test notification
            </button>
            <button class="text-button" ?disabled=${this._busy} @click=${() => this._turnOff(row)} aria-label=${`Turn off notifications on ${row.name}`}>
              Turn off notifications
            </button>`
        : nothing}
      ${canErase
        ? html`<button
            class="text-button"
            ?disabled=${this._busy}
            @click=${() => (this._pendingErase = { kind: 'one', device: row })}
            aria-label=${`Sign out and erase ${row.name}`}
          >
            Sign out and erase this device
          </button>`
        : nothing}
    </div>`;
  }

  private _renderConfirmErase(text: string, confirm: string, pending: PendingErase) {
    return html`<div class="warning" role="group" aria-label="Confirm">
      <p>${text}</p>
      <div class="row-actions">
        <button class="text-button" ?disabled=${this._busy} @click=${() => (this._pendingErase = undefined)}>Cancel</button>
        <button class="text-button danger" ?disabled=${this._busy} @click=${() => this._erase(pending)}>${confirm}</button>
      </div>
    </div>`;
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
}

declare global {
  interface HTMLElementTagNameMap {
    'devices-panel': DevicesPanel;
  }
}
