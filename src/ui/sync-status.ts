/**
 * What sync is doing, in the header: offline or online, changes not yet synced (true across
 * reloads: it counts the outbox), when it last synced, progress of a first sync, errors, and
 * changes the server refused, which the person can discard.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SyncStatus } from '../db/database.js';
import type { OutboxSummary } from '../db/sync-summary.js';
import { SYNC_TEXTS } from '../sync/texts.js';
import { sharedStyles } from './shared-styles.js';

export type { OutboxSummary };

const MINUTE_MS = 60_000;

const TEXT = SYNC_TEXTS.status;

function ago(ms: number, now: number): string {
  const minutes = Math.floor((now - ms) / MINUTE_MS);
  if (minutes < 1) return TEXT.justNow;
  if (minutes < 60) return TEXT.minutesAgo(minutes);
  const hours = Math.floor(minutes / 60);
  return hours < 24 ? TEXT.hoursAgo(hours) : new Date(ms).toLocaleDateString();
}

@customElement('sync-status')
export class SyncStatusElement extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        align-items: center;
        gap: 8px;
        font-size: 0.8rem;
        color: var(--rn-muted);
        min-width: 0;
      }
      .text {
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .dot {
        width: 8px;
        height: 8px;
        border-radius: 50%;
        flex: none;
        background: var(--rn-ok, #2e7d32);
      }
      .dot.offline {
        background: var(--rn-muted);
      }
      .dot.pending {
        background: var(--rn-accent);
      }
      .dot.error {
        background: var(--rn-error);
      }
      progress {
        width: 90px;
      }
      .error {
        color: var(--rn-error);
      }
      button {
        border: none;
        background: transparent;
        color: var(--rn-accent);
        text-decoration: underline;
        padding: 0;
        font-size: inherit;
      }
    `,
  ];

  @property({ attribute: false }) status: SyncStatus | undefined;
  @property({ attribute: false }) outbox: OutboxSummary = { pending: 0, rejected: [] };
  @state() private _online = navigator.onLine;
  private _tick: ReturnType<typeof setInterval> | undefined;

  private readonly _onConnectivity = () => {
    this._online = navigator.onLine;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('online', this._onConnectivity);
    window.addEventListener('offline', this._onConnectivity);
    // "Synced 3 min ago" ages without any other change.
    this._tick = setInterval(() => this.requestUpdate(), MINUTE_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this._onConnectivity);
    window.removeEventListener('offline', this._onConnectivity);
    clearInterval(this._tick);
  }

  override render() {
    const status = this.status ?? {};
    const { pending, rejected } = this.outbox;
    const unsynced = pending - rejected.length;
    let dot = '';
    let text: unknown;
    if (!this._online) {
      dot = 'offline';
      text = unsynced > 0 ? `${TEXT.offline} · ${TEXT.unsynced(unsynced)}` : TEXT.offline;
    } else if (status.progress) {
      dot = 'pending';
      text = html`${TEXT.syncing(status.progress.done)} ${TEXT.notes(status.progress.total)}
        <progress max=${status.progress.total} .value=${status.progress.done} aria-label=${TEXT.firstSyncLabel}></progress>${
          // A first sync that stalled mid-way says so beside its progress ("Sync stalled, retrying").
          status.error ? html` <span class="error">${status.error}</span>` : ''
        }`;
    } else if (status.error) {
      dot = 'error';
      text = html`<span class="error">${status.error}</span>${unsynced > 0 ? ` · ${TEXT.unsynced(unsynced)}` : ''}`;
    } else if (unsynced > 0) {
      dot = 'pending';
      text = TEXT.unsynced(unsynced);
    } else {
      text = status.lastSyncedAt ? TEXT.synced(ago(status.lastSyncedAt, Date.now())) : TEXT.connecting;
    }
    return html`
      <span class="dot ${dot}" aria-hidden="true"></span>
      <span class="text" role="status" data-testid="sync-status">${text}</span>
      ${rejected.length
        ? html`<span class="error" role="alert" title=${rejected.map((r) => r.message).join('\n')}>
              ${TEXT.refused(rejected.length, rejected[0]!.message)}
            </span>
            <button @click=${() => this.dispatchEvent(new CustomEvent('discard-rejected', { bubbles: true, composed: true }))}>
              ${TEXT.discard}
            </button>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sync-status': SyncStatusElement;
  }
}
