/**
 * Settings: how much this device stores and whether the browser keeps it for good
 * ("persistent") or may clear it under storage pressure ("best effort").
 */
import { LitElement, css, html } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { formatBytes, storageReport, type StorageReport } from '../platform/storage.js';
import { sharedStyles } from './shared-styles.js';

@customElement('settings-panel')
export class SettingsPanel extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      dialog {
        width: min(460px, calc(100vw - 24px));
        border: none;
        border-radius: 16px;
        padding: 20px 22px;
        background: var(--rn-surface);
        color: var(--rn-on-surface);
        box-shadow: var(--rn-shadow-raised);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.35);
      }
      h2 {
        margin: 0 0 12px;
        font-size: 1.2rem;
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 8px 16px;
        margin: 0 0 16px;
      }
      dt {
        color: var(--rn-muted);
      }
      dd {
        margin: 0;
      }
      .actions {
        display: flex;
        justify-content: flex-end;
      }
    `,
  ];

  @state() private _report: StorageReport | undefined;
  @query('dialog') private _dialog!: HTMLDialogElement;

  async open(): Promise<void> {
    this._dialog.showModal();
    this._report = await storageReport();
  }

  override render() {
    const report = this._report;
    return html`<dialog aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <section aria-label="Storage on this device">
        <dl>
          <dt>Storage used</dt>
          <dd data-testid="storage-used">${this._usedText(report)}</dd>
          <dt>Kept for good</dt>
          <dd data-testid="storage-persistent">${this._persistentText(report)}</dd>
          <dt>Version</dt>
          <dd>${__APP_VERSION__}</dd>
        </dl>
      </section>
      <div class="actions">
        <button class="text-button primary" @click=${() => this._dialog.close()}>Close</button>
      </div>
    </dialog>`;
  }

  private _usedText(report: StorageReport | undefined): string {
    if (!report) return 'Checking…';
    if (report.usedBytes === undefined) return 'Not reported by this browser';
    const quota = report.quotaBytes ? ` of ${formatBytes(report.quotaBytes)} available` : '';
    return `${formatBytes(report.usedBytes)}${quota}`;
  }

  private _persistentText(report: StorageReport | undefined): string {
    if (!report) return 'Checking…';
    if (report.persistent === undefined) return 'Not reported by this browser';
    return report.persistent
      ? 'Yes: the browser will not clear your notes to free space'
      : 'No: the browser may clear notes under storage pressure (it asks when you save your first note)';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'settings-panel': SettingsPanel;
  }
}
