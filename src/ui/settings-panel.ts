/**
 * Settings: backup (export to a JSON file, import one back, each saying in the panel when it
 * fails), how much this device stores and whether the browser keeps it for good ("persistent") or
 * may clear it under storage pressure ("best effort").
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Backup, ImportReport } from '../db/backup.js';
import { formatBytes, storageReport, type StorageReport } from '../platform/storage.js';
import { dialogStyles, sharedStyles } from './shared-styles.js';
import { downloadBackup } from './download-backup.js';

/** Backup as the app shell offers it for the open notes (undefined when storage is unavailable). */
export interface BackupActions {
  exportNotes(): Promise<Backup>;
  importFile(text: string): Promise<ImportReport>;
}

@customElement('settings-panel')
export class SettingsPanel extends LitElement {
  static override styles = [
    sharedStyles,
    dialogStyles,
    css`
      :host {
        --dialog-width: 460px;
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
      .backup {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        margin-bottom: 8px;
      }
      .file-button {
        display: inline-grid;
        place-items: center;
        cursor: pointer;
      }
      .file-button:focus-within {
        outline: 3px solid var(--rn-focus);
        outline-offset: 2px;
      }
      h3 {
        margin: 0 0 8px;
        font-size: 1rem;
      }
      .report {
        margin: 0 0 16px;
        font-size: 0.9rem;
      }
      .report.failed {
        color: var(--rn-error);
      }
      .report ul {
        max-height: 8em;
        overflow: auto;
        margin: 4px 0 0;
        padding-left: 20px;
      }
    `,
  ];

  @property({ attribute: false }) backup: BackupActions | undefined;
  @state() private _report: StorageReport | undefined;
  @state() private _backupMessage = '';
  /** The last backup message says something went wrong. */
  @state() private _backupFailed = false;
  @state() private _refused: ImportReport['rejected'] = [];
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
      <section aria-labelledby="backup-title">
        <h3 id="backup-title">Backup</h3>
        <div class="backup">
          <button class="text-button" ?disabled=${!this.backup} @click=${this._export}>Export notes</button>
          <label class="text-button file-button">
            Import notes
            <input class="visually-hidden" type="file" accept="application/json,.json" ?disabled=${!this.backup} @change=${this._import} />
          </label>
        </div>
        <div class="report ${this._backupFailed ? 'failed' : ''}" role="status" data-testid="backup-report">
          ${this._backupMessage}
          ${this._refused.length
            ? html`<ul>
                ${this._refused.map((r) => html`<li>Record ${r.index + 1}: ${r.reason}</li>`)}
              </ul>`
            : ''}
        </div>
      </section>
      <div class="actions">
        <button class="text-button primary" @click=${() => this._dialog.close()}>Close</button>
      </div>
    </dialog>`;
  }

  private _export = async () => {
    if (!this.backup) return;
    try {
      const backup = await this.backup.exportNotes();
      downloadBackup(backup);
      this._setReport(`Exported ${backup.notes.length} ${backup.notes.length === 1 ? 'note' : 'notes'}.`);
    } catch (error) {
      // Reading the notes (or making the file) failed: nothing was written anywhere, so say so.
      this._setReport(`Export failed: ${error instanceof Error ? error.message : String(error)}. Your notes are unchanged; try again.`, true);
    }
  };

  private _setReport(message: string, failed = false, refused: ImportReport['rejected'] = []): void {
    this._backupMessage = message;
    this._backupFailed = failed;
    this._refused = refused;
  }

  private _import = async (event: Event) => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file || !this.backup) return;
    try {
      const report = await this.backup.importFile(await file.text());
      const parts = [`${report.added} added`, `${report.updated} updated`, `${report.unchanged} already here`];
      const refused = report.rejected.length ? ` ${report.rejected.length} refused:` : '';
      this._setReport(`Imported ${file.name}: ${parts.join(', ')}.${refused}`, false, report.rejected);
    } catch (error) {
      this._setReport(error instanceof Error ? error.message : String(error), true);
    }
  };

  private _usedText(report: StorageReport | undefined): string {
    if (!report) return 'Checking…';
    if (report.usedBytes === undefined) return 'Not reported by this browser';
    const quota = report.quotaBytes ? ` of ${formatBytes(report.quotaBytes)} available` : '';
    return `${formatBytes(report.usedBytes)}${quota}`;
  }

  private _persistentText(report: StorageReport | undefined): string {
    if (!report) return 'Checking…';
    if (report.persistent === undefined) return 'Not reported by this browser';
    if (report.persistent) return 'Yes: the browser will not clear your notes to free space';
    return report.asked
      ? 'No: the browser may clear notes under storage pressure. Roaming Notes asked it to keep them; the browser decides'
      : 'No: the browser may clear notes under storage pressure (Roaming Notes asks it to keep them when you save your first note)';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'settings-panel': SettingsPanel;
  }
}
