/**
 * "On this device": the notes kept on this device without an account, listed while an account is
 * open (after "Not now", say), with "Move into my account". Loaded on first use. It fires
 * `move-guest-notes`; the shell moves them.
 */
import { LitElement, css, html } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { Lane, type NoteRecord } from '../db/database.js';
import { noteTitle } from '../shared/note.js';
import { dialogStyles, sharedStyles } from './shared-styles.js';

@customElement('guest-notes-panel')
export class GuestNotesPanel extends LitElement {
  static override styles = [
    sharedStyles,
    dialogStyles,
    css`
      :host {
        --dialog-width: 460px;
      }
      h2 {
        margin: 0 0 6px;
        font-size: 1.2rem;
      }
      p {
        margin: 0 0 12px;
        color: var(--rn-muted);
      }
      /* It scrolls when the notes are many: focusable, so the keyboard can scroll it too. */
      ul {
        max-height: 50vh;
        overflow: auto;
        margin: 0;
        padding: 0 0 0 20px;
      }
      li {
        padding: 4px 0;
        overflow-wrap: anywhere;
      }
      .actions {
        display: flex;
        justify-content: flex-end;
        flex-wrap: wrap;
        gap: 8px;
        margin-top: 18px;
      }
    `,
  ];

  @state() private _notes: NoteRecord[] = [];
  @query('dialog') private _dialog!: HTMLDialogElement;

  open(notes: NoteRecord[]): void {
    this._notes = notes;
    if (!this._dialog.open) this._dialog.showModal();
  }

  close(): void {
    this._dialog.close();
  }

  override render() {
    const count = this._notes.length;
    return html`<dialog aria-labelledby="guest-notes-title">
      <h2 id="guest-notes-title">On this device</h2>
      <p>
        ${count === 1 ? 'This note was' : `These ${count} notes were`} written on this device without an account. They stay here, outside
        your account, until you move them.
      </p>
      <ul aria-label="Notes kept on this device" tabindex="0">
        ${this._notes.map((note) => html`<li>${noteTitle(note.text)}${note.lane === Lane.trash ? ' (in the trash)' : note.lane === Lane.archive ? ' (archived)' : ''}</li>`)}
      </ul>
      <div class="actions">
        <button class="text-button" @click=${() => this.close()}>Close</button>
        <button class="text-button primary" ?disabled=${count === 0} @click=${this._move}>Move into my account</button>
      </div>
    </dialog>`;
  }

  private _move = () => {
    this.close();
    this.dispatchEvent(new CustomEvent('move-guest-notes', { bubbles: true, composed: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'guest-notes-panel': GuestNotesPanel;
  }
}
